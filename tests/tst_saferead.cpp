// Reading safely, through the CLI (docs/security.md, "Reading and process"): special files and
// sparse giants are refused fast and small; a killed read of a WAL session leaves nothing in
// $TMPDIR; the running CLI and desktop app are not dumpable, have umask 077 and carry no passcode
// in their environment; a signal at a hidden prompt gives the terminal its echo back.
#include "io/inputfile.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

using namespace sdtest;

namespace {

QString python()
{
    for (const QString &p : {QStringLiteral("/usr/bin/python3"), QStandardPaths::findExecutable(QStringLiteral("python3"))})
        if (!p.isEmpty() && QFileInfo(p).isExecutable())
            return p;
    return {};
}

// One CLI run measured from outside: wall time, and the child's peak RSS from wait4().
struct Measured {
    int exitCode = -1;
    bool timedOut = false;
    qint64 ms = 0;
    long maxRssKb = 0;
    QByteArray err;
};

Measured runMeasured(const QStringList &args, int timeoutMs = 15000)
{
    Measured m;
    QTemporaryFile errFile;
    if (!errFile.open())
        return m;
    // Everything the child needs is prepared before fork(): after it only async-signal-safe calls.
    std::vector<QByteArray> store{QFile::encodeName(cliPath())};
    for (const QString &a : args)
        store.push_back(QFile::encodeName(a));
    std::vector<char *> argv;
    for (QByteArray &s : store)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    const int errFd = errFile.handle();
    const int nullFd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    QElapsedTimer t;
    t.start();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(nullFd, 0);
        ::dup2(nullFd, 1);
        ::dup2(errFd, 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(nullFd);
    int status = 0;
    rusage ru {};
    for (;;) {
        const pid_t r = ::wait4(pid, &status, WNOHANG, &ru);
        if (r == pid)
            break;
        if (t.elapsed() > timeoutMs) {
            ::kill(pid, SIGKILL);
            ::wait4(pid, &status, 0, &ru);
            m.timedOut = true;
            break;
        }
        QThread::usleep(1000);
    }
    m.ms = t.elapsed();
    m.maxRssKb = ru.ru_maxrss;
    m.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -2;
    errFile.seek(0);
    m.err = errFile.readAll();
    return m;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size() && f.flush();
}

void makeSparse(const QString &path, const QByteArray &head, qint64 length)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(head), head.size());
    QVERIFY(f.resize(length));
}

