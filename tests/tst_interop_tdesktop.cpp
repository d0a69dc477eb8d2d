// Interop: the real Telegram Desktop (Debian package telegram-desktop, 4.6.5) loads tdata folders
// written by SessionDesk. Desktop runs ONLY inside `unshare --net` (a new network namespace in
// which no interface is up, so it cannot reach any network), on its own Xvfb display, with
// -workdir DIR (it reads DIR/tdata) and -debug; the test reads Desktop's own debug log
// (DIR/DebugLogs/log_*.txt), then ends Desktop and its children by PID.
//
// What 4.6.5 logs (checked by experiment, see docs/formats.md 9.2):
//   loaded:   "App Info: reading encrypted mtp data..." then "MTP Info: read keys, current: K, to destroy: D"
//             once per account, then "Connection Info: Connecting to <main DC> ..."; an account with a user
//             id gets a session: "AuthSelf Error: Phone is empty." (the self user is known by id only),
//             while user id 0 (logged out) gives "AuthSelf Warning: Session does not exist."
//   refused:  "App Info: version too big 5008003 for 'key_data', my version 4006005"; Desktop then
//             starts without an account and writes a fresh key_datas over ours
//   passcode: "could not decrypt pass-protected key from info file" and "Application Info: passcode
//             needed..." (the lock screen; nothing more is read until the passcode is typed)
#include "crypto/crypto.h"
#include "format/registry.h"
#include "formats/tdata/tdatafile.h"
#include "testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <csignal>
#include <sys/stat.h>

using namespace sd;
using namespace sdtest;

namespace {

const QString kDesktop = QStringLiteral("/usr/bin/telegram-desktop");

// How unshare makes the network namespace here (decided by missingPrerequisite()).
QStringList &unshareArgs()
{
    static QStringList args{QStringLiteral("--net")};
    return args;
}

// Why the test cannot run here, or an empty string.
QString missingPrerequisite()
{
    if (!QFileInfo(kDesktop).isExecutable())
        return QStringLiteral("Telegram Desktop is not installed (Debian package telegram-desktop)");
    if (QStandardPaths::findExecutable(QStringLiteral("unshare")).isEmpty())
        return QStringLiteral("unshare (util-linux) is not installed");
    if (QStandardPaths::findExecutable(QStringLiteral("Xvfb")).isEmpty())
        return QStringLiteral("Xvfb is not installed");
    // A new network namespace needs root, or (for another user) an unprivileged user namespace.
    for (const QStringList &how : {QStringList{QStringLiteral("--net")}, QStringList{QStringLiteral("--map-root-user"), QStringLiteral("--net")}}) {
        QProcess probe;
        probe.start(QStringLiteral("unshare"), how + QStringList{QStringLiteral("--"), QStringLiteral("true")});
        const bool ok = probe.waitForFinished(10000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0;
        if (!ok) {
            probe.kill();
            probe.waitForFinished();
            continue;
        }
        unshareArgs() = how;
        return {};
    }
    return QStringLiteral("unshare --net is not permitted here (needs root or user namespaces)");
}

QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> out;
    const QStringList procs = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : procs) {
        bool ok = false;
        const qint64 p = name.toLongLong(&ok);
        if (!ok)
            continue;
        const QByteArray stat = readAll(QStringLiteral("/proc/%1/stat").arg(p));
        const int close = stat.lastIndexOf(')'); // "pid (comm) state ppid ..."
        if (close < 0)
            continue;
        const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
        if (fields.size() > 1 && fields[1].toLongLong() == pid)
            out << p << childrenOf(p);
    }
    return out;
}

// Processes whose command line mentions path (a leftover Desktop started on that workdir).
QList<qint64> processesMentioning(const QString &path)
{
    QList<qint64> out;
    const QByteArray needle = path.toUtf8();
    const QStringList procs = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : procs) {
        bool ok = false;
        const qint64 p = name.toLongLong(&ok);
        if (ok && p != QCoreApplication::applicationPid() && readAll(QStringLiteral("/proc/%1/cmdline").arg(p)).contains(needle))
            out << p;
    }
    return out;
}

// Ends a QProcess and every descendant: SIGTERM, a bounded wait, then SIGKILL.
void endTree(QProcess &proc)
{
    if (proc.state() == QProcess::NotRunning)
        return;
    const qint64 pid = proc.processId();
    const QList<qint64> kids = childrenOf(pid);
    ::kill(static_cast<pid_t>(pid), SIGTERM);
    for (qint64 k : kids)
        ::kill(static_cast<pid_t>(k), SIGTERM);
    if (!proc.waitForFinished(5000)) {
        ::kill(static_cast<pid_t>(pid), SIGKILL);
        proc.waitForFinished(5000);
    }
    for (qint64 k : kids)
        ::kill(static_cast<pid_t>(k), SIGKILL);
}

