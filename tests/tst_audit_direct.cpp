// The audit's direct Telethon read (readTelethonV1ForAudit on the schema probe's connection) against
// the full reader (readTelethonV1 with peers off): every file it accepts gives the same Store the
// full reader gives, field by field; every file out of the ordinary is handed back (nullopt) so that
// the full reader reports it as before.
#include "testutil.h"

#include "audit/schemaprobe.h"
#include "domain/secretbytes.h"
#include "formats/telethon/telethonsqlite.h"
#include "sqlite/sqlitedb.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

namespace {

void makeDb(const QString &path, const QStringList &sql)
{
    const QString conn = QStringLiteral("mk-%1").arg(path);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), conn);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        for (const QString &s : sql)
            QVERIFY2(q.exec(s), qPrintable(s + QStringLiteral(": ") + q.lastError().text()));
        db.close();
    }
    QSqlDatabase::removeDatabase(conn);
}

const QStringList kDdl = {
    QStringLiteral("create table version (version integer primary key)"),
    QStringLiteral("create table sessions (dc_id integer primary key, server_address text, port integer, auth_key blob, takeout_id integer)"),
    QStringLiteral("create table entities (id integer primary key, hash integer not null, username text, phone integer, name text, date integer)"),
    QStringLiteral("create table sent_files (md5_digest blob, file_size integer, type integer, id integer, hash integer, primary key(md5_digest, file_size, type))"),
    QStringLiteral("create table update_state (id integer primary key, pts integer, qts integer, date integer, seq integer)"),
};

QString key(int bytes, char fill) { return QStringLiteral("x'%1'").arg(QString(QByteArray(bytes, fill).toHex())); }

// Direct result vs full reader, field by field (everything the audit reads and more).
void compareStores(const sd::Store &a, const sd::Store &b)
{
    QCOMPARE(a.formatId, b.formatId);
    QCOMPARE(a.formatVersion, b.formatVersion);
    QCOMPARE(a.warnings, b.warnings);
    QCOMPARE(a.accounts.size(), b.accounts.size());
    for (size_t i = 0; i < a.accounts.size(); ++i) {
        const sd::Session &x = a.accounts[i], &y = b.accounts[i];
        QCOMPARE(x.dcId, y.dcId);
        QCOMPARE(x.testMode, y.testMode);
        QCOMPARE(x.userId, y.userId);
        QCOMPARE(x.isBot, y.isBot);
        QCOMPARE(x.takeoutId, y.takeoutId);
        QCOMPARE(x.peerCounts().users, y.peerCounts().users);
        QCOMPARE(x.peerCounts().chats, y.peerCounts().chats);
        QCOMPARE(x.peerCounts().channels, y.peerCounts().channels);
        QCOMPARE(x.newestTimestamp(), y.newestTimestamp());
        QCOMPARE(x.updateState.has_value(), y.updateState.has_value());
        if (x.updateState) {
            QCOMPARE(x.updateState->pts, y.updateState->pts);
            QCOMPARE(x.updateState->qts, y.updateState->qts);
            QCOMPARE(x.updateState->date, y.updateState->date);
            QCOMPARE(x.updateState->seq, y.updateState->seq);
            QCOMPARE(x.updateState->channelPts, y.updateState->channelPts);
        }
        QCOMPARE(x.dcs.size(), y.dcs.size());
        for (size_t j = 0; j < x.dcs.size(); ++j) {
            QCOMPARE(x.dcs[j].dcId, y.dcs[j].dcId);
            QCOMPARE(x.dcs[j].address, y.dcs[j].address);
            QCOMPARE(x.dcs[j].port, y.dcs[j].port);
            QCOMPARE(x.dcs[j].ipv6, y.dcs[j].ipv6);
            QVERIFY(x.dcs[j].authKey == y.dcs[j].authKey);
            QCOMPARE(x.dcs[j].authKeyId(), y.dcs[j].authKeyId());
        }
    }
}

// Returns whether the direct reader took the file; when it did, its Store equals the full reader's.
bool directMatchesFull(const QString &path)
{
    auto quick = sd::QuickSqlite::open(path, 250);
    if (!quick)
        return false;
    const std::optional<sd::Store> direct = sd::readTelethonV1ForAudit((*quick)->handle(), (*quick)->schema());
    quick->reset();
    if (!direct)
        return false;
    auto db = sd::SqliteDb::openReadOnly(path);
    if (!db)
        qFatal("the full reader cannot open %s: %s", qPrintable(path), qPrintable(db.error().message));
    sd::ReadOptions ro;
    ro.loadPeers = false;
    ro.loadConversations = false;
    auto full = sd::readTelethonV1(**db, ro);
    if (!full) {
        qWarning("direct read accepted %s but the full reader says: %s", qPrintable(path), qPrintable(full.error().message));
        return false;
    }
    compareStores(*direct, *full);
    return !QTest::currentTestFailed();
}

} // namespace

