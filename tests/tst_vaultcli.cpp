// sessiondesk-cli vault: with no usable keychain (no session bus), import fails with exit 4 and a
// message that says what to start, and the vault is unchanged (or not created). list works without
// the keychain and prints docs/cli.md's JSON shape.
#include "testutil.h"

#include "keychainsecretstore.h"
#include "secrets/memorysecretstore.h"
#include "vault/vault.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

const QStringList kNoBus = {QStringLiteral("DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent"), QStringLiteral("DISPLAY"),
                            QStringLiteral("WAYLAND_DISPLAY"), QStringLiteral("SESSIONDESK_VAULT")};
const QStringList kUnsetBus = {QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("DISPLAY"),
                               QStringLiteral("WAYLAND_DISPLAY"), QStringLiteral("SESSIONDESK_VAULT")};

Session makeSession()
{
    Session s;
    s.dcId = 2;
    s.userId = 5000000000LL; // above 2^32: must stay an exact integer in JSON
    s.isBot = false;
    DcAuth &d = s.upsertDc(2);
    d.address = QStringLiteral("149.154.167.51");
    d.port = 443;
    d.authKey = SecretBytes::random(256);
    Peer p;
    p.id = 777000;
    p.accessHash = -42;
    s.peers.push_back(p);
    return s;
}

QByteArray state(const QString &path)
{
    return fileSha256(path) + '|' + fileSha256(path + QStringLiteral("-wal")) + '|'
        + QByteArray::number(QFileInfo::exists(path + QStringLiteral("-wal")));
}

void checkKeychainError(const CliRun &r)
{
    QCOMPARE(r.exitCode, 4);
    QVERIFY(r.out.isEmpty());
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    QVERIFY2(r.err.startsWith("sessiondesk-cli: "), r.err.constData());
    QVERIFY2(r.err.contains("Secret Service"), r.err.constData());
    QVERIFY2(r.err.contains("gnome-keyring-daemon"), r.err.constData());
}

} // namespace

class TestVaultCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_n = 0;
    Session m_session;
    QString m_id;

    QString freshDir() { return m_dir.filePath(QStringLiteral("d%1").arg(++m_n)); }
    // A vault with one account, built in-process (the key goes to a throwaway in-memory store).
    QString prebuilt()
    {
        const QString path = freshDir() + QStringLiteral("/vault.sqlite");
        MemorySecretStore secrets;
        auto v = Vault::open(path, secrets, true);
        if (!v)
            return {};
        Store st;
        st.formatId = QStringLiteral("telethon-sqlite");
        st.accounts.push_back(m_session);
        auto items = (*v)->importStore(st, {QStringLiteral("prebuilt"), QStringLiteral("/x/a.session"), -1});
        if (!items)
            return {};
        m_id = items->front().id;
        return path;
    }