// One Xvfb display and one Telegram Desktop run; the destructor ends both.
class DesktopRun {
public:
    ~DesktopRun()
    {
        endTree(m_desktop);
        endTree(m_xvfb);
    }

    // Starts Xvfb on a free display (it prints the number on -displayfd) and Desktop on it.
    bool start(const QString &workdir, QString *why)
    {
        m_workdir = workdir;
        m_xvfb.start(QStringLiteral("Xvfb"), {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-nolisten"),
                                              QStringLiteral("tcp"), QStringLiteral("-screen"), QStringLiteral("0"),
                                              QStringLiteral("1024x768x24")});
        QElapsedTimer t;
        t.start();
        QByteArray display;
        while (t.elapsed() < 20000 && !display.contains('\n') && m_xvfb.state() != QProcess::NotRunning) {
            m_xvfb.waitForReadyRead(200);
            display += m_xvfb.readAllStandardOutput();
        }
        display = display.trimmed();
        if (display.isEmpty()) {
            *why = QStringLiteral("Xvfb did not start: ") + QString::fromLocal8Bit(m_xvfb.readAllStandardError());
            return false;
        }
        const QString home = workdir + QStringLiteral("/home");
        QDir().mkpath(home + QStringLiteral("/runtime"));
        ::chmod(QFile::encodeName(home + QStringLiteral("/runtime")).constData(), 0700);
        QProcessEnvironment env;
        env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home + QStringLiteral("/runtime"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/cache"));
        env.insert(QStringLiteral("DISPLAY"), QLatin1Char(':') + QString::fromLatin1(display));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=") + home + QStringLiteral("/no-bus"));
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
        m_desktop.setProcessEnvironment(env);
        m_desktop.setWorkingDirectory(workdir);
        m_desktop.setStandardOutputFile(workdir + QStringLiteral("/stdout.txt"));
        m_desktop.setStandardErrorFile(workdir + QStringLiteral("/stderr.txt"));
        // unshare (without --fork) enters the new network namespace and execs Desktop, so the
        // PID QProcess knows is Desktop's own. If the namespace cannot be made, Desktop never runs.
        m_desktop.start(QStringLiteral("unshare"),
                        unshareArgs() + QStringList{QStringLiteral("--"), kDesktop, QStringLiteral("-workdir"), workdir, QStringLiteral("-debug")});
        if (!m_desktop.waitForStarted(10000)) {
            *why = QStringLiteral("unshare/telegram-desktop did not start");
            return false;
        }
        return true;
    }

    // Desktop's debug log so far (every DebugLogs/log_*.txt, in name order).
    QString log() const
    {
        QString all;
        QDir logs(m_workdir + QStringLiteral("/DebugLogs"));
        for (const QString &f : logs.entryList({QStringLiteral("log*.txt")}, QDir::Files, QDir::Name))
            all += QString::fromUtf8(readAll(logs.filePath(f)));
        return all;
    }

    // Waits (bounded) until done(log) holds or Desktop exits; then gives it a moment to write
    // what it does next (a refused folder is overwritten right after the refusal) and ends it.
    QString waitFor(const std::function<bool(const QString &)> &done, int timeoutMs = 90000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs && m_desktop.state() != QProcess::NotRunning && !done(log()))
            QThread::msleep(250);
        QThread::msleep(2000);
        endTree(m_desktop);
        return log();
    }

    bool exitedEarly() const { return m_desktop.state() == QProcess::NotRunning; }

private:
    QString m_workdir;
    QProcess m_xvfb;
    QProcess m_desktop;
};

const QString kLoggedIn = QStringLiteral("AuthSelf Error: Phone is empty.");
const QString kLoggedOut = QStringLiteral("AuthSelf Warning: Session does not exist.");

QList<QPair<int, int>> readKeys(const QString &log) // (current, to destroy) per account read
{
    QList<QPair<int, int>> out;
    static const QRegularExpression re(QStringLiteral("MTP Info: read keys, current: (\\d+), to destroy: (\\d+)"));
    for (auto it = re.globalMatch(log); it.hasNext();) {
        const auto m = it.next();
        out << qMakePair(m.captured(1).toInt(), m.captured(2).toInt());
    }
    return out;
}

