// Edit in place (docs/security.md, "Writing"): folder formats change only what they own. A prune
// of a GramJS store with two sessions and application keys, a convert --force over a teleproto
// store, and a convert --to tdata --force into a Telegram Desktop folder with settingss and
// user_data/ leave every foreign byte unchanged; tdata keeps its local key salt. Through the CLI.
#include "testutil.h"

#include "formats/tdata/tdatafile.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace sdtest;

namespace {

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

QByteArray randomBytes(int n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (char &c : b)
        c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return b;
}

// Relative path -> sha256 of every file below dir.
QMap<QString, QByteArray> fingerprints(const QString &dir)
{
    QMap<QString, QByteArray> out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        out.insert(QDir(dir).relativeFilePath(f), fileSha256(f));
    }
    return out;
}

// Runs the sqlite3 shell on db (the referee: SessionDesk's own reader is not used to check it).
QByteArray sqlite3(const QString &db, const QString &sql, int *exitCode = nullptr)
{
    QProcess p;
    p.start(QStringLiteral("sqlite3"), {db, sql});
    if (!p.waitForFinished(30000))
        p.kill();
    if (exitCode)
        *exitCode = p.exitCode();
    return p.readAllStandardOutput();
}

QByteArray keyDataSalt(const QString &tdataDir)
{
    auto tdf = sd::tdata::parseTdf(readAll(tdataDir + QStringLiteral("/key_datas")));
    if (!tdf)
        return {};
    auto kd = sd::tdata::parseKeyData(tdf->data);
    return kd ? kd->salt : QByteArray();
}

QString inspectKeyId(const QString &path, const QStringList &extra = {})
{
    const CliRun r = runCli(QStringList{QStringLiteral("inspect"), path, QStringLiteral("--json")} + extra);
    const QJsonObject o = r.json().object();
    const QJsonObject acc = o.value(QStringLiteral("accounts")).toArray().first().toObject();
    return acc.value(QStringLiteral("auth_key_id")).toString();
}

} // namespace

