// Replacing a target (docs/security.md, "Writing"): a stale WAL, a client holding an exclusive
// SQLite lock, a flock() holder, an existing file or a dangling symlink end in exit 5 with the
// target byte-identical; a stale WAL with --force is removed so that every reader (python3 sqlite3
// and Telethon) sees the new key. Through the CLI, with real other processes holding the locks.
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

using namespace sdtest;

namespace {

QString jsonKey(const QString &fixtureJson)
{
    return QJsonDocument::fromJson(readAll(dataPath(fixtureJson))).object().value(QStringLiteral("authKeyHex")).toString();
}

// Runs a python3 snippet (Debian's python3: python3-telethon lives there) and returns stdout.
QByteArray python(const QString &code, const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    const QString py = QFileInfo::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3") : QStringLiteral("python3");
    p.start(py, QStringList{QStringLiteral("-c"), code} + args);
    p.waitForFinished(60000);
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    if (p.exitCode() != 0)
        qWarning().noquote() << p.readAllStandardError();
    return p.readAllStandardOutput().trimmed();
}

QByteArray sqliteKeyHex(const QString &path)
{
    return python(QStringLiteral("import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nprint(c.execute('SELECT hex(auth_key) FROM sessions').fetchone()[0].lower())"),
                  {path});
}

// A holder process that prints "held" once it holds its lock and keeps it until stdin closes.
struct Holder {
    QProcess p;
    bool start(const QString &program, const QStringList &args)
    {
        p.start(program, args);
        return p.waitForStarted(10000) && p.waitForReadyRead(10000) && p.readAll().contains("held");
    }
    ~Holder()
    {
        if (p.state() != QProcess::NotRunning) {
            ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
            p.waitForFinished(5000);
        }
    }
};

} // namespace

class TstSafewriteReplace : public QObject {
    Q_OBJECT

    QString m_newKey; // gramjs/store's key: the new content every replacement writes

    // A telethon-sqlite target holding telethon/basic's key, written by SessionDesk itself.
    static QString target(const QString &dir)
    {
        const QString t = dir + QStringLiteral("/t.session");
        const CliRun r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"),
                                 QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), t});
        if (r.exitCode != 0)
            qWarning() << r.err;
        return t;
    }

    static CliRun replaceWithStore(const QString &t, bool force)
    {
        QStringList args{QStringLiteral("convert"), dataPath(QStringLiteral("gramjs/store")), QStringLiteral("--to"), QStringLiteral("telethon-sqlite"),
                         QStringLiteral("-o"), t};
        if (force)
            args << QStringLiteral("--force");
        return runCli(args);
    }

    static QStringList leftovers(const QString &dir)
    {
        return QDir(dir).entryList(QDir::Hidden | QDir::AllEntries | QDir::NoDotAndDotDot).filter(QStringLiteral(".sd"));
    }