// Starts program as nobody (setpriv) with SESSIONDESK_PASSCODE/PASSPHRASE set to a fresh secret
// and the extra variables; returns the secret, or an empty one when the test is skipped or failed.
QByteArray startAsNobody(QProcess &p, const QString &program, const QStringList &args, const QList<QPair<QString, QString>> &extraEnv = {})
{
    if (::geteuid() != 0) {
        QTest::qSkip("needs root to run the process as another uid (setpriv --reuid=nobody)", __FILE__, __LINE__);
        return {};
    }
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    if (setpriv.isEmpty()) {
        QTest::qSkip("setpriv (util-linux) is not installed", __FILE__, __LINE__);
        return {};
    }
    const QByteArray secret = "hunter2-passcode-" + QByteArray::number(QRandomGenerator::global()->generate());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SESSIONDESK_PASSCODE"), QString::fromLatin1(secret));
    env.insert(QStringLiteral("SESSIONDESK_PASSPHRASE"), QString::fromLatin1(secret));
    for (const auto &[name, value] : extraEnv)
        env.insert(name, value);
    p.setProcessEnvironment(env);
    // The child inherits a umask that lets others read, so that its own umask(077) shows.
    const mode_t oldMask = ::umask(022);
    p.start(setpriv, QStringList{QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"), QStringLiteral("--clear-groups"), program} + args);
    ::umask(oldMask);
    if (!p.waitForStarted(5000)) {
        QTest::qFail("the process did not start", __FILE__, __LINE__);
        return {};
    }
    return secret;
}

// /proc/PID of the running process p (started by startAsNobody, now `exe`) as docs/security.md
// promises: not dumpable, no core file, umask 077, the secret out of its environment.
void expectHardened(QProcess &p, const QString &exe, const QByteArray &secret)
{
    const QString proc = QStringLiteral("/proc/%1").arg(p.processId());
    // Wait until setpriv has exec'd the program and it runs as nobody.
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 5000 && !QFile::symLinkTarget(proc + QStringLiteral("/exe")).endsWith(QLatin1Char('/') + exe))
        QThread::msleep(10);
    // main()'s first lines make the process non-dumpable; how long the dynamic loader and the
    // sanitizer runtime take before main() varies (an ASan Debug build under load needed more than
    // the 300 ms a fixed sleep gave it), so wait for the change instead of guessing a delay.
    const QByteArray environPath = QFile::encodeName(proc + QStringLiteral("/environ"));
    t.restart();
    for (;;) {
        struct stat st {};
        if (::stat(environPath.constData(), &st) == 0 && st.st_uid == 0)
            break;
        if (t.elapsed() > 15000 || p.state() != QProcess::Running)
            break;
        QThread::msleep(10);
    }
    QVERIFY2(p.state() == QProcess::Running, p.readAllStandardError().constData());
    QVERIFY(QFile::symLinkTarget(proc + QStringLiteral("/exe")).endsWith(QLatin1Char('/') + exe));
    const QByteArray status = readAll(proc + QStringLiteral("/status"));
    QVERIFY(status.contains("Uid:\t65534"));
    // umask(077) first thing in main(): nothing it creates is readable by others, even for an instant.
    QVERIFY2(status.contains("Umask:\t0077"), status.constData());
    // Not dumpable: what /proc/PID holds belongs to root (the folder itself keeps the effective
    // uid since Linux 4.11, so that ps can still show the owner), and no one of that uid can
    // read the process's memory, environment or descriptors.
    for (const char *entry : {"environ", "mem", "maps", "status", "fd", "cmdline"}) {
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(proc + QLatin1Char('/') + QLatin1String(entry)).constData(), &st), 0);
        QVERIFY2(st.st_uid == 0, entry);
    }
    bool coreLimitZero = false;
    for (const QByteArray &line : readAll(proc + QStringLiteral("/limits")).split('\n'))
        if (line.startsWith("Max core file size"))
            coreLimitZero = line.mid(18).simplified().startsWith("0 0 ");
    QVERIFY(coreLimitZero);
    const QByteArray environ = readAll(proc + QStringLiteral("/environ"));
    QVERIFY(environ.contains("PATH="));
    QVERIFY2(!environ.contains(secret), "the passcode is still in /proc/PID/environ");
}

} // namespace

