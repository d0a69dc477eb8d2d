// telethon-sqlite (Telethon v1) and telethon2-sqlite (Telethon v2, version 10), writing: the writers
// produce the exact schemas, round trips are lossless (v1, v2 and v1 -> v2 -> v1), and the older
// Telethon v2 layout reads.
#include "format/registry.h"
#include "sessiondiff.h"
#include "telethonsqlitetestutil.h"
#include "testutil.h"
#include "tools/sqlitebuild.h"
#include "tools/telethonbuild.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace telethontest;
using sdtest::SqlFile;
using sdtest::richSession;

class TstTelethonSqliteWrite : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void writesVersion7Schema()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("w.session"));
        Session s = richSession();
        s.dcs.front().authKey = SecretBytes();
        WriteOptions wo;
        QVERIFY(sdtest::format("telethon-sqlite").write(storeOf(s), out, wo).ok());
        QCOMPARE(sdtest::fileMode(out), 0600);
        SqlFile f(out);
        QCOMPARE(f.tables(), (QStringList{QStringLiteral("entities"), QStringLiteral("sent_files"), QStringLiteral("sessions"),
                                          QStringLiteral("update_state"), QStringLiteral("version")}));
        QCOMPARE(f.columns(QStringLiteral("sessions")),
                 (QStringList{QStringLiteral("dc_id"), QStringLiteral("server_address"), QStringLiteral("port"), QStringLiteral("auth_key"),
                              QStringLiteral("takeout_id")}));
        QCOMPARE(f.columns(QStringLiteral("entities")),
                 (QStringList{QStringLiteral("id"), QStringLiteral("hash"), QStringLiteral("username"), QStringLiteral("phone"),
                              QStringLiteral("name"), QStringLiteral("date")}));
        QCOMPARE(f.scalar(QStringLiteral("select version from version")).toInt(), 7);
        QCOMPARE(f.scalar(QStringLiteral("select count(*) from version")).toInt(), 1);
        // No key: an empty BLOB, as Telethon writes b''.
        QCOMPARE(f.scalar(QStringLiteral("select typeof(auth_key) from sessions")).toString(), QStringLiteral("blob"));
        QCOMPARE(f.scalar(QStringLiteral("select hash from entities where id = 0")).toLongLong(), Q_INT64_C(7000000001));
        QCOMPARE(f.scalar(QStringLiteral("select typeof(phone) from entities where id = 1001")).toString(), QStringLiteral("integer"));
        QCOMPARE(f.scalar(QStringLiteral("select pts from update_state where id = 1234567890")).toInt(), 55);
        QCOMPARE(f.scalar(QStringLiteral("select count(*) from update_state")).toInt(), 3);
        // Refuses an existing output unless forced.
        auto again = sdtest::format("telethon-sqlite").write(storeOf(s), out, wo);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::Output);
        wo.force = true;
        QVERIFY(sdtest::format("telethon-sqlite").write(storeOf(s), out, wo).ok());
    }

    void roundTripTelethonLossless()
    {
        QTemporaryDir dir;
        const Session s = richSession();
        const QString a = dir.filePath(QStringLiteral("a.session"));
        QVERIFY(sdtest::format("telethon-sqlite").write(storeOf(s), a, {}).ok());
        auto back = readFile("telethon-sqlite", a);
        QVERIFY(back.ok());
        Session expect = s;
        expect.testMode = false; // inferred from the production DC address
        const QStringList d = sdtest::diffSessions(expect, back->accounts.front());
        QVERIFY2(d.isEmpty(), qPrintable(d.join(QLatin1Char('\n'))));
        QCOMPARE(back->accounts.front().takeoutId, s.takeoutId);

        // The real fixture: read -> write -> read is identical (extra: the sent_files cache too).
        auto fx = readFile("telethon-sqlite", sdtest::dataPath(QStringLiteral("telethon/basic.session")));
        QVERIFY(fx.ok());
        const QString b = dir.filePath(QStringLiteral("b.session"));
        QVERIFY(sdtest::format("telethon-sqlite").write(*fx, b, {}).ok());
        auto fx2 = readFile("telethon-sqlite", b);
        QVERIFY(fx2.ok());
        sdtest::DiffOptions all;
        all.extra = true;
        const QStringList d2 = sdtest::diffSessions(fx->accounts.front(), fx2->accounts.front(), all);
        QVERIFY2(d2.isEmpty(), qPrintable(d2.join(QLatin1Char('\n'))));
    }

    void telethon2ReadWrite()
    {
        QTemporaryDir dir;
        Session s = richSession();
        s.peers.clear();
        s.takeoutId.reset();
        s.isBot = true;
        s.username = QStringLiteral("owner_name");
        s.testMode = false;
        DcAuth &d4 = s.upsertDc(4);
        d4.address = QStringLiteral("2001:67c:4e8:f004::a");
        d4.ipv6 = true;
        d4.port = 443;
        d4.authKey = SecretBytes::fromByteArray(sdtest::testKey(4));
        const QString out = dir.filePath(QStringLiteral("v2.session"));
        QVERIFY(sdtest::format("telethon2-sqlite").write(storeOf(s), out, {}).ok());
        {
            SqlFile f(out);
            QCOMPARE(f.scalar(QStringLiteral("select version from version")).toInt(), 10);
            QCOMPARE(f.columns(QStringLiteral("datacenter")),
                     (QStringList{QStringLiteral("id"), QStringLiteral("ipv4_addr"), QStringLiteral("ipv6_addr"), QStringLiteral("auth")}));
            QCOMPARE(f.scalar(QStringLiteral("select ipv4_addr from datacenter where id = 2")).toString(), QStringLiteral("149.154.167.51:443"));
            QCOMPARE(f.scalar(QStringLiteral("select dc from user")).toInt(), 2);
            QCOMPARE(f.scalar(QStringLiteral("select count(*) from channelstate")).toInt(), 2);
        }
        Probe probe = *Probe::fromSource(Source::fromPath(out));
        auto det = Registry::instance().detect(probe);
        QVERIFY(det.ok());
        QCOMPARE((*det)->id(), QStringLiteral("telethon2-sqlite"));
        auto back = readFile("telethon2-sqlite", out);
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        QCOMPARE(back->formatVersion.value_or(0), 10);
        const Session &r = back->accounts.front();
        const QStringList d = sdtest::diffSessions(s, r);
        QVERIFY2(d.isEmpty(), qPrintable(d.join(QLatin1Char('\n'))));
        QCOMPARE(r.username.value_or(QString()), QStringLiteral("owner_name"));

        // Telethon v1 -> v2 -> v1 keeps everything both carry (v2 has no peer cache).
        const QString v1 = dir.filePath(QStringLiteral("v1.session"));
        Session one = richSession();
        one.takeoutId.reset();
        WriteOptions force;
        force.force = true;
        QVERIFY(sdtest::format("telethon2-sqlite").write(storeOf(one), out, force).ok());
        auto mid = readFile("telethon2-sqlite", out);
        QVERIFY(mid.ok());
        QVERIFY(sdtest::format("telethon-sqlite").write(*mid, v1, {}).ok());
        auto end = readFile("telethon-sqlite", v1);
        QVERIFY(end.ok());
        sdtest::DiffOptions noPeers;
        noPeers.peers = false;
        one.testMode = false;
        const QStringList d3 = sdtest::diffSessions(one, end->accounts.front(), noPeers);
        QVERIFY2(d3.isEmpty(), qPrintable(d3.join(QLatin1Char('\n'))));
    }

    void telethon2OlderLayout()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("alpha.session"));
        {
            SqlFile f(path);
            SQL_OK(f.script({QStringLiteral("create table version (version integer primary key)"),
                             QStringLiteral("create table datacenter(id integer primary key, addr text not null, auth blob)"),
                             QStringLiteral("create table user(id integer primary key, dc integer not null, bot integer not null)"),
                             QStringLiteral("create table state(pts integer not null, qts integer not null, date integer not null, seq integer not null)"),
                             QStringLiteral("create table channelstate(id integer primary key, pts integer not null)"),
                             QStringLiteral("insert into version values (10)"),
                             QStringLiteral("insert into user values (8919848716, 5, 0)"),
                             QStringLiteral("insert into state values (11, 12, 1700000000, 13)"),
                             QStringLiteral("insert into channelstate values (777, 3)")}));
            SQL_OK(f.exec(QStringLiteral("insert into datacenter values (5, '91.108.56.197:443', ?)"), {sdtest::testKey(5)}));
            SQL_OK(f.exec(QStringLiteral("insert into datacenter values (2, '149.154.167.51:443', NULL)")));
        }
        auto st = readFile("telethon2-sqlite", path);
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        const Session &s = st->accounts.front();
        QCOMPARE(s.dcId, 5);
        QCOMPARE(s.userId.value_or(0), Q_INT64_C(8919848716));
        QCOMPARE(s.isBot, std::optional<bool>(false));
        QCOMPARE(s.primary()->address, QStringLiteral("91.108.56.197"));
        QCOMPARE(s.primary()->port, 443);
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(sdtest::testKey(5)));
        QCOMPARE(s.dcs.size(), size_t(2));
        QCOMPARE(s.updateState->qts.value_or(0), qint64(12));
        QCOMPARE(s.updateState->channelPts.value(777), qint64(3));
        // v1 <-> v2 mix-ups are named.
        auto wrong = readFile("telethon-sqlite", path);
        QVERIFY(!wrong.ok());
        QVERIFY(wrong.error().message.contains(QStringLiteral("telethon2-sqlite")));
    }
};

QTEST_GUILESS_MAIN(TstTelethonSqliteWrite)
#include "tst_telethonsqlitewrite.moc"