private Q_SLOTS:
    void initTestCase() { m_newKey = jsonKey(QStringLiteral("gramjs/store.json")); }

    void existingTargetAndDanglingSymlink()
    {
        QTemporaryDir d;
        const QString t = target(d.path());
        const QByteArray before = fileSha256(t);
        const CliRun r = replaceWithStore(t, false);
        QCOMPARE(r.exitCode, 5);
        QCOMPARE(fileSha256(t), before);
        // A dangling symlink at the target is never replaced (nor followed) without --force.
        const QString link = d.filePath(QStringLiteral("dangling.session"));
        QVERIFY(QFile::link(d.filePath(QStringLiteral("nowhere.session")), link));
        const CliRun r2 = replaceWithStore(link, false);
        QCOMPARE(r2.exitCode, 5);
        QVERIFY(QFileInfo(link).isSymLink());
        QVERIFY(!QFileInfo::exists(d.filePath(QStringLiteral("nowhere.session"))));
        // With --force the link itself is replaced by a private file; its old destination is not created.
        const CliRun r3 = replaceWithStore(link, true);
        QVERIFY2(r3.exitCode == 0, r3.err.constData());
        QVERIFY(!QFileInfo(link).isSymLink());
        QVERIFY(!QFileInfo::exists(d.filePath(QStringLiteral("nowhere.session"))));
        QCOMPARE(fileMode(link), 0600);
        QCOMPARE(leftovers(d.path()), QStringList());
    }

    void staleWal()
    {
        QTemporaryDir d;
        const QString t = target(d.path());
        const QString oldKey = jsonKey(QStringLiteral("telethon/basic.json"));
        QCOMPARE(sqliteKeyHex(t), oldKey.toLatin1());
        // A client switched the file to WAL, wrote a page into the WAL and died without a checkpoint.
        int code = -1;
        python(QStringLiteral("import sqlite3,sys,os\nc=sqlite3.connect(sys.argv[1],isolation_level=None)\n"
                              "c.execute('PRAGMA journal_mode=WAL')\nc.execute('PRAGMA wal_autocheckpoint=0')\n"
                              "c.execute('UPDATE sessions SET port=port+1')\nos._exit(0)\n"),
               {t}, &code);
        QCOMPARE(code, 0);
        QVERIFY(QFileInfo(t + QStringLiteral("-wal")).size() > 0);
        const QByteArray before = fileSha256(t), walBefore = fileSha256(t + QStringLiteral("-wal"));

        // Without --force: exit 5, the file and its WAL untouched.
        const CliRun r = replaceWithStore(t, false);
        QCOMPARE(r.exitCode, 5);
        QCOMPARE(fileSha256(t), before);
        QCOMPARE(fileSha256(t + QStringLiteral("-wal")), walBefore);
        // Even an absent target: side files alone would be replayed onto a new file.
        QVERIFY(QFile::rename(t + QStringLiteral("-wal"), d.filePath(QStringLiteral("n.session-wal"))));
        const CliRun r1 = replaceWithStore(d.filePath(QStringLiteral("n.session")), false);
        QCOMPARE(r1.exitCode, 5);
        QVERIFY2(r1.err.contains("-wal"), r1.err.constData());
        QVERIFY(!QFileInfo::exists(d.filePath(QStringLiteral("n.session"))));
        QVERIFY(QFile::rename(d.filePath(QStringLiteral("n.session-wal")), t + QStringLiteral("-wal")));

        // With --force: the stale WAL is removed with the replacement, every reader sees the new key.
        const CliRun r2 = replaceWithStore(t, true);
        QVERIFY2(r2.exitCode == 0, r2.err.constData());
        QVERIFY(!QFileInfo::exists(t + QStringLiteral("-wal")));
        QVERIFY(!QFileInfo::exists(t + QStringLiteral("-shm")));
        QCOMPARE(sqliteKeyHex(t), m_newKey.toLatin1());
        QCOMPARE(fileMode(t), 0600);
        QCOMPARE(leftovers(d.path()), QStringList());
        int tcode = -1;
        const QByteArray tele = python(QStringLiteral("import sys\ntry:\n import telethon.sessions as s\nexcept ImportError:\n print('skip');sys.exit(0)\n"
                                                      "x=s.SQLiteSession(sys.argv[1][:-len('.session')])\nprint(x.auth_key.key.hex())\n"),
                                       {t}, &tcode);
        QCOMPARE(tcode, 0);
        if (tele != "skip")
            QCOMPARE(tele, m_newKey.toLatin1());
        else
            qWarning("python3-telethon is not installed: the Telethon reader was not checked");
    }

    void exclusiveSqliteLock()
    {
        QTemporaryDir d;
        const QString t = target(d.path());
        const QByteArray before = fileSha256(t);
        Holder h;
        QVERIFY(h.start(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral(
            "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')\n"
            "print('held',flush=True)\nsys.stdin.read()\n"), t}));
        const CliRun r = replaceWithStore(t, true);
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.err.contains("lock"), r.err.constData());
        const CliRun p = runCli({QStringLiteral("prune"), t, QStringLiteral("--clear")});
        QCOMPARE(p.exitCode, 5);
        h.p.closeWriteChannel();
        QVERIFY(h.p.waitForFinished(10000));
        QCOMPARE(fileSha256(t), before);
        QCOMPARE(leftovers(d.path()), QStringList());
        QCOMPARE(QDir(d.path()).entryList({QStringLiteral("*.bak-*")}).size(), 0);
    }

    void flockHolder()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("flock")).isEmpty())
            QSKIP("flock(1) is not installed (util-linux)");
        QTemporaryDir d;
        const QString t = target(d.path());
        // gotd/bbolt and GramJS stores as a client holds them: flock(LOCK_EX), invisible to F_GETLK.
        const QString bolt = d.filePath(QStringLiteral("b.db"));
        QCOMPARE(runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"), QStringLiteral("gotd-bbolt"),
                         QStringLiteral("-o"), bolt}).exitCode, 0);
        for (const QString &held : {t, bolt}) {
            const QByteArray before = fileSha256(held);
            Holder h;
            QVERIFY(h.start(QStringLiteral("flock"), {QStringLiteral("-x"), held, QStringLiteral("sh"), QStringLiteral("-c"),
                                                     QStringLiteral("echo held; exec sleep 60")}));
            const CliRun r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("gramjs/store")), QStringLiteral("--to"),
                                     held == t ? QStringLiteral("telethon-sqlite") : QStringLiteral("gotd-bbolt"), QStringLiteral("-o"), held,
                                     QStringLiteral("--force")});
            QCOMPARE(r.exitCode, 5);
            QVERIFY2(r.err.contains("flock"), r.err.constData());
            const CliRun p = runCli({QStringLiteral("prune"), held, QStringLiteral("--clear")});
            QVERIFY2(p.exitCode == 5, p.err.constData());
            QCOMPARE(fileSha256(held), before);
            QCOMPARE(QDir(d.path()).entryList({QStringLiteral("*.bak-*")}).size(), 0);
        }
        // A GramJS store folder with a held file in it.
        const QString store = copyTo(dataPath(QStringLiteral("gramjs/peers")), d.path());
        const QByteArray before = treeSha256(store);
        Holder h;
        const QString held = QDir(store).entryList(QDir::Files).first();
        QVERIFY(h.start(QStringLiteral("flock"), {QStringLiteral("-x"), store + QLatin1Char('/') + held, QStringLiteral("sh"), QStringLiteral("-c"),
                                                 QStringLiteral("echo held; exec sleep 60")}));
        const CliRun p = runCli({QStringLiteral("prune"), store, QStringLiteral("--clear")});
        QVERIFY2(p.exitCode == 5, p.err.constData());
        QCOMPARE(treeSha256(store), before);
        // convert --force into that store (edit in place of the folder) is refused the same way.
        for (const QString &src : {dataPath(QStringLiteral("gramjs/store")), dataPath(QStringLiteral("telethon/basic.session"))}) {
            const CliRun c = runCli({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("gramjs-store"), QStringLiteral("-o"), store,
                                     QStringLiteral("--force")});
            QVERIFY2(c.exitCode == 5, c.err.constData());
            QVERIFY2(c.err.contains("flock") && c.err.contains(held.toUtf8()), c.err.constData());
            QCOMPARE(treeSha256(store), before);
        }
        QCOMPARE(leftovers(d.path()), QStringList());
    }
};

QTEST_GUILESS_MAIN(TstSafewriteReplace)
#include "tst_safewrite_replace.moc"
