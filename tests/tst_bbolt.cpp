// bbolt page walking and the gotd-bbolt format. The first tests build a bbolt file byte by byte
// from the documented page layout (independently of core's writer), then corrupt it in many ways.
#include "crypto/crypto.h"
#include "format/registry.h"
#include "formats/gotd/bbolt.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

constexpr int kPage = 4096;

const Format &bboltFormat() { return *Registry::instance().find(QStringLiteral("gotd-bbolt")); }

void le16(QByteArray &b, int off, quint16 v) { qToLittleEndian<quint16>(v, b.data() + off); }
void le32(QByteArray &b, int off, quint32 v) { qToLittleEndian<quint32>(v, b.data() + off); }
void le64(QByteArray &b, int off, quint64 v) { qToLittleEndian<quint64>(v, b.data() + off); }
QByteArray i64(qint64 v)
{
    QByteArray b(8, '\0');
    qToLittleEndian<qint64>(v, b.data());
    return b;
}

// FNV-1a 64, written out again here so that the test does not trust core's copy.
quint64 fnv(const QByteArray &d)
{
    quint64 h = 0xcbf29ce484222325ULL;
    for (char c : d) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

QByteArray meta(quint64 pgid, quint64 root, quint64 highWater, quint64 txid)
{
    QByteArray p(kPage, '\0');
    le64(p, 0, pgid);
    le16(p, 8, 0x04);            // meta page
    le32(p, 16, 0xED0CDAED);     // magic
    le32(p, 20, 2);              // version
    le32(p, 24, kPage);          // page size
    le64(p, 32, root);           // root bucket root pgid (sequence at 40 stays 0)
    le64(p, 48, 2);              // freelist pgid
    le64(p, 56, highWater);      // pgid high-water mark
    le64(p, 64, txid);
    le64(p, 72, fnv(p.mid(16, 56)));
    return p;
}

struct Kv {
    QByteArray key, value;
    bool bucket = false;
};

// A leaf page (or, with pgid 0 and no padding, an inline bucket page).
QByteArray leaf(quint64 pgid, const QList<Kv> &kvs, bool pad = true)
{
    QByteArray p(16 + 16 * kvs.size(), '\0');
    le64(p, 0, pgid);
    le16(p, 8, 0x02);
    le16(p, 10, static_cast<quint16>(kvs.size()));
    for (int i = 0; i < kvs.size(); ++i) {
        const int e = 16 + 16 * i;
        le32(p, e, kvs[i].bucket ? 1 : 0);
        le32(p, e + 4, static_cast<quint32>(p.size() - e));
        le32(p, e + 8, static_cast<quint32>(kvs[i].key.size()));
        le32(p, e + 12, static_cast<quint32>(kvs[i].value.size()));
        p += kvs[i].key + kvs[i].value;
    }
    if (pad)
        p.resize(((p.size() + kPage - 1) / kPage) * kPage, '\0');
    return p;
}

QByteArray branch(quint64 pgid, const QList<QPair<QByteArray, quint64>> &children)
{
    QByteArray p(16 + 16 * children.size(), '\0');
    le64(p, 0, pgid);
    le16(p, 8, 0x01);
    le16(p, 10, static_cast<quint16>(children.size()));
    for (int i = 0; i < children.size(); ++i) {
        const int e = 16 + 16 * i;
        le32(p, e, static_cast<quint32>(p.size() - e));
        le32(p, e + 4, static_cast<quint32>(children[i].first.size()));
        le64(p, e + 8, children[i].second);
        p += children[i].first;
    }
    p.resize(kPage, '\0');
    return p;
}

QByteArray bucketHeader(quint64 root)
{
    QByteArray h(16, '\0');
    le64(h, 0, root);
    return h;
}

QByteArray sessionJson(const QByteArray &key)
{
    return "{\"Version\":1,\"Data\":{\"Config\":{\"TestMode\":false},\"DC\":2,\"Addr\":\"149.154.167.50:443\",\"AuthKey\":\""
           + key.toBase64() + "\",\"AuthKeyID\":\"" + crypto::sha1(key).mid(12, 8).toBase64() + "\",\"Salt\":77}}";
}

// Pages: 0/1 meta, 2 freelist, 3 root leaf, 4 hashes_users_ branch -> 5, 6 leaves,
// 7 hashes_channel_ leaf. session_ and state_ are inline buckets.
QByteArray handBuilt(const QByteArray &key, quint64 txid0 = 4, quint64 txid1 = 5)
{
    QByteArray freelist(kPage, '\0');
    le64(freelist, 0, 2);
    le16(freelist, 8, 0x10);
    const QByteArray sessionInline = bucketHeader(0) + leaf(0, {{"session", sessionJson(key)}}, false);
    const QByteArray stateInline = bucketHeader(0)
        + leaf(0, {{"date", i64(1700000000)}, {"pts", i64(1234)}, {"qts", i64(5)}, {"seq", i64(9)}}, false);
    const QByteArray root = leaf(3, {{"hashes_channel_", bucketHeader(7), true},
                                     {"hashes_users_", bucketHeader(4), true},
                                     {"session_", sessionInline, true},
                                     {"state_", stateInline, true}});
    const QByteArray users = branch(4, {{i64(100), 5}, {i64(300), 6}});
    const QByteArray left = leaf(5, {{i64(100), i64(-1)}, {i64(200), i64(4611686018427387904LL)}});
    const QByteArray right = leaf(6, {{i64(300), i64(-9223372036854775807LL)}});
    const QByteArray channels = leaf(7, {{i64(1234567890), i64(42)}});
    return meta(0, 3, 8, txid0) + meta(1, 3, 8, txid1) + freelist + root + users + left + right + channels;
}

QString writeTemp(QTemporaryDir &dir, const QByteArray &data, const QString &name = QStringLiteral("bot.bbolt"))
{
    const QString p = dir.filePath(name);
    QFile f(p);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(data);
    return p;
}

} // namespace