class TestAuditDirect : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fixturesMatch()
    {
        const QDir d(QStringLiteral(SD_TEST_DATA "/telethon"));
        int n = 0;
        for (const QString &name : d.entryList({QStringLiteral("*.session")}, QDir::Files)) {
            QVERIFY2(directMatchesFull(d.filePath(name)), qPrintable(name));
            ++n;
        }
        QVERIFY(n >= 2);
    }

    void ordinaryFilesMatch_data()
    {
        QTest::addColumn<QStringList>("rows");
        const QString k = key(256, '\x5a');
        QTest::newRow("v7 with peers and state") << QStringList{
            QStringLiteral("insert into version values (7)"),
            QStringLiteral("insert into sessions values (2, '149.154.167.51', 443, %1, null)").arg(k),
            QStringLiteral("insert into entities values (0, 777000, null, null, null, 1700000000)"),
            QStringLiteral("insert into entities values (1000, 42, 'alice', 79001234567, 'Alice', 1700000100)"),
            QStringLiteral("insert into entities values (-4242, 0, null, null, 'Group', 1700000200)"),
            QStringLiteral("insert into entities values (-1000000004242, 7, 'chan', null, 'Chan', 1700000300)"),
            QStringLiteral("insert into update_state values (0, 10, 2, 1700000400, 3)"),
            QStringLiteral("insert into update_state values (4242, 99, 0, 1700000400, 0)"),
            QStringLiteral("insert into sent_files values (x'00', 1, 1, 5, 6)")};
        QTest::newRow("test DC, takeout, no self row") << QStringList{
            QStringLiteral("insert into version values (7)"),
            QStringLiteral("insert into sessions values (2, '149.154.167.40', 443, %1, 12345)").arg(k)};
        QTest::newRow("IPv6 address") << QStringList{
            QStringLiteral("insert into version values (6)"),
            QStringLiteral("insert into sessions values (4, '2001:67c:4e8:f004::a', 443, %1, null)").arg(k)};
        QTest::newRow("short key, two rows") << QStringList{
            QStringLiteral("insert into version values (7)"),
            QStringLiteral("insert into sessions values (2, '149.154.167.51', 443, %1, null)").arg(key(100, '\x11')),
            QStringLiteral("insert into sessions values (4, '149.154.167.91', 443, %1, null)").arg(k)};
        QTest::newRow("REAL dates (Telethon writes timestamp())") << QStringList{
            QStringLiteral("insert into version values (7)"),
            QStringLiteral("insert into sessions values (2, '149.154.167.51', 443, %1, null)").arg(k),
            QStringLiteral("insert into update_state values (0, 1, 0, 1700000000.75, 1)"),
            QStringLiteral("insert into update_state values (77, 5, 0, -3.5, 0)"),
            QStringLiteral("insert into update_state values (78, 6, 0, 1e300, 0)")};
        QTest::newRow("empty key, empty sessions") << QStringList{QStringLiteral("insert into version values (7)")};
        QTest::newRow("null key and address") << QStringList{
            QStringLiteral("insert into version values (7)"),
            QStringLiteral("insert into sessions values (2, null, null, null, null)"),
            QStringLiteral("insert into update_state values (0, null, null, null, null)")};
    }

    void ordinaryFilesMatch()
    {
        QFETCH(QStringList, rows);
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("a.session"));
        makeDb(path, kDdl + rows);
        QVERIFY2(directMatchesFull(path), "the direct reader must take an ordinary Telethon file and agree with the full reader");
    }

    // Files the direct reader must hand back to the full reader (which converts or rejects them).
    void unusualFilesFallBack_data()
    {
        QTest::addColumn<QStringList>("ddl");
        const QString k = key(256, '\x5a');
        const QString sess = QStringLiteral("insert into sessions values (2, '149.154.167.51', 443, %1, null)").arg(k);
        QTest::newRow("version 10") << (kDdl + QStringList{QStringLiteral("insert into version values (10)"), sess});
        QTest::newRow("no version row") << (kDdl + QStringList{sess});
        QTest::newRow("TEXT key") << (kDdl + QStringList{QStringLiteral("insert into version values (7)"),
                                                        QStringLiteral("insert into sessions values (2, '149.154.167.51', 443, 'abc', null)")});
        QTest::newRow("huge key") << (kDdl + QStringList{QStringLiteral("insert into version values (7)"),
                                                        QStringLiteral("insert into sessions values (2, 'a', 443, %1, null)").arg(key(5000, '\x01'))});
        QTest::newRow("text port") << (kDdl + QStringList{QStringLiteral("insert into version values (7)"),
                                                         QStringLiteral("insert into sessions values (2, 'a', 'https', %1, null)").arg(k)});
        QTest::newRow("entities without name") << QStringList{
            kDdl[0], kDdl[1], QStringLiteral("create table entities (id integer primary key, hash integer, username text, phone integer)"),
            QStringLiteral("insert into version values (7)"), sess};
        QTest::newRow("sent_files without md5") << QStringList{
            kDdl[0], kDdl[1], kDdl[2], QStringLiteral("create table sent_files (type integer, hash integer)"),
            QStringLiteral("insert into version values (7)"), sess};
    }

    void unusualFilesFallBack()
    {
        QFETCH(QStringList, ddl);
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("a.session"));
        makeDb(path, ddl);
        auto quick = sd::QuickSqlite::open(path, 250);
        QVERIFY(quick);
        QVERIFY(!sd::readTelethonV1ForAudit((*quick)->handle(), (*quick)->schema()));
    }
};

QTEST_GUILESS_MAIN(TestAuditDirect)
#include "tst_audit_direct.moc"
