#include "vault.h"

#include "io/atomicfile.h"
#include "vault/vaultschema.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sd {

namespace {
constexpr int kBusyTimeoutMs = 5000;

Status fsyncPath(const QString &path, bool directory)
{
    const QByteArray p = QFile::encodeName(path);
    const int fd = ::open(p.constData(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return Error::output(QStringLiteral("cannot open %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0 && !directory)
        return Error::output(QStringLiteral("cannot flush %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    return {};
}

Status pragma(SqliteDb &db, const QString &statement)
{
    auto q = db.exec(statement);
    if (!q)
        return q.error();
    while (q->next()) {
    }
    return {};
}
} // namespace

Vault::~Vault() = default;

QString Vault::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/sessiondesk");
    return dir + QStringLiteral("/vault.sqlite");
}

QString Vault::resolvePath(const QString &explicitPath)
{
    if (!explicitPath.isEmpty())
        return explicitPath;
    const QString env = qEnvironmentVariable("SESSIONDESK_VAULT");
    if (!env.isEmpty())
        return env;
    return defaultPath();
}

QString Vault::secretKey(const QString &accountId) const { return m_vaultId + QLatin1Char('/') + accountId; }

Status Vault::createFile(const QString &path)
{
    const QFileInfo fi(path);
    const QString dir = fi.absolutePath();
    if (!QFileInfo::exists(dir)) {
        auto st = makePrivateDir(dir);
        if (!st)
            return st;
    } else if (dir == QFileInfo(defaultPath()).absolutePath()) {
        setOwnerOnlyDir(dir); // our own app-data folder
    }
    auto temp = reserveTempPath(path);
    if (!temp)
        return temp.error();
    const QByteArray tp = QFile::encodeName(*temp);
    auto fd = createPrivateFile(*temp); // 0600, O_EXCL|O_NOFOLLOW (docs/security.md)
    if (!fd)
        return fd.error();
    ::close(*fd);
    auto cleanup = [&temp] {
        QFile::remove(*temp);
        QFile::remove(*temp + QStringLiteral("-journal"));
    };
    {
        auto db = SqliteDb::openReadWrite(*temp, kBusyTimeoutMs);
        if (!db) {
            cleanup();
            return Error::output(db.error().message);
        }
        Status st = vaultschema::migrate(**db);
        if (st) {
            const QString vaultId = QString::fromLatin1(SecretBytes::random(16).exposeUnsafeHex());
            auto q = (*db)->exec(QStringLiteral("INSERT INTO meta (key, value) VALUES ('vault_id', ?), ('created_at', ?)"),
                                 {vaultId, QString::number(QDateTime::currentSecsSinceEpoch())});
            if (!q)
                st = q.error();
        }
        if (!st) {
            db->reset();
            cleanup();
            return Error::output(QStringLiteral("cannot create the vault: %1").arg(st.error().message));
        }
    }
    auto synced = fsyncPath(*temp, false);
    if (!synced) {
        cleanup();
        return synced;
    }
    // link() never replaces: if another process created the vault meanwhile, keep theirs.
    const QByteArray target = QFile::encodeName(path);
    if (::link(tp.constData(), target.constData()) != 0 && errno != EEXIST) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        cleanup();
        return Error::output(QStringLiteral("cannot create %1: %2").arg(path, why));
    }
    cleanup();
    (void)fsyncPath(dir, true);
    return {};
}

Result<std::unique_ptr<Vault>> Vault::openExisting(const QString &path, SecretStore &secrets)
{
    auto db = SqliteDb::openReadWrite(path, kBusyTimeoutMs);
    if (!db)
        return Error::badInput(QStringLiteral("cannot open the vault: %1").arg(db.error().message));
    std::unique_ptr<Vault> v(new Vault);
    v->m_path = path;
    v->m_secrets = &secrets;
    v->m_db = std::move(*db);
    // Keep the vault private even if something loosened it.
    struct stat st {};
    const QByteArray p = QFile::encodeName(path);
    if (::stat(p.constData(), &st) == 0 && (st.st_mode & 077) != 0)
        setOwnerOnly(path);
    // Refuse a newer vault before changing anything in it (even its journal mode).
    auto ver = vaultschema::version(*v->m_db);
    if (!ver)
        return ver.error();
    if (*ver > vaultschema::kCurrentVersion)
        return vaultschema::migrate(*v->m_db).error();
    for (const QString &s : {QStringLiteral("PRAGMA foreign_keys = ON"), QStringLiteral("PRAGMA journal_mode = WAL"),
                             QStringLiteral("PRAGMA synchronous = FULL")}) {
        auto r = pragma(*v->m_db, s);
        if (!r)
            return r.error();
    }
    auto mig = vaultschema::migrate(*v->m_db);
    if (!mig)
        return mig.error();
    auto q = v->m_db->exec(QStringLiteral("SELECT value FROM meta WHERE key = 'vault_id'"));
    if (!q)
        return q.error();
    if (!q->next() || q->value(0).toString().isEmpty())
        return Error::badInput(QStringLiteral("the vault has no vault id (damaged?)"));
    v->m_vaultId = q->value(0).toString();
    v->sweepPendingSecrets();
    return v;
}

Status Vault::addPending(const QStringList &keys, const QString &kind, bool inTransaction)
{
    if (!inTransaction) {
        if (auto began = m_db->exec(QStringLiteral("BEGIN IMMEDIATE")); !began)
            return began.error();
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (const QString &key : keys) {
        auto q = m_db->exec(QStringLiteral("INSERT OR REPLACE INTO pending_secrets (key, kind, since) VALUES (?, ?, ?)"),
                            {key, kind, now});
        if (!q) {
            if (!inTransaction)
                m_db->rollback();
            return q.error();
        }
    }
    if (!inTransaction) {
        if (auto done = m_db->exec(QStringLiteral("COMMIT")); !done) {
            m_db->rollback();
            return done.error();
        }
    }
    return {};
}

Status Vault::dropPending(const QStringList &keys)
{
    for (const QString &key : keys)
        if (auto q = m_db->exec(QStringLiteral("DELETE FROM pending_secrets WHERE key = ?"), {key}); !q)
            return q.error();
    return {};
}

void Vault::sweepPendingSecrets()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QStringList due;
    {
        auto q = m_db->exec(QStringLiteral("SELECT key, kind, since FROM pending_secrets"));
        if (!q)
            return;
        while (q->next()) {
            const QString kind = q->value(1).toString();
            const qint64 since = sqlInt(q->value(2)).value_or(0);
            if (kind == QLatin1String("remove") || since < now - kImportGraceSecs)
                due << q->value(0).toString();
        }
    }
    // Best effort: an entry the keychain cannot delete now stays recorded for the next open.
    QStringList cleaned;
    for (const QString &key : due)
        if (m_secrets->remove(key))
            cleaned << key;
    (void)dropPending(cleaned);
}

Result<std::unique_ptr<Vault>> Vault::open(const QString &path, SecretStore &secrets, bool create)
{
    if (path.isEmpty())
        return Error::usage(QStringLiteral("no vault path"));
    const QFileInfo fi(path);
    if (fi.isDir())
        return Error::badInput(QStringLiteral("%1 is a folder, not a vault file").arg(path));
    if (!fi.exists()) {
        if (!create)
            return Error::badInput(QStringLiteral("no vault at %1 (import an account first)").arg(path));
        auto st = createFile(path);
        if (!st)
            return st.error();
    }
    return openExisting(path, secrets);
}

Result<int> Vault::schemaVersion() { return vaultschema::version(*m_db); }

Result<std::vector<VaultAccount>> Vault::list()
{
    auto q = m_db->exec(QStringLiteral(
        "SELECT a.id, a.label, a.format, a.format_version, a.variant, a.source, a.dc_id, a.test_mode, a.user_id,"
        " a.is_bot, a.username, a.first_name, a.last_name, a.auth_key_id, a.imported_at,"
        " (SELECT count(*) FROM dcs d WHERE d.account_id = a.id),"
        " (SELECT count(*) FROM peers p WHERE p.account_id = a.id)"
        " FROM accounts a ORDER BY a.imported_at, a.rowid"));
    if (!q)
        return q.error();
    std::vector<VaultAccount> out;
    while (q->next()) {
        VaultAccount a;
        a.id = q->value(0).toString();
        a.label = q->value(1).toString();
        a.format = q->value(2).toString();
        if (auto v = sqlInt(q->value(3)))
            a.formatVersion = static_cast<int>(*v);
        a.variant = q->value(4).toString();
        a.source = q->value(5).toString();
        a.dcId = static_cast<int>(sqlInt(q->value(6)).value_or(0));
        if (auto v = sqlInt(q->value(7)))
            a.testMode = *v != 0;
        a.userId = sqlInt(q->value(8));
        if (auto v = sqlInt(q->value(9)))
            a.isBot = *v != 0;
        a.username = sqlText(q->value(10));
        a.firstName = sqlText(q->value(11));
        a.lastName = sqlText(q->value(12));
        a.authKeyId = q->value(13).toString();
        a.importedAt = sqlInt(q->value(14)).value_or(0);
        a.dcCount = static_cast<int>(sqlInt(q->value(15)).value_or(0));
        a.peerCount = sqlInt(q->value(16)).value_or(0);
        out.push_back(std::move(a));
    }
    return out;
}

Result<VaultAccount> Vault::find(const QString &idOrLabel)
{
    auto all = list();
    if (!all)
        return all.error();
    const QString needle = idOrLabel.trimmed();
    if (needle.isEmpty())
        return Error::usage(QStringLiteral("no account id given"));
    for (const VaultAccount &a : *all)
        if (a.id == needle)
            return a;
    std::vector<const VaultAccount *> hits;
    if (needle.size() >= 4)
        for (const VaultAccount &a : *all)
            if (a.id.startsWith(needle, Qt::CaseInsensitive))
                hits.push_back(&a);
    if (hits.empty())
        for (const VaultAccount &a : *all)
            if (a.label == needle)
                hits.push_back(&a);
    if (hits.size() == 1)
        return *hits.front();
    if (hits.size() > 1)
        return Error::usage(QStringLiteral("'%1' matches %2 accounts; give more of the id").arg(needle).arg(hits.size()));
    return Error::badInput(QStringLiteral("no account '%1' in the vault (see 'sessiondesk-cli vault list')").arg(needle));
}

Result<QString> Vault::findByAuthKeyId(const QString &keyId)
{
    if (keyId.isEmpty())
        return QString();
    auto q = m_db->exec(QStringLiteral("SELECT account_id FROM dcs WHERE auth_key_id = ? AND is_temp = 0 "
                                       "ORDER BY rowid LIMIT 1"),
                        {keyId});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toString() : QString();
}

Status Vault::remove(const QString &idOrLabel, bool ignoreKeychainErrors)
{
    auto acc = find(idOrLabel);
    if (!acc)
        return acc.error();
    const QString key = secretKey(acc->id);
    // The keychain must answer before anything changes (a broken keychain stops here).
    if (auto found = m_secrets->find(key); !found && !ignoreKeychainErrors)
        return found.error();
    // Rows first, in one transaction that also records the secret as pending removal; the secret
    // after. A kill between the two leaves no listed account whose key is gone, and the recorded
    // entry is deleted at the next open (tst_keychain_crashsafety).
    auto fail = [&](const Error &e) -> Status {
        m_db->rollback();
        return Error::output(QStringLiteral("cannot remove the account from the vault: %1").arg(e.message));
    };
    auto began = m_db->exec(QStringLiteral("BEGIN IMMEDIATE"));
    if (!began)
        return fail(began.error());
    auto del = m_db->exec(QStringLiteral("DELETE FROM accounts WHERE id = ?"), {acc->id});
    if (!del)
        return fail(del.error());
    if (auto pending = addPending({key}, QStringLiteral("remove"), true); !pending)
        return fail(pending.error());
    auto done = m_db->exec(QStringLiteral("COMMIT"));
    if (!done)
        return fail(done.error());
    auto gone = m_secrets->remove(key);
    if (gone)
        (void)dropPending({key});
    if (!gone && !ignoreKeychainErrors)
        return Error::secret(QStringLiteral("the account was removed from the vault, but its keychain entry (service "
                                            "'sessiondesk', key '%1') could not be deleted: %2")
                                 .arg(key, gone.error().message));
    return {};
}

Status Vault::setLabel(const QString &idOrLabel, const QString &label)
{
    auto acc = find(idOrLabel);
    if (!acc)
        return acc.error();
    auto q = m_db->exec(QStringLiteral("UPDATE accounts SET label = ? WHERE id = ?"), {label, acc->id});
    if (!q)
        return Error::output(q.error().message);
    return {};
}

} // namespace sd
