// mtcute-sqlite: the fixture made by @mtcute/node reads with the values its JSON records; reading
// never changes the file (also with an un-checkpointed WAL); SQL peer queries agree with in-memory
// filtering; writing is atomic, private, refuses to overwrite, and round-trips losslessly.
#include "testutil.h"

#include "format/peertable.h"
#include "format/registry.h"
#include "formats/mtcute/mtcute-tl.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {
QJsonObject fixtureJson() { return QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("mtcute/basic.json")))).object(); }
QString fixturePath() { return dataPath(QStringLiteral("mtcute/basic.sqlite")); }

bool runPython(const QString &script, QString *err)
{
    QProcess p;
    p.start(QStringLiteral("python3"), {QStringLiteral("-c"), script});
    if (!p.waitForFinished(30000)) {
        *err = QStringLiteral("python3 timed out");
        return false;
    }
    *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TestMtcuteSqlite : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsFixture()
    {
        const QJsonObject j = fixtureJson();
        const QByteArray before = fileSha256(fixturePath());
        auto store = sdtest::format("mtcute-sqlite").read(Source::fromPath(fixturePath()), ReadOptions{});
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        QCOMPARE(store->accounts.size(), size_t(1));
        const Session &s = store->accounts.front();
        const SecretBytes key = SecretBytes::fromByteArray(hexToBytes(j.value(QStringLiteral("authKeyHex")).toString()));
        QCOMPARE(key.size(), size_t(256));
        QVERIFY(s.primary());
        QCOMPARE(s.primary()->authKeyId(), authKeyId(key));
        QVERIFY(s.primary()->authKey == key);
        QCOMPARE(s.dcId, j.value(QStringLiteral("dc")).toInt());
        QCOMPARE(s.userId.value_or(-1), j.value(QStringLiteral("userId")).toInteger());
        QCOMPARE(s.isBot.value_or(true), false);
        QCOMPARE(s.testMode.value_or(true), false);
        QVERIFY(!s.primary()->address.isEmpty());
        QVERIFY(s.mediaDcId.has_value());

        PeerCounts expected;
        const QJsonArray peers = j.value(QStringLiteral("peers")).toArray();
        for (const QJsonValue &v : peers)
            expected.add(*peerKindFromName(v.toObject().value(QStringLiteral("type")).toString()));
        const PeerCounts got = s.peerCounts();
        QCOMPARE(got.users, expected.users);
        QCOMPARE(got.chats, expected.chats);
        QCOMPARE(got.channels, expected.channels);
        QVERIFY(got.total() > 0);
        for (const QJsonValue &v : peers) {
            const QJsonObject o = v.toObject();
            const PeerKind kind = *peerKindFromName(o.value(QStringLiteral("type")).toString());
            const qint64 bare = o.value(QStringLiteral("id")).toInteger();
            const Peer *p = findPeer(s, markedId(bare, kind));
            QVERIFY2(p, qPrintable(QString::number(bare)));
            QCOMPARE(p->id, bare);
            QCOMPARE(p->kind(), kind);
            QCOMPARE(p->accessHash.value_or(0), o.value(QStringLiteral("hash")).toString().toLongLong());
            const QJsonValue u = o.value(QStringLiteral("username"));
            QCOMPARE(p->username().value_or(QString()), u.isString() ? u.toString() : QString());
            QVERIFY(p->updated.has_value());
            QVERIFY(*p->updated > 1600000000 && *p->updated < 4000000000); // seconds, not ms
            QCOMPARE(p->rawFormat, QStringLiteral("mtcute-sqlite"));
            QVERIFY(!p->raw.isEmpty());
        }
        QCOMPARE(fileSha256(fixturePath()), before);
    }
    void detectsBySchema()
    {
        auto d = Registry::instance().detect(Source::fromPath(fixturePath()));
        QVERIFY(d.ok());
        QCOMPARE((*d)->id(), QStringLiteral("mtcute-sqlite"));
    }
    void countsOnlyWithoutLoadingPeers()
    {
        ReadOptions o;
        o.loadPeers = false;
        auto lazy = sdtest::format("mtcute-sqlite").read(Source::fromPath(fixturePath()), o);
        auto full = sdtest::format("mtcute-sqlite").read(Source::fromPath(fixturePath()), ReadOptions{});
        QVERIFY(lazy.ok() && full.ok());
        const Session &s = lazy->accounts.front();
        QVERIFY(s.peers.empty());
        QVERIFY(s.peerCountsOnly.has_value());
        QCOMPARE(s.peerCountsOnly->users, full->accounts.front().peerCounts().users);
        QCOMPARE(s.peerCountsOnly->channels, full->accounts.front().peerCounts().channels);
        QCOMPARE(s.peerCountsOnly->total(), qint64(full->accounts.front().peers.size()));
    }
    void sqlQueriesMatchMemory()
    {
        auto full = sdtest::format("mtcute-sqlite").read(Source::fromPath(fixturePath()), ReadOptions{});
        QVERIFY(full.ok());
        const std::vector<Peer> &all = full->accounts.front().peers;
        int named = 0;
        for (const Peer &p : all)
            named += p.name ? 1 : 0;
        QCOMPARE(named, int(all.size())); // every fixture peer has a name in its complete blob
        const QStringList searches = {QString(), QStringLiteral("mtu1"), QStringLiteral("MTC"), QStringLiteral("1500000002"),
                                      QStringLiteral("-1001500000001"), QStringLiteral("79000000005"), QStringLiteral("nomatch%_"),
                                      QStringLiteral("f1"), QStringLiteral("chan")}; // names live in the TL blob
        const QString differs = sqlSearchDiffersFromMemory(sdtest::format("mtcute-sqlite"), fixturePath(), all, searches);
        QVERIFY2(differs.isEmpty(), qPrintable(differs));
        PeerQuery paged;
        paged.kind = PeerKind::User;
        paged.limit = 5;
        paged.offset = 3;
        auto page = sdtest::format("mtcute-sqlite").queryPeers(Source::fromPath(fixturePath()), paged, ReadOptions{});
        QVERIFY(page.ok());
        QCOMPARE(page->size(), size_t(5));
        QCOMPARE(page->front().id, Q_INT64_C(1003));

        auto table = sdtest::format("mtcute-sqlite").openPeerTable(Source::fromPath(fixturePath()), ReadOptions{}, 0);
        QVERIFY(table.ok());
        MemoryPeerTable mem(all);
        for (PeerSortColumn col : {PeerSortColumn::Default, PeerSortColumn::Id, PeerSortColumn::Username,
                                   PeerSortColumn::AccessHash, PeerSortColumn::Type, PeerSortColumn::Name}) {
            PeerPageQuery pq;
            pq.sort = col;
            pq.descending = true;
            QCOMPARE((*table)->count(pq).value(), mem.count(pq).value());
            auto a = (*table)->fetch(pq, 0, -1);
            QVERIFY(a.ok());
            QCOMPARE(a->size(), all.size());
            for (size_t i = 1; i < a->size(); ++i)
                QVERIFY2(!peerLess((*a)[i - 1], (*a)[i], col), qPrintable(QStringLiteral("column %1 row %2").arg(int(col)).arg(i)));
        }
        PeerPageQuery chans;
        chans.filter.kind = PeerKind::Channel;
        QCOMPARE((*table)->count(chans).value(), qint64(4));
        auto two = (*table)->fetch(chans, 1, 2);
        QVERIFY(two.ok());
        QCOMPARE(two->size(), size_t(2));
    }
    void walSnapshotLeavesInputUntouched()
    {
        QTemporaryDir dir;
        const QString path = copyTo(fixturePath(), dir.path());
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const QString script = QStringLiteral(
            "import sqlite3, os\n"
            "c = sqlite3.connect(%1)\n"
            "c.execute('PRAGMA journal_mode=WAL')\n"
            "c.execute('PRAGMA wal_autocheckpoint=0')\n"
            "c.execute(\"INSERT INTO peers (id, hash, usernames, updated, phone, complete, isMin) VALUES (4242, '1|2', '[\\\"walpeer\\\"]', 1700000000000, NULL, NULL, 0)\")\n"
            "c.commit()\n"
            "os._exit(0)\n").arg(QStringLiteral("'%1'").arg(path));
        QString err;
        if (!runPython(script, &err))
            QSKIP(qPrintable(QStringLiteral("python3 with sqlite3 is needed to make a WAL file: ") + err));
        QVERIFY(QFileInfo::exists(path + QStringLiteral("-wal")));
        QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);
        const QByteArray mainSum = fileSha256(path), walSum = fileSha256(path + QStringLiteral("-wal"));
        const QByteArray shmSum = fileSha256(path + QStringLiteral("-shm"));
        auto store = sdtest::format("mtcute-sqlite").read(Source::fromPath(path), ReadOptions{});
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        const Peer *p = findPeer(store->accounts.front(), 4242);
        QVERIFY2(p, "the row that lives only in the -wal file is read");
        QCOMPARE(p->accessHash.value_or(0), (Q_INT64_C(2) << 32) | 1);
        QCOMPARE(p->username().value_or(QString()), QStringLiteral("walpeer"));
        QCOMPARE(p->updated.value_or(0), Q_INT64_C(1700000000));
        auto q = sdtest::format("mtcute-sqlite").queryPeers(Source::fromPath(path), PeerQuery{std::nullopt, QStringLiteral("walpeer"), -1, 0}, ReadOptions{});
        QVERIFY(q.ok());
        QCOMPARE(q->size(), size_t(1));
        QCOMPARE(fileSha256(path), mainSum);
        QCOMPARE(fileSha256(path + QStringLiteral("-wal")), walSum);
        QCOMPARE(fileSha256(path + QStringLiteral("-shm")), shmSum);
    }
    void writeRoundTripIsLossless()
    {
        auto a = sdtest::format("mtcute-sqlite").read(Source::fromPath(fixturePath()), ReadOptions{});
        QVERIFY(a.ok());
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("copy.session"));
        QVERIFY(sdtest::format("mtcute-sqlite").write(*a, out, WriteOptions{}).ok());
        QCOMPARE(fileMode(out), 0600);
        auto b = sdtest::format("mtcute-sqlite").read(Source::fromPath(out), ReadOptions{});
        QVERIFY(b.ok());
        const Session &x = a->accounts.front(), &y = b->accounts.front();
        QCOMPARE(y.dcId, x.dcId);
        QCOMPARE(y.userId, x.userId);
        QCOMPARE(y.isBot, x.isBot);
        QCOMPARE(y.testMode, x.testMode);
        QCOMPARE(y.mediaDcId, x.mediaDcId);
        QCOMPARE(y.dcs.size(), x.dcs.size());
        for (size_t i = 0; i < x.dcs.size(); ++i) {
            QCOMPARE(y.dcs[i].dcId, x.dcs[i].dcId);
            QCOMPARE(y.dcs[i].address, x.dcs[i].address);
            QCOMPARE(y.dcs[i].port, x.dcs[i].port);
            QCOMPARE(y.dcs[i].mediaOnly, x.dcs[i].mediaOnly);
            QVERIFY(y.dcs[i].authKey == x.dcs[i].authKey);
            QCOMPARE(y.dcs[i].extra, x.dcs[i].extra);
        }
        QCOMPARE(y.peers.size(), x.peers.size());
        for (size_t i = 0; i < x.peers.size(); ++i) {
            const Peer &p = x.peers[i], &q = y.peers[i];
            QCOMPARE(q.markedId(), p.markedId());
            QCOMPARE(q.type, p.type);
            QCOMPARE(q.accessHash, p.accessHash);
            QCOMPARE(q.usernames, p.usernames);
            QCOMPARE(q.phone, p.phone);
            QCOMPARE(q.name, p.name);
            QCOMPARE(q.raw, p.raw);
            QCOMPARE(q.extra, p.extra);
            QCOMPARE(q.isMin, p.isMin);
        }
        QCOMPARE(y.extra, x.extra);
        // Refuses to overwrite without force; force replaces.
        const QByteArray sum = fileSha256(out);
        auto again = sdtest::format("mtcute-sqlite").write(*a, out, WriteOptions{});
        QVERIFY(!again.ok());
        QCOMPARE(again.error().exitCode(), 5);
        QCOMPARE(fileSha256(out), sum);
        WriteOptions force;
        force.force = true;
        QVERIFY(sdtest::format("mtcute-sqlite").write(*a, out, force).ok());
    }
    void writesEverythingTheFormatCarries()
    {
        Store st;
        Session s;
        s.dcId = 2;
        s.testMode = false;
        s.userId = Q_INT64_C(6000000001);
        s.isBot = true;
        s.username = QStringLiteral("SomeBot");
        const SecretBytes mainKey = SecretBytes::random(256), tempKey = SecretBytes::random(256);
        {
            DcAuth &d = s.upsertDc(2);
            d.address = QStringLiteral("149.154.167.51");
            d.port = 443;
            d.authKey = mainKey;
        }
        s.upsertDc(4).authKey = SecretBytes::random(256);
        {
            DcAuth &m = s.upsertDc(2, true);
            m.address = QStringLiteral("149.154.167.222");
            m.port = 443;
        }
        s.mediaDcId = 2;
        {
            DcAuth &t = s.upsertDc(2, false, true);
            t.authKey = tempKey;
            t.expiresAt = 1800000000;
        }
        UpdateState us;
        us.pts = 100;
        us.qts = -5;
        us.date = 1700000123;
        us.seq = 7;
        us.channelPts.insert(Q_INT64_C(1234567890), 4000000000LL);
        s.updateState = us;
        Peer chat;
        chat.id = 555;
        chat.type = PeerType::Chat;
        chat.updated = 1700000001;
        Peer chan;
        chan.id = 1234567890;
        chan.type = PeerType::Channel;
        chan.accessHash = std::numeric_limits<qint64>::min();
        chan.usernames = {QStringLiteral("Chan"), QStringLiteral("other")};
        Peer user;
        user.id = 8000000000;
        user.accessHash = -1;
        user.phone = QStringLiteral("79001234567");
        user.isMin = true;
        s.peers = {chat, chan, user};
        st.accounts.push_back(s);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("new.session"));
        auto w = sdtest::format("mtcute-sqlite").write(st, out, WriteOptions{});
        QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().message));
        auto r = sdtest::format("mtcute-sqlite").read(Source::fromPath(out), ReadOptions{});
        QVERIFY(r.ok());
        const Session &y = r->accounts.front();
        QCOMPARE(y.dcId, 2);
        QCOMPARE(y.userId.value_or(0), Q_INT64_C(6000000001));
        QCOMPARE(y.isBot.value_or(false), true);
        QCOMPARE(y.username.value_or(QString()), QStringLiteral("SomeBot"));
        QCOMPARE(y.primary()->address, QStringLiteral("149.154.167.51"));
        QVERIFY(y.primary()->authKey == mainKey);
        int temps = 0, keyed = 0;
        for (const DcAuth &e : y.dcs) {
            if (e.isTemp) {
                ++temps;
                QVERIFY(e.authKey == tempKey);
                QCOMPARE(e.expiresAt.value_or(0), Q_INT64_C(1800000000));
            } else if (!e.authKey.isEmpty()) {
                ++keyed;
            }
            if (e.mediaOnly)
                QCOMPARE(e.address, QStringLiteral("149.154.167.222"));
        }
        QCOMPARE(temps, 1);
        QCOMPARE(keyed, 2);
        QVERIFY(y.updateState.has_value());
        QCOMPARE(y.updateState->pts.value_or(0), 100);
        QCOMPARE(y.updateState->qts.value_or(0), -5);
        QCOMPARE(y.updateState->date.value_or(0), 1700000123);
        QCOMPARE(y.updateState->seq.value_or(0), 7);
        QCOMPARE(y.updateState->channelPts.value(Q_INT64_C(1234567890)), 4000000000LL);
        QCOMPARE(y.peers.size(), size_t(3));
        const Peer *c = findPeer(y, -555);
        QVERIFY(c && !c->accessHash && c->updated.value_or(0) == 1700000001);
        const Peer *ch = findPeer(y, markedId(1234567890, PeerKind::Channel));
        QVERIFY(ch);
        QCOMPARE(ch->accessHash.value_or(0), std::numeric_limits<qint64>::min());
        QCOMPARE(ch->usernames, QStringList({QStringLiteral("chan"), QStringLiteral("other")}));
        const Peer *u = findPeer(y, 8000000000);
        QVERIFY(u && u->isMin && u->accessHash == -1 && u->phone == QStringLiteral("79001234567"));
    }
    void communitiesShowAsCommunities()
    {
        // Layer 228 communities (docs/formats.md 4.1): channel-marked id and hash, `complete` holding
        // the community / communityForbidden constructor. peers and the reader call them communities.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("communities.sqlite"));
        QVERIFY(QFile::copy(fixturePath(), path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        QString err;
        QVERIFY2(runPython(QStringLiteral(
                               "import sqlite3\nc=sqlite3.connect(%1)\n"
                               "c.execute(\"INSERT INTO peers (id, hash, usernames, updated, phone, complete, isMin) VALUES "
                               "(-1002900000001, '5|0', '[]', 1760000000000, NULL, x'54e9ef65000000000100000000', 0)\")\n"
                               "c.execute(\"INSERT INTO peers (id, hash, usernames, updated, phone, complete, isMin) VALUES "
                               "(-1002900000002, '6|0', '[]', 1760000000000, NULL, x'b8da3cfd0000000002000000', 0)\")\n"
                               "c.commit()\n")
                               .arg(QStringLiteral("'") + path + QStringLiteral("'")),
                           &err),
                 qPrintable(err));
        const CliRun r = runCli({QStringLiteral("peers"), path, QStringLiteral("--type"), QStringLiteral("channel"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QMap<qint64, QString> subtype;
        for (const QJsonValue &v : r.json().array())
            subtype.insert(v.toObject().value(QStringLiteral("marked_id")).toInteger(), v.toObject().value(QStringLiteral("subtype")).toString());
        QCOMPARE(subtype.value(Q_INT64_C(-1002900000001)), QStringLiteral("community"));
        QCOMPARE(subtype.value(Q_INT64_C(-1002900000002)), QStringLiteral("community"));
        // The fixture's ordinary channels stay channels or supergroups.
        for (auto it = subtype.cbegin(); it != subtype.cend(); ++it)
            if (it.key() > Q_INT64_C(-1002900000000) || it.key() < Q_INT64_C(-1002900000002))
                QVERIFY2(it.value() != QLatin1String("community"), qPrintable(QString::number(it.key())));
        // Read in memory: still channel-kind peers (their ids and hashes are channels'), named communities.
        auto st = sdtest::format("mtcute-sqlite").read(Source::fromPath(path), ReadOptions{});
        QVERIFY(st.ok());
        const Peer *p = findPeer(st->accounts.front(), Q_INT64_C(-1002900000001));
        QVERIFY(p);
        QCOMPARE(p->kind(), PeerKind::Channel);
        QCOMPARE(peerSubtypeName(*p), QStringLiteral("community"));
        QCOMPARE(p->accessHash, std::optional<qint64>(5));
    }

    void fastHashEncoding()
    {
        QCOMPARE(mtcute::toFastHash(Q_INT64_C(-5871324528427186745)), QStringLiteral("-233880121|-1367024270"));
        QCOMPARE(mtcute::parseFastHash(QStringLiteral("-233880121|-1367024270")).value_or(0), Q_INT64_C(-5871324528427186745));
        QCOMPARE(mtcute::parseFastHash(QStringLiteral("1|0")).value_or(0), 1);
        QVERIFY(!mtcute::parseFastHash(QString()).has_value());
        QVERIFY(!mtcute::parseFastHash(QStringLiteral("1|2|3")).has_value());
        QVERIFY(!mtcute::parseFastHash(QStringLiteral("x|2")).has_value());
    }
    void corruptInputIsBadInput()
    {
        QTemporaryDir dir;
        const QString path = copyTo(fixturePath(), dir.path());
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QString err;
        if (!runPython(QStringLiteral("import sqlite3\nc = sqlite3.connect('%1')\nc.execute(\"UPDATE key_value SET value = x'09' WHERE key = 'dc_main'\")\nc.commit()\n").arg(path), &err))
            QSKIP("python3 with sqlite3 is needed");
        auto r = sdtest::format("mtcute-sqlite").read(Source::fromPath(path), ReadOptions{});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().exitCode(), 3);
        const QString junk = dir.filePath(QStringLiteral("junk.session"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        auto j = sdtest::format("mtcute-sqlite").read(Source::fromPath(junk), ReadOptions{});
        QVERIFY(!j.ok());
        QCOMPARE(j.error().exitCode(), 3);
    }
};

QTEST_GUILESS_MAIN(TestMtcuteSqlite)
#include "tst_mtcutesqlite.moc"
