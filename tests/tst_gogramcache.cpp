// gogram peer cache (docs/formats.md 5.3): the gob stream Go writes for InputPeerCache, the older struct,
// round trips, corrupt streams, and the peers of other libraries' fixtures carried into it. No
// fixtures from the real gogram exist here: the streams below are the bytes Go writes (tst_gob.cpp).
#include "convert/convert.h"
#include "format/registry.h"
#include "gogramtestutil.h"
#include "testutil.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;
using namespace gogramtest;

class TestGogramCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ---------------------------------------------------------------- peer cache (5.3)
    void cacheReadsGoStreamAndWritesItBack()
    {
        QTemporaryDir dir;
        const QString p = writeTemp(dir, QStringLiteral("cache_123456789.db"), cacheStream());
        QCOMPARE(detectedId(Source::fromPath(p)), QStringLiteral("gogram-cache"));
        auto st = sdtest::format("gogram-cache").read(Source::fromPath(p), {});
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        const Session &s = st->accounts[0];
        QCOMPARE(s.userId, std::optional<qint64>(123456789));
        QCOMPARE(s.peers.size(), size_t(3));
        QCOMPARE(s.peers[0].id, qint64(1001));
        QCOMPARE(s.peers[0].type, PeerType::User);
        QCOMPARE(s.peers[0].accessHash, std::optional<qint64>(-42));
        QCOMPARE(s.peers[0].usernames, QStringList{QStringLiteral("alice")});
        QCOMPARE(s.peers[1].id, qint64(555555555));
        QCOMPARE(s.peers[1].accessHash, std::optional<qint64>(std::numeric_limits<qint64>::max()));
        QCOMPARE(s.peers[2].id, qint64(1234567890));
        QCOMPARE(s.peers[2].kind(), PeerKind::Channel);
        QCOMPARE(s.peers[2].markedId(), qint64(-1001234567890LL));
        QCOMPARE(s.peers[2].accessHash, std::optional<qint64>(987654321987LL));
        QCOMPARE(s.peers[2].usernames, QStringList{QStringLiteral("news")});
        QCOMPARE(st->warnings.size(), 1); // "ghost" points to no cached peer
        // Counts only.
        ReadOptions fast;
        fast.loadPeers = false;
        auto counts = sdtest::format("gogram-cache").read(Source::fromPath(p), fast);
        QCOMPARE(counts->accounts[0].peerCountsOnly->users, qint64(2));
        QCOMPARE(counts->accounts[0].peerCountsOnly->channels, qint64(1));
        // encode(decode(x)) == x
        const QString out = dir.filePath(QStringLiteral("out.db"));
        QVERIFY(sdtest::format("gogram-cache").write(*st, out, {}).ok());
        QCOMPARE(readAll(out).toHex(), cacheStream().toHex());
        QCOMPARE(fileMode(out), 0600);
        QCOMPARE(sdtest::format("gogram-cache").write(*st, out, {}).error().kind, ErrorKind::Output);
    }

    void cacheReadsTheOldStruct()
    {
        // Before UsernameMap/OwnerID (commit acbca67): two fields; InputChannels empty (count 0),
        // InputUsers {7: 8}.
        QTemporaryDir dir;
        const QByteArray old = hexToBytes(QStringLiteral(
            "3fff810301010e496e70757450656572436163686501ff82000102010d496e7075744368616e6e656c7301ff8400010a496e70757455"
            "73657273" "01ff84000000" "1fff830401010f6d61705b696e7436345d696e74363401ff8400010401040000" "09ff82010001010e1000"));
        const QString p = writeTemp(dir, QStringLiteral("cache.db"), old);
        QCOMPARE(detectedId(Source::fromPath(p)), QStringLiteral("gogram-cache"));
        auto st = sdtest::format("gogram-cache").read(Source::fromPath(p), {});
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QVERIFY(!st->accounts[0].userId);
        QCOMPARE(st->accounts[0].peers.size(), size_t(1));
        QCOMPARE(st->accounts[0].peers[0].id, qint64(7));
        QCOMPARE(st->accounts[0].peers[0].accessHash, std::optional<qint64>(8));
    }

    void cacheRoundTripsASession()
    {
        Session s;
        s.userId = 5550001;
        auto peer = [](qint64 id, PeerType t, std::optional<qint64> h, QStringList names) {
            Peer p;
            p.id = id;
            p.type = t;
            p.accessHash = h;
            p.usernames = names;
            return p;
        };
        s.peers = {peer(10, PeerType::User, -1, {QStringLiteral("Ten"), QStringLiteral("ten_alt")}),
                   peer(11, PeerType::Bot, 1LL << 62, {QStringLiteral("somebot")}),
                   peer(20, PeerType::Channel, std::numeric_limits<qint64>::min(), {}),
                   peer(21, PeerType::Supergroup, 99, {QStringLiteral("Group")}),
                   peer(30, PeerType::Chat, std::nullopt, {})};
        Store store;
        store.accounts.push_back(s);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cache.db"));
        QVERIFY(sdtest::format("gogram-cache").write(store, out, {}).ok());
        auto st = sdtest::format("gogram-cache").read(Source::fromPath(out), {});
        QVERIFY(st.ok());
        const Session &r = st->accounts[0];
        QCOMPARE(r.userId, s.userId);
        QCOMPARE(r.peers.size(), size_t(4)); // basic groups are not persisted by gogram
        QHash<qint64, const Peer *> byId;
        for (const Peer &p : r.peers)
            byId.insert(p.markedId(), &p);
        for (const Peer &p : s.peers) {
            if (p.kind() == PeerKind::Chat) {
                QVERIFY(!byId.contains(p.markedId()));
                continue;
            }
            const Peer *q = byId.value(p.markedId());
            QVERIFY(q);
            QCOMPARE(q->kind(), p.kind());
            QCOMPARE(q->accessHash, p.accessHash);
            QStringList a = q->usernames, b = p.usernames;
            a.sort();
            b.sort();
            QCOMPARE(a, b);
        }
        WriteOptions noPeers;
        noPeers.carryPeers = false;
        noPeers.force = true;
        QVERIFY(sdtest::format("gogram-cache").write(store, out, noPeers).ok());
        auto empty = sdtest::format("gogram-cache").read(Source::fromPath(out), {});
        QVERIFY(empty->accounts[0].peers.empty());
        QCOMPARE(empty->accounts[0].userId, s.userId);
    }

    void cacheRejectsCorruptStreams()
    {
        QTemporaryDir dir;
        const QByteArray full = cacheStream();
        for (int n : {1, 10, 93, 150, static_cast<int>(full.size()) - 1}) {
            const QString p = writeTemp(dir, QStringLiteral("cut%1").arg(n), full.left(n));
            auto st = sdtest::format("gogram-cache").read(Source::fromPath(p), {});
            QVERIFY(!st.ok());
            QCOMPARE(st.error().kind, ErrorKind::BadInput);
        }
        // A struct of other fields is not a gogram cache.
        const QString p = writeTemp(dir, QStringLiteral("point"), hexToBytes(QStringLiteral(
            "1fff8103010105506f696e7401ff820001020101580104000101590104000000" "07ff82012c014200")));
        QCOMPARE(sdtest::format("gogram-cache").detect(*Probe::fromSource(Source::fromPath(p))), 0);
        QVERIFY(!sdtest::format("gogram-cache").read(Source::fromPath(p), {}).ok());
    }

    // ---------------------------------------------------------------- other libraries' peer caches
    void cacheCarriesOtherPeerCaches()
    {
        // Real-library fixtures (tests/data/README.md) -> gogram-cache: users and channels with their
        // access hashes survive; basic groups are not persisted by gogram.
        QTemporaryDir dir;
        for (const QString &rel : {QStringLiteral("telethon/basic.session"), QStringLiteral("mtcute/basic.sqlite")}) {
            const Source src = Source::fromPath(dataPath(rel));
            auto f = Registry::instance().detect(src);
            QVERIFY2(f, qPrintable(rel));
            auto st = (*f)->read(src, {});
            QVERIFY(st.ok());
            ConvertRequest req;
            if (!st->accounts[0].userId)
                req.userId = 4242;
            const QString out = dir.filePath(QFileInfo(rel).fileName() + QStringLiteral(".cache"));
            auto r = convertStore(*st, sdtest::format("gogram-cache"), req, out);
            QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
            auto back = sdtest::format("gogram-cache").read(Source::fromPath(out), {});
            QVERIFY(back.ok());
            QCOMPARE(back->accounts[0].userId, req.userId ? req.userId : st->accounts[0].userId);
            QHash<qint64, std::optional<qint64>> hashes;
            for (const Peer &p : back->accounts[0].peers)
                hashes.insert(p.markedId(), p.accessHash);
            qint64 expected = 0;
            for (const Peer &p : st->accounts[0].peers) {
                if (p.kind() == PeerKind::Chat)
                    continue;
                ++expected;
                QVERIFY(hashes.contains(p.markedId()));
                QCOMPARE(hashes.value(p.markedId()), std::optional<qint64>(p.accessHash.value_or(0)));
            }
            QCOMPARE(static_cast<qint64>(hashes.size()), expected);
        }
    }
};

QTEST_GUILESS_MAIN(TestGogramCache)
#include "tst_gogramcache.moc"
