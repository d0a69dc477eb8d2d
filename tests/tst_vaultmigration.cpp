// A vault of the previous schema version (tests/data/vault/v1.sqlite, made by make-v1.py from the
// frozen v1-schema.sql) opens, migrates to the current version and keeps its accounts.
#include "testutil.h"

#include "secrets/memorysecretstore.h"
#include "vault/secretblob.h"
#include "vault/vault.h"
#include "vault/vaultschema.h"

#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;

namespace {

QJsonObject expected()
{
    return QJsonDocument::fromJson(sdtest::readAll(sdtest::dataPath(QStringLiteral("vault/v1.json")))).object();
}

// Puts the fixture account's key into the secret store, as the v1 app would have.
void seedSecret(MemorySecretStore &secrets, const QJsonObject &e)
{
    Session s;
    DcAuth &d = s.upsertDc(e.value(QStringLiteral("dc_id")).toInt());
    d.authKey = SecretBytes::fromByteArray(sdtest::hexToBytes(e.value(QStringLiteral("authKeyHex")).toString()));
    QVERIFY(secrets.write(e.value(QStringLiteral("vault_id")).toString() + QLatin1Char('/') + e.value(QStringLiteral("account_id")).toString(),
                          encodeAccountSecrets(s)).ok());
}

QStringList columnsOf(SqliteDb &db, const QString &table)
{
    auto c = db.columns(table);
    return c ? *c : QStringList();
}

QStringList schemaObjects(SqliteDb &db)
{
    QStringList out;
    auto q = db.exec(QStringLiteral("SELECT type || ':' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1"));
    while (q && q->next())
        out << q->value(0).toString();
    return out;
}

int storedVersion(const QString &path)
{
    auto db = SqliteDb::openReadOnly(path);
    if (!db)
        return -1;
    auto v = vaultschema::version(**db);
    return v ? *v : -1;
}

} // namespace

class TestVaultMigration : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString copyOfV1()
    {
        const QString dir = m_dir.filePath(QString::number(++m_n));
        QDir().mkpath(dir);
        return sdtest::copyTo(sdtest::dataPath(QStringLiteral("vault/v1.sqlite")), dir);
    }

