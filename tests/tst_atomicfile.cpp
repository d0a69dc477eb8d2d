#include "io/atomicfile.h"
#include "testutil.h"

#include <QtTest>
#include <sys/stat.h>

using namespace sd;

class TestAtomicFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesPrivateAndRefusesOverwrite()
    {
        QTemporaryDir dir;
        const mode_t old = ::umask(0);   // even with a permissive umask the file is 0600
        const QString p = dir.filePath(QStringLiteral("out.bin"));
        QVERIFY(writeFileAtomic(p, "one", false).ok());
        ::umask(old);
        QCOMPARE(sdtest::fileMode(p), 0600);
        const Status again = writeFileAtomic(p, "two", false);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::Output);
        QCOMPARE(sdtest::readAll(p), QByteArray("one"));
        QVERIFY(writeFileAtomic(p, "two", true).ok());
        QCOMPARE(sdtest::readAll(p), QByteArray("two"));
        // No temporary files left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }
    void directoryIsBuiltAsideAndSwapped()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("tdata"));
        {
            AtomicDirectory d;
            QVERIFY(d.begin(target, false).ok());
            QVERIFY(d.writeFile(QStringLiteral("sub/a"), "x").ok());
            QVERIFY(!QFileInfo::exists(target));
            QVERIFY(d.commit().ok());
        }
        QCOMPARE(sdtest::fileMode(target), 0700);
        QCOMPARE(sdtest::fileMode(target + QStringLiteral("/sub")), 0700);
        QCOMPARE(sdtest::fileMode(target + QStringLiteral("/sub/a")), 0600);
        AtomicDirectory refuse;
        QVERIFY(!refuse.begin(target, false).ok());
        {
            AtomicDirectory abandoned;
            QVERIFY(abandoned.begin(target, true).ok());
            QVERIFY(abandoned.writeFile(QStringLiteral("b"), "y").ok());
        } // not committed: the old folder stays, the temporary one is gone
        QVERIFY(QFileInfo::exists(target + QStringLiteral("/sub/a")));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).size(), 1);
    }
    // Without force, a target that appears between begin() and commit() is never replaced
    // (docs/security.md, "Replacing a target": RENAME_NOREPLACE): commit() refuses, the planted
    // file keeps its bytes.
    void targetPlantedAfterBeginIsNotReplaced()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("tdata"));
        AtomicDirectory d;
        QVERIFY(d.begin(target, false).ok());
        QVERIFY(d.writeFile(QStringLiteral("a"), "new").ok());
        {
            QFile planted(target);
            QVERIFY(planted.open(QIODevice::WriteOnly));
            QCOMPARE(planted.write("planted"), qint64(7));
        }
        const Status st = d.commit();
        QVERIFY(!st.ok());
        QCOMPARE(st.error().kind, ErrorKind::Output); // exit 5: unchanged
        QVERIFY(QFileInfo(target).isFile());
        QCOMPARE(sdtest::readAll(target), QByteArray("planted"));
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