class TstSafewriteInplace : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gramjsPruneKeepsOtherSessionAndAppKeys()
    {
        QTemporaryDir d;
        const QString store = copyTo(dataPath(QStringLiteral("gramjs/peers")), d.path());
        // A second session in the same folder, and keys the application keeps there.
        const QStringList foreign = {QStringLiteral("other%3AauthKey"), QStringLiteral("other%3AdcId"), QStringLiteral("other%3Aport"),
                                     QStringLiteral("other%3AserverAddress"), QStringLiteral("other%3A12345"), QStringLiteral("myapp%3Asettings"),
                                     QStringLiteral("peers%3AtestServers"), QStringLiteral("peers%3AdcAuthKeys"), QStringLiteral("peers%3Aextra")};
        for (const QString &f : foreign) {
            if (f.startsWith(QLatin1String("other%3A")))
                QVERIFY(QFile::copy(store + QStringLiteral("/peers%3A") + f.mid(8), store + QLatin1Char('/') + f));
            else if (f == QLatin1String("peers%3AtestServers"))
                writeFile(store + QLatin1Char('/') + f, "true");
            else
                writeFile(store + QLatin1Char('/') + f, "{\"2\":{\"type\":\"Buffer\",\"data\":[" + QByteArray::number(QRandomGenerator::global()->bounded(256)) + "]}}");
        }
        // Differ the other session's key byte from ours: the copy must stay exactly as it was.
        writeFile(store + QStringLiteral("/other%3AauthKey"), readAll(store + QStringLiteral("/peers%3AauthKey")).replace("[", "[ "));
        const QMap<QString, QByteArray> before = fingerprints(store);

        const CliRun r = runCli({QStringLiteral("prune"), store, QStringLiteral("--clear"), QStringLiteral("--format"), QStringLiteral("gramjs-store")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QMap<QString, QByteArray> after = fingerprints(store);
        for (const QString &f : foreign)
            QVERIFY2(after.value(f) == before.value(f), qPrintable(f));
        // This session's peer rows are gone, its login is still there.
        QVERIFY(!after.contains(QStringLiteral("peers%3A12345")));
        QVERIFY(!after.contains(QStringLiteral("peers%3A-1001234567890")));
        QVERIFY(after.contains(QStringLiteral("peers%3AauthKey")));
        const QString keyId = inspectKeyId(store, {QStringLiteral("--format"), QStringLiteral("gramjs-store")});
        QVERIFY(!keyId.isEmpty());
        QCOMPARE(fileMode(store), 0700);
        QCOMPARE(QDir(d.path()).entryList(QDir::Hidden | QDir::AllEntries | QDir::NoDotAndDotDot).filter(QStringLiteral(".sd")).size(), 0);
    }

    void convertOverTeleprotoStoreKeepsForeignKeys()
    {
        QTemporaryDir d;
        const QString store = d.filePath(QStringLiteral("bot"));
        const CliRun first = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("gramjs/store")), QStringLiteral("--to"), QStringLiteral("gramjs-store"),
                                     QStringLiteral("-o"), store});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        writeFile(store + QStringLiteral("/bot%3AtestServers"), "false");
        writeFile(store + QStringLiteral("/bot%3AdcAuthKeys"), "{\"4\":{\"type\":\"Buffer\",\"data\":[1,2,3]}}");
        writeFile(store + QStringLiteral("/second%3AauthKey"), readAll(store + QStringLiteral("/bot%3AauthKey")));
        const QMap<QString, QByteArray> before = fingerprints(store);
        const CliRun r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"),
                                 QStringLiteral("gramjs-store"), QStringLiteral("-o"), store, QStringLiteral("--force"), QStringLiteral("--no-peers")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QMap<QString, QByteArray> after = fingerprints(store);
        for (const QString &f : {QStringLiteral("bot%3AtestServers"), QStringLiteral("bot%3AdcAuthKeys"), QStringLiteral("second%3AauthKey")})
            QVERIFY2(after.value(f) == before.value(f), qPrintable(f));
        QVERIFY(after.value(QStringLiteral("bot%3AauthKey")) != before.value(QStringLiteral("bot%3AauthKey")));
        const QString basicId = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("telethon/basic.json")))).object().value(QStringLiteral("authKeyId")).toString();
        QCOMPARE(inspectKeyId(store, {QStringLiteral("--format"), QStringLiteral("gramjs-store")}), basicId);
    }

    void tdataIntoDesktopFolder()
    {
        QTemporaryDir d;
        const QString tdata = d.filePath(QStringLiteral("tdata"));
        QVERIFY(QDir().mkdir(tdata));
        for (const QString &f : QDir(dataPath(QStringLiteral("tdata/plain"))).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot))
            copyTo(dataPath(QStringLiteral("tdata/plain/") + f), tdata);
        // What Telegram Desktop keeps next to the login: settings, media cache, a second key name.
        writeFile(tdata + QStringLiteral("/settingss"), randomBytes(3000));
        writeFile(tdata + QStringLiteral("/usertag"), randomBytes(8));
        writeFile(tdata + QStringLiteral("/user_data/media_cache/0/binlog"), randomBytes(70000));
        writeFile(tdata + QStringLiteral("/user_data/cache/0/AB/CDEF"), randomBytes(512));
        writeFile(tdata + QStringLiteral("/key_others"), randomBytes(100));
        writeFile(tdata + QStringLiteral("/D877F783D5D3EF8C/configs"), randomBytes(200));
        const QByteArray saltBefore = keyDataSalt(tdata);
        QVERIFY(!saltBefore.isEmpty());
        const QMap<QString, QByteArray> before = fingerprints(tdata);

        const CliRun no = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"), QStringLiteral("tdata"),
                                  QStringLiteral("-o"), tdata});
        QCOMPARE(no.exitCode, 5); // exists, no --force
        QCOMPARE(fingerprints(tdata), before);

        const CliRun r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"), QStringLiteral("tdata"),
                                 QStringLiteral("-o"), tdata, QStringLiteral("--force"), QStringLiteral("--user-id"), QStringLiteral("12345")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QMap<QString, QByteArray> after = fingerprints(tdata);
        for (const QString &f : {QStringLiteral("settingss"), QStringLiteral("usertag"), QStringLiteral("user_data/media_cache/0/binlog"),
                                 QStringLiteral("user_data/cache/0/AB/CDEF"), QStringLiteral("key_others"), QStringLiteral("D877F783D5D3EF8C/configs")})
            QVERIFY2(after.contains(f) && after.value(f) == before.value(f), qPrintable(f));
        QVERIFY(after.value(QStringLiteral("key_datas")) != before.value(QStringLiteral("key_datas")));
        // The local key and its salt are kept: Desktop's other encrypted files stay readable.
        QCOMPARE(keyDataSalt(tdata), saltBefore);
        const QString basicId = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("telethon/basic.json")))).object().value(QStringLiteral("authKeyId")).toString();
        QCOMPARE(inspectKeyId(tdata), basicId);
        QCOMPARE(fileMode(tdata), 0700);
        QCOMPARE(fileMode(tdata + QStringLiteral("/key_datas")), 0600);
    }
    // A SQLite session holding an application's own table (docs/security.md, "Edit in place"):
    // convert --force over it keeps that table (schema, rows, index, trigger, AUTOINCREMENT counter)
    // byte for byte as the sqlite3 shell dumps it, while the tables the format owns are the new
    // ones (no row of the old peer cache comes back).
    void sqliteConvertForceCarriesUnknownTables()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("sqlite3")).isEmpty())
            QSKIP("the sqlite3 shell is not installed (Debian package sqlite3)");
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("bot.session"));
        QVERIFY(QFile::copy(dataPath(QStringLiteral("telethon/basic.session")), target));
        QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
        int rc = -1;
        sqlite3(target, QStringLiteral(
                            "CREATE TABLE my_app (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT NOT NULL, data BLOB, score REAL);"
                            "CREATE INDEX my_app_note ON my_app(note);"
                            "CREATE TABLE my_log (at INTEGER, what TEXT);"
                            "CREATE TRIGGER my_app_log AFTER INSERT ON my_app BEGIN INSERT INTO my_log VALUES (new.id, new.note); END;"
                            "INSERT INTO my_app (note, data, score) VALUES ('first', x'00ff10', 1.5), ('second', NULL, -2), ('drei ü', x'', NULL);"
                            "DELETE FROM my_app WHERE note = 'second';"
                            "CREATE VIEW my_view AS SELECT note FROM my_app;"
                            "INSERT INTO entities (id, hash, username, phone, name, date) VALUES (987654321, 5, 'stale_peer', NULL, 'Stale', 1);"),
                &rc);
        QCOMPARE(rc, 0);
        const QString dump = QStringLiteral(".dump my_app my_log");
        const QByteArray before = sqlite3(target, dump);
        QVERIFY(before.contains("drei"));
        const QByteArray seqBefore = sqlite3(target, QStringLiteral("SELECT seq FROM sqlite_sequence WHERE name = 'my_app'"));
        // The source is another Telethon file (the fixture without the stale peer).
        const CliRun r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"),
                                 QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), target, QStringLiteral("--force")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(fileMode(target), 0600);
        QCOMPARE(sqlite3(target, dump), before);
        QCOMPARE(sqlite3(target, QStringLiteral("SELECT seq FROM sqlite_sequence WHERE name = 'my_app'")), seqBefore);
        QCOMPARE(sqlite3(target, QStringLiteral("SELECT name FROM sqlite_master WHERE type IN ('index','trigger','view') AND name LIKE 'my_%' ORDER BY name")),
                 QByteArray("my_app_log\nmy_app_note\nmy_view\n"));
        QCOMPARE(sqlite3(target, QStringLiteral("PRAGMA integrity_check")), QByteArray("ok\n"));
        QCOMPARE(sqlite3(target, QStringLiteral("SELECT count(*) FROM entities WHERE id = 987654321")), QByteArray("0\n"));
        QCOMPARE(sqlite3(target, QStringLiteral("SELECT count(*) FROM entities")),
                 sqlite3(dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("SELECT count(*) FROM entities")));
        // The trigger still works in the new file.
        sqlite3(target, QStringLiteral("INSERT INTO my_app (note) VALUES ('after')"), &rc);
        QCOMPARE(rc, 0);
        QCOMPARE(sqlite3(target, QStringLiteral("SELECT what FROM my_log ORDER BY rowid DESC LIMIT 1")), QByteArray("after\n"));

        // A file of another format at the target is replaced, not mixed: nothing of it is carried.
        const QString pyro = dir.filePath(QStringLiteral("pyro.session"));
        QVERIFY(QFile::copy(dataPath(QStringLiteral("pyrogram/pyrogram-v2.session")), pyro));
        QFile::setPermissions(pyro, QFile::ReadOwner | QFile::WriteOwner);
        sqlite3(pyro, QStringLiteral("CREATE TABLE my_app (x);"), &rc);
        QCOMPARE(rc, 0);
        const CliRun other = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"),
                                     QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), pyro, QStringLiteral("--force")});
        QVERIFY2(other.exitCode == 0, other.err.constData());
        QCOMPARE(sqlite3(pyro, QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name IN ('my_app', 'peers', 'usernames')")), QByteArray("0\n"));

        // A virtual table cannot be carried table by table: refused, the target unchanged (exit 5).
        const QString fts = dir.filePath(QStringLiteral("fts.session"));
        QVERIFY(QFile::copy(dataPath(QStringLiteral("telethon/basic.session")), fts));
        QFile::setPermissions(fts, QFile::ReadOwner | QFile::WriteOwner);
        sqlite3(fts, QStringLiteral("CREATE VIRTUAL TABLE notes USING fts5(body); INSERT INTO notes VALUES ('hello');"), &rc);
        QCOMPARE(rc, 0);
        const QByteArray ftsBefore = fileSha256(fts);
        const CliRun refused = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"),
                                       QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), fts, QStringLiteral("--force")});
        QCOMPARE(refused.exitCode, 5);
        QVERIFY2(refused.err.contains("virtual table"), refused.err.constData());
        QCOMPARE(fileSha256(fts), ftsBefore);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 3);
    }
};

QTEST_GUILESS_MAIN(TstSafewriteInplace)
#include "tst_safewrite_inplace.moc"
