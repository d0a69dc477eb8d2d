// mtgo-labs/storage server stores against real servers (docs/formats.md 7.2, docs/cli.md "Server stores"):
// a throwaway PostgreSQL 15 cluster and Redis server started by tests/with-servers.sh on 127.0.0.1.
// Tables are created with the adapters' own DDL (tests/data/mtgo/server/*.sql), filled with SQL and Redis
// commands, and psql / redis-cli are the referees of every write.
#include "servertestutil.h"
#include "testutil.h"

#include "format/registry.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace sdtest;

namespace {

QString keyId(const QByteArray &key)
{
    return QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha1).mid(12, 8).toHex());
}

} // namespace

class TstServerMtgo : public ServerTest {
    Q_OBJECT

    static QString sessionJson(const QString &name, int dc, const QByteArray &key, qint64 userId)
    {
        QJsonObject o{{QStringLiteral("session_id"), name}, {QStringLiteral("dc"), dc}, {QStringLiteral("api_id"), 12345},
                      {QStringLiteral("api_hash"), QStringLiteral("0123456789abcdef0123456789abcdef")}, {QStringLiteral("test_mode"), false},
                      {QStringLiteral("auth_key"), QString::fromLatin1(key.toBase64())}, {QStringLiteral("state"), QJsonValue()},
                      {QStringLiteral("user_id"), userId}, {QStringLiteral("is_bot"), true}, {QStringLiteral("first_name"), QStringLiteral("Bot")},
                      {QStringLiteral("last_name"), QString()}, {QStringLiteral("username"), QString(name + QStringLiteral("_bot"))},
                      {QStringLiteral("date"), 1700000000}, {QStringLiteral("addr"), QStringLiteral("149.154.167.51")}, {QStringLiteral("port"), 443}};
        return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    }
    static QByteArray peerJson(qint64 id, int type, qint64 hash, const QString &username, const QString &first, const QString &phone = {})
    {
        QJsonObject o{{QStringLiteral("id"), id}, {QStringLiteral("type"), type}, {QStringLiteral("access_hash"), hash},
                      {QStringLiteral("username"), username}, {QStringLiteral("first_name"), first}, {QStringLiteral("last_name"), QString()},
                      {QStringLiteral("last_updated"), 0}};
        if (!phone.isEmpty())
            o.insert(QStringLiteral("phone_number"), phone);
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    }

