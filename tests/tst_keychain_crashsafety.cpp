// Crash safety of the vault: `vault import` and `vault remove` are killed with SIGKILL at random
// moments (real gnome-keyring on a private bus, see with-keyring.sh). Afterwards the vault always
// opens, an account is listed only if it is complete (its key exports), and the input is unchanged.
#include "keychainsecretstore.h"
#include "testutil.h"
#include "vault/vault.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

using namespace sdtest;

class TestKeychainCrashSafety : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariable("SD_KEYRING_AVAILABLE") != QLatin1String("1"))
            QSKIP("needs the private keyring of tests/with-keyring.sh");
    }

    void importAndRemoveUnderKill()
    {
        QTemporaryDir dir;
        const QString input = copyTo(dataPath(QStringLiteral("telethon/basic.session")), dir.path());
        const QByteArray inputHash = fileSha256(input);
        const int rounds = qEnvironmentVariableIntValue("SD_CRASH_ITERATIONS") > 0 ? qEnvironmentVariableIntValue("SD_CRASH_ITERATIONS") : 40;
        auto *rng = QRandomGenerator::global();
        int killed = 0, present = 0, absent = 0, removedClean = 0;
        for (int i = 0; i < rounds; ++i) {
            const QString vault = dir.filePath(QStringLiteral("vault-%1.db").arg(i));
            const QStringList v = {QStringLiteral("--vault"), vault};
            if (i == 0) { // one undisturbed import first: the path works at all
                QCOMPARE(runCli(QStringList{QStringLiteral("vault"), QStringLiteral("import"), input} + v).exitCode, 0);
                continue;
            }
            const bool wasKilled = runCliAndKill(QStringList{QStringLiteral("vault"), QStringLiteral("import"), input} + v, rng->bounded(0, 400000), false);
            killed += wasKilled ? 1 : 0;
            QCOMPARE(fileSha256(input), inputHash);
            if (!QFileInfo::exists(vault)) {
                ++absent; // killed before the vault was created: nothing half-written
                continue;
            }
            const CliRun list = runCli(QStringList{QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json")} + v);
            QVERIFY2(list.exitCode == 0, list.err.constData());
            const QJsonArray accounts = list.json().array();
            QVERIFY(accounts.size() <= 1);
            if (accounts.isEmpty()) {
                ++absent;
                continue;
            }
            ++present;
            const QString id = accounts.first().toObject().value(QStringLiteral("id")).toString();
            // Listed means complete: the key is in the keychain and exports.
            const CliRun exp = runCli(QStringList{QStringLiteral("vault"), QStringLiteral("export"), id, QStringLiteral("--to"), QStringLiteral("telethon-string")} + v);
            QVERIFY2(exp.exitCode == 0, exp.err.constData());
            QVERIFY(exp.out.startsWith("1"));
            // Now kill a removal: afterwards the account is either still complete or gone.
            runCliAndKill(QStringList{QStringLiteral("vault"), QStringLiteral("remove"), id} + v, rng->bounded(0, 200000), false);
            const CliRun after = runCli(QStringList{QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json")} + v);
            QCOMPARE(after.exitCode, 0);
            if (!after.json().array().isEmpty()) {
                const CliRun again = runCli(QStringList{QStringLiteral("vault"), QStringLiteral("export"), id, QStringLiteral("--to"), QStringLiteral("telethon-string")} + v);
                QVERIFY2(again.exitCode == 0, again.err.constData());
            } else {
                // Gone means gone: the open behind `vault list` deleted any keychain entry the
                // killed removal left behind.
                sd::KeychainSecretStore keychain(QStringLiteral("sessiondesk"), 20000);
                auto opened = sd::Vault::open(vault, keychain, false);
                QVERIFY(opened.ok());
                auto entry = keychain.find((*opened)->secretKey(id));
                QVERIFY(entry.ok());
                QVERIFY2(!entry->has_value(), "orphaned keychain entry after a killed removal");
                ++removedClean;
            }
        }
        qInfo("vault: %d rounds, %d imports killed; account complete %d times, absent %d times; %d removals left no entry",
              rounds, killed, present, absent, removedClean);
        QVERIFY(killed > 0);
    }
};

QTEST_GUILESS_MAIN(TestKeychainCrashSafety)
#include "tst_keychain_crashsafety.moc"
