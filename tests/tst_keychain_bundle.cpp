// This machine's age identity in a real Secret Service (tests/with-keyring.sh): `identity` creates it
// once and keeps its secret in the keychain only; bundles addressed to it open with no flag in
// inspect and vault import; `bundle create --vault` seals vault accounts; a bundle for someone else
// is exit 4; an unreachable keychain is exit 4 with nothing printed or written. `vault import` with
// --identity / --passphrase-file, and the bundle passphrase prompt on a pseudo-terminal.
#include "bundle/age.h"
#include "bundle/bundle.h"
#include "keychainsecretstore.h"
#include "testutil.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

void writePrivate(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(data), data.size());
    f.close();
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

// tests/tools/pty-answer.py runs a program on a pseudo-terminal and answers its passphrase prompts.
const QString kPtyAnswer = QStringLiteral(SD_SOURCE_DIR "/tests/tools/pty-answer.py");

} // namespace

class TestKeychainBundle : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString tmp(const QString &n) const { return m_dir.filePath(n); }
    QStringList vaultEnv() const { return {QStringLiteral("SESSIONDESK_VAULT=") + tmp(QStringLiteral("vault/vault.sqlite"))}; }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("SessionDesk"));
        QCoreApplication::setApplicationName(QStringLiteral("sessiondesk"));
        KeychainSecretStore store(QStringLiteral("sessiondesk"), 20000);
        const Status st = store.checkWritable();
        if (!st) {
            const QString msg = QStringLiteral("the keychain probe write failed: ") + st.error().message;
            if (qgetenv("SD_KEYRING_AVAILABLE") == "1")
                QFAIL(qPrintable(msg));
            QSKIP(qPrintable(msg + QStringLiteral(" (run through tests/with-keyring.sh)")));
        }
        QVERIFY(m_dir.isValid());
    }

    void identityIsCreatedOnceAndLivesInTheKeychain()
    {
        const CliRun first = runCli({QStringLiteral("identity"), QStringLiteral("--json")});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QString recipient = first.json().object().value(QStringLiteral("recipient")).toString();
        QVERIFY(age::parseRecipient(recipient));
        QCOMPARE(first.json().object().value(QStringLiteral("keychain")).toString(), KeychainSecretStore().backendName());
        // Both places docs/cli.md gives the shape list exactly the keys printed.
        const QList<QSet<QString>> documented = documentedJsonKeys(QStringLiteral("docs/cli.md"), QStringLiteral("`identity --json`: "),
                                                                   QStringLiteral("}"));
        QCOMPARE(documented.size(), 2);
        for (const QSet<QString> &keys : documented)
            QCOMPARE(keySet(first.json().object()), keys);
        const CliRun second = runCli({QStringLiteral("identity"), QStringLiteral("--json")});
        QCOMPARE(second.json().object().value(QStringLiteral("recipient")).toString(), recipient);
        QCOMPARE(second.json().object().value(QStringLiteral("created")).toBool(), false);
        const CliRun plain = runCli({QStringLiteral("identity")});
        QCOMPARE(QString::fromLatin1(plain.out.trimmed()), recipient);
        // The secret is in the keychain, and nowhere under HOME outside the keyrings.
        KeychainSecretStore store;
        auto id = bundle::findMachineIdentity(store);
        QVERIFY(id && *id);
        QCOMPARE((*id)->recipient(), recipient);
        const QByteArray raw = (*id)->secret.exposeUnsafe();
        const QList<QByteArray> needles = {raw, raw.toHex(), raw.toBase64(), (*id)->encoded().exposeUnsafe(), QByteArray("AGE-SECRET-KEY-")};
        int scanned = 0;
        QDirIterator it(QDir::homePath(), QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString p = it.next();
            if (p.contains(QStringLiteral("/keyrings/")))
                continue;
            const QByteArray blob = readAll(p);
            ++scanned;
            for (const QByteArray &n : needles)
                QVERIFY2(!blob.contains(n), qPrintable(p));
        }
        qInfo("scanned %d files under HOME", scanned);
    }

    void bundlesForThisMachineOpenWithoutFlags()
    {
        const QString recipient = QString::fromLatin1(runCli({QStringLiteral("identity")}).out.trimmed());
        const QString bundle = tmp(QStringLiteral("to-me.age"));
        const CliRun c = runCli({QStringLiteral("bundle"), QStringLiteral("create"), dataPath(QStringLiteral("telethon/basic.session")),
                                 dataPath(QStringLiteral("pyrogram/pyrogram-v2.session")), QStringLiteral("-o"), bundle, QStringLiteral("--recipient"), recipient});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        const CliRun in = runCli({QStringLiteral("inspect"), bundle, QStringLiteral("--json")});
        QVERIFY2(in.exitCode == 0, in.err.constData());
        QCOMPARE(in.json().object().value(QStringLiteral("accounts")).toArray().size(), 2);

        const CliRun imp = runCli({QStringLiteral("vault"), QStringLiteral("import"), bundle, QStringLiteral("--json")}, {}, 60000, vaultEnv());
        QVERIFY2(imp.exitCode == 0, imp.err.constData());
        const CliRun list = runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json")}, {}, 60000, vaultEnv());
        QCOMPARE(list.json().array().size(), 2);
        QStringList imported;
        for (const QJsonValue &a : list.json().array())
            imported << a.toObject().value(QStringLiteral("auth_key_id")).toString();
        imported.sort();
        QStringList expected = {QStringLiteral("91112dd225adaa54"), QStringLiteral("2b94646ac5e2a3a2")};
        expected.sort();
        QCOMPARE(imported, expected);

        // The whole vault, sealed again (to this machine and to a second recipient).
        const age::Identity other = age::Identity::generate();
        const QString again = tmp(QStringLiteral("vault.age"));
        const CliRun v = runCli({QStringLiteral("bundle"), QStringLiteral("create"), QStringLiteral("--vault"), QStringLiteral("--all"), QStringLiteral("-o"), again,
                                 QStringLiteral("--recipient"), recipient, QStringLiteral("--recipient"), other.recipient(), QStringLiteral("--json")},
                                {}, 60000, vaultEnv());
        QVERIFY2(v.exitCode == 0, v.err.constData());
        QCOMPARE(v.json().object().value(QStringLiteral("accounts")).toArray().size(), 2);
        const CliRun vin = runCli({QStringLiteral("inspect"), again, QStringLiteral("--json")});
        QVERIFY2(vin.exitCode == 0, vin.err.constData());
        QCOMPARE(vin.json().object().value(QStringLiteral("accounts")).toArray().size(), 2);
        // One account by id.
        const QString firstId = list.json().array().at(0).toObject().value(QStringLiteral("id")).toString();
        const QString one = tmp(QStringLiteral("one.age"));
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), QStringLiteral("--vault"), firstId, QStringLiteral("-o"), one,
                         QStringLiteral("--recipient"), recipient}, {}, 60000, vaultEnv()).exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("inspect"), one, QStringLiteral("--json")}).json().object().value(QStringLiteral("accounts")).toArray().size(), 1);
        // Importing the same bundle again adds nothing (same auth_key_ids).
        const CliRun dup = runCli({QStringLiteral("vault"), QStringLiteral("import"), again, QStringLiteral("--json")}, {}, 60000, vaultEnv());
        QCOMPARE(runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json")}, {}, 60000, vaultEnv()).json().array().size(), 2);
        Q_UNUSED(dup);
    }

    void bundleForSomeoneElseIsExit4()
    {
        const age::Identity other = age::Identity::generate();
        const QString bundle = tmp(QStringLiteral("not-me.age"));
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("-o"), bundle,
                         QStringLiteral("--recipient"), other.recipient()}).exitCode, 0);
        const CliRun in = runCli({QStringLiteral("inspect"), bundle, QStringLiteral("--json")});
        QCOMPARE(in.exitCode, 4);
        QVERIFY(in.out.isEmpty());
        const QString vaultPath = tmp(QStringLiteral("other-vault/vault.sqlite"));
        const CliRun imp = runCli({QStringLiteral("vault"), QStringLiteral("import"), bundle}, {}, 60000,
                                  {QStringLiteral("SESSIONDESK_VAULT=") + vaultPath});
        QCOMPARE(imp.exitCode, 4);
        QVERIFY(!QFileInfo::exists(vaultPath));
    }

    // `vault import BUNDLE` with an age identity file or a passphrase file (not this machine's
    // identity): the right one adds the account, a wrong one is exit 4 and adds nothing.
    void vaultImportWithIdentityOrPassphraseFile()
    {
        const QStringList env = {QStringLiteral("SESSIONDESK_VAULT=") + tmp(QStringLiteral("flags-vault/vault.sqlite"))};
        const age::Identity id = age::Identity::generate();
        const QString idFile = tmp(QStringLiteral("flags-id.txt"));
        writePrivate(idFile, "# made by the test\n" + id.encoded().exposeUnsafe() + "\n");
        const QString wrongIdFile = tmp(QStringLiteral("flags-wrong-id.txt"));
        writePrivate(wrongIdFile, age::Identity::generate().encoded().exposeUnsafe() + "\n");
        const QString toId = tmp(QStringLiteral("flags-to-id.age"));
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("-o"), toId,
                         QStringLiteral("--recipient"), id.recipient()}).exitCode, 0);
        const CliRun wrongId = runCli({QStringLiteral("vault"), QStringLiteral("import"), toId, QStringLiteral("--identity"), wrongIdFile}, {}, 60000, env);
        QCOMPARE(wrongId.exitCode, 4);
        QVERIFY(wrongId.out.isEmpty());
        QVERIFY(!QFileInfo::exists(tmp(QStringLiteral("flags-vault/vault.sqlite"))));
        const CliRun byId = runCli({QStringLiteral("vault"), QStringLiteral("import"), toId, QStringLiteral("--identity"), idFile, QStringLiteral("--json")}, {}, 60000, env);
        QVERIFY2(byId.exitCode == 0, byId.err.constData());
        QCOMPARE(byId.json().object().value(QStringLiteral("added")).toInt(), 1);
        QCOMPARE(byId.json().object().value(QStringLiteral("format")).toString(), QStringLiteral("sessiondesk-bundle"));

        const QString pass = tmp(QStringLiteral("flags-pass.txt"));
        writePrivate(pass, "tr0ub4dor&3\n");
        const QString wrongPass = tmp(QStringLiteral("flags-wrong-pass.txt"));
        writePrivate(wrongPass, "tr0ub4dor&4\n");
        const QString withPass = tmp(QStringLiteral("flags-pass.age"));
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), dataPath(QStringLiteral("pyrogram/pyrogram-v2.session")), QStringLiteral("-o"), withPass,
                         QStringLiteral("--passphrase-file"), pass, QStringLiteral("--work-factor"), QStringLiteral("10")}).exitCode, 0);
        const CliRun wrongP = runCli({QStringLiteral("vault"), QStringLiteral("import"), withPass, QStringLiteral("--passphrase-file"), wrongPass}, {}, 60000, env);
        QCOMPARE(wrongP.exitCode, 4);
        QVERIFY(wrongP.out.isEmpty());
        const CliRun byPass = runCli({QStringLiteral("vault"), QStringLiteral("import"), withPass, QStringLiteral("--passphrase-file"), pass, QStringLiteral("--json")}, {}, 60000, env);
        QVERIFY2(byPass.exitCode == 0, byPass.err.constData());
        QCOMPARE(byPass.json().object().value(QStringLiteral("added")).toInt(), 1);

        QStringList ids;
        for (const QJsonValue &a : runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json")}, {}, 60000, env).json().array())
            ids << a.toObject().value(QStringLiteral("auth_key_id")).toString();
        ids.sort();
        QCOMPARE(ids, QStringList({QStringLiteral("2b94646ac5e2a3a2"), QStringLiteral("91112dd225adaa54")}));
    }

    // The bundle passphrase prompt on a terminal (no --passphrase-file, no SESSIONDESK_PASSPHRASE):
    // `inspect BUNDLE` asks "Bundle passphrase: " on the pseudo-terminal, does not echo what is typed,
    // opens the bundle with the right passphrase and is exit 4 with a wrong one, printing nothing.
    void passphrasePromptOnATerminal()
    {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        QVERIFY2(!python.isEmpty(), "python3 drives the pseudo-terminal (scripts/install-deps.sh installs it)");
        const QString pass = tmp(QStringLiteral("pty-pass.txt"));
        writePrivate(pass, "correct horse battery staple\n");
        const QString bundle = tmp(QStringLiteral("pty.age"));
        QCOMPARE(runCli({QStringLiteral("bundle"), QStringLiteral("create"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("-o"), bundle,
                         QStringLiteral("--passphrase-file"), pass, QStringLiteral("--work-factor"), QStringLiteral("10")}).exitCode, 0);
        auto onPty = [&](const QByteArray &typed, QByteArray *screen) {
            QProcess p;
            QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
            e.remove(QStringLiteral("SESSIONDESK_PASSPHRASE"));
            p.setProcessEnvironment(e);
            p.start(python, {kPtyAnswer, QStringLiteral("--raw"), cliPath(), QStringLiteral("inspect"), bundle, QStringLiteral("--json")});
            if (!p.waitForStarted(10000))
                return -1;
            p.write(typed + '\n');
            p.closeWriteChannel();
            if (!p.waitForFinished(180000)) {
                p.kill();
                p.waitForFinished(5000);
                return -1;
            }
            *screen = p.readAllStandardOutput();
            return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        };
        QByteArray screen;
        QCOMPARE(onPty("correct horse battery staple", &screen), 0);
        QVERIFY2(screen.startsWith("Bundle passphrase: "), screen.left(200).constData());
        QVERIFY(!screen.contains("correct horse")); // not echoed
        QVERIFY2(screen.contains("\"auth_key_id\": \"91112dd225adaa54\""), screen.constData());
        QCOMPARE(onPty("correct horse battery stapler", &screen), 4);
        QVERIFY(screen.startsWith("Bundle passphrase: "));
        QVERIFY(!screen.contains("correct horse"));
        QVERIFY2(!screen.contains("auth_key_id"), screen.constData());
    }

    void keychainUnavailableIsExit4()
    {
        const QStringList noBus = {QStringLiteral("DBUS_SESSION_BUS_ADDRESS=unix:path=") + tmp(QStringLiteral("no-such-bus"))};
        const CliRun id = runCli({QStringLiteral("identity"), QStringLiteral("--json")}, {}, 60000, noBus);
        QCOMPARE(id.exitCode, 4);
        QVERIFY(id.out.isEmpty());
        const QString bundle = tmp(QStringLiteral("to-me.age"));
        const CliRun in = runCli({QStringLiteral("inspect"), bundle, QStringLiteral("--json")}, {}, 60000, noBus);
        QCOMPARE(in.exitCode, 4);
        QVERIFY(in.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKeychainBundle)
#include "tst_keychain_bundle.moc"
