// Creating files (docs/security.md, "Writing"): every temp, output, backup and staging file is
// created 0600 with O_EXCL|O_NOFOLLOW before its first byte, folders 0700. Shown from outside: a
// second user (nobody, through setpriv) polls the output folder while convert and prune run again
// and again, and never opens a file; a planted world-readable canary proves the poller works.
#include "testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace sdtest;

namespace {

// Lists the folder (and every folder it can enter) as fast as it can and tries to open and read
// each entry; prints every name it could read, then "rounds N". Stops when the stop file exists.
const char *kPoller = R"PY(
import os, sys
root, stop = sys.argv[1], sys.argv[2]
opened, rounds = set(), 0
while not os.path.exists(stop):
    rounds += 1
    for dirpath, dirs, files in os.walk(root):
        for n in files + dirs:
            p = os.path.join(dirpath, n)
            try:
                fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
            except OSError:
                continue
            try:
                if os.read(fd, 1) is not None and not os.path.isdir(p):
                    opened.add(os.path.relpath(p, root))
            except OSError:
                pass
            finally:
                os.close(fd)
for n in sorted(opened):
    print("opened", n)
print("rounds", rounds, flush=True)
)PY";

} // namespace

class TstSafewriteCreate : public QObject {
    Q_OBJECT

    static void run(const QStringList &args)
    {
        const CliRun r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromUtf8(r.err)));
    }

