// The vault's secrets with the in-memory secret store: the "secret first, rows in one transaction"
// ordering (rollback when either side fails), a locked, failing or foreign keychain, and damaged
// secret blobs.
#include "testutil.h"
#include "vaulttestutil.h"

#include "secrets/memorysecretstore.h"
#include "vault/secretblob.h"
#include "vault/vault.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace vaulttest;

class TestVaultSecrets : public QObject, private VaultDir {
    Q_OBJECT
private Q_SLOTS:
    void secretWriteFailureWritesNothing()
    {
        MemorySecretStore secrets;
        const QString path = freshPath();
        auto v = Vault::open(path, secrets, true);
        QVERIFY(v.ok());
        secrets.setWriteFailure(QStringLiteral("no Secret Service on the session bus: start gnome-keyring-daemon"));
        auto items = (*v)->importStore(makeStore({makeSession()}), {});
        QVERIFY(!items.ok());
        QCOMPARE(items.error().kind, ErrorKind::Secret);
        QCOMPARE(items.error().exitCode(), 4);
        QVERIFY(items.error().message.contains(QLatin1String("gnome-keyring-daemon")));
        QCOMPARE(count(**v, QStringLiteral("accounts")), qint64(0));
        QCOMPARE(count(**v, QStringLiteral("peers")), qint64(0));
        // The intent recorded before the keychain was asked is withdrawn again (schema 3 journals
        // keychain entries, so the file itself changes; its content does not).
        QCOMPARE(count(**v, QStringLiteral("pending_secrets")), qint64(0));
        QVERIFY(secrets.keys().isEmpty());
    }

