// Replays every input the fuzzers found and we fixed (tests/fuzz-regressions/<target>/<file>)
// through the very same harness code the libFuzzer targets run (fuzz/fuzz_*.cpp, compiled here
// without their libFuzzer entry point), in the normal build. <target> is a format id (the input goes
// to that format's reader as a string, file or folder, like fuzz_<format>) or an inner decoder target
// (tdata-blocks, gob, bbolt...). A replay must finish quickly, keep every round-trip property the
// target asserts, and not crash (a crash fails the whole executable).
#define SD_FUZZ_NO_MAIN
#include "../fuzz/fuzz_bbolt.cpp"
#include "../fuzz/fuzz_ferogram_codec.cpp"
#include "../fuzz/fuzz_format.cpp"
#include "../fuzz/fuzz_gob.cpp"
#include "../fuzz/fuzz_gogram_plain.cpp"
#include "../fuzz/fuzz_json.cpp"
#include "../fuzz/fuzz_mtcute_tl.cpp"
#include "../fuzz/fuzz_schema_text.cpp"
#include "../fuzz/fuzz_string_payloads.cpp"
#include "../fuzz/fuzz_tdata_blocks.cpp"
#include "../fuzz/fuzz_tdata_mtp.cpp"
#include "../fuzz/fuzz_vault_blob.cpp"
#include "../fuzz/fuzz_audit_text.cpp"
#include "../fuzz/fuzz_peer_search.cpp"
#include "../fuzz/fuzz_sqlite_snapshot.cpp"
#include "testutil.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <functional>

using namespace sd;

namespace {

using Runner = std::function<int(const uint8_t *, size_t)>;

const QMap<QString, Runner> &innerTargets()
{
    static const QMap<QString, Runner> m{
        {QStringLiteral("bbolt"), sdfuzz::t_bbolt::run},
        {QStringLiteral("ferogram-codec"), sdfuzz::t_ferogram_codec::run},
        {QStringLiteral("gob"), sdfuzz::t_gob::run},
        {QStringLiteral("gogram-plain"), sdfuzz::t_gogram_plain::run},
        {QStringLiteral("json"), sdfuzz::t_json::run},
        {QStringLiteral("mtcute-tl"), sdfuzz::t_mtcute_tl::run},
        {QStringLiteral("schema-text"), sdfuzz::t_schema_text::run},
        {QStringLiteral("string-payloads"), sdfuzz::t_string_payloads::run},
        {QStringLiteral("tdata-blocks"), sdfuzz::t_tdata_blocks::run},
        {QStringLiteral("tdata-mtp"), sdfuzz::t_tdata_mtp::run},
        {QStringLiteral("vault-blob"), sdfuzz::t_vault_blob::run},
        {QStringLiteral("audit-text"), sdfuzz::t_audit_text::run},
        {QStringLiteral("peer-search"), sdfuzz::t_peer_search::run},
        {QStringLiteral("sqlite-snapshot"), sdfuzz::t_sqlite_snapshot::run},
    };
    return m;
}

// The runner for a regression folder name, or an empty function for an unknown name.
Runner runnerFor(const QString &target)
{
    if (innerTargets().contains(target))
        return innerTargets().value(target);
    if (const Format *f = Registry::instance().find(target))
        return [f](const uint8_t *d, size_t n) { return sdfuzz::t_format::runFormat(*f, d, n); };
    return {};
}

int replayBytes(const Runner &run, const QByteArray &bytes)
{
    return run(reinterpret_cast<const uint8_t *>(bytes.constData()), static_cast<size_t>(bytes.size()));
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyFolderIsATarget()
    {
        const QDir root(sdtest::sourcePath(QStringLiteral("tests/fuzz-regressions")));
        QVERIFY(root.exists());
        const QStringList dirs = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY2(!dirs.isEmpty(), "no kept fuzz regression inputs");
        for (const QString &d : dirs)
            QVERIFY2(bool(runnerFor(d)), qPrintable(QStringLiteral("unknown fuzz target folder %1").arg(d)));
    }

    void replay_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("path");
        QDirIterator it(sdtest::sourcePath(QStringLiteral("tests/fuzz-regressions")), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QFileInfo fi(path);
            if (fi.fileName() == QLatin1String("README.md"))
                continue;
            const QString target = fi.dir().dirName();
            QTest::newRow(qPrintable(target + QLatin1Char('/') + fi.fileName())) << target << path;
        }
    }
    void replay()
    {
        if (!QTest::currentDataTag())
            QSKIP("no kept fuzz regression inputs");
        QFETCH(QString, target);
        QFETCH(QString, path);
        const Runner run = runnerFor(target);
        QVERIFY(run);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        const int before = sdfuzz::checkFailures();
        QElapsedTimer t;
        t.start();
        QCOMPARE(replayBytes(run, bytes), 0);
        QVERIFY2(t.elapsed() < 10000, qPrintable(QStringLiteral("took %1 ms").arg(t.elapsed())));
        QCOMPARE(sdfuzz::checkFailures(), before);
    }