Session makeAccount(qint64 userId, int mainDc, const QList<int> &otherDcs)
{
    Session s;
    s.dcId = mainDc;
    s.userId = userId;
    s.upsertDc(mainDc).authKey = SecretBytes::fromByteArray(crypto::randomBytes(256));
    for (int dc : otherDcs)
        s.upsertDc(dc).authKey = SecretBytes::fromByteArray(crypto::randomBytes(256));
    return s;
}

qint32 headerVersion(const QString &file)
{
    auto tdf = tdata::parseTdf(readAll(file));
    return tdf ? tdf->version : -1;
}

} // namespace

class TestInteropTdesktop : public QObject {
    Q_OBJECT
private:
    QString m_missing;

    // Runs Desktop on workdir (which holds tdata/) and checks the common facts: it did not refuse
    // the folder, never reached a network, did not overwrite key_datas, and left no process.
    QString runDesktop(const QString &workdir, const std::function<bool(const QString &)> &done)
    {
        const QString keyFile = workdir + QStringLiteral("/tdata/key_datas");
        const QByteArray keyBefore = fileSha256(keyFile);
        QString log;
        {
            DesktopRun run;
            QString why;
            if (!run.start(workdir, &why)) {
                qWarning("%s", qPrintable(why));
                return {};
            }
            log = run.waitFor(done);
        }
        if (!processesMentioning(workdir).isEmpty())
            qWarning("a process on %s is still running", qPrintable(workdir));
        [&] {
            QVERIFY2(!log.isEmpty(), "Telegram Desktop wrote no debug log");
            QVERIFY2(!log.contains(QStringLiteral("version too big")), "Telegram Desktop refused the folder's version");
            QVERIFY2(processesMentioning(workdir).isEmpty(), "a telegram-desktop process is left");
            QCOMPARE(fileSha256(keyFile), keyBefore); // not reset
            // It tried to connect and found no network (the namespace has no interface up).
            if (log.contains(QStringLiteral("Connecting to ")))
                QVERIFY(log.contains(QStringLiteral("Network unreachable")));
        }();
        return log;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_missing = missingPrerequisite();
        if (!m_missing.isEmpty())
            QSKIP(qPrintable(QStringLiteral("SKIP: ") + m_missing));
    }