private Q_SLOTS:
    void modes()
    {
        // Whatever the umask, outputs are 0600 and folders 0700 (the CLI inherits this process's umask).
        const mode_t old = ::umask(0);
        QTemporaryDir d;
        const QString src = dataPath(QStringLiteral("telethon/basic.session"));
        run({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("-o"), d.filePath(QStringLiteral("p.session")),
             QStringLiteral("--api-id"), QStringLiteral("1"), QStringLiteral("--user-id"), QStringLiteral("1")});
        run({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("gotd-json"), QStringLiteral("-o"), d.filePath(QStringLiteral("g.json"))});
        run({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), d.filePath(QStringLiteral("td")),
             QStringLiteral("--user-id"), QStringLiteral("1")});
        run({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), d.filePath(QStringLiteral("t.session"))});
        run({QStringLiteral("prune"), d.filePath(QStringLiteral("t.session")), QStringLiteral("--clear")});
        QVERIFY(QDir().mkdir(d.filePath(QStringLiteral("in"))));
        QVERIFY(QFile::copy(src, d.filePath(QStringLiteral("in/a.session"))));
        QVERIFY(QFile::setPermissions(d.filePath(QStringLiteral("in/a.session")), QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QVERIFY(::chmod(QFile::encodeName(d.filePath(QStringLiteral("in"))).constData(), 0700) == 0);
        run({QStringLiteral("convert"), d.filePath(QStringLiteral("in")), QStringLiteral("--to"), QStringLiteral("gotd-json"), QStringLiteral("-o"),
             d.filePath(QStringLiteral("batch/deep"))});
        ::umask(old);
        QDirIterator it(d.path(), QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            const QString p = it.next();
            const int mode = fileMode(p);
            QVERIFY2(mode == (it.fileInfo().isDir() ? 0700 : 0600), qPrintable(QStringLiteral("%1: %2").arg(p).arg(mode, 0, 8)));
            QVERIFY2(!it.fileName().contains(QLatin1String(".sd")), qPrintable(p));
            ++files;
        }
        QVERIFY(files >= 8);
        QVERIFY(!QDir(d.path()).entryList({QStringLiteral("t.session.bak-*")}).isEmpty());
    }

    void secondUserNeverOpensAFile()
    {
        const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        if (setpriv.isEmpty())
            QSKIP("setpriv (util-linux) is not installed: the second-user test needs it");
        if (::geteuid() != 0)
            QSKIP("the second-user test switches to 'nobody' and needs root");
        const QString py = QFileInfo::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3") : QStringLiteral("python3");
        QTemporaryDir d;
        // The folder is open to everyone (as a shared download folder would be); the inputs are private.
        QVERIFY(::chmod(QFile::encodeName(d.path()).constData(), 0755) == 0);
        const QString out = d.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkdir(out));
        QVERIFY(::chmod(QFile::encodeName(out).constData(), 0777) == 0);
        const QString stop = d.filePath(QStringLiteral("stop"));
        const QString canary = out + QStringLiteral("/canary.txt");
        {
            QFile c(canary);
            QVERIFY(c.open(QIODevice::WriteOnly));
            c.write("readable on purpose");
        }
        QVERIFY(::chmod(QFile::encodeName(canary).constData(), 0644) == 0);

        QProcess poller;
        poller.start(setpriv, {QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"), QStringLiteral("--clear-groups"), py,
                               QStringLiteral("-c"), QString::fromLatin1(kPoller), out, stop});
        QVERIFY(poller.waitForStarted(10000));

        const QString src = dataPath(QStringLiteral("telethon/basic.session"));
        const QString t = out + QStringLiteral("/t.session");
        run({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), t});
        const QString store = dataPath(QStringLiteral("gramjs/peers"));
        for (int i = 0; i < 12; ++i) {
            run({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), t, QStringLiteral("--force")});
            run({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("-o"), out + QStringLiteral("/p.session"),
                 QStringLiteral("--force"), QStringLiteral("--api-id"), QStringLiteral("1"), QStringLiteral("--user-id"), QStringLiteral("1")});
            run({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("gotd-bbolt"), QStringLiteral("-o"), out + QStringLiteral("/b.db"), QStringLiteral("--force")});
            run({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("telethon-string"), QStringLiteral("-o"), out + QStringLiteral("/s.txt"), QStringLiteral("--force")});
            run({QStringLiteral("convert"), store, QStringLiteral("--to"), QStringLiteral("gramjs-store"), QStringLiteral("-o"), out + QStringLiteral("/store"), QStringLiteral("--force")});
            run({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), out + QStringLiteral("/tdata"), QStringLiteral("--force"),
                 QStringLiteral("--user-id"), QStringLiteral("1")});
            run({QStringLiteral("prune"), t, QStringLiteral("--keep-newest"), QString::number(30 - i)});
            run({QStringLiteral("prune"), out + QStringLiteral("/b.db"), QStringLiteral("--keep-newest"), QString::number(30 - i)});
            run({QStringLiteral("prune"), out + QStringLiteral("/store"), QStringLiteral("--clear")});
        }
        {
            QFile s(stop);
            QVERIFY(s.open(QIODevice::WriteOnly));
        }
        QVERIFY(poller.waitForFinished(60000));
        const QByteArray report = poller.readAllStandardOutput();
        QVERIFY2(poller.exitCode() == 0, poller.readAllStandardError().constData());
        // The poller ran (many rounds) and could read the canary: it would have seen a leak.
        QVERIFY2(report.contains("opened canary.txt"), report.constData());
        const QList<QByteArray> lines = report.split('\n');
        int rounds = 0;
        QStringList leaked;
        for (const QByteArray &l : lines) {
            if (l.startsWith("rounds "))
                rounds = l.mid(7).toInt();
            else if (l.startsWith("opened ") && l != "opened canary.txt")
                leaked << QString::fromUtf8(l.mid(7));
        }
        qInfo("poller: %d rounds over the output folder", rounds);
        QVERIFY(rounds > 20);
        QVERIFY2(leaked.isEmpty(), qPrintable(leaked.join(QLatin1Char(' '))));
        // Backups were made (prune's default) and are private too.
        const QStringList backups = QDir(out).entryList({QStringLiteral("*.bak-*")}, QDir::AllEntries | QDir::Hidden);
        QVERIFY(!backups.isEmpty());
        for (const QString &b : backups)
            QCOMPARE(fileMode(out + QLatin1Char('/') + b), QFileInfo(out + QLatin1Char('/') + b).isDir() ? 0700 : 0600);
    }
};

QTEST_GUILESS_MAIN(TstSafewriteCreate)
#include "tst_safewrite_create.moc"
