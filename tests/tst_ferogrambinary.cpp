// ferogram binary session (docs/formats.md 8.1): versions 1-8 read, 8 written, round trips, bad input and
// the CLI. No fixtures from the real ferogram exist here: every vector is built field by field from
// the version table of docs/formats.md 8.1 (little-endian), see ferogramtestutil.h.
#include "ferogramtestutil.h"
#include "format/registry.h"
#include "formats/ferogram/ferogram-codec.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;
using namespace ferogramtest;

class TestFerogramBinary : public QObject {
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
        auto st = sdtest::format("ferogram-binary").read(Source::fromPath(p), {});
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
        auto c = sdtest::format("ferogram-binary").read(Source::fromPath(p), fast);
        QVERIFY(c.ok());
        QCOMPARE(c->accounts[0].peerCountsOnly->total(), qint64(t.peers.size()));
    }

    void binaryV8WritesBackIdentically()
    {
        const QByteArray v8 = buildBinary(8, sample(8));
        QTemporaryDir dir;
        const QString in = writeTemp(dir, QStringLiteral("in.bin"), v8);
        auto st = sdtest::format("ferogram-binary").read(Source::fromPath(in), {});
        QVERIFY(st.ok());
        const QString out = dir.filePath(QStringLiteral("out.bin"));
        QVERIFY(sdtest::format("ferogram-binary").write(*st, out, {}).ok());
        QCOMPARE(readAll(out).toHex(), v8.toHex());
        QCOMPARE(fileMode(out), 0600);
        auto again = sdtest::format("ferogram-binary").write(*st, out, {});
        QCOMPARE(again.error().kind, ErrorKind::Output);
        // Older versions are upgraded to 8 on write and keep every field they had.
        for (int v = 2; v < 8; ++v) {
            const QString p = writeTemp(dir, QStringLiteral("v%1.bin").arg(v), buildBinary(v, sample(v)));
            auto old = sdtest::format("ferogram-binary").read(Source::fromPath(p), {});
            QVERIFY(old.ok());
            WriteOptions force;
            force.force = true;
            QVERIFY(sdtest::format("ferogram-binary").write(*old, out, force).ok());
            auto up = sdtest::format("ferogram-binary").read(Source::fromPath(out), {});
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
        QVERIFY(sdtest::format("ferogram-binary").write(store, out, {}).ok());
        auto st = sdtest::format("ferogram-binary").read(Source::fromPath(out), {});
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

    // ---------------------------------------------------------------- CLI
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

QTEST_GUILESS_MAIN(TestFerogramBinary)
#include "tst_ferogrambinary.moc"