class TestSafeRead : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fifoSourceRefusedFast()
    {
        QTemporaryDir dir;
        const QString fifo = dir.filePath(QStringLiteral("a.session"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        // A UNIX socket someone listens on (connect() would succeed; open() fails with ENXIO).
        const QString socketPath = dir.filePath(QStringLiteral("b.session"));
        const int sock = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        QVERIFY(sock >= 0);
        sockaddr_un addr {};
        addr.sun_family = AF_UNIX;
        const QByteArray sp = QFile::encodeName(socketPath);
        QVERIFY(static_cast<size_t>(sp.size()) < sizeof addr.sun_path);
        std::memcpy(addr.sun_path, sp.constData(), static_cast<size_t>(sp.size()));
        QCOMPARE(::bind(sock, reinterpret_cast<const sockaddr *>(&addr), sizeof addr), 0);
        QCOMPARE(::listen(sock, 4), 0);
        struct Case {
            QStringList args;
            int exitCode;
        };
        QList<Case> cases;
        for (const QString &special : {fifo, socketPath}) {
            cases << Case{{QStringLiteral("inspect"), special}, 3} << Case{{QStringLiteral("peers"), special}, 3}
                  << Case{{QStringLiteral("convert"), special, QStringLiteral("--to"), QStringLiteral("telethon-string")}, 3}
                  << Case{{QStringLiteral("inspect"), special, QStringLiteral("--format"), QStringLiteral("telethon-sqlite")}, 3}
                  << Case{{QStringLiteral("inspect"), special, QStringLiteral("--format"), QStringLiteral("gotd-bbolt")}, 3};
        }
        // A FIFO as a passcode file (a secret that cannot be read: exit 4), and a FIFO named like a
        // WAL next to a real session.
        const QString session = copyTo(dataPath(QStringLiteral("telethon/basic.session")), dir.path());
        QCOMPARE(::mkfifo(QFile::encodeName(session + QStringLiteral("-wal")).constData(), 0600), 0);
        cases << Case{{QStringLiteral("inspect"), dataPath(QStringLiteral("tdata/plain")), QStringLiteral("--passcode-file"), fifo}, 4}
              << Case{{QStringLiteral("inspect"), session}, 3};
        for (const Case &c : cases) {
            const Measured m = runMeasured(c.args);
            const QString what = c.args.join(QLatin1Char(' ')) + QStringLiteral(": exit %1, %2 ms, %3 KiB: ").arg(m.exitCode).arg(m.ms).arg(m.maxRssKb)
                               + QString::fromUtf8(m.err.trimmed());
            qInfo("%s", qPrintable(what));
            QVERIFY2(!m.timedOut, qPrintable(what));
            QVERIFY2(m.exitCode == c.exitCode, qPrintable(what));
            QVERIFY2(m.err.contains("not a regular file"), qPrintable(what));
            QVERIFY2(m.ms < 1000, qPrintable(what));
#if defined(__SANITIZE_ADDRESS__)
            QVERIFY2(m.maxRssKb < 200 * 1024, qPrintable(what)); // ASan's shadow memory, as below
#else
            QVERIFY2(m.maxRssKb < 100 * 1024, qPrintable(what));
#endif
        }
        ::close(sock);
    }

    void auditReportsSpecialFilesAndNeverOpensThem()
    {
        QTemporaryDir dir;
        const QString tdata = copyTo(dataPath(QStringLiteral("tdata/plain")), dir.path());
        // The key file replaced by a FIFO (nobody ever writes to it: opening it for reading would block).
        const QString key = QDir(tdata).filePath(QStringLiteral("key_datas"));
        QVERIFY(QFile::exists(key));
        QVERIFY(QFile::remove(key));
        QCOMPARE(::mkfifo(QFile::encodeName(key).constData(), 0600), 0);
        const QString loose = dir.filePath(QStringLiteral("loose.session"));
        QCOMPARE(::mkfifo(QFile::encodeName(loose).constData(), 0600), 0);
        const Measured m = runMeasured({QStringLiteral("audit"), dir.path(), QStringLiteral("-r")});
        QVERIFY2(!m.timedOut && m.ms < 1000, qPrintable(QStringLiteral("audit: %1 ms: ").arg(m.ms) + QString::fromUtf8(m.err)));
        auto r = runCli({QStringLiteral("audit"), dir.path(), QStringLiteral("-r"), QStringLiteral("--json"), QStringLiteral("--fail-on"), QStringLiteral("high")}, {}, 15000);
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, r.err.constData());
        QStringList special;
        for (const QJsonValue &f : r.json().object().value(QStringLiteral("findings")).toArray())
            if (f.toObject().value(QStringLiteral("rule")).toString() == QLatin1String("special-file"))
                special << QFileInfo(f.toObject().value(QStringLiteral("path")).toString()).fileName();
        special.sort();
        QCOMPARE(special, (QStringList{QStringLiteral("key_datas"), QStringLiteral("loose.session")}));
        // The FIFO given directly, too.
        auto direct = runCli({QStringLiteral("audit"), loose, QStringLiteral("--json")}, {}, 15000);
        QVERIFY2(direct.exitCode == 0, direct.err.constData());
        QCOMPARE(direct.json().object().value(QStringLiteral("findings")).toArray().first().toObject().value(QStringLiteral("rule")).toString(),
                 QStringLiteral("special-file"));
    }

    void sparseGiantsRefusedFastAndSmall()
    {
        QTemporaryDir dir;
        const qint64 twoGb = qint64(2) * 1024 * 1024 * 1024;
        const QString bbolt = dir.filePath(QStringLiteral("state.db"));
        makeSparse(bbolt, readAll(dataPath(QStringLiteral("gotd/gotd-bbolt-botapi.db"))).left(16384), twoGb);
        const QString sqlite = dir.filePath(QStringLiteral("big.session"));
        makeSparse(sqlite, readAll(dataPath(QStringLiteral("telethon/basic.session"))), twoGb);
        for (const QString &path : {bbolt, sqlite}) {
            for (const QStringList &cmd : {QStringList{QStringLiteral("inspect"), path}, QStringList{QStringLiteral("peers"), path},
                                           QStringList{QStringLiteral("inspect"), path, QStringLiteral("--format"),
                                                       path == bbolt ? QStringLiteral("gotd-bbolt") : QStringLiteral("telethon-sqlite")}}) {
                const Measured m = runMeasured(cmd);
                const QString what = cmd.join(QLatin1Char(' ')) + QStringLiteral(": %1 ms, %2 KiB: ").arg(m.ms).arg(m.maxRssKb) + QString::fromUtf8(m.err);
                qInfo("%s", qPrintable(what));
                QVERIFY2(!m.timedOut && m.exitCode == 3, qPrintable(what));
                QVERIFY2(m.err.contains("sparse file"), qPrintable(what));
                QVERIFY2(m.ms < 1000, qPrintable(what));
#if defined(__SANITIZE_ADDRESS__)
                // ASan's shadow memory and allocator add ~30 MB to any process: the bound is the normal build's.
                QVERIFY2(m.maxRssKb < 200 * 1024, qPrintable(what));
#else
                QVERIFY2(m.maxRssKb < 100 * 1024, qPrintable(what));
#endif
            }
        }
        // audit skips it with the same reason, as fast.
        const Measured a = runMeasured({QStringLiteral("audit"), dir.path()});
        const QString what = QStringLiteral("audit: %1 ms, %2 KiB: ").arg(a.ms).arg(a.maxRssKb) + QString::fromUtf8(a.err);
        QVERIFY2(!a.timedOut && a.ms < 1000, qPrintable(what));
#if defined(__SANITIZE_ADDRESS__)
        QVERIFY2(a.maxRssKb < 200 * 1024, qPrintable(what));
#else
        QVERIFY2(a.maxRssKb < 100 * 1024, qPrintable(what));
#endif
    }

    // Size caps (docs/security.md, "Reading and process"; the numbers are sd::inputcap in
    // core/io/inputfile.h): a dense file one byte over its format's cap is refused with exit 3,
    // "file too large" and the file's name, before it is parsed, fast and small. A file at the cap
    // is read (and refused for what it holds, not for its size).
    void denseFilesOverTheirCapRefused_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("name");
        QTest::addColumn<qint64>("cap");
        QTest::newRow("telethon-string") << QStringLiteral("telethon-string") << QStringLiteral("big-string.txt") << sd::inputcap::kStringFile;
        QTest::newRow("gogram-file") << QStringLiteral("gogram-file") << QStringLiteral("big-session.dat") << sd::inputcap::kGogramFile;
        QTest::newRow("gotd-json") << QStringLiteral("gotd-json") << QStringLiteral("big-session.json") << sd::inputcap::kJsonFile;
    }

    void denseFilesOverTheirCapRefused()
    {
        QFETCH(QString, format);
        QFETCH(QString, name);
        QFETCH(qint64, cap);
        QTemporaryDir dir;
        // Dense content a parser would take its time over: a Telethon string ('1' + base64-ish
        // letters), or gotd's own session JSON padded with spaces inside its object.
        QByteArray body;
        if (format == QLatin1String("gotd-json")) {
            const QByteArray json = readAll(dataPath(QStringLiteral("gotd/gotd-json-session.json"))).trimmed();
            QVERIFY(json.endsWith('}'));
            body = json.left(json.size() - 1);
            body.append(QByteArray(cap - json.size(), ' '));
            body.append('}');
        } else {
            body = "1" + QByteArray(cap - 1, 'A');
        }
        QCOMPARE(qint64(body.size()), cap);
        const QString atCap = dir.filePath(QStringLiteral("at-cap-") + name);
        const QString over = dir.filePath(name);
        QVERIFY(writeFile(atCap, body));
        QVERIFY(writeFile(over, body + ' '));
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(over).constData(), &st), 0);
        QVERIFY2(qint64(st.st_blocks) * 512 >= cap, "the file is not dense");

        const Measured m = runMeasured({QStringLiteral("inspect"), over, QStringLiteral("--format"), format});
        const QString what = QStringLiteral("%1: %2 ms, %3 KiB: ").arg(name).arg(m.ms).arg(m.maxRssKb) + QString::fromUtf8(m.err);
        qInfo("%s", qPrintable(what));
        QVERIFY2(!m.timedOut && m.exitCode == 3, qPrintable(what));
        QVERIFY2(m.err.contains("file too large"), qPrintable(what));
        QVERIFY2(m.err.contains(QFile::encodeName(name)), qPrintable(what));
        QVERIFY2(m.err.contains(QByteArray::number(cap + 1)) && m.err.contains(QByteArray::number(cap)), qPrintable(what));
        QVERIFY2(m.ms < 500, qPrintable(what));
