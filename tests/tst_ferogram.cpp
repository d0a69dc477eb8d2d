// ferogram formats (formats.md 8.1-8.3): the binary session (versions 1-8 read, 8 written), the
// "native" string (base64url of the binary) and the compact V1/V2 strings. No fixtures from the real
// ferogram exist here: every vector is built in this file, field by field, from the version table
// of formats.md 8.1 (little-endian) and the compact table of 8.3 (big-endian).
#include "convert/convert.h"
#include "format/registry.h"
#include "formats/ferogram/ferogram-codec.h"
#include "testutil.h"
#include "util/ipaddress.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

QByteArray testKey(int seed)
{
    QByteArray k(256, '\0');
    for (int i = 0; i < 256; ++i)
        k[i] = static_cast<char>((i * 13 + seed * 101 + 5) & 0xff);
    return k;
}
QString keyIdHex(const QByteArray &key)
{
    return QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha1).mid(12, 8).toHex());
}

// Little-endian / big-endian appenders (independent of core's ByteWriter).
struct Buf {
    QByteArray b;
    Buf &le(quint64 v, int n)
    {
        for (int i = 0; i < n; ++i)
            b.append(static_cast<char>((v >> (8 * i)) & 0xff));
        return *this;
    }
    Buf &be(quint64 v, int n)
    {
        for (int i = n - 1; i >= 0; --i)
            b.append(static_cast<char>((v >> (8 * i)) & 0xff));
        return *this;
    }
    Buf &raw(const QByteArray &x)
    {
        b.append(x);
        return *this;
    }
};

struct TDc {
    int dc;
    QByteArray key; // empty = has_key 0
    qint64 salt;
    qint32 offset;
    QByteArray addr;
    quint8 flags;
};
struct TPeer {
    qint64 id;
    qint64 hash;
    quint8 type;
    quint8 kind;      // v6+
    quint8 community; // v8
};
struct TMin {
    qint64 user, peer;
    qint32 msg;
};
struct TSession {
    int home = 2;
    QList<TDc> dcs;
    qint32 pts = 0, qts = 0, date = 0, seq = 0;
    QList<QPair<qint64, qint32>> channels;
    QList<TPeer> peers;
    QList<TMin> mins;
    QByteArray token; // empty = none
};

// formats.md 8.1, field by field, per version.
QByteArray buildBinary(int v, const TSession &s)
{
    Buf w;
    if (v >= 2)
        w.le(static_cast<quint64>(v), 1);
    w.le(static_cast<quint32>(s.home), 4).le(static_cast<quint64>(s.dcs.size()), 1);
    for (const TDc &d : s.dcs) {
        w.le(static_cast<quint32>(d.dc), 4);
        if (d.key.isEmpty())
            w.le(0, 1);
        else
            w.le(1, 1).raw(d.key);
        w.le(static_cast<quint64>(d.salt), 8).le(static_cast<quint32>(d.offset), 4).le(static_cast<quint64>(d.addr.size()), 1).raw(d.addr);
        if (v >= 3)
            w.le(d.flags, 1);
    }
    if (v >= 2) {
        w.le(static_cast<quint32>(s.pts), 4).le(static_cast<quint32>(s.qts), 4).le(static_cast<quint32>(s.date), 4).le(static_cast<quint32>(s.seq), 4);
        w.le(static_cast<quint64>(s.channels.size()), 2);
        for (const auto &c : s.channels)
            w.le(static_cast<quint64>(c.first), 8).le(static_cast<quint32>(c.second), 4);
        w.le(static_cast<quint64>(s.peers.size()), 2);
        for (const TPeer &p : s.peers) {
            w.le(static_cast<quint64>(p.id), 8).le(static_cast<quint64>(p.hash), 8).le(p.type, 1);
            if (v >= 6)
                w.le(p.kind, 1);
            if (v >= 8)
                w.le(p.community, 1);
        }
    }
    if (v >= 4) {
        w.le(static_cast<quint64>(s.mins.size()), 2);
        for (const TMin &m : s.mins)
            w.le(static_cast<quint64>(m.user), 8).le(static_cast<quint64>(m.peer), 8).le(static_cast<quint32>(m.msg), 4);
    }
    if (v >= 7) {
        if (s.token.isEmpty())
            w.le(0, 1);
        else
            w.le(1, 1).le(static_cast<quint64>(s.token.size()), 2).raw(s.token);
    }
    return w.b;
}

