// Prune: removed counts equal an SQL count of the same condition, the dry run changes nothing
// (sha256), the backup restores byte for byte, the self row survives, locks are refused, and the
// speed stays within 2x of sqlite3's own DELETE + VACUUM.
#include "testutil.h"

#include "format/registry.h"
#include "prune/prune.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sdtest;

namespace {

const qint64 kNow = QDateTime::currentSecsSinceEpoch();

// Runs statements on a database file and returns the first column of the last one's first row.
qint64 sql(const QString &path, const QStringList &statements)
{
    const QString conn = QStringLiteral("t-%1").arg(quintptr(&path));
    qint64 v = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), conn);
        db.setDatabaseName(path);
        if (!db.open())
            return -2;
        QSqlQuery q(db);
        for (const QString &s : statements) {
            if (!q.exec(s)) {
                qWarning() << s << q.lastError().text();
                return -3;
            }
        }
        if (q.next())
            v = q.value(0).toLongLong();
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(conn);
    return v;
}
qint64 sql(const QString &path, const QString &statement) { return sql(path, QStringList{statement}); }

// The Telethon fixture with a self row, spread dates (0..9 x 10 days old) and some phones.
QString telethonCopy(const QString &dir, const QString &name = QStringLiteral("t.session"))
{
    const QString p = dir + QLatin1Char('/') + name;
    QFile::copy(dataPath(QStringLiteral("telethon/basic.session")), p);
    QFile::setPermissions(p, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    sql(p, {QStringLiteral("UPDATE entities SET date = %1 - (abs(id) % 10) * 864000 - 43200").arg(kNow),
            QStringLiteral("UPDATE entities SET phone = 79000000000 + id WHERE id > 0 AND id % 3 = 0"),
            QStringLiteral("INSERT OR REPLACE INTO entities (id, hash, username, phone, name, date) VALUES (0, 123456789, NULL, NULL, NULL, %1)").arg(kNow - 400 * 86400)});
    return p;
}

QJsonObject prune(const QStringList &args, int expectExit = 0)
{
    const CliRun r = runCli(QStringList{QStringLiteral("prune")} + args + QStringList{QStringLiteral("--json")});
    if (r.exitCode != expectExit)
        qWarning() << "prune" << args << "exit" << r.exitCode << r.err;
    [&] { QCOMPARE(r.exitCode, expectExit); }();
    return r.json().object();
}

qint64 removedTotal(const QJsonObject &o) { return o.value(QStringLiteral("removed")).toObject().value(QStringLiteral("total")).toInteger(); }
qint64 removedOf(const QJsonObject &o, const char *k) { return o.value(QStringLiteral("removed")).toObject().value(QLatin1String(k)).toInteger(); }

const char *kKind = "CASE WHEN id > 0 THEN 'users' WHEN id > -1000000000000 THEN 'chats' ELSE 'channels' END";

} // namespace