class TestBbolt : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handBuiltFileIsRead()
    {
        QTemporaryDir tmp;
        const QByteArray key = crypto::randomBytes(256);
        const QString path = writeTemp(tmp, handBuilt(key));
        auto det = Registry::instance().detect(Source::fromPath(path));
        QVERIFY(det);
        QCOMPARE((*det)->id(), QStringLiteral("gotd-bbolt"));
        auto store = bboltFormat().read(Source::fromPath(path), ReadOptions{});
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        const Session &s = store->accounts.front();
        QCOMPARE(s.dcId, 2);
        QCOMPARE(s.primary()->authKeyId(), QString::fromLatin1(crypto::sha1(key).mid(12, 8).toHex()));
        QCOMPARE(s.primary()->salt, std::optional<qint64>(77));
        QVERIFY(s.updateState);
        QCOMPARE(s.updateState->pts, std::optional<qint64>(1234));
        QCOMPARE(s.updateState->qts, std::optional<qint64>(5));
        QCOMPARE(s.updateState->date, std::optional<qint64>(1700000000));
        QCOMPARE(s.updateState->seq, std::optional<qint64>(9));
        QCOMPARE(s.peers.size(), std::size_t(4));
        QMap<qint64, qint64> hashes;
        for (const Peer &p : s.peers)
            hashes.insert(p.markedId(), *p.accessHash);
        QCOMPARE(hashes.value(100), qint64(-1));
        QCOMPARE(hashes.value(200), qint64(4611686018427387904LL));
        QCOMPARE(hashes.value(300), qint64(-9223372036854775807LL));
        QCOMPARE(hashes.value(-1000000000000LL - 1234567890), qint64(42));

        ReadOptions counts;
        counts.loadPeers = false;
        auto c = bboltFormat().read(Source::fromPath(path), counts);
        QVERIFY(c);
        QVERIFY(c->accounts.front().peerCountsOnly);
        QCOMPARE(c->accounts.front().peerCountsOnly->users, 3);
        QCOMPARE(c->accounts.front().peerCountsOnly->channels, 1);
    }

    void realBboltFixture()
    {
        // tests/data/gotd/gotd-bbolt-botapi.db was written by the real go.etcd.io/bbolt (README there).
        const QJsonObject expected = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("gotd/botapi.json")))).object();
        const Source src = Source::fromPath(dataPath(QStringLiteral("gotd/gotd-bbolt-botapi.db")));
        const QByteArray before = fileSha256(src.path);
        auto det = Registry::instance().detect(src);
        QVERIFY(det);
        QCOMPARE((*det)->id(), QStringLiteral("gotd-bbolt"));
        auto store = bboltFormat().read(src, ReadOptions{});
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        const Session &s = store->accounts.front();
        QCOMPARE(s.dcId, expected.value(QStringLiteral("dc")).toInt());
        QCOMPARE(s.primary()->authKeyId(), expected.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(QString::number(*s.primary()->salt), expected.value(QStringLiteral("salt")).toString());
        QVERIFY(s.updateState);
        QCOMPARE(*s.updateState->pts, expected.value(QStringLiteral("pts")).toInteger());
        const QJsonArray peers = expected.value(QStringLiteral("peers")).toArray();
        QCOMPARE(s.peers.size(), std::size_t(peers.size()));
        QMap<QPair<QString, qint64>, qint64> got;
        for (const Peer &p : s.peers)
            got.insert({peerKindName(p.kind()), p.id}, *p.accessHash);
        for (const QJsonValue &v : peers) {
            const QJsonObject o = v.toObject();
            const auto k = qMakePair(o.value(QStringLiteral("kind")).toString(), o.value(QStringLiteral("id")).toString().toLongLong());
            QVERIFY(got.contains(k));
            QCOMPARE(QString::number(got.value(k)), o.value(QStringLiteral("hash")).toString());
        }
        QCOMPARE(fileSha256(src.path), before); // read-only
        const CliRun cli = runCli({QStringLiteral("inspect"), src.path, QStringLiteral("--json")});
        QCOMPARE(cli.exitCode, 0);
        const QJsonObject acc = cli.json().object().value(QStringLiteral("accounts")).toArray().at(0).toObject();
        QCOMPARE(acc.value(QStringLiteral("auth_key_id")).toString(), expected.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(acc.value(QStringLiteral("peers")).toObject().value(QStringLiteral("total")).toInt(), peers.size());
    }

    void newerMetaWins()
    {
        const QByteArray key = crypto::randomBytes(256);
        QByteArray file = handBuilt(key, 10, 3);
        // Meta 0 (txid 10) points at page 3; make meta 1 (txid 3) point at a bogus root: unused.
        QByteArray m1 = meta(1, 6, 8, 3);
        file.replace(kPage, kPage, m1);
        auto r = bbolt::Reader::open(file);
        QVERIFY(r);
        QCOMPARE(r->txid(), quint64(10));
        QVERIFY(r->hasBucket("session_"));
        // A damaged meta 0 falls back to meta 1.
        QByteArray bad = handBuilt(key, 10, 3);
        bad[20] = static_cast<char>(bad[20] ^ 0xFF); // checksum no longer matches
        auto r2 = bbolt::Reader::open(bad);
        QVERIFY(r2);
        QCOMPARE(r2->txid(), quint64(3));
    }

    void corruptPagesAreRejected()
    {
        const QByteArray key = crypto::randomBytes(256);
        const QByteArray good = handBuilt(key);
        auto expectFail = [](const QByteArray &f, const char *what) {
            auto r = bbolt::Reader::open(f);
            if (!r)
                return;
            auto e = r->entries({"hashes_users_"});
            QVERIFY2(!e, what);
        };
        // Both metas broken: not a bbolt file.
        QByteArray noMeta = good;
        noMeta[16] = 0;
        noMeta[kPage + 16] = 0;
        QVERIFY(!bbolt::Reader::open(noMeta));
        // A branch that points to itself (cycle) and one that points past the high-water mark.
        QByteArray cycle = good;
        cycle.replace(4 * kPage, kPage, branch(4, {{i64(100), 4}}));
        expectFail(cycle, "cycle");
        // Two references to the same leaf (a DAG instead of a tree): refused, so that a hostile
        // file cannot make the walker copy one big page thousands of times.
        QByteArray shared = good;
        shared.replace(4 * kPage, kPage, branch(4, {{i64(100), 5}, {i64(300), 5}}));
        expectFail(shared, "shared page");
        // Overlapping leaf elements (all pointing at the same bytes).
        QByteArray overlap = good;
        overlap.replace(5 * kPage, kPage, leaf(5, {{i64(100), i64(1)}, {i64(200), i64(2)}}));
        le32(overlap, 5 * kPage + 16 + 16 + 4, 16); // element 1 starts where element 0 does
        le32(overlap, 5 * kPage + 16 + 16 + 8, kPage - 64);
        le32(overlap, 5 * kPage + 16 + 8, kPage - 64);       // element 0 spans the same bytes
        expectFail(overlap, "overlap");
        QByteArray far = good;
        far.replace(4 * kPage, kPage, branch(4, {{i64(100), 999999}}));
        expectFail(far, "out of range");
        // A leaf element whose key runs past its page.
        QByteArray pos = good;
        le32(pos, 5 * kPage + 16 + 4, 0x7FFFFFF0);
        expectFail(pos, "element position");
        // A huge overflow count.
        QByteArray ovf = good;
        le32(ovf, 5 * kPage + 12, 0xFFFFFFFF);
        expectFail(ovf, "overflow");
        // A page whose id does not match its position.
        QByteArray id = good;
        le64(id, 6 * kPage, 77);
        expectFail(id, "page id");
        // An element count larger than the page.
        QByteArray count = good;
        le16(count, 5 * kPage + 10, 0xFFFF);
        expectFail(count, "count");
        // The format reports these as bad input (exit 3), never a crash.
        QTemporaryDir tmp;
        const QString p = writeTemp(tmp, cycle);
        auto r = bboltFormat().read(Source::fromPath(p), ReadOptions{});
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::BadInput);
        QCOMPARE(runCli({QStringLiteral("inspect"), p}).exitCode, 3);
    }

    void fuzzNoCrash()
    {
        const QByteArray good = handBuilt(crypto::randomBytes(256));
        auto *rng = QRandomGenerator::global();
        for (int n = 0; n < good.size(); n += 509)
            if (auto r = bbolt::Reader::open(good.left(n)))
                (void)r->entries({"hashes_users_"});
        int opened = 0;
        for (int i = 0; i < 3000; ++i) {
            QByteArray m = good;
            const int flips = 1 + rng->bounded(8);
            for (int k = 0; k < flips; ++k) {
                // Aim at the interesting bytes: page headers and element tables.
                const int page = 3 + rng->bounded(5);
                const int off = page * kPage + rng->bounded(96);
                m[off] = static_cast<char>(rng->bounded(256));
            }
            auto r = bbolt::Reader::open(m);
            if (!r)
                continue;
            ++opened;
            for (const char *b : {"session_", "state_", "hashes_users_", "hashes_channel_", "nope"})
                (void)r->entries({QByteArray(b)});
        }
        QVERIFY(opened > 0);
    }

    void writerRoundTrip()
    {
        QTemporaryDir tmp;
        Store in;
        Session s;
        s.dcId = 2;
        DcAuth &d = s.upsertDc(2);
        d.authKey = SecretBytes::fromByteArray(crypto::randomBytes(256));
        d.salt = -42;
        UpdateState us;
        us.pts = 10;
        us.qts = 0;
        us.date = 1700000001;
        us.seq = 3;
        us.channelPts.insert(1234567890123LL, 555);
        s.updateState = us;
        // Enough peers for several leaf pages under a branch page.
        for (int i = 1; i <= 5000; ++i) {
            Peer p;
            p.id = i;
            p.type = i % 3 == 0 ? PeerType::Channel : i % 3 == 1 ? PeerType::User : PeerType::Chat;
            p.accessHash = qint64(i) * -1000003LL;
            s.peers.push_back(p);
        }
        in.accounts.push_back(s);
        const QString out = tmp.filePath(QStringLiteral("state.bbolt"));
        auto st = bboltFormat().write(in, out, WriteOptions{});
        QVERIFY2(st, qPrintable(st ? QString() : st.error().message));
        QCOMPARE(fileMode(out), 0600);
        auto back = bboltFormat().read(Source::fromPath(out), ReadOptions{});
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        const Session &b = back->accounts.front();
        QVERIFY(b.primary()->authKey == d.authKey);
        QCOMPARE(b.primary()->salt, std::optional<qint64>(-42));
        QVERIFY(b.updateState);
        QCOMPARE(b.updateState->pts, us.pts);
        QCOMPARE(b.updateState->date, us.date);
        QCOMPARE(b.updateState->channelPts.value(1234567890123LL), qint64(555));
        QCOMPARE(b.peers.size(), std::size_t(5000));
        QMap<qint64, qint64> got;
        for (const Peer &p : b.peers)
            got.insert(p.markedId(), *p.accessHash);
        for (const Peer &p : s.peers)
            QCOMPARE(got.value(p.markedId()), *p.accessHash);
        // The hand-written layout rules hold for the writer's output too: meta checksum.
        const QByteArray raw = readAll(out);
        QCOMPARE(qFromLittleEndian<quint64>(raw.constData() + 72), fnv(raw.mid(16, 56)));
        QCOMPARE(raw.size() % kPage, 0);
        QVERIFY(!bboltFormat().write(in, out, WriteOptions{}));
    }

    void nestedTreesRoundTrip()
    {
        // A tree with inline and paged nested buckets, sequences, an empty bucket, keys and buckets
        // interleaved in byte order, and the writer's own flat buckets beside it.
        bbolt::Tree app;
        app.name = "myapp";
        app.sequence = 3;
        app.values.insert("b-config", "{}");
        app.values.insert(QByteArray("\x00\xff", 2), QByteArray(5000, 'x')); // overflow page
        bbolt::Tree inner{"a-inner", 1, {{"k", "v"}}, {}};
        bbolt::Tree deeper{"deeper", 7, {}, {}};
        for (int i = 0; i < 600; ++i)
            deeper.values.insert(QByteArray::number(100000 + i), QByteArray(40, char('a' + i % 26)));
        inner.buckets.push_back(deeper);
        app.buckets.push_back(inner);
        app.buckets.push_back(bbolt::Tree{"c-empty", 0, {}, {}});
        QMap<QByteArray, bbolt::Bucket> flat;
        flat["session_"].insert("x", "y");
        const QByteArray file = bbolt::write(flat, {app});
        auto r = bbolt::Reader::open(file);
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        auto top = r->entries({});
        QVERIFY(top);
        QCOMPARE(top->size(), std::size_t(2));
        QCOMPARE(top->at(0).key, QByteArray("myapp"));
        QCOMPARE(qFromLittleEndian<quint64>(top->at(0).value.constData() + 8), quint64(3));
        auto back = r->tree({"myapp"});
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(back->values, app.values);
        QCOMPARE(back->buckets.size(), std::size_t(2));
        QCOMPARE(back->buckets[0].name, QByteArray("a-inner"));
        QCOMPARE(back->buckets[0].sequence, quint64(1));
        QCOMPARE(back->buckets[0].values, inner.values);
        QCOMPARE(back->buckets[0].buckets.size(), std::size_t(1));
        QCOMPARE(back->buckets[0].buckets[0].sequence, quint64(7));
        QCOMPARE(back->buckets[0].buckets[0].values, deeper.values);
        QCOMPARE(back->buckets[1].name, QByteArray("c-empty"));
        QVERIFY(back->buckets[1].values.isEmpty());
        QCOMPARE(r->entries({"session_"})->size(), std::size_t(1));

        // Nesting deeper than kMaxTreeDepth is an error, not a stack of recursion.
        bbolt::Tree chain{"l0", 0, {}, {}};
        bbolt::Tree *tip = &chain;
        for (int i = 1; i <= bbolt::kMaxTreeDepth + 2; ++i) {
            tip->buckets.push_back(bbolt::Tree{"l" + QByteArray::number(i), 0, {}, {}});
            tip = &tip->buckets.back();
        }
        auto deep = bbolt::Reader::open(bbolt::write({}, {chain}));
        QVERIFY(deep);
        QVERIFY(!deep->tree({"l0"}));
    }
};

QTEST_GUILESS_MAIN(TestBbolt)
#include "tst_bbolt.moc"
