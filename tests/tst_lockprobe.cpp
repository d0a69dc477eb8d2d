// core/io/lockprobe: the one "is this file held?" probe (docs/security.md, "Replacing a target").
// Real holders in other processes (python3: fcntl.lockf, fcntl.flock, sqlite3 with an open write
// transaction and in WAL mode) and this process's own locks; every caller's answer comes from here:
// the writers' refuseHeldTarget (exit 5 text), the audit's and status bar's fileLockHolder.
#include "io/lockprobe.h"
#include "io/replacetarget.h"
#include "testutil.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace sd;

namespace {

// python3 taking an exclusive flock() on argv[1].
constexpr const char *kFlockEx = "import fcntl,sys\nf=open(sys.argv[1],'rb')\nfcntl.flock(f,fcntl.LOCK_EX)\n";

// Starts python3 running `code` with the file as argv[1]; returns once it printed "held".
bool startHolder(QProcess &p, const QString &code, const QString &file)
{
    p.start(QStringLiteral("python3"), {QStringLiteral("-c"), code, file});
    if (!p.waitForStarted(10000) || !p.waitForReadyRead(15000))
        return false;
    return p.readLine().trimmed() == "held";
}

void stopHolder(QProcess &p)
{
    p.closeWriteChannel();
    if (!p.waitForFinished(10000))
        p.kill();
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class TestLockProbe : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void nobodyHoldsAPlainFile()
    {
        const QString f = path("plain.bin");
        writeBytes(f, "x");
        QVERIFY(!fileLockHolder(f));
        QVERIFY(!fileLockHolder(f, LockScope::AnyDescriptor));
        QVERIFY(!targetHolder(f));
        QVERIFY(refuseHeldTarget(f).ok());
        // Absent files and folders are not "held" (the writer's other checks handle them).
        QVERIFY(!fileLockHolder(path("absent")));
        QVERIFY(!fileLockHolder(m_dir.path(), LockScope::AnyDescriptor));
    }

    void anotherProcessHoldsIt_data()
    {
        QTest::addColumn<QString>("code");      // python3, the file in argv[1]
        QTest::addColumn<bool>("exclusive");
        QTest::addColumn<QString>("where");
        // A write lock on a few bytes in the middle: the probe covers the whole file.
        QTest::newRow("record lock") << QStringLiteral("import fcntl,sys,os\nf=open(sys.argv[1],'r+b')\nfcntl.lockf(f,fcntl.LOCK_EX,10,2000,os.SEEK_SET)\n")
                                     << true << QStringLiteral("file (record lock)");
        // flock() is invisible to F_GETLK: /proc/locks names it, with the holder's pid.
        QTest::newRow("shared flock") << QStringLiteral("import fcntl,sys\nf=open(sys.argv[1],'rb')\nfcntl.flock(f,fcntl.LOCK_SH)\n") << false
                                      << QStringLiteral("file (flock)");
        QTest::newRow("exclusive flock") << QString::fromLatin1(kFlockEx) << true << QStringLiteral("file (flock)");
    }

    void anotherProcessHoldsIt()
    {
        QFETCH(QString, code);
        QFETCH(bool, exclusive);
        QFETCH(QString, where);
        const QString f = path("held.bin");
        writeBytes(f, QByteArray(4096, 'r'));
        QProcess holder;
        QVERIFY(startHolder(holder, code + QStringLiteral("print('held',flush=True)\nsys.stdin.read()\n"), f));
        for (LockScope scope : {LockScope::OtherProcesses, LockScope::AnyDescriptor}) {
            const auto lock = fileLockHolder(f, scope);
            QVERIFY(lock);
            QCOMPARE(lock->pid, holder.processId());
            QCOMPARE(lock->exclusive, exclusive);
            QCOMPARE(lock->where, where);
        }
        // Every writer's refusal: exit 5, naming the holder.
        const Status st = refuseHeldTarget(f);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().exitCode(), 5);
        QVERIFY2(st.error().message.contains(QStringLiteral("held by process %1").arg(holder.processId())), qPrintable(st.error().message));
        stopHolder(holder);
        QVERIFY(!fileLockHolder(f, LockScope::AnyDescriptor));
        QVERIFY(!targetHolder(f));
    }