#if defined(__SANITIZE_ADDRESS__)
        QVERIFY2(m.maxRssKb < 200 * 1024, qPrintable(what));
#else
        QVERIFY2(m.maxRssKb < 100 * 1024, qPrintable(what));
#endif
        // At the cap: read, so refused for its content (if at all), never for its size.
        const Measured at = runMeasured({QStringLiteral("inspect"), atCap, QStringLiteral("--format"), format});
        const QString whatAt = QStringLiteral("at cap: ") + QString::fromUtf8(at.err);
        QVERIFY2(!at.timedOut, qPrintable(whatAt));
        QVERIFY2(!at.err.contains("too large"), qPrintable(whatAt));
    }

    void killedWalReadLeavesNothingInTmpdir()
    {
        const QString py = python();
        if (py.isEmpty())
            QSKIP("python3 is not installed");
        QTemporaryDir dir, tmp;
        const QString path = copyTo(dataPath(QStringLiteral("telethon/basic.session")), dir.path());
        // A client in WAL mode adds 60000 entities and dies before any checkpoint.
        QProcess p;
        p.start(py, {QStringLiteral("-c"),
                     QStringLiteral("import sqlite3, sys, os\n"
                                    "c = sqlite3.connect(sys.argv[1])\n"
                                    "c.execute('PRAGMA journal_mode=WAL')\n"
                                    "c.execute('PRAGMA wal_autocheckpoint=0')\n"
                                    "c.executemany('insert into entities values (?,?,?,?,?,?)', [(900000 + i, i, 'wal_%d' % i, None, 'n%d' % i, 1700000000) for i in range(60000)])\n"
                                    "c.commit()\n"
                                    "os._exit(0)\n"),
                     path});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);
        const QByteArray before = fileSha256(path), walBefore = fileSha256(path + QStringLiteral("-wal"));
        qputenv("TMPDIR", QFile::encodeName(tmp.path()));
        int killed = 0;
        for (int delay : {5000, 20000, 40000, 60000, 90000, 130000, 200000}) {
            killed += runCliAndKill({QStringLiteral("peers"), path, QStringLiteral("--json")}, delay, false) ? 1 : 0;
            QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System), QStringList());
        }
        // The complete read sees every committed row, and leaves nothing behind either.
        auto r = runCli({QStringLiteral("inspect"), path, QStringLiteral("--json")});
        qunsetenv("TMPDIR");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.json().object().value(QStringLiteral("accounts")).toArray().first().toObject().value(QStringLiteral("peers")).toObject()
                    .value(QStringLiteral("total")).toInt() >= 60000);
        QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System), QStringList());
        QVERIFY2(killed > 0, "no run was still reading when killed");
        QCOMPARE(fileSha256(path), before);
        QCOMPARE(fileSha256(path + QStringLiteral("-wal")), walBefore);
    }

    void runningCliIsNotDumpableAndHoldsNoPasscode()
    {
        // `inspect -` waits for a string on standard input: the process stays alive to be looked at.
        QProcess p;
        const QByteArray secret = startAsNobody(p, cliPath(), {QStringLiteral("inspect"), QStringLiteral("-")});
        if (QTest::currentTestFailed() || secret.isEmpty())
            return;
        expectHardened(p, QStringLiteral("sessiondesk-cli"), secret);
        p.write("not a session\n");
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 3);
    }

    void runningGuiIsNotDumpableAndHoldsNoPasscode()
    {
        // The desktop app's main() hardens the process the same way (app/gui/main.cpp).
        const QString gui = QFileInfo(cliPath()).dir().filePath(QStringLiteral("sessiondesk"));
        if (!QFileInfo(gui).isExecutable())
            QSKIP("the desktop app is not built (SESSIONDESK_GUI=OFF)");
        QTemporaryDir home;
        QProcess p;
        const QByteArray secret = startAsNobody(p, gui, {},
                                                {{QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen")}, {QStringLiteral("HOME"), home.path()}});
        if (QTest::currentTestFailed() || secret.isEmpty())
            return;
        expectHardened(p, QStringLiteral("sessiondesk"), secret);
        const qint64 pid = p.processId();
        QCOMPARE(::kill(static_cast<pid_t>(pid), SIGTERM), 0);
        if (!p.waitForFinished(10000)) {
            ::kill(static_cast<pid_t>(pid), SIGKILL);
            QVERIFY(p.waitForFinished(10000));
        }
    }

    void terminalEchoRestoredOnSignal()
    {
        // A hidden prompt turns the terminal's echo off; SIGINT (Ctrl-C) or SIGTERM while it waits
        // must turn it back on before the process dies of that signal (app/cli/cli.cpp,
        // readHiddenLine). Both prompts: the passcode on standard input, the bundle passphrase on
        // /dev/tty. The CLI runs on a pseudo-terminal as its controlling terminal.
        QTemporaryDir dir;
        struct Prompt {
            QStringList args;
            QByteArray text;
        };
        const QList<Prompt> prompts{
            {{QStringLiteral("convert"), dataPath(QStringLiteral("tdata/passcode")), QStringLiteral("--to"), QStringLiteral("telethon-string")}, "Passcode: "},
            {{QStringLiteral("bundle"), QStringLiteral("create"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("-o"),
              dir.filePath(QStringLiteral("b.age")), QStringLiteral("--work-factor"), QStringLiteral("10")},
             "New bundle passphrase: "},
        };
        // The environment without the secrets that would skip the prompt; built before fork().
        std::vector<QByteArray> envStore;
        for (char **e = environ; *e; ++e)
            if (std::strncmp(*e, "SESSIONDESK_PASS", 16) != 0)
                envStore.emplace_back(*e);
        std::vector<char *> envp;
        for (QByteArray &e : envStore)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        for (const Prompt &prompt : prompts) {
            for (const int sig : {SIGINT, SIGTERM}) {
                const QString what = prompt.args.first() + QStringLiteral(" / signal %1").arg(sig);
                int master = -1, slave = -1;
                QCOMPARE(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
                termios t {};
                QCOMPARE(::tcgetattr(slave, &t), 0);
                QVERIFY(t.c_lflag & ECHO); // a new terminal echoes
                std::vector<QByteArray> argStore{QFile::encodeName(cliPath())};
                for (const QString &a : prompt.args)
                    argStore.push_back(QFile::encodeName(a));
                std::vector<char *> argv;
                for (QByteArray &a : argStore)
                    argv.push_back(a.data());
                argv.push_back(nullptr);
                const pid_t pid = ::fork();
                if (pid == 0) { // async-signal-safe calls only
                    ::setsid();
                    ::ioctl(slave, TIOCSCTTY, 0);
                    ::dup2(slave, 0);
                    ::dup2(slave, 1);
                    ::dup2(slave, 2);
                    ::close(master);
                    ::close(slave);
                    ::execve(argv[0], argv.data(), envp.data());
                    ::_exit(127);
                }
                QVERIFY(pid > 0);
                // Wait for the prompt, then for the echo to go off (the handlers are installed first).
                QByteArray seen;
                QElapsedTimer timer;
                timer.start();
                bool echoOff = false;
                while (timer.elapsed() < 15000 && !echoOff) {
                    pollfd pfd{master, POLLIN, 0};
                    if (::poll(&pfd, 1, 20) > 0) {
                        char buf[256];
                        const ssize_t n = ::read(master, buf, sizeof buf);
                        if (n > 0)
                            seen.append(buf, n);
                    }
                    echoOff = seen.contains(prompt.text) && ::tcgetattr(slave, &t) == 0 && !(t.c_lflag & ECHO);
                }
                QVERIFY2(echoOff, qPrintable(what + QStringLiteral(": no hidden prompt: ") + QString::fromUtf8(seen)));
                QCOMPARE(::kill(pid, sig), 0);
                int status = 0;
                timer.restart();
                pid_t r = 0;
                while ((r = ::waitpid(pid, &status, WNOHANG)) == 0 && timer.elapsed() < 10000)
                    QThread::msleep(5);
                if (r == 0) {
                    ::kill(pid, SIGKILL);
                    ::waitpid(pid, &status, 0);
                }
                QVERIFY2(r == pid, qPrintable(what + QStringLiteral(": still running")));
                QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == sig, qPrintable(what + QStringLiteral(": status %1").arg(status)));
                QCOMPARE(::tcgetattr(slave, &t), 0);
                QVERIFY2(t.c_lflag & ECHO, qPrintable(what + QStringLiteral(": echo left off")));
                ::close(master);
                ::close(slave);
            }
        }
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("b.age"))));
    }

    void passcodeFromEnvironmentStillWorks()
    {
        // SESSIONDESK_PASSCODE leaves the environment at start but still unlocks a tdata folder.
        const QByteArray pass = readAll(dataPath(QStringLiteral("tdata/passcode.txt"))).trimmed();
        auto r = runCli({QStringLiteral("inspect"), dataPath(QStringLiteral("tdata/passcode")), QStringLiteral("--json")}, {}, 60000,
                        {QStringLiteral("SESSIONDESK_PASSCODE=") + QString::fromUtf8(pass)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestSafeRead)
#include "tst_saferead.moc"
