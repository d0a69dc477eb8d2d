// Dedupe/repair: the exact preview (kind, id, action, kept row) on a crafted Telethon file, the fix
// (backup first, one transaction, self row untouched), and mtcute's JSON username arrays.
#include "testutil.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sdtest;

namespace {

QVariant sqlValue(const QString &path, const QStringList &statements)
{
    const QString conn = QStringLiteral("dd-%1").arg(quintptr(&statements));
    QVariant v;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), conn);
        db.setDatabaseName(path);
        if (!db.open())
            return QStringLiteral("open failed");
        QSqlQuery q(db);
        for (const QString &s : statements)
            if (!q.exec(s)) {
                qWarning() << s << q.lastError().text();
                return QStringLiteral("error");
            }
        if (q.next())
            v = q.value(0);
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(conn);
    return v;
}

using Issue = std::tuple<QString, qint64, QString, qint64, QString>; // kind, id, action, keeps (0 = null), username

QList<Issue> issuesOf(const QJsonObject &o)
{
    QList<Issue> out;
    for (const auto &v : o.value(QStringLiteral("issues")).toArray()) {
        const QJsonObject i = v.toObject();
        out << Issue{i.value(QStringLiteral("kind")).toString(), i.value(QStringLiteral("id")).toInteger(), i.value(QStringLiteral("action")).toString(),
                     i.value(QStringLiteral("keeps")).isNull() ? 0 : i.value(QStringLiteral("keeps")).toInteger(),
                     i.value(QStringLiteral("username")).toString()};
    }
    return out;
}

QString craftTelethon(const QString &dir)
{
    const QString p = dir + QStringLiteral("/d.session");
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QVariant r = sqlValue(p, {
        QStringLiteral("create table version (version integer primary key)"),
        QStringLiteral("create table sessions (dc_id integer primary key, server_address text, port integer, auth_key blob, takeout_id integer)"),
        QStringLiteral("create table entities (id integer primary key, hash integer not null, username text, phone integer, name text, date integer)"),
        QStringLiteral("create table sent_files (md5_digest blob, file_size integer, type integer, id integer, hash integer, primary key(md5_digest, file_size, type))"),
        QStringLiteral("create table update_state (id integer primary key, pts integer, qts integer, date integer, seq integer)"),
        QStringLiteral("insert into version values (7)"),
        QStringLiteral("insert into sessions values (2, '149.154.167.51', 443, randomblob(256), null)"),
        QStringLiteral("insert into entities values (0, 42, null, null, null, %1)").arg(now - 1000),
        QStringLiteral("insert into entities values (1000, 11, 'alice', null, 'Alice', %1)").arg(now - 10),
        QStringLiteral("insert into entities values (1001, 12, 'bob', null, 'Bob', %1)").arg(now - 5),
        QStringLiteral("insert into entities values (1002, 13, 'Alice', null, 'Alice Two', %1)").arg(now - 1),
        QStringLiteral("insert into entities values (-1000000000777, 77, 'chan', null, 'Chan', %1)").arg(now),
        QStringLiteral("insert into entities values (777, 77, null, null, 'Chan', %1)").arg(now - 1),
        QStringLiteral("insert into entities values (-555, 0, null, null, 'Group', %1)").arg(now),
        QStringLiteral("insert into entities values (555, 0, null, null, 'Group', %1)").arg(now),
        QStringLiteral("insert into entities values (-2000000000005, 5, null, null, 'Out of range', %1)").arg(now),
        QStringLiteral("insert into entities values (1003, 0, 'nohash', null, 'No Hash', %1)").arg(now),
        QStringLiteral("select count(*) from entities")});
    [&] { QCOMPARE(r.toLongLong(), qint64(10)); }();
    QFile::setPermissions(p, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return p;
}

} // namespace