class TestPrune : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dryRunEqualsRealRunAndChangesNothing()
    {
        QTemporaryDir d;
        const QString p = telethonCopy(d.path());
        const QString cond = QStringLiteral("id <> 0 AND date < %1").arg(kNow - 45 * 86400);
        const qint64 expect = sql(p, QStringLiteral("SELECT count(*) FROM entities WHERE %1").arg(cond));
        QVERIFY(expect > 10);
        const QByteArray before = fileSha256(p);
        const QStringList args = {p, QStringLiteral("--older-than"), QStringLiteral("45")};

        const QJsonObject dry = prune(args + QStringList{QStringLiteral("--dry-run")});
        QCOMPARE(dry.value(QStringLiteral("dry_run")).toBool(), true);
        QCOMPARE(removedTotal(dry), expect);
        for (const char *k : {"users", "chats", "channels"})
            QCOMPARE(removedOf(dry, k), sql(p, QStringLiteral("SELECT count(*) FROM entities WHERE %1 AND %2 = '%3'").arg(cond, QLatin1String(kKind), QLatin1String(k))));
        QVERIFY(dry.value(QStringLiteral("backup")).isNull());
        QCOMPARE(fileSha256(p), before);
        QCOMPARE(QDir(d.path()).entryList(QDir::Files).size(), 1); // no backup, no journal left behind

        const qint64 rowsBefore = sql(p, QStringLiteral("SELECT count(*) FROM entities"));
        const QJsonObject real = prune(args);
        QCOMPARE(real.value(QStringLiteral("dry_run")).toBool(), false);
        QCOMPARE(real.value(QStringLiteral("removed")).toObject(), dry.value(QStringLiteral("removed")).toObject());
        QCOMPARE(real.value(QStringLiteral("kept")).toInteger(), dry.value(QStringLiteral("kept")).toInteger());
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM entities")), rowsBefore - expect);
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM entities WHERE %1").arg(cond)), qint64(0));
        QCOMPARE(real.value(QStringLiteral("kept")).toInteger(), sql(p, QStringLiteral("SELECT count(*) FROM entities WHERE id <> 0")));
        // self row (400 days old) survives, the session row too
        QCOMPARE(sql(p, QStringLiteral("SELECT hash FROM entities WHERE id = 0")), qint64(123456789));
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM sessions WHERE length(auth_key) = 256")), qint64(1));
        QCOMPARE(sql(p, QStringLiteral("PRAGMA integrity_check")), qint64(0)); // "ok" -> 0
        // backup: next to the file, 0600, byte-identical to the original
        const QString backup = real.value(QStringLiteral("backup")).toString();
        QVERIFY(backup.startsWith(p + QStringLiteral(".bak-")));
        QVERIFY(QRegularExpression(QStringLiteral("\\.bak-\\d{8}-\\d{6}(-\\d+)?$")).match(backup).hasMatch());
        QCOMPARE(fileMode(backup), 0600);
        QCOMPARE(fileSha256(backup), before);
        QCOMPARE(real.value(QStringLiteral("bytes_before")).toInteger(), qint64(QFileInfo(backup).size()));
        QCOMPARE(real.value(QStringLiteral("bytes_after")).toInteger(), qint64(QFileInfo(p).size()));
        // restoring the backup gives the original back
        QVERIFY(QFile::remove(p));
        QVERIFY(QFile::copy(backup, p));
        QCOMPARE(fileSha256(p), before);
        // a second real run right away does not overwrite the first backup
        const QJsonObject again = prune(args);
        QVERIFY(again.value(QStringLiteral("backup")).toString() != backup);
        QCOMPARE(fileSha256(backup), before);
    }

    void keepNewestTypesPhonesClear()
    {
        QTemporaryDir d;
        const QString p = telethonCopy(d.path());
        // keep-newest: exactly the 10 newest (date desc, id desc) remain
        const QString top10 = QStringLiteral("SELECT sum(id) + count(*) * 1000003 FROM (SELECT id FROM entities WHERE id <> 0 ORDER BY date DESC, id DESC LIMIT 10)");
        const qint64 expectTop = sql(p, top10);
        const QJsonObject o = prune({p, QStringLiteral("--keep-newest"), QStringLiteral("10"), QStringLiteral("--no-backup")});
        QVERIFY(o.value(QStringLiteral("backup")).isNull());
        QCOMPARE(o.value(QStringLiteral("kept")).toInteger(), qint64(10));
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM entities WHERE id <> 0")), qint64(10));
        QCOMPARE(sql(p, top10), expectTop); // exactly the 10 newest stayed
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM entities WHERE id = 0")), qint64(1));
        QCOMPARE(QDir(d.path()).entryList(QDir::Files).size(), 1);

        // --type chat removes exactly the basic groups
        const QString p2 = telethonCopy(d.path(), QStringLiteral("t2.session"));
        const qint64 chats = sql(p2, QStringLiteral("SELECT count(*) FROM entities WHERE id < 0 AND id > -1000000000000"));
        QVERIFY(chats > 0);
        const QJsonObject t = prune({p2, QStringLiteral("--type"), QStringLiteral("chat"), QStringLiteral("--no-backup")});
        QCOMPARE(removedTotal(t), chats);
        QCOMPARE(removedOf(t, "chats"), chats);
        QCOMPARE(sql(p2, QStringLiteral("SELECT count(*) FROM entities WHERE id < 0 AND id > -1000000000000")), qint64(0));

        // --older-than with --type user: channels and chats untouched
        const QString p3 = telethonCopy(d.path(), QStringLiteral("t3.session"));
        const qint64 oldUsers = sql(p3, QStringLiteral("SELECT count(*) FROM entities WHERE id > 0 AND date < %1").arg(kNow - 30 * 86400));
        const qint64 others = sql(p3, QStringLiteral("SELECT count(*) FROM entities WHERE id < 0"));
        const QJsonObject ou = prune({p3, QStringLiteral("--older-than"), QStringLiteral("30"), QStringLiteral("--type"), QStringLiteral("user"), QStringLiteral("--no-backup")});
        QCOMPARE(removedTotal(ou), oldUsers);
        QCOMPARE(sql(p3, QStringLiteral("SELECT count(*) FROM entities WHERE id < 0")), others);

        // --drop-phones clears phones of the rows that stay, removes nothing
        const QString p4 = telethonCopy(d.path(), QStringLiteral("t4.session"));
        const qint64 phones = sql(p4, QStringLiteral("SELECT count(*) FROM entities WHERE phone IS NOT NULL"));
        QVERIFY(phones > 0);
        const QJsonObject ph = prune({p4, QStringLiteral("--drop-phones"), QStringLiteral("--no-backup")});
        QCOMPARE(ph.value(QStringLiteral("phones_cleared")).toInteger(), phones);
        QCOMPARE(removedTotal(ph), qint64(0));
        QCOMPARE(sql(p4, QStringLiteral("SELECT count(*) FROM entities WHERE phone IS NOT NULL")), qint64(0));

        // --clear: everything but the self row
        const QJsonObject c = prune({p4, QStringLiteral("--clear"), QStringLiteral("--no-backup")});
        QCOMPARE(c.value(QStringLiteral("kept")).toInteger(), qint64(0));
        QCOMPARE(sql(p4, QStringLiteral("SELECT count(*) FROM entities")), qint64(1));
        QCOMPARE(sql(p4, QStringLiteral("SELECT id FROM entities")), qint64(0));
    }

    void pyrogramTriggerAndUsernames()
    {
        QTemporaryDir d;
        const QString p = d.filePath(QStringLiteral("p.session"));
        // Pyrofork v4 layout (2.1 + 2.4): peers with the last_update_on trigger, usernames(id TEXT, peer_id).
        QCOMPARE(sql(p, {QStringLiteral("CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, api_id INTEGER, test_mode INTEGER, auth_key BLOB, date INTEGER NOT NULL, user_id INTEGER, is_bot INTEGER)"),
                         QStringLiteral("CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER, type INTEGER NOT NULL, username TEXT, phone_number TEXT, last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)))"),
                         QStringLiteral("CREATE TABLE version (number INTEGER PRIMARY KEY)"),
                         QStringLiteral("CREATE TABLE update_state (id INTEGER PRIMARY KEY, pts INTEGER, qts INTEGER, date INTEGER, seq INTEGER)"),
                         QStringLiteral("CREATE TABLE usernames (id TEXT PRIMARY KEY, peer_id INTEGER NOT NULL, last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)))"),
                         QStringLiteral("CREATE TRIGGER trg_peers_last_update_on AFTER UPDATE ON peers BEGIN UPDATE peers SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER) WHERE id = NEW.id; END"),
                         QStringLiteral("INSERT INTO version VALUES (4)"),
                         QStringLiteral("INSERT INTO sessions VALUES (2, 12345, 0, zeroblob(256), 0, 777, 0)"),
                         QStringLiteral("INSERT INTO peers VALUES (1001, 11, 'user', 'a', '79001', %1)").arg(kNow - 100 * 86400),
                         QStringLiteral("INSERT INTO peers VALUES (1002, 12, 'user', 'b', '79002', %1)").arg(kNow - 5 * 86400),
                         QStringLiteral("INSERT INTO peers VALUES (-1000000000777, 13, 'channel', 'c', NULL, %1)").arg(kNow - 100 * 86400),
                         QStringLiteral("INSERT INTO usernames (id, peer_id) VALUES ('a2', 1001), ('b2', 1002), ('c2', -1000000000777)"),
                         QStringLiteral("SELECT 1")}),
                 qint64(1));
        QFile::setPermissions(p, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const QJsonObject o = prune({p, QStringLiteral("--format"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("--older-than"), QStringLiteral("30"),
                                     QStringLiteral("--drop-phones"), QStringLiteral("--no-backup")});
        QCOMPARE(removedOf(o, "users"), qint64(1));
        QCOMPARE(removedOf(o, "channels"), qint64(1));
        QCOMPARE(o.value(QStringLiteral("phones_cleared")).toInteger(), qint64(1));
        // the survivor kept its own timestamp (the trigger did not fire) and the trigger is back
        QCOMPARE(sql(p, QStringLiteral("SELECT last_update_on FROM peers WHERE id = 1002")), kNow - 5 * 86400);
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM peers WHERE phone_number IS NOT NULL")), qint64(0));
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")), qint64(1));
        // usernames of removed peers are gone
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM usernames")), qint64(1));
        QCOMPARE(sql(p, QStringLiteral("SELECT peer_id FROM usernames")), qint64(1002));
    }

    void mtcuteMilliseconds()
    {
        QTemporaryDir d;
        const QString p = copyTo(dataPath(QStringLiteral("mtcute/basic.sqlite")), d.path());
        const qint64 newest = sql(p, QStringLiteral("SELECT max(updated) FROM peers")) / 1000;
        // spread: each peer (updated/1000 - (abs(id) % 7) days)
        QVERIFY(sql(p, QStringLiteral("UPDATE peers SET updated = updated - (abs(id) % 7) * 86400000")) == -1);
        const qint64 days = (kNow - newest) / 86400 + 3;
        const qint64 expect = sql(p, QStringLiteral("SELECT count(*) FROM peers WHERE updated / 1000 < %1").arg(kNow - days * 86400));
        QVERIFY(expect > 0);
        const QJsonObject o = prune({p, QStringLiteral("--older-than"), QString::number(days), QStringLiteral("--dry-run")});
        QCOMPARE(removedTotal(o), expect);
    }

    void mtcuteMessageRefsFollowTheirPeers()
    {
        QTemporaryDir d;
        const QString p = copyTo(dataPath(QStringLiteral("mtcute/basic.sqlite")), d.path());
        // Two refs for a peer that stays (the newest) and one for a peer that goes (the oldest).
        const qint64 keep = sql(p, QStringLiteral("SELECT id FROM peers ORDER BY updated DESC, id LIMIT 1"));
        const qint64 drop = sql(p, QStringLiteral("SELECT id FROM peers ORDER BY updated ASC, id LIMIT 1"));
        QVERIFY(keep != drop);
        QCOMPARE(sql(p, {QStringLiteral("UPDATE peers SET updated = %1 WHERE id = %2").arg((kNow - 400 * 86400) * 1000).arg(drop),
                         QStringLiteral("UPDATE peers SET updated = %1 WHERE id = %2").arg(kNow * 1000).arg(keep),
                         QStringLiteral("INSERT INTO message_refs VALUES (%1, -1001500000003, 10), (%1, -1001500000003, 11), (%2, -1001500000003, 12)")
                             .arg(keep)
                             .arg(drop),
                         QStringLiteral("SELECT 1")}),
                 qint64(1));
        const qint64 old = sql(p, QStringLiteral("SELECT count(*) FROM peers WHERE updated / 1000 < %1").arg(kNow - 300 * 86400));
        QVERIFY(old >= 1);
        // A dry run changes nothing.
        const QJsonObject dry = prune({p, QStringLiteral("--older-than"), QStringLiteral("300"), QStringLiteral("--dry-run")});
        QCOMPARE(removedTotal(dry), old);
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM message_refs")), qint64(3));
        const QJsonObject o = prune({p, QStringLiteral("--older-than"), QStringLiteral("300"), QStringLiteral("--no-backup")});
        QCOMPARE(removedTotal(o), old);
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM peers WHERE id = %1").arg(drop)), qint64(0));
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM message_refs WHERE peer_id = %1").arg(drop)), qint64(0));
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM message_refs WHERE peer_id = %1").arg(keep)), qint64(2));
    }

    void refusals()
    {
        QTemporaryDir d;
        const QString p = telethonCopy(d.path());
        QCOMPARE(runCli({QStringLiteral("prune"), p}).exitCode, 2);                 // nothing to do
        QCOMPARE(runCli({QStringLiteral("prune"), p, QStringLiteral("--type"), QStringLiteral("robot")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("prune"), p, QStringLiteral("--older-than"), QStringLiteral("x")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("prune"), d.filePath(QStringLiteral("missing.session")), QStringLiteral("--clear")}).exitCode, 3);
        // A format without a peer cache
        const QString str = d.filePath(QStringLiteral("s.txt"));
        const QByteArray line = readAll(dataPath(QStringLiteral("strings/cases.jsonl"))).split('\n').first();
        QFile f(str);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument::fromJson(line).object().value(QStringLiteral("strings")).toObject().value(QStringLiteral("telethon-string")).toString().toLatin1());
        f.close();
        QCOMPARE(runCli({QStringLiteral("prune"), str, QStringLiteral("--clear")}).exitCode, 3);

        // A client holds the file: refused with exit 5 (output refused, unchanged) naming the lock.
        const QByteArray before = fileSha256(p);
        QProcess locker;
        locker.start(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral(
            "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')\n"
            "print('locked',flush=True)\nsys.stdin.read()\n"), p});
        QVERIFY(locker.waitForStarted());
        QVERIFY(locker.waitForReadyRead(10000));
        const CliRun r = runCli({QStringLiteral("prune"), p, QStringLiteral("--clear"), QStringLiteral("--format"), QStringLiteral("telethon-sqlite")});
        locker.closeWriteChannel();
        QVERIFY(locker.waitForFinished(10000));
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.err.contains("held by process"), r.err.constData());
        QCOMPARE(fileSha256(p), before);
        QCOMPARE(QDir(d.path()).entryList({QStringLiteral("*.bak-*")}, QDir::Files).size(), 0);
    }

    void inMemoryPolicy()
    {
        std::vector<sd::Peer> peers(6);
        for (int i = 0; i < 6; ++i) {
            peers[size_t(i)].id = 100 + i;
            peers[size_t(i)].type = i < 4 ? sd::PeerType::User : sd::PeerType::Channel;
            if (i != 2)
                peers[size_t(i)].updated = 1000 + i * 10;
            peers[size_t(i)].phone = QStringLiteral("7900%1").arg(i);
        }
        sd::PrunePolicy pol;
        pol.keepNewest = 2;
        qint64 phones = 0;
        // newest: 105 (1050), 104 (1040); 102 has no timestamp and goes last
        auto gone = sd::selectPeersToPrune(peers, pol, 5000, false, &phones);
        QCOMPARE(gone, (std::vector<size_t>{0, 1, 2, 3}));
        pol = {};
        pol.olderThanDays = 0;
        pol.types = {sd::PeerKind::User};
        pol.dropPhones = true;
        gone = sd::selectPeersToPrune(peers, pol, 1025, true, &phones);
        // 100 (1000), 101 (1010) older than 1025; 102 unknown -> kept; 103 (1030) kept
        QCOMPARE(gone, (std::vector<size_t>{0, 1}));
        QCOMPARE(phones, qint64(2)); // 102, 103 keep their rows and lose their phones
        QVERIFY(!peers[3].phone && !peers[2].phone && peers[4].phone);
    }

    void gogramCacheInMemory()
    {
        const sd::Format *f = sd::Registry::instance().find(QStringLiteral("gogram-cache"));
        QTemporaryDir d;
        const QString p = d.filePath(QStringLiteral("cache_777.db"));
        sd::Store st;
        st.formatId = f->id();
        sd::Session s;
        s.userId = 777;
        for (int i = 1; i <= 8; ++i) {
            sd::Peer peer;
            peer.id = i <= 5 ? 1000 + i : 5000 + i;
            peer.type = i <= 5 ? sd::PeerType::User : sd::PeerType::Channel;
            peer.accessHash = 900 + i;
            peer.usernames = {QStringLiteral("name%1").arg(i)};
            s.peers.push_back(peer);
        }
        st.accounts.push_back(s);
        sd::WriteOptions wo;
        QVERIFY(f->write(st, p, wo).ok());
        const QByteArray before = fileSha256(p);
        // no timestamps in a gogram cache: --older-than is a usage error
        QCOMPARE(runCli({QStringLiteral("prune"), p, QStringLiteral("--older-than"), QStringLiteral("3")}).exitCode, 2);
        const QJsonObject dry = prune({p, QStringLiteral("--type"), QStringLiteral("channel"), QStringLiteral("--dry-run")});
        QCOMPARE(removedOf(dry, "channels"), qint64(3));
        QCOMPARE(removedTotal(dry), qint64(3));
        QCOMPARE(dry.value(QStringLiteral("kept")).toInteger(), qint64(5));
        QCOMPARE(fileSha256(p), before);
        const QJsonObject real = prune({p, QStringLiteral("--type"), QStringLiteral("channel")});
        QCOMPARE(real.value(QStringLiteral("removed")).toObject(), dry.value(QStringLiteral("removed")).toObject());
        QCOMPARE(fileSha256(real.value(QStringLiteral("backup")).toString()), before);
        QCOMPARE(fileMode(p), 0600);
        sd::ReadOptions ro;
        auto back = f->read(sd::Source::fromPath(p), ro);
        QVERIFY(back.ok());
        QCOMPARE(back->accounts.front().peers.size(), size_t(5));
        for (const sd::Peer &peer : back->accounts.front().peers)
            QCOMPARE(peer.kind(), sd::PeerKind::User);
        // --keep-newest without timestamps keeps the largest ids
        const QJsonObject k = prune({p, QStringLiteral("--keep-newest"), QStringLiteral("2"), QStringLiteral("--no-backup")});
        QCOMPARE(removedTotal(k), qint64(3));
        back = f->read(sd::Source::fromPath(p), ro);
        QVERIFY(back.ok());
        QList<qint64> ids;
        for (const sd::Peer &peer : back->accounts.front().peers)
            ids << peer.id;
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, (QList<qint64>{1004, 1005}));
    }

    // The other SQLite peer caches, written by their own writers: removed counts equal SQL counts.
    void mtgoAndFerogram()
    {
        const sd::Registry &reg = sd::Registry::instance();
        QTemporaryDir d;
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        sd::Store st;
        sd::Session s;
        s.dcId = 2;
        s.testMode = false;
        s.userId = 4242;
        s.isBot = false;
        s.apiId = 1;
        sd::DcAuth &dc = s.upsertDc(2);
        dc.address = QStringLiteral("149.154.167.51");
        dc.port = 443;
        dc.authKey = sd::SecretBytes::random(256);
        for (int i = 0; i < 30; ++i) {
            sd::Peer peer;
            peer.id = 7000 + i;
            peer.type = i % 3 == 0 ? sd::PeerType::User : i % 3 == 1 ? sd::PeerType::Channel : sd::PeerType::Chat;
            peer.accessHash = peer.type == sd::PeerType::Chat ? 0 : 100 + i;
            peer.updated = now - i * 86400 - 3600;
            s.peers.push_back(peer);
        }
        st.accounts.push_back(s);
        for (const char *id : {"mtgo-sqlite", "ferogram-sqlite"}) {
            const sd::Format *f = reg.find(QString::fromLatin1(id));
            st.formatId = f->id();
            const QString p = d.filePath(QString::fromLatin1(id) + QStringLiteral(".db"));
            const auto w = f->write(st, p, sd::WriteOptions{});
            QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().message));
            const bool mtgo = QLatin1String(id) == QLatin1String("mtgo-sqlite");
            const QString channels = mtgo ? QStringLiteral("type = 2") : QStringLiteral("is_channel <> 0");
            const qint64 total = sql(p, QStringLiteral("SELECT count(*) FROM peers"));
            QVERIFY(total >= 20);
            if (mtgo) {
                const qint64 old = sql(p, QStringLiteral("SELECT count(*) FROM peers WHERE last_updated > 0 AND last_updated < %1").arg(now - 10 * 86400));
                QVERIFY(old > 0);
                const QJsonObject o = prune({p, QStringLiteral("--format"), QString::fromLatin1(id), QStringLiteral("--older-than"), QStringLiteral("10"), QStringLiteral("--no-backup")});
                QCOMPARE(removedTotal(o), old);
                QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM peers")), total - old);
            } else {
                QCOMPARE(runCli({QStringLiteral("prune"), p, QStringLiteral("--format"), QString::fromLatin1(id), QStringLiteral("--older-than"), QStringLiteral("10")}).exitCode, 2);
                const qint64 ch = sql(p, QStringLiteral("SELECT count(*) FROM peers WHERE %1").arg(channels));
                QVERIFY(ch > 0);
                const QJsonObject o = prune({p, QStringLiteral("--format"), QString::fromLatin1(id), QStringLiteral("--type"), QStringLiteral("channel"), QStringLiteral("--no-backup")});
                QCOMPARE(removedOf(o, "channels"), ch);
                QCOMPARE(removedTotal(o), ch);
                QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM peers WHERE %1").arg(channels)), qint64(0));
                // keep-newest without timestamps keeps the largest marked ids (prune.h): users (positive) before
                // basic groups (-id), so the three users with the largest ids
                QVERIFY(sql(p, QStringLiteral("SELECT count(*) FROM peers WHERE is_chat = 0 AND is_channel = 0")) >= 3);
                const qint64 top3 = sql(p, QStringLiteral("SELECT sum(id) FROM (SELECT id FROM peers WHERE is_chat = 0 AND is_channel = 0 ORDER BY id DESC LIMIT 3)"));
                const QJsonObject k = prune({p, QStringLiteral("--format"), QString::fromLatin1(id), QStringLiteral("--keep-newest"), QStringLiteral("3"), QStringLiteral("--no-backup")});
                QCOMPARE(k.value(QStringLiteral("kept")).toInteger(), qint64(3));
                QCOMPARE(sql(p, QStringLiteral("SELECT sum(id) FROM peers")), top3);
            }
        }
    }

    // mtgo never fills peers.last_updated (docs/formats.md 7.1): a file the library made has 0 in
    // every row, and a prune by age must say so instead of silently removing nothing.
    void mtgoFileByAgeSaysItHasNoTimestamps()
    {
        QTemporaryDir d;
        sd::Store st;
        sd::Session s = sampleAccount(sd::SecretBytes::random(256), 4242);
        for (int i = 0; i < 6; ++i) {
            sd::Peer peer;
            peer.id = 9000 + i;
            peer.type = i % 2 ? sd::PeerType::Channel : sd::PeerType::User;
            peer.accessHash = 500 + i;
            s.peers.push_back(peer);
        }
        st.accounts.push_back(s);
        const sd::Format *f = sd::Registry::instance().find(QStringLiteral("mtgo-sqlite"));
        QVERIFY(f);
        st.formatId = f->id();
        const QString p = d.filePath(QStringLiteral("mtgo.db"));
        const auto w = f->write(st, p, sd::WriteOptions{});
        QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().message));
        QCOMPARE(sql(p, {QStringLiteral("UPDATE peers SET last_updated = 0"), QStringLiteral("SELECT count(*) FROM peers WHERE last_updated = 0")}),
                 qint64(6));
        const QByteArray before = fileSha256(p);
        for (const QStringList &extra : {QStringList{}, QStringList{QStringLiteral("--dry-run")}}) {
            const CliRun r = runCli(QStringList{QStringLiteral("prune"), p, QStringLiteral("--older-than"), QStringLiteral("30")} + extra);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("carries no peer timestamps") && r.err.contains("peers.last_updated at 0"), r.err.constData());
            QVERIFY2(r.err.contains("--keep-newest"), r.err.constData()); // and says what works instead
        }
        QCOMPARE(fileSha256(p), before);
        QCOMPARE(sql(p, QStringLiteral("SELECT count(*) FROM peers")), qint64(6));
    }

    void backupNames()
    {
        QTemporaryDir d;
        const QString p = d.filePath(QStringLiteral("x.session"));
        const QDateTime when = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        QCOMPARE(sd::backupPathFor(p, when), p + QStringLiteral(".bak-20231114-221320"));
        QFile f(p + QStringLiteral(".bak-20231114-221320"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QCOMPARE(sd::backupPathFor(p, when), p + QStringLiteral(".bak-20231114-221320-2"));
    }
};

QTEST_GUILESS_MAIN(TestPrune)
#include "tst_prune.moc"