private Q_SLOTS:
    void initTestCase() { m_session = makeSession(); }

    void importWithoutBusCreatesNothing()
    {
        const QString dir = freshDir();
        const QString path = dir + QStringLiteral("/vault.sqlite");
        const CliRun r = runCli({QStringLiteral("vault"), QStringLiteral("import"), dataPath(QStringLiteral("telethon/basic.session")),
                                 QStringLiteral("--vault"), path},
                                {}, 30000, kNoBus);
        checkKeychainError(r);
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(!QFileInfo::exists(dir));
        // Without any bus address at all (QtKeychain: "Cannot autolaunch D-Bus").
        const CliRun r2 = runCli({QStringLiteral("vault"), QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("--vault"), path},
                                 "1AZWarzgBuyYaIa2JUKnkrwsBAkEs7VTwNsBP0BU61JeZp7JvATibfZ\n", 30000, kUnsetBus);
        checkKeychainError(r2);
        QVERIFY(!QFileInfo::exists(path));
    }

    void importWithoutBusLeavesVaultUnchanged()
    {
        const QString path = prebuilt();
        QVERIFY(!path.isEmpty());
        const QByteArray before = state(path);
        for (const QStringList &env : {kNoBus, kUnsetBus}) {
            const CliRun r = runCli({QStringLiteral("vault"), QStringLiteral("import"), dataPath(QStringLiteral("telethon/basic.session")),
                                     QStringLiteral("--vault"), path, QStringLiteral("--json")},
                                    {}, 30000, env);
            checkKeychainError(r);
            QCOMPARE(state(path), before);
        }
        // The same through $SESSIONDESK_VAULT.
        const CliRun r = runCli({QStringLiteral("vault"), QStringLiteral("import"), dataPath(QStringLiteral("telethon/basic.session"))}, {},
                                30000, QStringList(kNoBus) << QStringLiteral("SESSIONDESK_VAULT=") + path);
        checkKeychainError(r);
        QCOMPARE(state(path), before);
    }

    void listJsonShape()
    {
        const QString path = prebuilt();
        QVERIFY(!path.isEmpty());
        // list needs no keychain: run it with no bus.
        const CliRun r = runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--vault"), path},
                                {}, 30000, kNoBus);
        QCOMPARE(r.exitCode, 0);
        const QJsonArray a = r.json().array();
        QCOMPARE(a.size(), 1);
        const QJsonObject o = a.first().toObject();
        QCOMPARE(o.value(QStringLiteral("id")).toString(), m_id);
        QCOMPARE(o.value(QStringLiteral("label")).toString(), QStringLiteral("prebuilt"));
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("telethon-sqlite"));
        QCOMPARE(o.value(QStringLiteral("user_id")).toInteger(), 5000000000LL);
        QCOMPARE(o.value(QStringLiteral("dc_id")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("auth_key_id")).toString(), m_session.primary()->authKeyId());
        QVERIFY(o.value(QStringLiteral("imported_at")).isDouble());
        QVERIFY(qAbs(o.value(QStringLiteral("imported_at")).toInteger() - QDateTime::currentSecsSinceEpoch()) < 120);
        QVERIFY(r.out.contains("\"user_id\": 5000000000")); // printed as an exact integer
        // No key material in the output.
        QVERIFY(!r.out.contains(m_session.primary()->authKey.exposeUnsafeHex()));
        // The human listing names the account; $SESSIONDESK_VAULT picks the vault.
        const CliRun h = runCli({QStringLiteral("vault"), QStringLiteral("list")}, {}, 30000,
                                QStringList(kNoBus) << QStringLiteral("SESSIONDESK_VAULT=") + path);
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains(m_id.toLatin1()));
        QVERIFY(h.out.contains("prebuilt"));
    }

    void listOfMissingVaultIsEmptyAndCreatesNothing()
    {
        const QString path = freshDir() + QStringLiteral("/vault.sqlite");
        const CliRun r = runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--vault"), path},
                                {}, 30000, kNoBus);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.json().isArray());
        QCOMPARE(r.json().array().size(), 0);
        QVERIFY(!QFileInfo::exists(path));
    }

    void listOfForeignFileIsBadInput()
    {
        const QString path = freshDir() + QStringLiteral("/notes.txt");
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("just some text, not a database\n");
        f.close();
        const CliRun r = runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--vault"), path}, {}, 30000, kNoBus);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(sdtest::readAll(path), QByteArray("just some text, not a database\n"));
    }

    void exportWithoutBusExits4()
    {
        const QString path = prebuilt();
        QVERIFY(!path.isEmpty());
        const QString out = freshDir() + QStringLiteral("-out.session");
        const CliRun r = runCli({QStringLiteral("vault"), QStringLiteral("export"), m_id, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"),
                                 QStringLiteral("-o"), out, QStringLiteral("--vault"), path},
                                {}, 30000, kNoBus);
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(out));
    }

    void removeWithoutBusExits4UnlessForced()
    {
        const QString path = prebuilt();
        QVERIFY(!path.isEmpty());
        const QByteArray before = state(path);
        const CliRun r = runCli({QStringLiteral("vault"), QStringLiteral("remove"), m_id, QStringLiteral("--vault"), path}, {}, 30000, kNoBus);
        checkKeychainError(r);
        QCOMPARE(state(path), before);
        const CliRun forced = runCli({QStringLiteral("vault"), QStringLiteral("remove"), m_id, QStringLiteral("--force"), QStringLiteral("--vault"), path},
                                     {}, 30000, kNoBus);
        QCOMPARE(forced.exitCode, 0);
        const CliRun l = runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--vault"), path}, {}, 30000, kNoBus);
        QCOMPARE(l.json().array().size(), 0);
    }

    void unknownIdIsBadInput()
    {
        const QString path = prebuilt();
        QVERIFY(!path.isEmpty());
        for (const QString &cmd : {QStringLiteral("remove"), QStringLiteral("export")}) {
            QStringList args{QStringLiteral("vault"), cmd, QStringLiteral("ffffffffffff"), QStringLiteral("--vault"), path};
            if (cmd == QLatin1String("export"))
                args << QStringLiteral("--to") << QStringLiteral("telethon-string");
            const CliRun r = runCli(args, {}, 30000, kNoBus);
            QCOMPARE(r.exitCode, 3);
            QVERIFY(r.err.contains("ffffffffffff"));
        }
    }

    void usageErrors()
    {
        const QString path = freshDir() + QStringLiteral("/vault.sqlite");
        const QList<QStringList> cases = {
            {QStringLiteral("vault")},
            {QStringLiteral("vault"), QStringLiteral("frobnicate")},
            {QStringLiteral("vault"), QStringLiteral("import"), QStringLiteral("--vault"), path},
            {QStringLiteral("vault"), QStringLiteral("export"), QStringLiteral("abcd"), QStringLiteral("--vault"), path},
            {QStringLiteral("vault"), QStringLiteral("export"), QStringLiteral("abcd"), QStringLiteral("--to"), QStringLiteral("nosuch"), QStringLiteral("--vault"), path},
            {QStringLiteral("vault"), QStringLiteral("export"), QStringLiteral("abcd"), QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("--vault"), path},
            {QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--bogus")},
            {QStringLiteral("vault"), QStringLiteral("remove"), QStringLiteral("--vault"), path},
        };
        for (const QStringList &args : cases) {
            const CliRun r = runCli(args, {}, 30000, kNoBus);
            QVERIFY2(r.exitCode == 2, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(" -> ") + QString::number(r.exitCode)));
        }
        QVERIFY(!QFileInfo::exists(path));
        const CliRun help = runCli({QStringLiteral("vault"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("import"));
    }

    void keychainErrorsSayWhatToDo()
    {
        // QtKeychain's codes: 4 AccessDenied, 5 NoBackendAvailable, 7 OtherError.
        const QString noBus = keychainErrorMessage(7, QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY"), QStringLiteral("storing 'x'"));
        QVERIFY2(noBus.startsWith(QLatin1String("no Secret Service on the session bus: start gnome-keyring-daemon")), qPrintable(noBus));
        QVERIFY(noBus.contains(QLatin1String("autolaunch"))); // the detail is kept
        QVERIFY(keychainErrorMessage(7, QStringLiteral("Could not connect: No such file or directory"), QStringLiteral("op"))
                    .contains(QLatin1String("no Secret Service")));
        const QString noLogin = keychainErrorMessage(
            7, QStringLiteral("Object does not exist at path \u201c/org/freedesktop/secrets/collection/login\u201d"), QStringLiteral("op"));
        QVERIFY2(noLogin.contains(QLatin1String("unlock")) && noLogin.contains(QLatin1String("login keyring")), qPrintable(noLogin));
        const QString locked = keychainErrorMessage(4, QStringLiteral("Cannot create an item in a locked collection"), QStringLiteral("op"));
        QVERIFY2(locked.contains(QLatin1String("locked")) && locked.contains(QLatin1String("unlock")), qPrintable(locked));
        const QString none = keychainErrorMessage(5, QString(), QStringLiteral("op"));
        QVERIFY(none.contains(QLatin1String("gnome-keyring-daemon")) && none.contains(QLatin1String("KeePassXC")));
    }

    void resolvePathOrder()
    {
        qputenv("SESSIONDESK_VAULT", "/tmp/from-env.sqlite");
        QCOMPARE(Vault::resolvePath(QStringLiteral("/x/explicit.sqlite")), QStringLiteral("/x/explicit.sqlite"));
        QCOMPARE(Vault::resolvePath(), QStringLiteral("/tmp/from-env.sqlite"));
        qunsetenv("SESSIONDESK_VAULT");
        QCOMPARE(Vault::resolvePath(), Vault::defaultPath());
        QVERIFY(Vault::defaultPath().endsWith(QLatin1String("/vault.sqlite")));
    }
};

QTEST_GUILESS_MAIN(TestVaultCli)
#include "tst_vaultcli.moc"