private Q_SLOTS:
    void fixtureIsVersion1()
    {
        QCOMPARE(expected().value(QStringLiteral("schema_version")).toInt(), 1);
        QCOMPARE(storedVersion(sdtest::dataPath(QStringLiteral("vault/v1.sqlite"))), 1);
        QVERIFY(vaultschema::kCurrentVersion > 1);
    }

    void opensAndMigratesV1()
    {
        const QJsonObject e = expected();
        const QString path = copyOfV1();
        const QByteArray original = sdtest::fileSha256(sdtest::dataPath(QStringLiteral("vault/v1.sqlite")));
        MemorySecretStore secrets;
        seedSecret(secrets, e);
        auto v = Vault::open(path, secrets, false);
        QVERIFY2(v.ok(), qPrintable(v ? QString() : v.error().message));
        QCOMPARE(*(*v)->schemaVersion(), vaultschema::kCurrentVersion);
        QCOMPARE((*v)->vaultId(), e.value(QStringLiteral("vault_id")).toString());

        auto list = (*v)->list();
        QVERIFY(list.ok());
        QCOMPARE(list->size(), size_t(1));
        const VaultAccount &a = list->front();
        QCOMPARE(a.id, e.value(QStringLiteral("account_id")).toString());
        QCOMPARE(a.label, e.value(QStringLiteral("label")).toString());
        QCOMPARE(a.format, e.value(QStringLiteral("format")).toString());
        QCOMPARE(a.userId, std::optional<qint64>(e.value(QStringLiteral("user_id")).toInteger()));
        QCOMPARE(a.dcId, e.value(QStringLiteral("dc_id")).toInt());
        QCOMPARE(a.authKeyId, e.value(QStringLiteral("auth_key_id")).toString());
        QCOMPARE(a.peerCount, qint64(e.value(QStringLiteral("peers")).toInt()));
        QVERIFY(a.variant.isEmpty()); // a v2 column, NULL for migrated rows

        auto s = (*v)->loadSession(a.id);
        QVERIFY2(s.ok(), qPrintable(s ? QString() : s.error().message));
        QCOMPARE(QString::fromLatin1(s->primary()->authKey.exposeUnsafeHex()), e.value(QStringLiteral("authKeyHex")).toString());
        QCOMPARE(s->primary()->address, QStringLiteral("149.154.167.51"));
        QVERIFY(s->updateState.has_value());
        QCOMPARE(s->updateState->pts, std::optional<qint64>(e.value(QStringLiteral("update_state")).toObject().value(QStringLiteral("pts")).toInteger()));
        QVERIFY(s->updateState->channelPts.isEmpty());
        QCOMPARE(s->peers.size(), size_t(2));
        QCOMPARE(s->peers[0].accessHash, std::optional<qint64>(-9223372036854775807LL));
        QCOMPARE(s->peers[0].usernames, QStringList{QStringLiteral("telegram")});
        QVERIFY(s->conversations.empty());

        // The new version's tables and columns exist and work.
        QVERIFY(columnsOf((*v)->db(), QStringLiteral("accounts")).contains(QStringLiteral("variant")));
        QVERIFY((*v)->db().hasTable(QStringLiteral("conversations")));
        QVERIFY((*v)->db().hasTable(QStringLiteral("channel_pts")));
        Session n;
        n.dcId = 4;
        n.upsertDc(4).authKey = SecretBytes::random(256);
        n.conversations.push_back(Conversation{-1001, 5, QStringLiteral("c"), QStringLiteral("s"), QByteArray("d"), 1, 2, {}});
        UpdateState u;
        u.channelPts.insert(1234567890, 9);
        n.updateState = u;
        Store st;
        st.formatId = QStringLiteral("mtgo-sqlite");
        st.variant = QStringLiteral("x");
        st.accounts.push_back(n);
        auto added = (*v)->importStore(st, {});
        QVERIFY2(added.ok(), qPrintable(added ? QString() : added.error().message));
        auto back = (*v)->loadSession(added->front().id);
        QVERIFY(back.ok());
        QCOMPARE(back->conversations.size(), size_t(1));
        QCOMPARE(back->updateState->channelPts.value(1234567890), qint64(9));
        QCOMPARE((*v)->list()->size(), size_t(2));
        // The committed fixture itself was not touched (the test works on a copy).
        QCOMPARE(sdtest::fileSha256(sdtest::dataPath(QStringLiteral("vault/v1.sqlite"))), original);
    }

    void migratedSchemaEqualsFreshSchema()
    {
        MemorySecretStore secrets;
        const QString old = copyOfV1();
        const QString fresh = m_dir.filePath(QStringLiteral("fresh/vault.sqlite"));
        auto a = Vault::open(old, secrets, false);
        auto b = Vault::open(fresh, secrets, true);
        QVERIFY(a.ok() && b.ok());
        const QStringList objects = schemaObjects((*b)->db());
        QCOMPARE(schemaObjects((*a)->db()), objects);
        for (const QString &o : objects) {
            if (!o.startsWith(QLatin1String("table:")))
                continue;
            const QString t = o.mid(6);
            QCOMPARE(columnsOf((*a)->db(), t), columnsOf((*b)->db(), t));
        }
    }

    void migrationRunsOnce()
    {
        MemorySecretStore secrets;
        const QString path = copyOfV1();
        {
            auto v = Vault::open(path, secrets, false);
            QVERIFY(v.ok());
        }
        QCOMPARE(storedVersion(path), vaultschema::kCurrentVersion);
        auto v = Vault::open(path, secrets, false);
        QVERIFY(v.ok());
        QCOMPARE((*v)->list()->size(), size_t(1));
        QSqlQuery q((*v)->db().db());
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM schema_version")) && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
    }

    void failedMigrationRollsBack()
    {
        const QString path = copyOfV1();
        {
            auto db = SqliteDb::openReadWrite(path);
            QVERIFY(db.ok());
            // Something in the way of step 1 -> 2 (its CREATE TABLE channel_pts will fail).
            QVERIFY((*db)->execAll({QStringLiteral("CREATE TABLE channel_pts (x INTEGER)")}).ok());
        }
        MemorySecretStore secrets;
        auto v = Vault::open(path, secrets, false);
        QVERIFY(!v.ok());
        QCOMPARE(v.error().kind, ErrorKind::BadInput);
        QVERIFY2(v.error().message.contains(QLatin1String("schema 1 to 2")), qPrintable(v.error().message));
        QCOMPARE(storedVersion(path), 1);
        auto db = SqliteDb::openReadOnly(path);
        QVERIFY(db.ok());
        // The ALTER TABLE that ran before the failing statement was rolled back too.
        QVERIFY(!columnsOf(**db, QStringLiteral("accounts")).contains(QStringLiteral("variant")));
        QVERIFY(!(*db)->hasTable(QStringLiteral("conversations")));
    }

    void v1SchemaFileMatchesStepOne()
    {
        // The frozen v1 DDL and the migration code's step 0 -> 1 build the same tables.
        const QString a = m_dir.filePath(QStringLiteral("a.sqlite")), b = m_dir.filePath(QStringLiteral("b.sqlite"));
        auto da = SqliteDb::create(a);
        auto dbb = SqliteDb::create(b);
        QVERIFY(da.ok() && dbb.ok());
        QStringList frozen;
        for (const QString &stmt : QString::fromUtf8(sdtest::readAll(sdtest::dataPath(QStringLiteral("vault/v1-schema.sql")))).split(QLatin1Char(';'))) {
            QString s;
            for (const QString &line : stmt.split(QLatin1Char('\n')))
                if (!line.trimmed().startsWith(QLatin1String("--")))
                    s += line + QLatin1Char('\n');
            if (!s.trimmed().isEmpty())
                frozen << s;
        }
        QVERIFY(frozen.size() >= 8);
        QVERIFY((*da)->execAll(frozen).ok());
        QVERIFY((*dbb)->execAll(vaultschema::stepStatements(0)).ok());
        QCOMPARE(schemaObjects(**da), schemaObjects(**dbb));
        for (const QString &t : {QStringLiteral("accounts"), QStringLiteral("dcs"), QStringLiteral("peers"), QStringLiteral("update_state")})
            QCOMPARE(columnsOf(**da, t), columnsOf(**dbb, t));
    }
};

QTEST_GUILESS_MAIN(TestVaultMigration)
#include "tst_vaultmigration.moc"