    void ownLocksCountForWritersOnly()
    {
        // This process's own POSIX lock on another descriptor: a writer must see it (replacing the
        // file would pull it from under that descriptor), a reader's question is about clients.
        // Every probe opens and closes a descriptor, and closing any descriptor of a file drops
        // the POSIX locks this process holds on it (docs/security.md, "Known limits"), so the
        // lock is taken again before each question.
        const QString f = path("own.bin");
        writeBytes(f, "own");
        const int fd = ::open(QFile::encodeName(f).constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(fd >= 0);
        struct flock fl {};
        fl.l_whence = SEEK_SET;
        auto lockIt = [&](short type) {
            fl.l_type = type;
            return ::fcntl(fd, F_SETLK, &fl);
        };
        QCOMPARE(lockIt(F_WRLCK), 0);
        QVERIFY(!fileLockHolder(f, LockScope::OtherProcesses));
        QCOMPARE(lockIt(F_WRLCK), 0);
        const auto own = fileLockHolder(f, LockScope::AnyDescriptor);
        QVERIFY(own);
        QCOMPARE(own->pid, qint64(::getpid()));
        QCOMPARE(lockIt(F_UNLCK), 0);
        QVERIFY(!fileLockHolder(f, LockScope::AnyDescriptor));
        // Our own flock() on another descriptor, likewise (closing does not drop those).
        QCOMPARE(::flock(fd, LOCK_EX), 0);
        QVERIFY(!fileLockHolder(f, LockScope::OtherProcesses));
        const auto ownFlock = fileLockHolder(f, LockScope::AnyDescriptor);
        QVERIFY(ownFlock);
        QCOMPARE(ownFlock->pid, qint64(::getpid()));
        QCOMPARE(ownFlock->where, QStringLiteral("file (flock)"));
        QCOMPARE(::flock(fd, LOCK_UN), 0);
        ::close(fd);
        QVERIFY(!fileLockHolder(f, LockScope::AnyDescriptor));
    }

    void sqliteWriterAndWalReader()
    {
        const QString db = path("client.db");
        QProcess writer;
        // A client in the middle of a write transaction (RESERVED lock on SQLite's lock bytes).
        QVERIFY(startHolder(writer, QStringLiteral("import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],isolation_level=None)\n"
                                                   "c.execute('CREATE TABLE t(x)')\nc.execute('BEGIN IMMEDIATE')\nc.execute('INSERT INTO t VALUES(1)')\n"
                                                   "print('held',flush=True)\nsys.stdin.read()\n"),
                            db));
        auto lock = fileLockHolder(db);
        QVERIFY(lock);
        QCOMPARE(lock->pid, writer.processId());
        const auto bytes = sqliteLockHolder(db);
        QVERIFY(bytes);
        QCOMPARE(bytes->pid, writer.processId());
        QVERIFY(targetHolder(db));
        stopHolder(writer);
        QVERIFY(!fileLockHolder(db));

        // A WAL client that is merely connected, between transactions.
        const QString wal = path("wal.db");
        QProcess reader;
        QVERIFY(startHolder(reader, QStringLiteral("import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],isolation_level=None)\n"
                                                   "c.execute('PRAGMA journal_mode=WAL')\nc.execute('CREATE TABLE t(x)')\nc.execute('SELECT * FROM t').fetchall()\n"
                                                   "print('held',flush=True)\nsys.stdin.read()\n"),
                            wal));
        QVERIFY(QFile::exists(wal + QStringLiteral("-shm")));
        lock = fileLockHolder(wal);
        QVERIFY(lock);
        QCOMPARE(lock->pid, reader.processId());
        // The connection's lock bytes in the -shm, asked on the -shm itself.
        lock = fileLockHolder(wal + QStringLiteral("-shm"));
        QVERIFY(lock);
        QCOMPARE(lock->pid, reader.processId());
        QVERIFY(sqliteLockHolder(wal));
        const Status st = refuseHeldTarget(wal);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().exitCode(), 5);
        stopHolder(reader);
        QVERIFY(!fileLockHolder(wal));
    }

    void heldFileInsideAFolder()
    {
        const QString folder = path("store");
        QVERIFY(QDir().mkpath(folder + QStringLiteral("/sub")));
        const QString inner = folder + QStringLiteral("/sub/key.bin");
        writeBytes(inner, "k");
        QVERIFY(!targetHolder(folder));
        QProcess holder;
        QVERIFY(startHolder(holder, QString::fromLatin1(kFlockEx) + QStringLiteral("print('held',flush=True)\nsys.stdin.read()\n"),
                            inner));
        const auto h = targetHolder(folder);
        QVERIFY(h);
        QVERIFY2(h->contains(inner), qPrintable(*h));
        stopHolder(holder);
        QVERIFY(!targetHolder(folder));
    }

    void symlinkTargetIsNotFollowedByWriters()
    {
        // A writer replaces a symlink, it never writes through it: a lock on what it points to is
        // not the target's.
        const QString real = path("real.bin");
        writeBytes(real, "r");
        const QString link = path("link.bin");
        QVERIFY(QFile::link(real, link));
        QProcess holder;
        QVERIFY(startHolder(holder, QString::fromLatin1(kFlockEx) + QStringLiteral("print('held',flush=True)\nsys.stdin.read()\n"),
                            real));
        QVERIFY(fileLockHolder(link));                              // a reader follows it
        QVERIFY(!fileLockHolder(link, LockScope::AnyDescriptor));   // a writer does not
        stopHolder(holder);
    }
};

QTEST_GUILESS_MAIN(TestLockProbe)
#include "tst_lockprobe.moc"
