// Crash safety: sessiondesk-cli is killed with SIGKILL at random moments while it converts and
// prunes, hundreds of times. Every target must afterwards be either the complete old file or the
// complete new one (valid in its format), and the input must be byte-identical.
#include "testutil.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QtTest>

using namespace sdtest;

namespace {

struct KillStats {
    int killed = 0;
    int finished = 0;
    int oldSeen = 0;
    int newSeen = 0;
};

// Starts the CLI with args and kills it after delayUs microseconds (unless it finished first).
QString authKeyIdOf(const QString &path)
{
    const CliRun r = runCli({QStringLiteral("inspect"), path, QStringLiteral("--json")});
    if (r.exitCode != 0) {
        qWarning("inspect %s failed (%d): %s", qPrintable(path), r.exitCode, r.err.constData());
        return {};
    }
    return r.json().object().value(QStringLiteral("accounts")).toArray().at(0).toObject().value(QStringLiteral("auth_key_id")).toString();
}

} // namespace

class TestCrashSafety : public QObject {
    Q_OBJECT
private:
    int iterations() const { return qEnvironmentVariableIntValue("SD_CRASH_ITERATIONS") > 0 ? qEnvironmentVariableIntValue("SD_CRASH_ITERATIONS") : 120; }

    void convertUnderKill(const QString &target, const QStringList &extra)
    {
        QTemporaryDir dir;
        const QString input = copyTo(dataPath(QStringLiteral("telethon/basic.session")), dir.path());
        const QByteArray inputHash = fileSha256(input);
        const QString expectedId = authKeyIdOf(input);
        QVERIFY2(!expectedId.isEmpty(), "fixture must be readable");
        const QString out = dir.filePath(QStringLiteral("out.") + target);

        // The "old" file: a complete earlier conversion with --no-peers (different bytes).
        QStringList base = {QStringLiteral("convert"), input, QStringLiteral("--to"), target, QStringLiteral("-o"), out};
        base << extra;
        QCOMPARE(runCli(base + QStringList{QStringLiteral("--no-peers")}).exitCode, 0);
        const QByteArray oldHash = fileSha256(out);
        const QString saved = dir.filePath(QStringLiteral("old.saved"));
        QVERIFY(QFile::copy(out, saved));
        // The "new" file, made once without interference, to know its valid shape.
        const QString reference = dir.filePath(QStringLiteral("reference.") + target);
        QStringList refArgs = base;
        refArgs[5] = reference;
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(runCli(refArgs).exitCode, 0);
        const int spanUs = static_cast<int>(timer.nsecsElapsed() / 1000 * 13 / 10) + 1000;

        KillStats st;
        auto *rng = QRandomGenerator::global();
        for (int i = 0; i < iterations(); ++i) {
            // Restore the old target so each round starts from the old file.
            if (fileSha256(out) != oldHash) {
                QFile::remove(out);
                QVERIFY(QFile::copy(saved, out));
            }
            const bool killed = runCliAndKill(base + QStringList{QStringLiteral("--force")}, rng->bounded(0, spanUs));
            killed ? ++st.killed : ++st.finished;
            const QByteArray now = fileSha256(out);
            QVERIFY2(!now.isEmpty(), "target vanished");
            if (now == oldHash) {
                ++st.oldSeen;
            } else {
                ++st.newSeen;
                QCOMPARE(authKeyIdOf(out), expectedId); // complete and valid
            }
            QCOMPARE(fileSha256(input), inputHash);
        }
        qInfo("%s: %d runs, %d killed, %d finished; target old %d times, new %d times", qPrintable(target), iterations(),
              st.killed, st.finished, st.oldSeen, st.newSeen);
        QVERIFY(st.killed > 0);
    }

private Q_SLOTS:
    void convertToTelethon() { convertUnderKill(QStringLiteral("telethon-sqlite"), {}); }
    void convertToSessiondeskJson() { convertUnderKill(QStringLiteral("sessiondesk-json"), {}); }
    void convertToMtcute() { convertUnderKill(QStringLiteral("mtcute-sqlite"), {}); }

    void pruneUnderKill()
    {
        QTemporaryDir dir;
        const QString original = dataPath(QStringLiteral("telethon/basic.session"));
        const QString expectedId = authKeyIdOf(original);
        const QString target = dir.filePath(QStringLiteral("bot.session"));
        // Expected peer count after pruning every user (computed once without interference).
        QVERIFY(QFile::copy(original, target));
        QElapsedTimer timer;
        timer.start();
        const CliRun ref = runCli({QStringLiteral("prune"), target, QStringLiteral("--type"), QStringLiteral("user"), QStringLiteral("--no-backup"), QStringLiteral("--json")});
        const int spanUs = static_cast<int>(timer.nsecsElapsed() / 1000 * 13 / 10) + 1000;
        // Prune has long landed: a reference run that fails is a failure, not a reason to skip.
        QVERIFY2(ref.exitCode == 0, qPrintable(QStringLiteral("the reference prune failed: ") + QString::fromUtf8(ref.err)));
        KillStats st;
        auto *rng = QRandomGenerator::global();
        for (int i = 0; i < iterations(); ++i) {
            QFile::remove(target);
            QVERIFY(QFile::copy(original, target));
            QFile(target).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            const bool killed = runCliAndKill({QStringLiteral("prune"), target, QStringLiteral("--type"), QStringLiteral("user"), QStringLiteral("--no-backup")},
                                           rng->bounded(0, spanUs));
            killed ? ++st.killed : ++st.finished;
            // SQLite's journal makes the interrupted transaction roll back on the next open: the
            // file is the old one or the pruned one, never a mix. Reading it must succeed.
            QCOMPARE(authKeyIdOf(target), expectedId);
            const CliRun peers = runCli({QStringLiteral("peers"), target, QStringLiteral("--type"), QStringLiteral("user"), QStringLiteral("--json")});
            QCOMPARE(peers.exitCode, 0);
            const int users = static_cast<int>(peers.json().array().size());
            users == 0 ? ++st.newSeen : ++st.oldSeen;
            if (users != 0) {
                const CliRun all = runCli({QStringLiteral("peers"), original, QStringLiteral("--type"), QStringLiteral("user"), QStringLiteral("--json")});
                QCOMPARE(users, static_cast<int>(all.json().array().size())); // all or nothing
            }
        }
        qInfo("prune: %d runs, %d killed, %d finished; old %d, pruned %d", iterations(), st.killed, st.finished, st.oldSeen, st.newSeen);
        QVERIFY(st.killed > 0);
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