class TestDedupe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void telethonPreviewThenFix()
    {
        QTemporaryDir d;
        const QString p = craftTelethon(d.path());
        const QByteArray before = fileSha256(p);
        const QList<Issue> expected = {
            {QStringLiteral("impossible-row"), -2000000000005LL, QStringLiteral("delete"), 0, QString()},
            {QStringLiteral("impossible-row"), 1003, QStringLiteral("delete"), 0, QString()},
            {QStringLiteral("marked-and-bare"), 555, QStringLiteral("delete"), -555, QString()},
            {QStringLiteral("marked-and-bare"), 777, QStringLiteral("delete"), -1000000000777LL, QString()},
            {QStringLiteral("username-conflict"), 1000, QStringLiteral("clear-username"), 1002, QStringLiteral("alice")},
        };

        // Preview (default) and --fix --dry-run: same report, nothing changes.
        for (const QStringList &extra : {QStringList{}, QStringList{QStringLiteral("--fix"), QStringLiteral("--dry-run")}}) {
            const CliRun r = runCli(QStringList{QStringLiteral("dedupe"), p, QStringLiteral("--json")} + extra);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QJsonObject o = r.json().object();
            QCOMPARE(issuesOf(o), expected);
            QCOMPARE(o.value(QStringLiteral("dry_run")).toBool(), true);
            QCOMPARE(o.value(QStringLiteral("fixed")).toBool(), false);
            QVERIFY(o.value(QStringLiteral("backup")).isNull());
            const QJsonObject c = o.value(QStringLiteral("counts")).toObject();
            QCOMPARE(c.value(QStringLiteral("impossible-row")).toInteger(), qint64(2));
            QCOMPARE(c.value(QStringLiteral("marked-and-bare")).toInteger(), qint64(2));
            QCOMPARE(c.value(QStringLiteral("username-conflict")).toInteger(), qint64(1));
            QCOMPARE(fileSha256(p), before);
        }

        const CliRun f = runCli({QStringLiteral("dedupe"), p, QStringLiteral("--fix"), QStringLiteral("--json")});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        const QJsonObject o = f.json().object();
        QCOMPARE(o.value(QStringLiteral("fixed")).toBool(), true);
        QCOMPARE(issuesOf(o), expected);
        QCOMPARE(o.value(QStringLiteral("rows_before")).toInteger(), qint64(10));
        QCOMPARE(o.value(QStringLiteral("rows_after")).toInteger(), qint64(6));
        const QString backup = o.value(QStringLiteral("backup")).toString();
        QCOMPARE(fileSha256(backup), before);
        QCOMPARE(fileMode(backup), 0600);
        QCOMPARE(sqlValue(p, {QStringLiteral("select group_concat(id) from (select id from entities order by id)")}).toString(),
                 QStringLiteral("-1000000000777,-555,0,1000,1001,1002"));
        QVERIFY(sqlValue(p, {QStringLiteral("select username from entities where id = 1000")}).isNull());
        QCOMPARE(sqlValue(p, {QStringLiteral("select username from entities where id = 1002")}).toString(), QStringLiteral("Alice"));
        QCOMPARE(sqlValue(p, {QStringLiteral("select hash from entities where id = 0")}).toLongLong(), qint64(42));
        QCOMPARE(sqlValue(p, {QStringLiteral("pragma integrity_check")}).toString(), QStringLiteral("ok"));

        // Nothing left to do.
        const CliRun again = runCli({QStringLiteral("dedupe"), p, QStringLiteral("--json")});
        QCOMPARE(again.exitCode, 0);
        QVERIFY(issuesOf(again.json().object()).isEmpty());
        // Human output names the issues.
        const CliRun human = runCli({QStringLiteral("dedupe"), backup, QStringLiteral("--format"), QStringLiteral("telethon-sqlite")});
        QCOMPARE(human.exitCode, 0);
        QVERIFY(human.out.contains("marked-and-bare"));
        QVERIFY(human.out.contains("--fix"));
    }

    void mtcuteJsonUsernames()
    {
        QTemporaryDir d;
        const QString p = copyTo(dataPath(QStringLiteral("mtcute/basic.sqlite")), d.path());
        const qint64 a = sqlValue(p, {QStringLiteral("select id from peers where id > 0 order by id limit 1")}).toLongLong();
        const qint64 b = sqlValue(p, {QStringLiteral("select id from peers where id > 0 order by id limit 1 offset 1")}).toLongLong();
        QVERIFY(a > 0 && b > 0 && a != b);
        sqlValue(p, {QStringLiteral("update peers set usernames = '[\"dup\",\"keepme\"]', updated = 1000 where id = %1").arg(a),
                     QStringLiteral("update peers set usernames = '[\"DUP\"]', updated = 2000 where id = %1").arg(b)});
        const CliRun r = runCli({QStringLiteral("dedupe"), p, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QList<Issue> conflicts;
        for (const Issue &i : issuesOf(r.json().object()))
            if (std::get<0>(i) == QLatin1String("username-conflict"))
                conflicts << i;
        QCOMPARE(conflicts, (QList<Issue>{{QStringLiteral("username-conflict"), a, QStringLiteral("clear-username"), b, QStringLiteral("dup")}}));
        const CliRun f = runCli({QStringLiteral("dedupe"), p, QStringLiteral("--fix"), QStringLiteral("--no-backup"), QStringLiteral("--json")});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        QVERIFY(f.json().object().value(QStringLiteral("backup")).isNull());
        QCOMPARE(sqlValue(p, {QStringLiteral("select usernames from peers where id = %1").arg(a)}).toString(), QStringLiteral("[\"keepme\"]"));
        QCOMPARE(sqlValue(p, {QStringLiteral("select usernames from peers where id = %1").arg(b)}).toString(), QStringLiteral("[\"DUP\"]"));
    }

    void kurigramUsernamesTable()
    {
        QTemporaryDir d;
        const QString p = d.filePath(QStringLiteral("k.session"));
        // Kurigram v7 (2.3): no peers.username column; usernames(id, username), several rows per peer.
        const QVariant r = sqlValue(p, {
            QStringLiteral("CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, server_address TEXT, port INTEGER, api_id INTEGER, test_mode INTEGER, auth_key BLOB, date INTEGER NOT NULL, user_id INTEGER, is_bot INTEGER)"),
            QStringLiteral("CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER, type INTEGER NOT NULL, phone_number TEXT, last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)))"),
            QStringLiteral("CREATE TABLE usernames (id INTEGER, username TEXT, FOREIGN KEY (id) REFERENCES peers(id))"),
            QStringLiteral("CREATE TABLE update_state (id INTEGER PRIMARY KEY, pts INTEGER, qts INTEGER, date INTEGER, seq INTEGER)"),
            QStringLiteral("CREATE TABLE version (number INTEGER PRIMARY KEY)"),
            QStringLiteral("CREATE TRIGGER trg_peers_last_update_on AFTER UPDATE ON peers BEGIN UPDATE peers SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER) WHERE id = NEW.id; END"),
            QStringLiteral("INSERT INTO version VALUES (7)"),
            QStringLiteral("INSERT INTO sessions VALUES (2, '149.154.167.51', 443, 1, 0, randomblob(256), 0, 99, 0)"),
            QStringLiteral("INSERT INTO peers VALUES (501, 1, 'user', NULL, 1000), (502, 2, 'user', NULL, 2000), (503, 3, 'bot', NULL, 3000)"),
            QStringLiteral("INSERT INTO usernames VALUES (501, 'shared'), (501, 'mine'), (502, 'Shared'), (503, 'other')"),
            QStringLiteral("SELECT count(*) FROM usernames")});
        QCOMPARE(r.toLongLong(), qint64(4));
        QFile::setPermissions(p, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const CliRun f = runCli({QStringLiteral("dedupe"), p, QStringLiteral("--format"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("--fix"), QStringLiteral("--json")});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        QCOMPARE(issuesOf(f.json().object()),
                 (QList<Issue>{{QStringLiteral("username-conflict"), 501, QStringLiteral("drop-username-row"), 502, QStringLiteral("shared")}}));
        QCOMPARE(sqlValue(p, {QStringLiteral("SELECT group_concat(id || ':' || username) FROM (SELECT * FROM usernames ORDER BY id, username)")}).toString(),
                 QStringLiteral("501:mine,502:Shared,503:other"));
        // timestamps untouched (the trigger was not fired), trigger restored
        QCOMPARE(sqlValue(p, {QStringLiteral("SELECT sum(last_update_on) FROM peers")}).toLongLong(), qint64(6000));
        QCOMPARE(sqlValue(p, {QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")}).toLongLong(), qint64(1));
    }

    void refusals()
    {
        QTemporaryDir d;
        QCOMPARE(runCli({QStringLiteral("dedupe")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("dedupe"), d.filePath(QStringLiteral("none.session"))}).exitCode, 3);
        // string sources have no peer cache
        const QString s = d.filePath(QStringLiteral("s.txt"));
        QFile f(s);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray line = readAll(dataPath(QStringLiteral("strings/cases.jsonl"))).split('\n').first();
        f.write(QJsonDocument::fromJson(line).object().value(QStringLiteral("strings")).toObject().value(QStringLiteral("telethon-string")).toString().toLatin1());
        f.close();
        QCOMPARE(runCli({QStringLiteral("dedupe"), s}).exitCode, 3);
    }
};

QTEST_GUILESS_MAIN(TestDedupe)
#include "tst_dedupe.moc"
