// Prune of mtgo's SQL server stores against the real PostgreSQL of tests/with-servers.sh (docs/formats.md 7.2,
// docs/cli.md "prune"): the SQL prune engine the SQLite files use runs on the server, one session at a time;
// psql is the referee of every row. The GORM layout in a SQLite file is pruned in place the same way.
// The Redis store streams its peers through the in-memory rules; redis-cli is the referee there.
#include "formats/mtgo/mtgo-records.h"
#include "prune/prune.h"
#include "servertestutil.h"
#include "testutil.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <set>

using namespace sd;
using namespace sdtest;

class TstServerPrune : public ServerTest {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = startServers(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        QCOMPARE(qEnvironmentVariable("SD_PG_HOST"), QStringLiteral("127.0.0.1"));
        QVERIFY(enterScratchDir());
    }

    void cleanupTestCase()
    {
        leaveScratchDir();
    }

    // Prune runs in SQL on the server (the SQL prune engine the SQLite files use): --keep-newest,
    // --drop-phones and --older-than on one GORM session, every statement scoped to it; psql is the referee
    // that the other session's rows stay byte for byte. Then the same in a GORM SQLite file, in place.
    void pruneRunsInSqlOnOneSession()
    {
        const QString db = QStringLiteral("gormprune");
        QVERIFY(createDb(db, QStringLiteral("postgres-gorm.sql")));
        QString rows;
        for (const char *sid : {"x", "y"})
            for (int id : {10, 11, 12, 13, 14, 15, 20, 21})
                rows += QStringLiteral("%1('%2', %3, %4, %5, 'u%3', '', 'N%3', '', '%6', false, 0, '', 0)")
                            .arg(rows.isEmpty() ? QString() : QStringLiteral(","), QString::fromLatin1(sid)).arg(id).arg(id >= 20 ? 2 : 0).arg(id * 7)
                            .arg(id % 2 || QByteArray(sid) == "y" ? QStringLiteral("7900%1").arg(id) : QString());
        QVERIFY(psql(db, QStringLiteral("INSERT INTO mtgo_sessions VALUES ('x', 2, 1, 'h', false, decode('%1', 'hex'), NULL, 1, false, 'X', '', 'x', 0, '', 443),"
                                         "('y', 2, 1, 'h', false, decode('%2', 'hex'), NULL, 2, false, 'Y', '', 'y', 0, '', 443);"
                                         "INSERT INTO mtgo_peers VALUES %3;")
                             .arg(QString::fromLatin1(serverTestKey(7).toHex()), QString::fromLatin1(serverTestKey(8).toHex()), rows)) != "ERROR");
        const QString url = pgUrl(db);
        const QString ofY = QStringLiteral("SELECT id, type, access_hash, phone_number, last_updated FROM mtgo_peers WHERE session_id = 'y' ORDER BY id");
        const QByteArray y = psql(db, ofY);
        QCOMPARE(y.count('\n'), 7);

        // mtgo fills no timestamps: --older-than is refused (exit 2), nothing changes.
        CliRun r = cli({QStringLiteral("prune"), url, QStringLiteral("--session"), QStringLiteral("x"), QStringLiteral("--older-than"), QStringLiteral("30")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--keep-newest"), r.err.constData());

        const QStringList keep2{QStringLiteral("prune"), url, QStringLiteral("--session"), QStringLiteral("x"), QStringLiteral("--type"), QStringLiteral("user"),
                                QStringLiteral("--keep-newest"), QStringLiteral("2"), QStringLiteral("--drop-phones"), QStringLiteral("--json")};
        r = cli(keep2 + QStringList{QStringLiteral("--dry-run")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonObject o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("removed")).toObject().value(QStringLiteral("users")).toInt(), 4);
        QCOMPARE(o.value(QStringLiteral("removed")).toObject().value(QStringLiteral("total")).toInt(), 4);
        QCOMPARE(o.value(QStringLiteral("phones_cleared")).toInt(), 1); // 15 stays with a phone, 14 has none
        QCOMPARE(o.value(QStringLiteral("kept")).toInt(), 4);
        QCOMPARE(psql(db, QStringLiteral("SELECT count(*) FROM mtgo_peers")), QByteArray("16"));

        r = cli(keep2);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("removed")).toObject().value(QStringLiteral("users")).toInt(), 4);
        QCOMPARE(o.value(QStringLiteral("phones_cleared")).toInt(), 1);
        QCOMPARE(o.value(QStringLiteral("kept")).toInt(), 4);
        QCOMPARE(psql(db, QStringLiteral("SELECT string_agg(id || ':' || phone_number, ',' ORDER BY id) FROM mtgo_peers WHERE session_id = 'x'")),
                 QByteArray("14:,15:,20:,21:790021"));
        QCOMPARE(psql(db, ofY), y);
        const QString backup = o.value(QStringLiteral("backup")).toString();
        QVERIFY2(QFileInfo::exists(backup), qPrintable(backup));
        QCOMPARE(fileMode(backup), 0600);
        const CliRun back = cli({QStringLiteral("peers"), backup, QStringLiteral("--json")});
        QVERIFY2(back.exitCode == 0, back.err.constData());
        QCOMPARE(back.json().array().size(), 8); // the backup holds what the prune judged

        // Timestamps carried in from elsewhere (seconds and milliseconds): --older-than judges y by them only.
        const qint64 old = QDateTime::currentSecsSinceEpoch() - 100 * 86400;
        QVERIFY(psql(db, QStringLiteral("UPDATE mtgo_peers SET last_updated = %1 WHERE session_id = 'y' AND id IN (10, 11);"
                                         "UPDATE mtgo_peers SET last_updated = %2 WHERE session_id = 'y' AND id = 12;"
                                         "UPDATE mtgo_peers SET last_updated = %3 WHERE session_id = 'y' AND id = 13;")
                             .arg(old).arg(old * 1000).arg(QDateTime::currentSecsSinceEpoch())) != "ERROR");
        const QByteArray x = psql(db, QStringLiteral("SELECT id, phone_number FROM mtgo_peers WHERE session_id = 'x' ORDER BY id"));
        r = cli({QStringLiteral("prune"), url, QStringLiteral("--session"), QStringLiteral("y"), QStringLiteral("--older-than"), QStringLiteral("30"),
                 QStringLiteral("--no-backup"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(QStringLiteral("removed")).toObject().value(QStringLiteral("total")).toInt(), 3);
        QCOMPARE(psql(db, QStringLiteral("SELECT string_agg(id::text, ',' ORDER BY id) FROM mtgo_peers WHERE session_id = 'y'")), QByteArray("13,14,15,20,21"));
        QCOMPARE(psql(db, QStringLiteral("SELECT id, phone_number FROM mtgo_peers WHERE session_id = 'x' ORDER BY id")), x);

        // A GORM SQLite file with two sessions, pruned in place: one session's channels go, the other's stay.
        const QString file = m_dir.filePath(QStringLiteral("gorm-prune.db"));
        r = cli({QStringLiteral("convert"), url, QStringLiteral("--session"), QStringLiteral("y"), QStringLiteral("--to"), QStringLiteral("mtgo-gorm"),
                 QStringLiteral("-o"), file, QStringLiteral("--target-session"), QStringLiteral("one")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const ToolRun copy = runTool(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QStringLiteral(
            "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n"
            "for t in ('mtgo_sessions','mtgo_peers'):\n"
            "    cols=[r[1] for r in c.execute('PRAGMA table_info(%s)' % t)]\n"
            "    c.execute('INSERT INTO %s SELECT %s FROM %s' % (t, ','.join(\"'two'\" if k == 'session_id' else k for k in cols), t))\n"
            "c.commit()\n"), file});
        QVERIFY2(copy.exit == 0, copy.err.constData());
        const QStringList count{QStringLiteral("-c"), QStringLiteral(
            "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n"
            "print(c.execute(\"SELECT group_concat(session_id || ':' || n) FROM (SELECT session_id, count(*) n FROM mtgo_peers GROUP BY 1 ORDER BY 1)\").fetchone()[0])\n"),
            file};
        QCOMPARE(runTool(QStringLiteral("/usr/bin/python3"), count).out.trimmed(), QByteArray("one:5,two:5"));
        r = cli({QStringLiteral("prune"), file, QStringLiteral("--session"), QStringLiteral("two"), QStringLiteral("--type"), QStringLiteral("channel"),
                 QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("removed")).toObject().value(QStringLiteral("channels")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("kept")).toInt(), 3);
        QCOMPARE(runTool(QStringLiteral("/usr/bin/python3"), count).out.trimmed(), QByteArray("one:5,two:3"));
        const QString fileBackup = o.value(QStringLiteral("backup")).toString();
        QVERIFY2(QFileInfo::exists(fileBackup), qPrintable(fileBackup));
        QCOMPARE(fileMode(fileBackup), 0600);
        // Without --session a file with two sessions is a usage error, as for every multi-session store; --session
        // on a file that keys no sessions by name does not apply (exit 2).
        QCOMPARE(cli({QStringLiteral("prune"), file, QStringLiteral("--type"), QStringLiteral("user")}).exitCode, 2);
        r = cli({QStringLiteral("peers"), file, QStringLiteral("--session"), QStringLiteral("one"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().array().size(), 5);
        r = cli({QStringLiteral("peers"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--session"), QStringLiteral("one")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--session applies to"), r.err.constData());
    }

    // A Redis session pruned as it streams (RedisStore::prune) removes exactly the peers the in-memory
    // rules (selectPeersToPrune) pick from the same peers, for every policy: ties on timestamps, peers
    // without one, several kinds, phones. Only those peer keys go, with the peer_uname keys that still
    // point at them; a cleared phone keeps its key's TTL; the other session and odd keys stay.
    void redisPruneMatchesTheInMemoryRules_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("keep-newest") << QStringList{QStringLiteral("--keep-newest"), QStringLiteral("7")};
        QTest::newRow("keep-newest users") << QStringList{QStringLiteral("--keep-newest"), QStringLiteral("3"), QStringLiteral("--type"), QStringLiteral("user")};
        QTest::newRow("keep-newest 0") << QStringList{QStringLiteral("--keep-newest"), QStringLiteral("0")};
        QTest::newRow("keep-newest past all") << QStringList{QStringLiteral("--keep-newest"), QStringLiteral("500")};
        QTest::newRow("older-than") << QStringList{QStringLiteral("--older-than"), QStringLiteral("30")};
        QTest::newRow("older-than and keep-newest") << QStringList{QStringLiteral("--older-than"), QStringLiteral("30"), QStringLiteral("--keep-newest"), QStringLiteral("5")};
        QTest::newRow("type and phones") << QStringList{QStringLiteral("--type"), QStringLiteral("channel"), QStringLiteral("--drop-phones")};
        QTest::newRow("phones only") << QStringList{QStringLiteral("--drop-phones")};
        QTest::newRow("clear chats") << QStringList{QStringLiteral("--clear"), QStringLiteral("--type"), QStringLiteral("chat"), QStringLiteral("--keep-newest"), QStringLiteral("2")};
    }

    void redisPruneMatchesTheInMemoryRules()
    {
        QFETCH(QStringList, args);
        const int db = 3;
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QCOMPARE(redis({QStringLiteral("-n"), QString::number(db), QStringLiteral("FLUSHDB")}), QByteArray("OK"));
        // 60 peers: kinds in turn, timestamps old/new/none with ties, phones on some, usernames on some.
        std::vector<mtgo::PeerRec> recs;
        for (int i = 1; i <= 60; ++i) {
            mtgo::PeerRec r;
            r.id = 5000 + i;
            r.type = i % 3;
            r.accessHash = i * 31;
            r.firstName = QStringLiteral("P%1").arg(i);
            if (i % 4 == 0)
                r.username = QStringLiteral("name%1").arg(i);
            if (i % 5 == 0)
                r.phone = QStringLiteral("7900%1").arg(i);
            const int t = i % 6;
            r.lastUpdated = t == 0 ? 0 : t == 1 ? now - 90 * 86400 : t == 2 ? now - 90 * 86400 + i : t == 3 ? now - 86400 : now - 3600 * (i % 2);
            recs.push_back(r);
        }
        QByteArray pipe;
        auto cmd = [&](const QList<QByteArray> &argv) {
            pipe += '*' + QByteArray::number(argv.size()) + "\r\n";
            for (const QByteArray &a : argv)
                pipe += '$' + QByteArray::number(a.size()) + "\r\n" + a + "\r\n";
        };
        auto session = [](const QString &name) {
            const QJsonObject o{{QStringLiteral("session_id"), name}, {QStringLiteral("dc"), 2}, {QStringLiteral("api_id"), 1},
                                {QStringLiteral("api_hash"), QStringLiteral("h")}, {QStringLiteral("test_mode"), false},
                                {QStringLiteral("auth_key"), QString::fromLatin1(serverTestKey(11).toBase64())}, {QStringLiteral("state"), QJsonValue()},
                                {QStringLiteral("user_id"), 9}, {QStringLiteral("is_bot"), false}, {QStringLiteral("first_name"), QStringLiteral("R")},
                                {QStringLiteral("last_name"), QString()}, {QStringLiteral("username"), QString()}, {QStringLiteral("date"), 0},
                                {QStringLiteral("addr"), QStringLiteral("149.154.167.51")}, {QStringLiteral("port"), 443}};
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        };
        cmd({"SET", "mtgo:r:session", session(QStringLiteral("r"))});
        cmd({"SET", "mtgo:q:session", session(QStringLiteral("q"))});
        for (const mtgo::PeerRec &r : recs) {
            cmd({"SET", "mtgo:r:peer:" + QByteArray::number(r.id), mtgo::peerToJson(r)});
            cmd({"SET", "mtgo:q:peer:" + QByteArray::number(r.id), mtgo::peerToJson(r)});
            if (!r.username.isEmpty())
                cmd({"SET", "mtgo:r:peer_uname:" + r.username.toUtf8(), QByteArray::number(r.id)});
        }
        cmd({"SET", "mtgo:r:peer_uname:name4", "9999"});     // points at another peer now: stays
        cmd({"SET", "mtgo:r:peer:0005005", "not a peer key"}); // mtgo reads peer:<id> in decimal only
        cmd({"EXPIRE", "mtgo:r:peer:5010", "100000"});       // a phone that may be cleared keeps its TTL
        QVERIFY(redis({QStringLiteral("-n"), QString::number(db), QStringLiteral("--pipe")}, pipe).contains("errors: 0"));
        const int qBefore = redisCount(QStringLiteral("mtgo:q:*"), db);

        // What the in-memory rules remove, and whose phones they clear.
        PrunePolicy policy;
        policy.now = now;
        for (int i = 0; i < args.size(); ++i) {
            const QString &a = args[i];
            if (a == QLatin1String("--keep-newest"))
                policy.keepNewest = args[++i].toLongLong();
            else if (a == QLatin1String("--older-than"))
                policy.olderThanDays = args[++i].toInt();
            else if (a == QLatin1String("--type"))
                policy.types << (args[++i] == QLatin1String("user") ? PeerKind::User : args[i] == QLatin1String("chat") ? PeerKind::Chat : PeerKind::Channel);
            else if (a == QLatin1String("--drop-phones"))
                policy.dropPhones = true;
            else if (a == QLatin1String("--clear"))
                policy.clearAll = true;
        }
        std::vector<Peer> peers;
        for (const mtgo::PeerRec &r : recs)
            peers.push_back(mtgo::peerFromRec(r));
        const std::vector<Peer> before = peers;
        qint64 phones = 0;
        const std::vector<size_t> gone = selectPeersToPrune(peers, policy, now, true, &phones);
        std::set<qint64> goneIds;
        for (size_t i : gone)
            goneIds.insert(recs[i].id);

        const QStringList base{QStringLiteral("prune"), redisUrl(db), QStringLiteral("--session"), QStringLiteral("r"), QStringLiteral("--json"),
                               QStringLiteral("--no-backup")};
        CliRun r = cli(base + args + QStringList{QStringLiteral("--dry-run")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(QStringLiteral("removed")).toObject().value(QStringLiteral("total")).toInt(), int(goneIds.size()));
        QCOMPARE(r.json().object().value(QStringLiteral("phones_cleared")).toInt(), int(phones));
        QCOMPARE(redisCount(QStringLiteral("mtgo:r:peer:*"), db), 61);

        r = cli(base + args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(QStringLiteral("removed")).toObject().value(QStringLiteral("total")).toInt(), int(goneIds.size()));
        QCOMPARE(r.json().object().value(QStringLiteral("kept")).toInt(), int(recs.size() - goneIds.size()));
        for (size_t i = 0; i < recs.size(); ++i) {
            const QByteArray k = "mtgo:r:peer:" + QByteArray::number(recs[i].id);
            const QByteArray v = redis({QStringLiteral("-n"), QString::number(db), QStringLiteral("GET"), QString::fromUtf8(k)});
            QVERIFY2(goneIds.count(recs[i].id) ? v.isEmpty() : !v.isEmpty(), k.constData());
            if (v.isEmpty())
                continue;
            const bool cleared = before[i].phone && !peers[i].phone;
            QCOMPARE(v, mtgo::peerToJson([&] { mtgo::PeerRec c = recs[i]; if (cleared) c.phone.clear(); return c; }()));
            if (!recs[i].username.isEmpty() && recs[i].username != QLatin1String("name4"))
                QCOMPARE(redis({QStringLiteral("-n"), QString::number(db), QStringLiteral("GET"), QStringLiteral("mtgo:r:peer_uname:") + recs[i].username}),
                         QByteArray::number(recs[i].id));
        }
        for (qint64 id : goneIds)
            if (recs[size_t(id - 5001)].username.size() && recs[size_t(id - 5001)].username != QLatin1String("name4"))
                QCOMPARE(redis({QStringLiteral("-n"), QString::number(db), QStringLiteral("EXISTS"), QStringLiteral("mtgo:r:peer_uname:") + recs[size_t(id - 5001)].username}),
                         QByteArray("0"));
        QCOMPARE(redis({QStringLiteral("-n"), QString::number(db), QStringLiteral("GET"), QStringLiteral("mtgo:r:peer_uname:name4")}), QByteArray("9999"));
        QCOMPARE(redis({QStringLiteral("-n"), QString::number(db), QStringLiteral("GET"), QStringLiteral("mtgo:r:peer:0005005")}), QByteArray("not a peer key"));
        if (!goneIds.count(5010))
            QVERIFY(redis({QStringLiteral("-n"), QString::number(db), QStringLiteral("TTL"), QStringLiteral("mtgo:r:peer:5010")}).toLongLong() > 0);
        QCOMPARE(redisCount(QStringLiteral("mtgo:q:*"), db), qBefore);
    }
};

QTEST_GUILESS_MAIN(TstServerPrune)
#include "tst_server_prune.moc"