    // The control: the same folder stamped 5.8.3 is refused by 4.6.5, which then replaces key_datas.
    // This is what the version fix is about, and it shows the log markers below mean something.
    void refusesNewerStamp()
    {
        QTemporaryDir tmp;
        const QString tdataDir = tmp.filePath(QStringLiteral("tdata"));
        CliRun r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("tdata/plain")), QStringLiteral("--to"), QStringLiteral("tdata"),
                           QStringLiteral("-o"), tdataDir, QStringLiteral("--tdesktop-version"), QStringLiteral("5.8.3")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(headerVersion(tdataDir + QStringLiteral("/key_datas")), 5008003);
        const QByteArray before = fileSha256(tdataDir + QStringLiteral("/key_datas"));
        QString log;
        {
            DesktopRun run;
            QString why;
            QVERIFY2(run.start(tmp.path(), &why), qPrintable(why));
            // Desktop writes its fresh key_datas a little after the refusal.
            const QString keyFile = tdataDir + QStringLiteral("/key_datas");
            log = run.waitFor([&](const QString &l) { return l.contains(QStringLiteral("version too big")) && fileSha256(keyFile) != before; });
        }
        QVERIFY(processesMentioning(tmp.path()).isEmpty());
        QVERIFY2(log.contains(QStringLiteral("version too big 5008003 for 'key_data'")), qPrintable(log.right(2000)));
        QVERIFY(!log.contains(QStringLiteral("MTP Info: read keys")));
        QVERIFY(fileSha256(tdataDir + QStringLiteral("/key_datas")) != before);
    }

    // One account, converted by the CLI from a Telethon file (no user id there: --user-id gives it)
    // with the default stamp.
    void loadsOneAccount()
    {
        QTemporaryDir tmp;
        const QString tdataDir = tmp.filePath(QStringLiteral("tdata"));
        const QString source = dataPath(QStringLiteral("telethon/basic.session"));
        CliRun r = runCli({QStringLiteral("convert"), source, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), tdataDir});
        QCOMPARE(r.exitCode, 2); // no user id in a Telethon file: never written as 0
        QVERIFY(r.err.contains("--user-id"));
        r = runCli({QStringLiteral("convert"), source, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), tdataDir,
                    QStringLiteral("--user-id"), QStringLiteral("5550001234")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(headerVersion(tdataDir + QStringLiteral("/key_datas")), tdata::kDefaultWriteVersion);
        r = runCli({QStringLiteral("inspect"), source, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const int dc = r.json().object().value(QStringLiteral("accounts")).toArray().at(0).toObject().value(QStringLiteral("dc_id")).toInt();
        QVERIFY(dc > 0);

        const QString log = runDesktop(tmp.path(), [](const QString &l) { return l.contains(QStringLiteral("AuthSelf ")); });
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(log.contains(QStringLiteral("App Info: reading encrypted mtp data...")), qPrintable(log.right(2000)));
        QCOMPARE(readKeys(log), (QList<QPair<int, int>>{{1, 0}}));
        QVERIFY2(log.contains(QStringLiteral("Connection Info: Connecting to %1 with").arg(dc)), qPrintable(log.right(2000)));
        // Logged in as the user id given, not logged out.
        QVERIFY2(log.contains(kLoggedIn), qPrintable(log.right(2000)));
        QVERIFY(!log.contains(kLoggedOut));
    }

    // A folder with a non-ASCII local passcode. Desktop first tries no passcode (which fails on our
    // key file, proving it got past the version check and decrypted with the salt we wrote), then
    // shows its lock screen. Typing is not possible without an input tool here; that the passcode
    // itself opens the folder is checked by SessionDesk's and mtcute's readers (tst_tdata,
    // tst_interop_tdata).
    void passcodeFolderReachesLockScreen()
    {
        QTemporaryDir tmp;
        const QString tdataDir = tmp.filePath(QStringLiteral("tdata"));
        const QString passFile = tmp.filePath(QStringLiteral("pass.txt"));
        {
            QFile f(passFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("пароль ✓ 密码\n").toUtf8());
        }
        CliRun r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("tdata/plain")), QStringLiteral("--to"), QStringLiteral("tdata"),
                           QStringLiteral("-o"), tdataDir, QStringLiteral("--new-passcode-file"), passFile});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFile::remove(passFile));

        const QString log = runDesktop(tmp.path(), [](const QString &l) { return l.contains(QStringLiteral("passcode needed")); });
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(log.contains(QStringLiteral("could not decrypt pass-protected key from info file")), qPrintable(log.right(2000)));
        QVERIFY(log.contains(QStringLiteral("Application Info: passcode needed...")));
        QVERIFY(!log.contains(QStringLiteral("MTP Info: read keys"))); // locked: nothing read before the passcode
    }

    // Three accounts, several DC keys each, a key to destroy, written through the format itself.
    void loadsThreeAccounts()
    {
        QTemporaryDir tmp;
        const QString tdataDir = tmp.filePath(QStringLiteral("tdata"));
        Store store;
        store.formatId = QStringLiteral("sessiondesk-json");
        store.accounts.push_back(makeAccount(5550000001LL, 2, {1, 4}));
        store.accounts.push_back(makeAccount(5550000002LL, 4, {2, 5}));
        store.accounts.push_back(makeAccount(7000000003LL, 1, {2, 3, 5}));
        {
            QVariantMap d;
            d[QStringLiteral("dc_id")] = 3;
            d[QStringLiteral("auth_key")] = crypto::randomBytes(256);
            store.accounts[1].extra[QStringLiteral("tdata_keys_to_destroy")] = QVariantList{d};
        }
        const Format *f = Registry::instance().find(QStringLiteral("tdata"));
        QVERIFY(f);
        auto st = f->write(store, tdataDir, WriteOptions{});
        QVERIFY2(st, qPrintable(st ? QString() : st.error().message));
        QCOMPARE(headerVersion(tdataDir + QStringLiteral("/key_datas")), tdata::kDefaultWriteVersion);

        const QString log = runDesktop(tmp.path(), [](const QString &l) {
            return readKeys(l).size() >= 3 && l.contains(QStringLiteral("Connecting to ")) && l.contains(QStringLiteral("AuthSelf "));
        });
        if (QTest::currentTestFailed())
            return;
        QList<QPair<int, int>> keys = readKeys(log);
        std::sort(keys.begin(), keys.end());
        QCOMPARE(keys, (QList<QPair<int, int>>{{3, 0}, {3, 1}, {4, 0}}));
        // The active account (index 0) connects to its main DC.
        QVERIFY2(log.contains(QStringLiteral("Connection Info: Connecting to 2 with")), qPrintable(log.right(2000)));
        QVERIFY2(log.count(kLoggedIn) >= 3, qPrintable(log.right(2000))); // each account opened a session (Desktop logs it once or twice)
        QVERIFY(!log.contains(kLoggedOut));
    }
};

QTEST_GUILESS_MAIN(TestInteropTdesktop)
#include "tst_interop_tdesktop.moc"