// A session that uses every field a version can carry.
TSession sample(int v)
{
    TSession s;
    s.home = v == 1 ? 1 : 2; // a v1 file is only recognizable with home DC 1 (8.1)
    s.dcs << TDc{s.home, testKey(v), -0x1122334455667788LL, -3, s.home == 1 ? "149.154.175.53:443" : "149.154.167.51:443", 0};
    s.dcs << TDc{4, {}, 0, 0, "[2001:67c:4e8:f004::a]:443", static_cast<quint8>(v >= 3 ? 1 : 0)};
    if (v >= 3)
        s.dcs << TDc{2, testKey(v + 100), 77, 0, "149.154.167.151:443", 2 | 16}; // media-only + static
    s.pts = 1000 + v;
    s.qts = 7;
    s.date = 1700000000;
    s.seq = 42;
    s.channels << qMakePair(qint64(1234567890), qint32(555)) << qMakePair(qint64(2222222222LL), qint32(1));
    const quint8 none = 0xFF;
    s.peers << TPeer{1001, -42, 0, none, 0} << TPeer{1234567890, 987654321987LL, 1, static_cast<quint8>(v >= 6 ? 1 : none), 0}
            << TPeer{2222222222LL, std::numeric_limits<qint64>::min(), 1, static_cast<quint8>(v >= 6 ? 0 : none), static_cast<quint8>(v >= 8 ? 1 : 0)};
    if (v >= 5)
        s.peers << TPeer{333, 0, 2, none, 0};
    if (v >= 4)
        s.mins << TMin{1001, -1001234567890LL, 99};
    if (v >= 7)
        s.token = QByteArray("future-token-bytes");
    return s;
}

const Format &fmt(const char *id) { return *Registry::instance().find(QString::fromLatin1(id)); }

QString writeTemp(const QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    const QString p = dir.filePath(name);
    QFile f(p);
    if (f.open(QIODevice::WriteOnly))
        f.write(data);
    return p;
}

QString detectedId(const Source &src)
{
    auto d = Registry::instance().detect(src);
    return d ? (*d)->id() : QStringLiteral("error: ") + d.error().message;
}

// formats.md 8.3 compact payload (big-endian).
QByteArray buildCompact(int version, int dc, const QByteArray &ip, quint16 port, qint64 user, const QByteArray &key,
                        qint64 salt = 0, quint32 seq = 0, quint32 layer = 0)
{
    Buf w;
    w.be(static_cast<quint64>(version), 1).be(static_cast<quint64>(dc), 1).be(ip.size() == 4 ? 4 : 6, 1).raw(ip).be(port, 2).be(static_cast<quint64>(user), 8);
    if (version == 1)
        w.be(static_cast<quint64>(salt), 8).be(seq, 4).be(layer, 4);
    w.raw(key);
    return w.b;
}
QByteArray urlNoPad(const QByteArray &b) { return b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals); }

} // namespace