    void secondSecretFailureRemovesTheFirst()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        secrets.failNthWrite(2);
        auto items = (*v)->importStore(makeStore({makeSession(1), makeSession(2)}), {});
        QVERIFY(!items.ok());
        QCOMPARE(items.error().kind, ErrorKind::Secret);
        QCOMPARE(secrets.size(), 0);
        QCOMPARE(count(**v, QStringLiteral("accounts")), qint64(0));
    }

    void transactionFailureDeletesTheSecret()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        // A real SQLite failure in the middle of the transaction (after the account row).
        QSqlQuery q((*v)->db().db());
        QVERIFY(q.exec(QStringLiteral("CREATE TEMP TRIGGER boom BEFORE INSERT ON peers "
                                      "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")));
        auto items = (*v)->importStore(makeStore({makeSession()}), {});
        QVERIFY(!items.ok());
        QCOMPARE(items.error().kind, ErrorKind::Output);
        QVERIFY(items.error().message.contains(QLatin1String("disk on fire")));
        QCOMPARE(secrets.size(), 0);          // the secret written first was deleted again
        QCOMPARE(secrets.writeCount(), 1);    // ... after it had been written
        QCOMPARE(count(**v, QStringLiteral("accounts")), qint64(0)); // rolled back
        QCOMPARE(count(**v, QStringLiteral("dcs")), qint64(0));
        QVERIFY(q.exec(QStringLiteral("DROP TRIGGER boom")));
        auto retry = (*v)->importStore(makeStore({makeSession()}), {});
        QVERIFY(retry.ok());
        QCOMPARE(secrets.size(), 1);
    }

    void removeWithBrokenKeychain()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        auto a = (*v)->importStore(makeStore({makeSession()}), {});
        QVERIFY(a.ok());
        const QString id = a->front().id;
        // A keychain that cannot be read stops the removal before anything changes.
        secrets.setReadFailure(QStringLiteral("keychain locked"));
        auto locked = (*v)->remove(id);
        QVERIFY(!locked.ok());
        QCOMPARE(locked.error().kind, ErrorKind::Secret);
        QCOMPARE((*v)->list()->size(), size_t(1));
        secrets.setReadFailure(QString());
        // One that reads but cannot delete: the rows go first (so a crash never leaves a listed
        // account without its key), and the left-over entry is reported, naming its key.
        secrets.setRemoveFailure(QStringLiteral("keychain locked"));
        auto st = (*v)->remove(id);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().kind, ErrorKind::Secret);
        QVERIFY(st.error().message.contains((*v)->secretKey(id)));
        QCOMPARE((*v)->list()->size(), size_t(0));
        QVERIFY(secrets.contains((*v)->secretKey(id)));
        // The left-over entry stays recorded, and the next open deletes it once the keychain works.
        QCOMPARE(count(**v, QStringLiteral("pending_secrets")), qint64(1));
        const QString path = (*v)->path();
        v->reset();
        secrets.setRemoveFailure(QString());
        auto again = Vault::open(path, secrets, false);
        QVERIFY(again.ok());
        QVERIFY(!secrets.contains((*again)->secretKey(id)));
        QCOMPARE(count(**again, QStringLiteral("pending_secrets")), qint64(0));
    }

    void importAndRemoveLeaveNothingPending()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        auto a = (*v)->importStore(makeStore({makeSession(), makeSession(1)}), {});
        QVERIFY(a.ok());
        QCOMPARE(count(**v, QStringLiteral("pending_secrets")), qint64(0));
        QCOMPARE(secrets.keys().size(), 2);
        QVERIFY((*v)->remove(a->front().id).ok());
        QCOMPARE(count(**v, QStringLiteral("pending_secrets")), qint64(0));
        QCOMPARE(secrets.keys().size(), 1);
    }

    void crashLeftoversAreSweptAtOpen()
    {
        // What a killed process leaves: keychain entries recorded as pending whose rows never
        // committed (an import) or are already gone (a removal).
        MemorySecretStore secrets;
        const QString path = freshPath();
        QString oldImport, freshImport, removal;
        {
            auto v = Vault::open(path, secrets, true);
            QVERIFY(v.ok());
            oldImport = (*v)->secretKey(QStringLiteral("acc-old"));
            freshImport = (*v)->secretKey(QStringLiteral("acc-new"));
            removal = (*v)->secretKey(QStringLiteral("acc-gone"));
            for (const QString &k : {oldImport, freshImport, removal})
                QVERIFY(secrets.write(k, SecretBytes::random(32)).ok());
            const qint64 now = QDateTime::currentSecsSinceEpoch();
            QSqlQuery q((*v)->db().db());
            QVERIFY(q.exec(QStringLiteral("INSERT INTO pending_secrets VALUES ('%1', 'import', %2), ('%3', 'import', %4), "
                                          "('%5', 'remove', %4)")
                               .arg(oldImport)
                               .arg(now - 2 * Vault::kImportGraceSecs)
                               .arg(freshImport)
                               .arg(now)
                               .arg(removal)));
        }
        auto v = Vault::open(path, secrets, false);
        QVERIFY(v.ok());
        QVERIFY(!secrets.contains(oldImport));
        QVERIFY(!secrets.contains(removal));
        // A recent import may still be running in another process: left alone.
        QVERIFY(secrets.contains(freshImport));
        QCOMPARE(count(**v, QStringLiteral("pending_secrets")), qint64(1));
        QCOMPARE((*v)->list()->size(), size_t(0));
    }

    void removeRestoresSecretWhenRowsCannotGo()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        auto a = (*v)->importStore(makeStore({makeSession()}), {});
        QVERIFY(a.ok());
        const QString id = a->front().id;
        const SecretBytes before = *secrets.read((*v)->secretKey(id));
        QSqlQuery q((*v)->db().db());
        QVERIFY(q.exec(QStringLiteral("CREATE TEMP TRIGGER keep BEFORE DELETE ON accounts "
                                      "BEGIN SELECT RAISE(ABORT, 'read-only medium'); END")));
        auto st = (*v)->remove(id);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().kind, ErrorKind::Output);
        QCOMPARE((*v)->list()->size(), size_t(1));
        auto after = secrets.read((*v)->secretKey(id));
        QVERIFY(after.ok());
        QVERIFY(*after == before);
        QVERIFY((*v)->loadSession(id).ok());
    }

    void missingOrForeignSecretIsSecretError()
    {
        MemorySecretStore secrets;
        auto v = Vault::open(freshPath(), secrets, true);
        QVERIFY(v.ok());
        auto a = (*v)->importStore(makeStore({makeSession(1)}), {});
        auto b = (*v)->importStore(makeStore({makeSession(2)}), {});
        QVERIFY(a.ok() && b.ok());
        const QString ka = (*v)->secretKey(a->front().id), kb = (*v)->secretKey(b->front().id);
        // Another account's keys under this account's name: refused (auth_key_id mismatch).
        QVERIFY(secrets.write(ka, *secrets.read(kb)).ok());
        auto wrong = (*v)->loadSession(a->front().id);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().kind, ErrorKind::Secret);
        QVERIFY(wrong.error().message.contains(QLatin1String("does not match")));
        QVERIFY(secrets.remove(ka).ok());
        auto missing = (*v)->loadSession(a->front().id);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind, ErrorKind::Secret);
        secrets.setReadFailure(QStringLiteral("locked"));
        auto locked = (*v)->loadSession(b->front().id);
        QVERIFY(!locked.ok());
        QCOMPARE(locked.error().kind, ErrorKind::Secret);
    }

    void damagedSecretBlobIsAnErrorNotACrash()
    {
        Session s = makeSession();
        const SecretBytes blob = encodeAccountSecrets(s);
        QStringList ids;
        for (const DcAuth &d : s.dcs)
            ids << d.authKeyId();
        {
            Session t = s;
            for (DcAuth &d : t.dcs)
                d.authKey = SecretBytes();
            t.extra.clear();
            QVERIFY(decodeAccountSecrets(blob, t, ids).ok());
            QVERIFY(t.dcs[2].authKey == s.dcs[2].authKey);
            QCOMPARE(t.extra, s.extra);
        }
        const QByteArray raw = blob.exposeUnsafe();
        for (int cut : {0, 3, 11, 12, 20, 100, 300, static_cast<int>(raw.size()) - 1}) {
            Session t = s;
            const SecretBytes part(raw.constData(), static_cast<size_t>(cut));
            QVERIFY(!decodeAccountSecrets(part, t, ids).ok());
        }
        // Random byte changes: an error or a consistent result, never a crash or a hang.
        quint32 seed = 12345;
        int rejected = 0;
        for (int round = 0; round < 3000; ++round) {
            QByteArray m = raw;
            for (int k = 0; k < 1 + round % 4; ++k) {
                seed = seed * 1664525u + 1013904223u;
                m[static_cast<qsizetype>(seed % static_cast<quint32>(m.size()))] = static_cast<char>(seed >> 24);
            }
            Session t = s;
            if (!decodeAccountSecrets(SecretBytes::fromByteArray(m), t, ids))
                ++rejected;
        }
        QVERIFY(rejected > 0);
        QByteArray flipped = raw;
        flipped[9] = '\x7f'; // absurd key count
        Session t = s;
        auto st = decodeAccountSecrets(SecretBytes::fromByteArray(flipped), t, ids);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().kind, ErrorKind::Secret);
    }
};

QTEST_GUILESS_MAIN(TestVaultSecrets)
#include "tst_vaultsecrets.moc"