    QString telethonPython()
    {
        const ToolRun p = runTool(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QStringLiteral("import telethon.sessions")}, {}, {});
        return p.exit == 0 ? QStringLiteral("/usr/bin/python3") : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = startServers(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        QCOMPARE(qEnvironmentVariable("SD_PG_HOST"), QStringLiteral("127.0.0.1"));
        QVERIFY(enterScratchDir());

        // Classic postgres adapter, newer layout: one session, peers of every kind, update state.
        QVERIFY(createDb(QStringLiteral("classic"), QStringLiteral("postgres-classic.sql")));
        const QByteArray k1 = serverTestKey(1);
        QVERIFY(psql(QStringLiteral("classic"), QStringLiteral(
            "INSERT INTO sessions (session_id, dc_id, api_id, api_hash, test_mode, auth_key, user_id, is_bot, first_name, username, date, server_address, port) "
            "VALUES ('main', 2, 611335, 'd524b414d21f4d37f08684c1df41ac9c', 0, decode('%1', 'hex'), 777000111, 0, 'Owner', 'owner', 1700000000, '149.154.167.51', 443);"
            "INSERT INTO peers (id, type, access_hash, username, first_name, last_name, phone_number, is_bot) VALUES "
            "(1001, 0, -1234567890123456789, 'alice', 'Alice', 'A', '79001112233', 0),"
            "(1002, 0, 42, 'helper_bot', 'Helper', '', '', 1),"
            "(1003, 0, 43, '', 'Carol', 'C', '', 0),"
            "(1004, 0, 44, 'dave', 'Dave', '', '', 0),"
            "(1005, 0, 45, '', 'Eve', '', '15550001', 0),"
            "(500, 1, 0, '', 'Basic group', '', '', 0),"
            "(501, 1, 0, '', 'Other group', '', '', 0),"
            "(1987654321, 2, 9000000000000000000, 'somechannel', 'Chan', '', '', 0),"
            "(1987654322, 2, -7, '', 'Alpha channel', '', '', 0),"
            "(1987654323, 2, 8, 'news', 'News', '', '', 0);"
            "INSERT INTO update_state VALUES ('main', 321, 7, 1714521600, 99, 0);"
            "INSERT INTO channel_update_state VALUES ('main', 1987654321, 4444, 0);"
            "INSERT INTO conversations VALUES (10, 20, 'signup', 2, decode('00ff', 'hex'), 1, 2);").arg(QString::fromLatin1(k1.toHex())))
                != "ERROR");
        // Older layout: no session_id, no update tables.
        QVERIFY(createDb(QStringLiteral("classicold"), QStringLiteral("postgres-classic-old.sql")));
        QVERIFY(psql(QStringLiteral("classicold"), QStringLiteral(
            "INSERT INTO sessions (dc_id, auth_key, user_id, server_address, port) VALUES (4, decode('%1', 'hex'), 5550001, '149.154.167.91', 443);"
            "INSERT INTO peers (id, type, access_hash, username) VALUES (2001, 0, 1, 'x'), (2002, 2, 2, 'y');").arg(QString::fromLatin1(serverTestKey(6).toHex())))
                != "ERROR");
        // GORM adapter: two sessions in one database.
        QVERIFY(createDb(QStringLiteral("gorm"), QStringLiteral("postgres-gorm.sql")));
        QVERIFY(psql(QStringLiteral("gorm"), QStringLiteral(
            "INSERT INTO mtgo_sessions VALUES ('alice', 2, 611335, 'h', false, decode('%1', 'hex'), NULL, 111, false, 'Alice', '', 'alice', 1700000000, '149.154.167.51', 443),"
            "('bob', 4, 611335, 'h', false, decode('%2', 'hex'), NULL, 222, true, 'Bob', '', 'bob_bot', 1700000000, '149.154.167.91', 443);"
            "INSERT INTO mtgo_peers VALUES "
            "('alice', 3001, 0, 1, 'a1', '', 'A1', '', '', false, 0, '', 0), ('alice', 3002, 0, 2, 'a2', '', 'A2', '', '', false, 0, '', 0),"
            "('alice', 3003, 0, 3, '', '', 'A3', '', '79990001', false, 0, '', 0), ('alice', 3004, 0, 4, '', '', 'A4', '', '', true, 0, '', 0),"
            "('alice', 4001, 2, 5, 'ch1', '', 'Ch1', '', '', false, 0, '', 0), ('alice', 4002, 2, 6, '', '', 'Ch2', '', '', false, 0, '', 0),"
            "('bob', 3001, 0, 11, 'a1', '', 'A1', '', '', false, 0, '', 0), ('bob', 5001, 0, 12, 'b2', '', 'B2', '', '', false, 0, '', 0),"
            "('bob', 4001, 2, 13, 'ch1', '', 'Ch1', '', '', false, 0, '', 0);"
            "INSERT INTO mtgo_update_state VALUES ('bob', 10, 1, 1700000000, 3, 0);")
                         .arg(QString::fromLatin1(serverTestKey(2).toHex()), QString::fromLatin1(serverTestKey(3).toHex()))) != "ERROR");
        QVERIFY(createDb(QStringLiteral("target"), QString()));
        QVERIFY(createDb(QStringLiteral("emptydb"), QString()));

        // Redis adapter: sessions s1 and s2 under prefix mtgo in database 0.
        QVERIFY(redisSet(QStringLiteral("mtgo:s1:session"), sessionJson(QStringLiteral("s1"), 2, serverTestKey(4), 333).toUtf8()));
        QVERIFY(redisSet(QStringLiteral("mtgo:s2:session"), sessionJson(QStringLiteral("s2"), 5, serverTestKey(5), 444).toUtf8()));
        QVERIFY(redisSet(QStringLiteral("mtgo:s1:peer:6001"), peerJson(6001, 0, -99, QStringLiteral("user1"), QStringLiteral("User One"), QStringLiteral("79000000001"))));
        QVERIFY(redisSet(QStringLiteral("mtgo:s1:peer_uname:user1"), "6001"));
        QVERIFY(redisSet(QStringLiteral("mtgo:s1:peer:6002"), peerJson(6002, 0, 98, QStringLiteral("user2"), QStringLiteral("User Two"))));
        QVERIFY(redisSet(QStringLiteral("mtgo:s1:peer_uname:user2"), "6002"));
        QVERIFY(redisSet(QStringLiteral("mtgo:s1:peer:6003"), peerJson(6003, 0, 97, QString(), QStringLiteral("User Three"))));
        QVERIFY(redisSet(QStringLiteral("mtgo:s1:peer:7001"), peerJson(7001, 2, 1234567890123456789LL, QStringLiteral("chan"), QStringLiteral("Chan"))));
        QVERIFY(redisSet(QStringLiteral("mtgo:s1:peer_uname:chan"), "7001"));
        QVERIFY(redisSet(QStringLiteral("mtgo:s1:update_state"), R"({"session_id":"s1","pts":5,"qts":6,"date":1700000001,"seq":7})"));
        QVERIFY(redisSet(QStringLiteral("mtgo:s2:peer:6001"), peerJson(6001, 0, -99, QStringLiteral("user1"), QStringLiteral("User One"))));
        QVERIFY(redisSet(QStringLiteral("mtgo:s2:peer_uname:user1"), "6001"));
        QVERIFY(redisSet(QStringLiteral("mtgo:s2:peer:6010"), peerJson(6010, 0, 5, QString(), QStringLiteral("Solo"))));
        QVERIFY(redisSet(QStringLiteral("other:app:key"), "unrelated"));
    }

    void cleanupTestCase()
    {
        leaveScratchDir();
    }