class TestFerogram : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyBinaryVersionDecodes_data()
    {
        QTest::addColumn<int>("version");
        for (int v = 1; v <= 8; ++v)
            QTest::addRow("v%d", v) << v;
    }
    void everyBinaryVersionDecodes()
    {
        QFETCH(int, version);
        const int v = version;
        const TSession t = sample(v);
        QTemporaryDir dir;
        const QString p = writeTemp(dir, QStringLiteral("session.bin"), buildBinary(v, t));
        QCOMPARE(detectedId(Source::fromPath(p)), QStringLiteral("ferogram-binary"));
        auto st = fmt("ferogram-binary").read(Source::fromPath(p), {});
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QCOMPARE(st->formatVersion, std::optional<int>(v));
        const Session &s = st->accounts.at(0);
        QCOMPARE(s.dcId, t.home);
        QCOMPARE(s.dcs.size(), static_cast<size_t>(t.dcs.size()));
        QCOMPARE(s.primary()->authKeyId(), keyIdHex(t.dcs[0].key));
        QCOMPARE(s.primary()->salt, std::optional<qint64>(-0x1122334455667788LL));
        QCOMPARE(s.primary()->port, 443);
        QCOMPARE(s.dcs[1].dcId, 4);
        QVERIFY(s.dcs[1].authKey.isEmpty());
        QVERIFY(s.dcs[1].ipv6);
        QCOMPARE(s.dcs[1].address, QStringLiteral("2001:67c:4e8:f004::a"));
        if (v >= 3) {
            QVERIFY(s.dcs[2].mediaOnly);
            QCOMPARE(s.dcs[2].authKeyId(), keyIdHex(testKey(v + 100)));
            QCOMPARE(s.dcs[2].address, QStringLiteral("149.154.167.151"));
        }
        if (v == 1) {
            QVERIFY(!s.updateState);
            QVERIFY(s.peers.empty());
            return;
        }
        QVERIFY(s.updateState);
        QCOMPARE(s.updateState->pts, std::optional<qint64>(1000 + v));
        QCOMPARE(s.updateState->qts, std::optional<qint64>(7));
        QCOMPARE(s.updateState->date, std::optional<qint64>(1700000000));
        QCOMPARE(s.updateState->seq, std::optional<qint64>(42));
        QCOMPARE(s.updateState->channelPts.value(1234567890), qint64(555));
        QCOMPARE(s.updateState->channelPts.value(2222222222LL), qint64(1));
        QCOMPARE(s.peers.size(), static_cast<size_t>(t.peers.size()));
        QCOMPARE(s.peers[0].type, PeerType::User);
        QCOMPARE(s.peers[0].accessHash, std::optional<qint64>(-42));
        QCOMPARE(s.peers[1].markedId(), qint64(-1001234567890LL));
        QCOMPARE(s.peers[1].accessHash, std::optional<qint64>(987654321987LL));
        QCOMPARE(s.peers[1].type, v >= 6 ? PeerType::Supergroup : PeerType::Channel);
        QCOMPARE(s.peers[2].accessHash, std::optional<qint64>(std::numeric_limits<qint64>::min()));
        QCOMPARE(s.peers[2].type, PeerType::Channel);
        QCOMPARE(s.peers[2].extra.value(QStringLiteral("ferogram_community")).toBool(), v >= 8);
        if (v >= 5) {
            QCOMPARE(s.peers[3].type, PeerType::Chat);
            QCOMPARE(s.peers[3].markedId(), qint64(-333));
        }
        QCOMPARE(s.extra.contains(QStringLiteral("ferogram_min_peers")), v >= 4);
        QCOMPARE(s.extra.value(QStringLiteral("ferogram_future_auth_token")).toByteArray(),
                 v >= 7 ? QByteArray("future-token-bytes") : QByteArray());
        // Counts only.
        ReadOptions fast;
        fast.loadPeers = false;
        auto c = fmt("ferogram-binary").read(Source::fromPath(p), fast);
        QVERIFY(c.ok());
        QCOMPARE(c->accounts[0].peerCountsOnly->total(), qint64(t.peers.size()));
    }

    void binaryV8WritesBackIdentically()
    {
        const QByteArray v8 = buildBinary(8, sample(8));
        QTemporaryDir dir;
        const QString in = writeTemp(dir, QStringLiteral("in.bin"), v8);
        auto st = fmt("ferogram-binary").read(Source::fromPath(in), {});
        QVERIFY(st.ok());
        const QString out = dir.filePath(QStringLiteral("out.bin"));
        QVERIFY(fmt("ferogram-binary").write(*st, out, {}).ok());
        QCOMPARE(readAll(out).toHex(), v8.toHex());
        QCOMPARE(fileMode(out), 0600);
        auto again = fmt("ferogram-binary").write(*st, out, {});
        QCOMPARE(again.error().kind, ErrorKind::Output);
        // Older versions are upgraded to 8 on write and keep every field they had.
        for (int v = 2; v < 8; ++v) {
            const QString p = writeTemp(dir, QStringLiteral("v%1.bin").arg(v), buildBinary(v, sample(v)));
            auto old = fmt("ferogram-binary").read(Source::fromPath(p), {});
            QVERIFY(old.ok());
            WriteOptions force;
            force.force = true;
            QVERIFY(fmt("ferogram-binary").write(*old, out, force).ok());
            auto up = fmt("ferogram-binary").read(Source::fromPath(out), {});
            QVERIFY(up.ok());
            QCOMPARE(up->formatVersion, std::optional<int>(8));
            QCOMPARE(up->accounts[0].peers.size(), old->accounts[0].peers.size());
            QCOMPARE(up->accounts[0].updateState->channelPts, old->accounts[0].updateState->channelPts);
            QCOMPARE(up->accounts[0].dcs.size(), old->accounts[0].dcs.size());
            for (size_t i = 0; i < up->accounts[0].peers.size(); ++i) {
                QCOMPARE(up->accounts[0].peers[i].markedId(), old->accounts[0].peers[i].markedId());
                QCOMPARE(up->accounts[0].peers[i].type, old->accounts[0].peers[i].type);
            }
        }
    }

    void sessionRoundTrip()
    {
        Session s;
        s.dcId = 4;
        DcAuth a;
        a.dcId = 4;
        a.address = QStringLiteral("149.154.167.91");
        a.port = 443;
        a.authKey = SecretBytes::fromByteArray(testKey(40));
        a.salt = 123456789012345LL;
        DcAuth b;
        b.dcId = 2;
        b.mediaOnly = true;
        b.address = QStringLiteral("2001:67c:4e8:f002::b");
        b.port = 443;
        b.ipv6 = true;
        b.authKey = SecretBytes::fromByteArray(testKey(41));
        s.dcs.push_back(a);
        s.dcs.push_back(b);
        s.upsertDc(5); // no key, no address: written with the default table's address
        UpdateState u;
        u.pts = 10;
        u.qts = 20;
        u.date = 1710000000;
        u.seq = 30;
        u.channelPts.insert(777, 888);
        s.updateState = u;
        auto peer = [](qint64 id, PeerType t, std::optional<qint64> h) {
            Peer p;
            p.id = id;
            p.type = t;
            p.accessHash = h;
            return p;
        };
        s.peers = {peer(1, PeerType::User, 11), peer(2, PeerType::Channel, 22), peer(3, PeerType::Supergroup, 33),
                   peer(4, PeerType::Chat, std::nullopt), peer(5, PeerType::Bot, -55)};
        Store store;
        store.accounts.push_back(s);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("s.bin"));
        QVERIFY(fmt("ferogram-binary").write(store, out, {}).ok());
        auto st = fmt("ferogram-binary").read(Source::fromPath(out), {});
        QVERIFY(st.ok());
        const Session &r = st->accounts[0];
        QCOMPARE(r.dcId, 4);
        QCOMPARE(r.dcs.size(), size_t(3));
        QCOMPARE(r.dcs[0].authKeyId(), a.authKeyId());
        QCOMPARE(r.dcs[0].salt, a.salt);
        QCOMPARE(r.dcs[0].address, a.address);
        QCOMPARE(r.dcs[1].dcId, 2);
        QVERIFY(r.dcs[1].mediaOnly);
        QVERIFY(r.dcs[1].ipv6);
        QCOMPARE(r.dcs[1].address, b.address);
        QCOMPARE(r.dcs[1].authKeyId(), b.authKeyId());
        QCOMPARE(r.dcs[2].dcId, 5);
        QCOMPARE(r.dcs[2].address, QStringLiteral("91.108.56.130"));
        QVERIFY(r.dcs[2].authKey.isEmpty());
        QCOMPARE(r.updateState->pts, u.pts);
        QCOMPARE(r.updateState->qts, u.qts);
        QCOMPARE(r.updateState->date, u.date);
        QCOMPARE(r.updateState->seq, u.seq);
        QCOMPARE(r.updateState->channelPts, u.channelPts);
        QCOMPARE(r.peers.size(), size_t(5));
        const PeerType expected[] = {PeerType::User, PeerType::Channel, PeerType::Supergroup, PeerType::Chat, PeerType::User};
        for (size_t i = 0; i < 5; ++i) {
            QCOMPARE(r.peers[i].markedId(), s.peers[i].markedId());
            QCOMPARE(r.peers[i].type, expected[i]);
            QCOMPARE(r.peers[i].accessHash, s.peers[i].accessHash);
        }
    }

    void binaryRejectsBadInput()
    {
        const QByteArray v8 = buildBinary(8, sample(8));
        for (int n = 1; n < v8.size(); ++n)
            QVERIFY2(!ferogram::decodeBinary(v8.left(n)).ok(), qPrintable(QStringLiteral("prefix %1").arg(n)));
        QVERIFY(!ferogram::decodeBinary(v8 + '\0').ok());
        QVERIFY(!ferogram::decodeBinary(QByteArray()).ok());
        TSession t = sample(8);
        t.peers[0].type = 3;
        QVERIFY(!ferogram::decodeBinary(buildBinary(8, t)).ok());
        t = sample(4);
        t.peers << TPeer{9, 9, 2, 0xFF, 0}; // basic groups exist only from v5
        QVERIFY(!ferogram::decodeBinary(buildBinary(4, t)).ok());
        QRandomGenerator rng(777);
        int decoded = 0;
        for (int i = 0; i < 5000; ++i) {
            QByteArray m = v8;
            for (int f = 0; f < 3; ++f)
                m[static_cast<int>(rng.bounded(m.size()))] = static_cast<char>(rng.bounded(256));
            decoded += ferogram::decodeBinary(m).ok() ? 1 : 0;
            (void)ferogram::plausibleBinaryPrefix(m.left(static_cast<int>(rng.bounded(m.size()))));
        }
        QVERIFY(decoded < 5000);
        // More than 255 DC entries do not fit the u8 count: refused, never wrapped.
        Session big;
        big.dcId = 2;
        for (int i = 0; i < 300; ++i)
            big.dcs.push_back(DcAuth{});
        QCOMPARE(ferogram::encodeBinary(big).error().kind, ErrorKind::Output);
    }

    // ---------------------------------------------------------------- strings (8.2, 8.3)
    void compactStrings_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("ip");
        QTest::addColumn<int>("length");
        QTest::addRow("v2-ipv4") << 2 << QStringLiteral("149.154.167.51") << 364;
        QTest::addRow("v2-ipv6") << 2 << QStringLiteral("2001:67c:4e8:f002::a") << 380;
        QTest::addRow("v1-ipv4") << 1 << QStringLiteral("149.154.167.51") << 386;
        QTest::addRow("v1-ipv6") << 1 << QStringLiteral("2001:67c:4e8:f002::a") << 402;
    }
    void compactStrings()
    {
        QFETCH(int, version);
        QFETCH(QString, ip);
        QFETCH(int, length);
        const QByteArray key = testKey(50 + version);
        auto ipBytes = ipTextToBytes(ip);
        QVERIFY(ipBytes);
        const QByteArray text = urlNoPad(buildCompact(version, 2, *ipBytes, 443, 5000000001LL, key, -9, 17, 181));
        QCOMPARE(text.size(), length);
        QVERIFY(text.startsWith(version == 2 ? "Ag" : "AQ"));
        QCOMPARE(detectedId(Source::fromString(text)), QStringLiteral("ferogram-string"));
        auto st = fmt("ferogram-string").read(Source::fromString(text), {});
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QCOMPARE(st->variant, version == 2 ? QStringLiteral("v2") : QStringLiteral("v1"));
        const Session &s = st->accounts[0];
        QCOMPARE(s.dcId, 2);
        QCOMPARE(s.userId, std::optional<qint64>(5000000001LL));
        QCOMPARE(s.primary()->address, ip);
        QCOMPARE(s.primary()->port, 443);
        QCOMPARE(s.primary()->ipv6, ip.contains(QLatin1Char(':')));
        QCOMPARE(s.primary()->authKeyId(), keyIdHex(key));
        if (version == 1)
            QCOMPARE(s.primary()->salt, std::optional<qint64>(-9));
        WriteOptions o;
        o.variant = version == 1 ? QStringLiteral("v1") : QString();
        QCOMPARE(*fmt("ferogram-string").encodeString(s, o), text);
    }

    void nativeString()
    {
        const QByteArray v8 = buildBinary(8, sample(8));
        const QByteArray text = urlNoPad(v8);
        QVERIFY(text.startsWith("CA"));
        QCOMPARE(detectedId(Source::fromString(text)), QStringLiteral("ferogram-string"));
        auto st = fmt("ferogram-string").read(Source::fromString(text), {});
        QVERIFY(st.ok());
        QCOMPARE(st->variant, QStringLiteral("native"));
        QCOMPARE(st->accounts[0].peers.size(), size_t(4));
        WriteOptions native;
        native.variant = QStringLiteral("native");
        QCOMPARE(*fmt("ferogram-string").encodeString(st->accounts[0], native), text);
        // Default: compact V2 of the home DC.
        const QByteArray v2 = *fmt("ferogram-string").encodeString(st->accounts[0], {});
        QCOMPARE(v2.size(), 364);
        auto back = fmt("ferogram-string").read(Source::fromString(v2), {});
        QCOMPARE(back->accounts[0].primary()->authKeyId(), keyIdHex(testKey(8)));
        // An older native string (v5) still reads.
        auto v5 = fmt("ferogram-string").read(Source::fromString(urlNoPad(buildBinary(5, sample(5)))), {});
        QVERIFY(v5.ok());
        QCOMPARE(v5->formatVersion, std::optional<int>(5));
    }

    void stringsOfOtherLibrariesAreNotMine()
    {
        const Format &f = fmt("ferogram-string");
        // Pyrogram current: 271 bytes -> 362 characters, first byte 0x02 like compact V2.
        QByteArray pyro = QByteArray(1, '\x02') + QByteArray(270, '\x07');
        QCOMPARE(f.detect(Probe::fromString(urlNoPad(pyro))), 0);
        // mtgo-labs export: 364 characters but padded (URLEncoding), starting AQ.
        QByteArray mtgo = QByteArray(1, '\x01') + QByteArray(271, '\x05');
        const QByteArray padded = mtgo.toBase64(QByteArray::Base64UrlEncoding);
        QCOMPARE(padded.size(), 364);
        QCOMPARE(f.detect(Probe::fromString(padded)), 0);
        // mtcute v3 (first byte 3) and random text.
        QCOMPARE(f.detect(Probe::fromString(urlNoPad(QByteArray(1, '\x03') + QByteArray(300, '\x01')))), 0);
        QCOMPARE(f.detect(Probe::fromString("hello world")), 0);
        // A compact string with a bad ip_type or a wrong length.
        QByteArray c = buildCompact(2, 2, QByteArray(4, '\x01'), 443, 1, testKey(1));
        c[2] = 5;
        QCOMPARE(f.detect(Probe::fromString(urlNoPad(c))), 0);
        QVERIFY(!f.read(Source::fromString(urlNoPad(c)), {}).ok());
        QCOMPARE(f.detect(Probe::fromString(urlNoPad(buildCompact(2, 2, QByteArray(4, '\x01'), 443, 1, testKey(1)).left(200)))), 0);
    }

    // ---------------------------------------------------------------- tests/data/ferogram (make_vectors.py)
    void handMadeVectorFiles()
    {
        const QJsonObject all = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("ferogram/vectors.json")))).object();
        QVERIFY(all.size() >= 13);
        QTemporaryDir dir;
        for (auto it = all.constBegin(); it != all.constEnd(); ++it) {
            const QString name = it.key();
            const QJsonObject e = it.value().toObject();
            const QString path = dataPath(QStringLiteral("ferogram/") + name);
            const QString formatId = e.value(QStringLiteral("format")).toString();
            QCOMPARE(detectedId(Source::fromPath(path)), formatId);
            const Format &f = *Registry::instance().find(formatId);
            auto st = f.read(Source::fromPath(path), {});
            QVERIFY2(st.ok(), qPrintable(name + QStringLiteral(": ") + (st.ok() ? QString() : st.error().message)));
            QCOMPARE(st->formatVersion, std::optional<int>(e.value(QStringLiteral("version")).toInt()));
            const Session &s = st->accounts.at(0);
            QCOMPARE(s.dcId, e.value(QStringLiteral("home")).toInt());
            if (e.contains(QStringLiteral("userId")))
                QCOMPARE(s.userId, std::optional<qint64>(e.value(QStringLiteral("userId")).toString().toLongLong()));
            const QJsonArray dcs = e.value(QStringLiteral("dcs")).toArray();
            QCOMPARE(s.dcs.size(), static_cast<size_t>(dcs.size()));
            for (int i = 0; i < dcs.size(); ++i) {
                const QJsonObject d = dcs[i].toObject();
                const DcAuth &a = s.dcs[static_cast<size_t>(i)];
                QCOMPARE(a.dcId, d.value(QStringLiteral("dc")).toInt());
                QCOMPARE(a.authKeyId(), d.value(QStringLiteral("authKeyId")).toString()); // null -> "" (no key)
                QCOMPARE(a.address, d.value(QStringLiteral("address")).toString());
                QCOMPARE(a.port, d.value(QStringLiteral("port")).toInt());
                QCOMPARE(a.ipv6, d.value(QStringLiteral("ipv6")).toBool());
                QCOMPARE(a.mediaOnly, d.value(QStringLiteral("mediaOnly")).toBool());
                if (d.value(QStringLiteral("salt")).isString())
                    QCOMPARE(a.salt, std::optional<qint64>(d.value(QStringLiteral("salt")).toString().toLongLong()));
            }
            if (e.contains(QStringLiteral("state"))) {
                const QJsonObject u = e.value(QStringLiteral("state")).toObject();
                QVERIFY(s.updateState);
                QCOMPARE(s.updateState->pts, std::optional<qint64>(u.value(QStringLiteral("pts")).toInteger()));
                QCOMPARE(s.updateState->qts, std::optional<qint64>(u.value(QStringLiteral("qts")).toInteger()));
                QCOMPARE(s.updateState->date, std::optional<qint64>(u.value(QStringLiteral("date")).toInteger()));
                QCOMPARE(s.updateState->seq, std::optional<qint64>(u.value(QStringLiteral("seq")).toInteger()));
                const QJsonObject ch = e.value(QStringLiteral("channelPts")).toObject();
                QCOMPARE(s.updateState->channelPts.size(), ch.size());
                for (auto c = ch.constBegin(); c != ch.constEnd(); ++c)
                    QCOMPARE(s.updateState->channelPts.value(c.key().toLongLong(), -1), c.value().toInteger());
                const QJsonArray peers = e.value(QStringLiteral("peers")).toArray();
                QCOMPARE(s.peers.size(), static_cast<size_t>(peers.size()));
                for (int i = 0; i < peers.size(); ++i) {
                    const QJsonObject p = peers[i].toObject();
                    const Peer &q = s.peers[static_cast<size_t>(i)];
                    QCOMPARE(q.id, p.value(QStringLiteral("id")).toString().toLongLong());
                    QCOMPARE(peerKindName(q.kind()), p.value(QStringLiteral("type")).toString());
                    QCOMPARE(q.type == PeerType::Supergroup, p.value(QStringLiteral("supergroup")).toBool());
                    if (q.kind() != PeerKind::Chat)
                        QCOMPARE(q.accessHash, std::optional<qint64>(p.value(QStringLiteral("hash")).toString().toLongLong()));
                }
            } else {
                QVERIFY(!s.updateState);
            }
            if (!e.value(QStringLiteral("rewritesIdentically")).toBool())
                continue;
            if (formatId == QLatin1String("ferogram-string")) {
                WriteOptions wo;
                wo.variant = st->variant;
                QCOMPARE(*f.encodeString(s, wo), readAll(path).trimmed());
            } else {
                const QString out = dir.filePath(name);
                QVERIFY(f.write(*st, out, {}).ok());
                QCOMPARE(readAll(out).toHex(), readAll(path).toHex());
            }
        }
    }

    void binaryCarriesOtherSessions()
    {
        // Real-library fixtures -> ferogram-binary: key, DC, peers (bare ids + kinds + hashes) and
        // the update state survive.
        QTemporaryDir dir;
        for (const QString &rel : {QStringLiteral("telethon/basic.session"), QStringLiteral("mtcute/basic.sqlite")}) {
            const Source src = Source::fromPath(dataPath(rel));
            auto f = Registry::instance().detect(src);
            if (!f || !(*f)->canRead())
                continue;
            auto st = (*f)->read(src, {});
            QVERIFY(st.ok());
            const QString out = dir.filePath(QStringLiteral("x.bin"));
            WriteOptions force;
            force.force = true;
            QVERIFY(fmt("ferogram-binary").write(*st, out, force).ok());
            auto back = fmt("ferogram-binary").read(Source::fromPath(out), {});
            QVERIFY(back.ok());
            const Session &a = st->accounts[0], &b = back->accounts[0];
            QCOMPARE(b.dcId, a.dcId);
            QCOMPARE(b.primary()->authKeyId(), a.primary()->authKeyId());
            QCOMPARE(b.peers.size(), a.peers.size());
            for (size_t i = 0; i < a.peers.size(); ++i) {
                QCOMPARE(b.peers[i].markedId(), a.peers[i].markedId());
                if (a.peers[i].kind() != PeerKind::Chat)
                    QCOMPARE(b.peers[i].accessHash, std::optional<qint64>(a.peers[i].accessHash.value_or(0)));
            }
            if (a.updateState) {
                QCOMPARE(b.updateState->pts, a.updateState->pts);
                QCOMPARE(b.updateState->date, a.updateState->date);
            }
        }
    }

    // ---------------------------------------------------------------- conversions
    void convertsWithOtherStringFormats()
    {
        const QByteArray key = testKey(60);
        const QByteArray text = urlNoPad(buildCompact(2, 2, *ipTextToBytes(QStringLiteral("149.154.167.51")), 443, 424242, key));
        auto src = fmt("ferogram-string").read(Source::fromString(text), {});
        QVERIFY(src.ok());
        int tried = 0;
        for (const char *id : {"telethon-string", "mtcute-string", "gogram-string"}) {
            const Format *t = Registry::instance().find(QString::fromLatin1(id));
            if (!t || !t->canRead() || !t->canWrite())
                continue;
            ++tried;
            auto out = convertStore(*src, *t, {}, QString());
            QVERIFY2(out.ok(), out.ok() ? id : qPrintable(out.error().message));
            auto mid = t->read(Source::fromString(out->string), {});
            QVERIFY2(mid.ok(), id);
            QCOMPARE(mid->accounts[0].dcId, 2);
            QCOMPARE(mid->accounts[0].primary()->authKeyId(), keyIdHex(key));
            ConvertRequest back;
            if (!t->capabilities().testFlag(Capability::UserId))
                back.userId = 424242; // the CLI's --user-id for sources without one
            auto again = convertStore(*mid, fmt("ferogram-string"), back, QString());
            QVERIFY(again.ok());
            auto r = fmt("ferogram-string").read(Source::fromString(again->string), {});
            QVERIFY(r.ok());
            QCOMPARE(r->accounts[0].dcId, 2);
            QCOMPARE(r->accounts[0].userId, std::optional<qint64>(424242));
            QCOMPARE(r->accounts[0].primary()->authKeyId(), keyIdHex(key));
        }
        // Binary file -> string formats: the home DC's key.
        QTemporaryDir dir;
        const QString bin = writeTemp(dir, QStringLiteral("s.bin"), buildBinary(8, sample(8)));
        auto b = fmt("ferogram-binary").read(Source::fromPath(bin), {});
        QVERIFY(b.ok());
        for (const char *id : {"telethon-string", "mtcute-string"}) {
            const Format *t = Registry::instance().find(QString::fromLatin1(id));
            if (!t || !t->canRead() || !t->canWrite())
                continue;
            ConvertRequest req;
            req.userId = 1;
            auto out = convertStore(*b, *t, req, QString());
            QVERIFY2(out.ok(), id);
            QVERIFY(!out->dropped.isEmpty()); // peers, update state, other DC keys are reported
            auto r = t->read(Source::fromString(out->string), {});
            QCOMPARE(r->accounts[0].primary()->authKeyId(), keyIdHex(testKey(8)));
        }
        if (!tried)
            QSKIP("no other string format can read and write in this build");
    }

    void cliInspectsBinary()
    {
        QTemporaryDir dir;
        const QString bin = writeTemp(dir, QStringLiteral("s.bin"), buildBinary(8, sample(8)));
        const CliRun r = runCli({QStringLiteral("inspect"), bin, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("ferogram-binary"));
        QCOMPARE(o.value(QStringLiteral("format_version")).toInt(), 8);
        const QJsonObject a = o.value(QStringLiteral("accounts")).toArray().at(0).toObject();
        QCOMPARE(a.value(QStringLiteral("dc_id")).toInt(), 2);
        QCOMPARE(a.value(QStringLiteral("auth_key_id")).toString(), keyIdHex(testKey(8)));
        QCOMPARE(a.value(QStringLiteral("update_state")).toObject().value(QStringLiteral("pts")).toInt(), 1008);
        QCOMPARE(a.value(QStringLiteral("peers")).toObject().value(QStringLiteral("total")).toInt(), 4);
        const QString out = dir.filePath(QStringLiteral("copy.bin"));
        QCOMPARE(runCli({QStringLiteral("convert"), bin, QStringLiteral("--to"), QStringLiteral("ferogram-binary"), QStringLiteral("-o"), out}).exitCode, 0);
        QCOMPARE(readAll(out), readAll(bin));
        QCOMPARE(fileMode(out), 0600);
    }
};

QTEST_GUILESS_MAIN(TestFerogram)
#include "tst_ferogram.moc"