    // Inputs over 4 MiB (docs/security.md, "Fuzzing") run in the normal build too: the large seeds
    // fuzz/seed-corpus.sh generates for bbolt, the audit text and a Telethon session (made at test
    // time, not kept in the tree) go through their targets whole, without a failed check.
    void largeSeedsRunWhole()
    {
        const QList<QPair<QString, QString>> seeds{
            {QStringLiteral("bbolt"), QStringLiteral("big-bbolt")},
            {QStringLiteral("audit-text"), QStringLiteral("big-env")},
            {QStringLiteral("telethon-sqlite"), QStringLiteral("big.session")},
        };
        for (const auto &[target, name] : seeds) {
            QTemporaryDir corpus;
            QVERIFY(corpus.isValid());
            QProcess p;
            p.start(QStringLiteral("/bin/sh"), {sdtest::sourcePath(QStringLiteral("fuzz/seed-corpus.sh")), target,
                                                sdtest::sourcePath(QString()), corpus.path()});
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 0);
            const QByteArray bytes = sdtest::readAll(corpus.filePath(name));
            QVERIFY2(bytes.size() > 4 * 1024 * 1024, qPrintable(QStringLiteral("%1: %2 bytes").arg(name).arg(bytes.size())));
            const Runner run = runnerFor(target);
            QVERIFY(run);
            const int before = sdfuzz::checkFailures();
            QElapsedTimer t;
            t.start();
            QCOMPARE(replayBytes(run, bytes), 0);
            qInfo("%s: %lld bytes in %lld ms", qPrintable(target), qint64(bytes.size()), qint64(t.elapsed()));
            QVERIFY2(t.elapsed() < 10000, qPrintable(QStringLiteral("%1 took %2 ms").arg(target).arg(t.elapsed())));
            QCOMPARE(sdfuzz::checkFailures(), before);
        }
    }

    // The inner targets' round-trip checks hold for the real fixtures, and would report a broken
    // one: the harness is not a no-op.
    void innerTargetsKeepRoundTripsOnFixtures()
    {
        const QList<QPair<QString, QString>> seeds{
            {QStringLiteral("bbolt"), QStringLiteral("gotd/gotd-bbolt-botapi.db")},
            {QStringLiteral("gob"), QStringLiteral("gogram/gogram-cache.db")},
            {QStringLiteral("json"), QStringLiteral("gotd/gotd-json-session.json")},
            {QStringLiteral("ferogram-codec"), QStringLiteral("ferogram/ferogram-binary-v8.bin")},
            {QStringLiteral("ferogram-codec"), QStringLiteral("ferogram/ferogram-binary-v1.bin")},
            {QStringLiteral("tdata-blocks"), QStringLiteral("tdata/plain/key_datas")},
        };
        for (const auto &[target, file] : seeds) {
            const QByteArray bytes = sdtest::readAll(sdtest::dataPath(file));
            QVERIFY2(!bytes.isEmpty(), qPrintable(file));
            const int before = sdfuzz::checkFailures();
            QCOMPARE(replayBytes(innerTargets().value(target), bytes), 0);
            QCOMPARE(sdfuzz::checkFailures(), before);
        }
        const int before = sdfuzz::checkFailures();
        sdfuzz::check(false);
        QCOMPARE(sdfuzz::checkFailures(), before + 1);
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