    void passwordInUrlIsRefused()
    {
        for (const QString &url : {QStringLiteral("postgres://%1:hunter2@127.0.0.1:%2/classic").arg(m_pgUser, m_pgPort),
                                   QStringLiteral("redis://:hunter2@127.0.0.1:%1/0").arg(m_redisPort),
                                   QStringLiteral("postgres://%1@127.0.0.1:%2/classic?password=hunter2").arg(m_pgUser, m_pgPort)}) {
            const CliRun r = cli({QStringLiteral("inspect"), url});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("shell history"), r.err.constData());
            QVERIFY2(!r.err.contains("hunter2"), r.err.constData());
        }
    }

    void unreachableServerFailsFast()
    {
        const int port = deadLocalPort();
        for (const QString &url : {QStringLiteral("postgres://x@127.0.0.1:%1/db").arg(port), QStringLiteral("redis://127.0.0.1:%1").arg(port)}) {
            QElapsedTimer t;
            t.start();
            const CliRun r = cli({QStringLiteral("inspect"), url});
            QCOMPARE(r.exitCode, 3);
            QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
            QVERIFY2(r.err.contains("cannot connect"), r.err.constData());
        }
    }

    void wrongPasswordIsExit4()
    {
        const QString wrong = m_dir.filePath(QStringLiteral("wrong.pw"));
        QFile f(wrong);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not-the-password\n");
        f.close();
        const QStringList noEnv{QStringLiteral("PGPASSWORD"), QStringLiteral("REDISCLI_AUTH"), QStringLiteral("PGPASSFILE=/nonexistent"),
                                QStringLiteral("DBUS_SESSION_BUS_ADDRESS")};
        for (const QString &url : {pgUrl(QStringLiteral("classic")), redisUrl()}) {
            CliRun r = runCli({QStringLiteral("inspect"), url, QStringLiteral("--password-file"), wrong}, {}, 30000, noEnv);
            QVERIFY2(r.exitCode == 4, r.err.constData());
            r = runCli({QStringLiteral("inspect"), url}, {}, 30000, noEnv); // no password at all
            QVERIFY2(r.exitCode == 4, r.err.constData());
        }
        // The right password from a file works without any environment.
        const QString right = m_dir.filePath(QStringLiteral("right.pw"));
        QFile g(right);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(m_pgPassword.toUtf8());
        g.close();
        const CliRun ok = runCli({QStringLiteral("inspect"), pgUrl(QStringLiteral("classic")), QStringLiteral("--password-file"), right}, {}, 30000, noEnv);
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
    }

    void classicInspectAndPeers()
    {
        const CliRun r = cli({QStringLiteral("inspect"), pgUrl(QStringLiteral("classic")), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("mtgo-postgres"));
        const QJsonObject a = o.value(QStringLiteral("accounts")).toArray().first().toObject();
        QCOMPARE(a.value(QStringLiteral("auth_key_id")).toString(), keyId(serverTestKey(1)));
        QCOMPARE(a.value(QStringLiteral("dc_id")).toInt(), 2);
        QCOMPARE(a.value(QStringLiteral("user_id")).toInteger(), 777000111);
        QCOMPARE(a.value(QStringLiteral("api_id")).toInt(), 611335);
        const QJsonObject peers = a.value(QStringLiteral("peers")).toObject();
        QCOMPARE(peers.value(QStringLiteral("users")).toInt(), 5);
        QCOMPARE(peers.value(QStringLiteral("chats")).toInt(), 2);
        QCOMPARE(peers.value(QStringLiteral("channels")).toInt(), 3);
        QCOMPARE(a.value(QStringLiteral("update_state")).toObject().value(QStringLiteral("pts")).toInt(), 321);
        QVERIFY(!r.out.contains(serverTestKey(1).toHex()));

        // Search in SQL: username, phone, name, marked id.
        CliRun s = cli({QStringLiteral("peers"), pgUrl(QStringLiteral("classic")), QStringLiteral("--search"), QStringLiteral("ALI"), QStringLiteral("--json")});
        QVERIFY2(s.exitCode == 0, s.err.constData());
        QJsonArray arr = s.json().array();
        QCOMPARE(arr.size(), 1);
        QCOMPARE(arr.first().toObject().value(QStringLiteral("id")).toInteger(), 1001);
        QCOMPARE(arr.first().toObject().value(QStringLiteral("access_hash")).toInteger(), -1234567890123456789LL);
        s = cli({QStringLiteral("peers"), pgUrl(QStringLiteral("classic")), QStringLiteral("--search"), QStringLiteral("-1001987654322"), QStringLiteral("--json")});
        QCOMPARE(s.json().array().size(), 1);
        QCOMPARE(s.json().array().first().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("channel"));
        s = cli({QStringLiteral("peers"), pgUrl(QStringLiteral("classic")), QStringLiteral("--search"), QStringLiteral("1555"), QStringLiteral("--json")});
        QCOMPARE(s.json().array().size(), 1); // Eve's phone
        s = cli({QStringLiteral("peers"), pgUrl(QStringLiteral("classic")), QStringLiteral("--type"), QStringLiteral("channel"), QStringLiteral("--limit"),
                 QStringLiteral("2"), QStringLiteral("--json")});
        QCOMPARE(s.json().array().size(), 2);

        // The older layout (no session_id, no update tables) reads too.
        const CliRun old = cli({QStringLiteral("inspect"), pgUrl(QStringLiteral("classicold")), QStringLiteral("--json")});
        QVERIFY2(old.exitCode == 0, old.err.constData());
        const QJsonObject oa = old.json().object().value(QStringLiteral("accounts")).toArray().first().toObject();
        QCOMPARE(oa.value(QStringLiteral("auth_key_id")).toString(), keyId(serverTestKey(6)));
        QCOMPARE(oa.value(QStringLiteral("peers")).toObject().value(QStringLiteral("total")).toInt(), 2);

        // An empty database is no store (exit 3), named as such.
        const CliRun empty = cli({QStringLiteral("inspect"), pgUrl(QStringLiteral("emptydb"))});
        QCOMPARE(empty.exitCode, 3);
        QVERIFY2(empty.err.contains("no mtgo store"), empty.err.constData());
    }

    void gormSessionsAndPrune()
    {
        const QString url = pgUrl(QStringLiteral("gorm"));
        const CliRun r = cli({QStringLiteral("inspect"), url, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(QStringLiteral("format")).toString(), QStringLiteral("mtgo-gorm"));
        const QJsonArray accounts = r.json().object().value(QStringLiteral("accounts")).toArray();
        QCOMPARE(accounts.size(), 2);
        QCOMPARE(accounts.at(0).toObject().value(QStringLiteral("auth_key_id")).toString(), keyId(serverTestKey(2)));
        QCOMPARE(accounts.at(1).toObject().value(QStringLiteral("auth_key_id")).toString(), keyId(serverTestKey(3)));
        QCOMPARE(accounts.at(0).toObject().value(QStringLiteral("peers")).toObject().value(QStringLiteral("total")).toInt(), 6);
        QCOMPARE(accounts.at(1).toObject().value(QStringLiteral("peers")).toObject().value(QStringLiteral("total")).toInt(), 3);

        CliRun p = cli({QStringLiteral("peers"), url, QStringLiteral("--json")});
        QCOMPARE(p.exitCode, 2); // two sessions: --session needed
        QVERIFY2(p.err.contains("--session"), p.err.constData());
        p = cli({QStringLiteral("peers"), url, QStringLiteral("--session"), QStringLiteral("bob"), QStringLiteral("--json")});
        QVERIFY2(p.exitCode == 0, p.err.constData());
        QCOMPARE(p.json().array().size(), 3);

        const QByteArray before = psql(QStringLiteral("gorm"), QStringLiteral("SELECT session_id, count(*) FROM mtgo_peers GROUP BY 1 ORDER BY 1"));
        CliRun dry = cli({QStringLiteral("prune"), url, QStringLiteral("--session"), QStringLiteral("alice"), QStringLiteral("--type"), QStringLiteral("channel"),
                          QStringLiteral("--dry-run"), QStringLiteral("--json")});
        QVERIFY2(dry.exitCode == 0, dry.err.constData());
        QCOMPARE(dry.json().object().value(QStringLiteral("removed")).toObject().value(QStringLiteral("channels")).toInt(), 2);
        QCOMPARE(dry.json().object().value(QStringLiteral("removed")).toObject().value(QStringLiteral("total")).toInt(), 2);
        QCOMPARE(psql(QStringLiteral("gorm"), QStringLiteral("SELECT session_id, count(*) FROM mtgo_peers GROUP BY 1 ORDER BY 1")), before);

        CliRun real = cli({QStringLiteral("prune"), url, QStringLiteral("--session"), QStringLiteral("alice"), QStringLiteral("--type"), QStringLiteral("channel"),
                           QStringLiteral("--json")});
        QVERIFY2(real.exitCode == 0, real.err.constData());
        QCOMPARE(real.json().object().value(QStringLiteral("removed")).toObject().value(QStringLiteral("channels")).toInt(), 2);
        QCOMPARE(psql(QStringLiteral("gorm"), QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'alice' AND type = 2")), QByteArray("0"));
        QCOMPARE(psql(QStringLiteral("gorm"), QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'alice'")), QByteArray("4"));
        QCOMPARE(psql(QStringLiteral("gorm"), QStringLiteral("SELECT count(*) FROM mtgo_peers WHERE session_id = 'bob'")), QByteArray("3"));
        const QString backup = real.json().object().value(QStringLiteral("backup")).toString();
        QVERIFY2(QFileInfo::exists(backup), qPrintable(backup));
        QCOMPARE(fileMode(backup), 0600);
        const CliRun back = cli({QStringLiteral("inspect"), backup, QStringLiteral("--json")});
        QVERIFY2(back.exitCode == 0, back.err.constData());
        QCOMPARE(back.json().object().value(QStringLiteral("accounts")).toArray().first().toObject().value(QStringLiteral("peers")).toObject()
                     .value(QStringLiteral("total")).toInt(), 6);
    }

    void redisSessionsAndPrune()
    {
        const CliRun r = cli({QStringLiteral("inspect"), redisUrl(), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(QStringLiteral("format")).toString(), QStringLiteral("mtgo-redis"));
        const QJsonArray accounts = r.json().object().value(QStringLiteral("accounts")).toArray();
        QCOMPARE(accounts.size(), 2);
        QCOMPARE(accounts.at(0).toObject().value(QStringLiteral("auth_key_id")).toString(), keyId(serverTestKey(4)));
        QCOMPARE(accounts.at(0).toObject().value(QStringLiteral("peers")).toObject().value(QStringLiteral("users")).toInt(), 3);
        QCOMPARE(accounts.at(0).toObject().value(QStringLiteral("peers")).toObject().value(QStringLiteral("channels")).toInt(), 1);
        QCOMPARE(accounts.at(0).toObject().value(QStringLiteral("update_state")).toObject().value(QStringLiteral("seq")).toInt(), 7);
        QCOMPARE(accounts.at(1).toObject().value(QStringLiteral("auth_key_id")).toString(), keyId(serverTestKey(5)));

        CliRun p = cli({QStringLiteral("peers"), redisUrl(), QStringLiteral("--session"), QStringLiteral("s1"), QStringLiteral("--search"),
                        QStringLiteral("user t"), QStringLiteral("--json")});
        QVERIFY2(p.exitCode == 0, p.err.constData());
        QCOMPARE(p.json().array().size(), 2); // User Two, User Three
        p = cli({QStringLiteral("peers"), redisUrl(), QStringLiteral("--session"), QStringLiteral("s1"), QStringLiteral("--type"), QStringLiteral("channel"),
                 QStringLiteral("--json")});
        QCOMPARE(p.json().array().first().toObject().value(QStringLiteral("access_hash")).toInteger(), 1234567890123456789LL);

        const int s2Before = redisCount(QStringLiteral("mtgo:s2:*"));
        CliRun dry = cli({QStringLiteral("prune"), redisUrl(), QStringLiteral("--session"), QStringLiteral("s1"), QStringLiteral("--type"), QStringLiteral("user"),
                          QStringLiteral("--dry-run"), QStringLiteral("--json")});
        QVERIFY2(dry.exitCode == 0, dry.err.constData());
        QCOMPARE(dry.json().object().value(QStringLiteral("removed")).toObject().value(QStringLiteral("users")).toInt(), 3);
        QCOMPARE(redisCount(QStringLiteral("mtgo:s1:peer:*")), 4);
        CliRun real = cli({QStringLiteral("prune"), redisUrl(), QStringLiteral("--session"), QStringLiteral("s1"), QStringLiteral("--type"), QStringLiteral("user"),
                           QStringLiteral("--json")});
        QVERIFY2(real.exitCode == 0, real.err.constData());
        QCOMPARE(real.json().object().value(QStringLiteral("removed")).toObject().value(QStringLiteral("total")).toInt(), 3);
        QCOMPARE(redisCount(QStringLiteral("mtgo:s1:peer:*")), 1);
        QCOMPARE(redis({QStringLiteral("--scan"), QStringLiteral("--pattern"), QStringLiteral("mtgo:s1:peer_uname:*")}), QByteArray("mtgo:s1:peer_uname:chan"));
        QCOMPARE(redisCount(QStringLiteral("mtgo:s2:*")), s2Before);
        QCOMPARE(redis({QStringLiteral("GET"), QStringLiteral("other:app:key")}), QByteArray("unrelated"));
        QVERIFY(QFileInfo::exists(real.json().object().value(QStringLiteral("backup")).toString()));
    }

    void convertOutToTelethon()
    {
        const QString py = telethonPython();
        if (py.isEmpty())
            QSKIP("python3 with telethon (Debian python3-telethon) is not installed");
        struct Case {
            QStringList source;
            QByteArray key;
            int dc;
        };
        const QList<Case> cases = {{{pgUrl(QStringLiteral("classic"))}, serverTestKey(1), 2},
                                   {{pgUrl(QStringLiteral("gorm")), QStringLiteral("--session"), QStringLiteral("bob")}, serverTestKey(3), 4},
                                   {{redisUrl(), QStringLiteral("--session"), QStringLiteral("s2")}, serverTestKey(5), 5}};
        int n = 0;
        for (const Case &c : cases) {
            const QString out = m_dir.filePath(QStringLiteral("out%1.session").arg(++n));
            const CliRun r = cli(QStringList{QStringLiteral("convert")} + c.source + QStringList{QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), out});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const ToolRun t = runTool(py, {QStringLiteral("-c"), QStringLiteral(
                "import sys\nfrom telethon.sessions import SQLiteSession\ns = SQLiteSession(sys.argv[1])\n"
                "print(s.dc_id, s.server_address, s.port, s.auth_key.key.hex() == sys.stdin.read().strip())"), out}, c.key.toHex(), {});
            QVERIFY2(t.exit == 0, t.err.constData());
            QVERIFY2(t.out.trimmed().startsWith(QByteArray(QByteArray::number(c.dc) + ' ')) && t.out.trimmed().endsWith("True"), t.out.constData());
        }
    }

    void convertInFromTelethon()
    {
        const QString src = dataPath(QStringLiteral("telethon/basic.session"));
        const QJsonObject expect = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("telethon/basic.json")))).object();
        const QString keyHex = expect.value(QStringLiteral("authKeyHex")).toString();
        const int total = expect.value(QStringLiteral("users")).toInt() + expect.value(QStringLiteral("chats")).toInt() + expect.value(QStringLiteral("channels")).toInt();

        // PostgreSQL, classic adapter: tables created as the adapter would, in an empty database.
        const QString target = pgUrl(QStringLiteral("target"));
        CliRun r = cli({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("mtgo-postgres"), QStringLiteral("-o"), target});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(psql(QStringLiteral("target"), QStringLiteral("SELECT dc_id, encode(auth_key, 'hex') FROM sessions")),
                 QStringLiteral("%1|%2").arg(expect.value(QStringLiteral("dc")).toInt()).arg(keyHex).toUtf8());
        QCOMPARE(psql(QStringLiteral("target"), QStringLiteral("SELECT count(*) FROM peers")), QByteArray::number(total));
        QCOMPARE(psql(QStringLiteral("target"), QStringLiteral("SELECT access_hash FROM peers WHERE id = 7322598")), QByteArray("-4639206414563704866"));
        // Refused without --force (exit 5), nothing changed; replaced with it.
        const QByteArray before = psql(QStringLiteral("target"), QStringLiteral("SELECT count(*), sum(access_hash) FROM peers"));
        r = cli({QStringLiteral("convert"), pgUrl(QStringLiteral("classicold")), QStringLiteral("--to"), QStringLiteral("mtgo-postgres"), QStringLiteral("-o"), target});
        QCOMPARE(r.exitCode, 5);
        QCOMPARE(psql(QStringLiteral("target"), QStringLiteral("SELECT count(*), sum(access_hash) FROM peers")), before);
        QCOMPARE(psql(QStringLiteral("target"), QStringLiteral("SELECT encode(auth_key, 'hex') FROM sessions")), keyHex.toUtf8());

        // Redis: a third session next to s1 and s2, which stay untouched.
        const int s1 = redisCount(QStringLiteral("mtgo:s1:*")), s2 = redisCount(QStringLiteral("mtgo:s2:*"));
        r = cli({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("mtgo-redis"), QStringLiteral("-o"), redisUrl(),
                 QStringLiteral("--target-session"), QStringLiteral("tele")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject sess = QJsonDocument::fromJson(redis({QStringLiteral("GET"), QStringLiteral("mtgo:tele:session")})).object();
        QCOMPARE(QByteArray::fromBase64(sess.value(QStringLiteral("auth_key")).toString().toLatin1()).toHex(), keyHex.toLatin1());
        QCOMPARE(sess.value(QStringLiteral("dc")).toInt(), expect.value(QStringLiteral("dc")).toInt());
        QCOMPARE(redisCount(QStringLiteral("mtgo:tele:peer:*")), total);
        QCOMPARE(redis({QStringLiteral("GET"), QStringLiteral("mtgo:tele:peer_uname:u6fbbe5_1")}), QByteArray("7322598"));
        QCOMPARE(redisCount(QStringLiteral("mtgo:s1:*")), s1);
        QCOMPARE(redisCount(QStringLiteral("mtgo:s2:*")), s2);
        r = cli({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("mtgo-redis"), QStringLiteral("-o"), redisUrl(),
                 QStringLiteral("--target-session"), QStringLiteral("s2")});
        QCOMPARE(r.exitCode, 5);
        QCOMPARE(redisCount(QStringLiteral("mtgo:s2:*")), s2);

        // GORM on PostgreSQL: a third session beside alice and bob.
        r = cli({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("mtgo-gorm"), QStringLiteral("-o"), pgUrl(QStringLiteral("gorm")),
                 QStringLiteral("--target-session"), QStringLiteral("tele")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(psql(QStringLiteral("gorm"), QStringLiteral("SELECT session_id, count(*) FROM mtgo_peers GROUP BY 1 ORDER BY 1")),
                 QStringLiteral("alice|4\nbob|3\ntele|%1").arg(total).toUtf8());
        QCOMPARE(psql(QStringLiteral("gorm"), QStringLiteral("SELECT encode(auth_key, 'hex') FROM mtgo_sessions WHERE session_id = 'tele'")), keyHex.toUtf8());

        // GORM in a SQLite file (detected and read back).
        const QString file = m_dir.filePath(QStringLiteral("gorm.db"));
        r = cli({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("mtgo-gorm"), QStringLiteral("-o"), file, QStringLiteral("--target-session"),
                 QStringLiteral("local")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const CliRun back = cli({QStringLiteral("inspect"), file, QStringLiteral("--json")});
        QVERIFY2(back.exitCode == 0, back.err.constData());
        QCOMPARE(back.json().object().value(QStringLiteral("format")).toString(), QStringLiteral("mtgo-gorm"));
        QCOMPARE(back.json().object().value(QStringLiteral("accounts")).toArray().first().toObject().value(QStringLiteral("auth_key_id")).toString(),
                 expect.value(QStringLiteral("authKeyId")).toString());
    }

    // The peer-engine contract of tst_formatcontract, on the server: mtgo's peer view is paged by the
    // shared SQL engine in PostgreSQL, with odd rows (a type outside 0/1/2, a NULL type, stored marked
    // ids, one whose sign contradicts its type, equal names, a millisecond timestamp, rows without an
    // access hash). The reader, `peers --type`, `prune --type --dry-run`, the per-kind count, SQL search
    // and every sort page agree with one kind and one order per row; the GORM layout keeps to one session.
    void peerEngineContract_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("db");
        QTest::addColumn<QString>("session");
        QTest::newRow("mtgo-postgres") << QStringLiteral("mtgo-postgres") << QStringLiteral("contractc") << QString();
        QTest::newRow("mtgo-gorm") << QStringLiteral("mtgo-gorm") << QStringLiteral("contractg") << QStringLiteral("x");
    }

    void peerEngineContract()
    {
        QFETCH(QString, format);
        QFETCH(QString, db);
        QFETCH(QString, session);
        const bool gorm = format == QLatin1String("mtgo-gorm");
        const QStringList rows = {
            "1001, 0, 5, 'alice', '', 'Alice', 'Smith', '79001112233', %F, 0, '', 1700000000",
            "1002, 0, 0, 'bob_bot', '', 'Bob', 'Jones', '', %T, 0, '', 1700000500000",
            "1003, 0, 7, '', 'alice2,al_ice', 'Carol', '', '', %F, 0, '', 0",
            "1004, 7, 8, 'odd_type', '', 'Odd', 'Seven', '', %F, 0, 'en', 0",
            "1005, 0, 11, 'Zed', '', 'zed', '', '15550001', %F, 0, '', 0",
            "500, 1, 0, '', '', 'Edge group', '', '', %F, 0, '', 1600000000",
            "-600, 1, 0, '', '', 'Marked group', '', '', %F, 0, '', 0",
            "-1000000000043, 2, 9, 'neg_chan', '', 'Neg Chan', '', '', %F, 0, '', 0",
            "-77, 2, 10, '', '', 'Odd marked', '', '', %F, 0, '', 0",
            "1987654321, 2, 9000000000000000000, 'somechannel', '', 'Chan', '', '', %F, 0, '', 0",
            "1987654322, 2, -7, '', '', 'Alpha channel', '', '', %F, 0, '', 0",
            "1987654323, 2, 8, 'news', '', 'Chan', '', '', %F, 0, '', 0",
            "42, 2, 0, '', '', 'Edge ch', '', '', %F, 0, '', 0",
            "1007, 0, 13, '', '[\"zz_first\",\"aa\"]', 'Listed', '', '', %F, 0, '', 0",
            "1987654324, 2, 14, '', ' @mid; b', 'Spaced', '', '', %F, 0, '', 0"};
        const QString f = gorm ? QStringLiteral("false") : QStringLiteral("0"), t = gorm ? QStringLiteral("true") : QStringLiteral("1");
        QStringList values;
        for (const QString &r : rows) {
            QString v = r;
            v.replace(QStringLiteral("%F"), f).replace(QStringLiteral("%T"), t);
            values << (gorm ? QStringLiteral("('x', %1)").arg(v) : QStringLiteral("(%1)").arg(v));
        }
        QString sql;
        if (gorm) {
            QVERIFY(createDb(db, QStringLiteral("postgres-gorm.sql")));
            sql = QStringLiteral("INSERT INTO mtgo_sessions VALUES ('x', 2, 1, 'h', false, decode('%1', 'hex'), NULL, 111, false, 'X', '', 'x', 1, '149.154.167.51', 443),"
                                 "('y', 4, 1, 'h', false, decode('%2', 'hex'), NULL, 222, false, 'Y', '', 'y', 1, '149.154.167.91', 443);"
                                 "INSERT INTO mtgo_peers VALUES %3, ('x', 1006, NULL, 12, 'nulltype', '', 'Null', '', '', NULL, 0, '', 0),"
                                 "('y', 1001, 2, 1, 'other', '', 'Other session', '', '', false, 0, '', 0), ('y', 9, 0, 1, 'ali_y', '', 'Y', '', '', false, 0, '', 0);")
                      .arg(QString::fromLatin1(serverTestKey(21).toHex()), QString::fromLatin1(serverTestKey(22).toHex()), values.join(QLatin1Char(',')));
        } else {
            QVERIFY(createDb(db, QStringLiteral("postgres-classic.sql")));
            sql = QStringLiteral("INSERT INTO sessions (session_id, dc_id, api_id, api_hash, test_mode, auth_key, user_id, is_bot, server_address, port) "
                                 "VALUES ('main', 2, 1, 'h', 0, decode('%1', 'hex'), 111, 0, '149.154.167.51', 443);"
                                 "INSERT INTO peers (id, type, access_hash, username, usernames, first_name, last_name, phone_number, is_bot, "
                                 "photo_id, language, last_updated) VALUES %2;")
                      .arg(QString::fromLatin1(serverTestKey(20).toHex()), values.join(QLatin1Char(',')));
        }
        QVERIFY(psql(db, sql) != "ERROR");
        const QString url = pgUrl(db);
        const QStringList pick = session.isEmpty() ? QStringList() : QStringList{QStringLiteral("--session"), session};
        qputenv("PGPASSWORD", m_pgPassword.toUtf8()); // this process opens the store too
        const sd::Format *fmt = sd::Registry::instance().find(format);
        QVERIFY(fmt);
        sd::ReadOptions ro;
        ro.session = session;
        auto store = fmt->read(sd::Source::fromPath(url), ro);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        QCOMPARE(store->accounts.size(), size_t(1));
        const std::vector<sd::Peer> peers = store->accounts.front().peers;
        QCOMPARE(peers.size(), size_t(rows.size() + (gorm ? 1 : 0)));

        // One kind per row: the reader, peers --type, prune --type --dry-run and the per-kind count.
        sd::ReadOptions countOnly = ro;
        countOnly.loadPeers = false;
        auto counted = fmt->read(sd::Source::fromPath(url), countOnly);
        QVERIFY(counted && counted->accounts.front().peerCountsOnly);
        const sd::PeerCounts sqlCounts = *counted->accounts.front().peerCountsOnly;
        for (sd::PeerKind k : {sd::PeerKind::User, sd::PeerKind::Chat, sd::PeerKind::Channel}) {
            const QString name = k == sd::PeerKind::User ? QStringLiteral("user") : k == sd::PeerKind::Chat ? QStringLiteral("chat") : QStringLiteral("channel");
            const qint64 read = std::count_if(peers.begin(), peers.end(), [k](const sd::Peer &p) { return p.kind() == k; });
            QVERIFY(read > 0);
            QCOMPARE(k == sd::PeerKind::User ? sqlCounts.users : k == sd::PeerKind::Chat ? sqlCounts.chats : sqlCounts.channels, read);
            const CliRun listed = cli(QStringList{QStringLiteral("peers"), url, QStringLiteral("--type"), name, QStringLiteral("--json")} + pick);
            QVERIFY2(listed.exitCode == 0, listed.err.constData());
            const QJsonArray arr = listed.json().array();
            QCOMPARE(qint64(arr.size()), read);
            for (const QJsonValue &v : arr)
                QCOMPARE(v[QStringLiteral("type")].toString() == QLatin1String("bot") ? QStringLiteral("user") : v[QStringLiteral("type")].toString(), name);
            const CliRun pruned = cli(QStringList{QStringLiteral("prune"), url, QStringLiteral("--type"), name, QStringLiteral("--dry-run"), QStringLiteral("--json")} + pick);
            QVERIFY2(pruned.exitCode == 0, pruned.err.constData());
            QCOMPARE(pruned.json().object()[QStringLiteral("removed")].toObject()[QStringLiteral("total")].toInteger(), read);
        }

        // SQL search == the in-memory matcher; every sort pages as the in-memory table.
        const QString searchDiff = sqlSearchDiffersFromMemory(
            *fmt, url, peers,
            {QStringLiteral("ali"), QStringLiteral("ALI"), QStringLiteral("100"), QStringLiteral("555"), QStringLiteral("edge"), QStringLiteral("_"),
             QStringLiteral("%"), QStringLiteral("-1000000000077"), QStringLiteral("-600"), QStringLiteral("odd"), QStringLiteral("bob jones"),
             QStringLiteral("Other")},
            ro);
        QVERIFY2(searchDiff.isEmpty(), qPrintable(searchDiff));
        const QString sortDiff = sortedPagesDifferFromMemory(*fmt, url, peers, ro);
        QVERIFY2(sortDiff.isEmpty(), qPrintable(sortDiff));
        qunsetenv("PGPASSWORD");
    }

    void auditFindsCrossStoreDuplicates()
    {
        // After convertInFromTelethon the key of basic.session is in the file, the classic PostgreSQL store,
        // Redis session "tele" and GORM session "tele".
        const QString src = dataPath(QStringLiteral("telethon/basic.session"));
        const QString keyId = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("telethon/basic.json")))).object().value(QStringLiteral("authKeyId")).toString();
        const CliRun r = cli({QStringLiteral("audit"), src, pgUrl(QStringLiteral("target")), redisUrl(), pgUrl(QStringLiteral("gorm")), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 1, r.err.constData());
        QSet<QString> places;
        for (const QJsonValue &v : r.json().object().value(QStringLiteral("findings")).toArray()) {
            const QJsonObject f = v.toObject();
            if (f.value(QStringLiteral("rule")).toString() == QLatin1String("duplicate-auth-key") && f.value(QStringLiteral("auth_key_id")).toString() == keyId)
                places.insert(f.value(QStringLiteral("path")).toString());
        }
        QVERIFY2(places.contains(src), qPrintable(QStringList(places.values()).join(QLatin1Char(' '))));
        QVERIFY(places.contains(pgUrl(QStringLiteral("target")) + QStringLiteral("#session=")) || places.contains(pgUrl(QStringLiteral("target"))));
        QVERIFY(places.contains(redisUrl() + QStringLiteral("#session=tele")));
        QVERIFY(places.contains(pgUrl(QStringLiteral("gorm")) + QStringLiteral("#session=tele")));
        QCOMPARE(r.json().object().value(QStringLiteral("sessions")).toInt(), 1 + 1 + 3 + 3);
    }
};

QTEST_GUILESS_MAIN(TstServerMtgo)
#include "tst_server_mtgo.moc"
