// Vault::importStore: secrets first, then every row in one transaction.
#include "vault.h"

#include "vault/secretblob.h"
#include "vault/vaultrows.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace sd {

namespace {

QVariant optBool(const std::optional<bool> &b) { return b ? QVariant(static_cast<qint64>(*b ? 1 : 0)) : QVariant(); }
QVariant optInt(const std::optional<int> &v) { return v ? QVariant(static_cast<qint64>(*v)) : QVariant(); }
QVariant orNull(const QString &s) { return s.isEmpty() ? QVariant() : QVariant(s); }
// auth_key_id columns are NOT NULL DEFAULT '' (core/vault/vaultschema.cpp): a DC entry without a key
// (mtcute's media DC before it has one) has the empty id, never NULL (a null QString binds as NULL).
QString keyIdColumn(const QString &id) { return id.isNull() ? QStringLiteral("") : id; }

// Runs a prepared statement once per row with fresh binds.
class Inserter {
public:
    Inserter(SqliteDb &db, const QString &sql) : m_db(db), m_q(db.db()), m_sql(sql) { m_ok = m_q.prepare(sql); }
    Status run(const QVariantList &binds)
    {
        if (!m_ok)
            return m_db.queryError(m_q, QStringLiteral("preparing \"%1\"").arg(m_sql.left(40)));
        for (int i = 0; i < binds.size(); ++i)
            m_q.bindValue(i, binds[i]);
        if (!m_q.exec())
            return m_db.queryError(m_q, QStringLiteral("running \"%1\"").arg(m_sql.left(40)));
        return {};
    }

private:
    SqliteDb &m_db;
    QSqlQuery m_q;
    QString m_sql;
    bool m_ok = false;
};

QString newAccountId()
{
    return QString::fromLatin1(SecretBytes::random(6).exposeUnsafeHex());
}

} // namespace

QString defaultAccountLabel(const Session &s)
{
    if (s.username && !s.username->isEmpty())
        return QLatin1Char('@') + *s.username;
    const QString name = QStringList{s.firstName.value_or(QString()), s.lastName.value_or(QString())}
                             .join(QLatin1Char(' '))
                             .trimmed();
    if (!name.isEmpty())
        return name;
    if (s.userId)
        return (s.isBot.value_or(false) ? QStringLiteral("bot %1") : QStringLiteral("user %1")).arg(*s.userId);
    return QStringLiteral("account");
}

Status Vault::insertAccount(const QString &id, const QString &label, const Store &store, const Session &s,
                            const QString &source, qint64 now)
{
    const DcAuth *primary = s.primary();
    auto acc = m_db->exec(
        QStringLiteral("INSERT INTO accounts (id, label, format, format_version, variant, source, dc_id, test_mode,"
                       " user_id, is_bot, api_id, first_name, last_name, username, phone, takeout_id, media_dc_id,"
                       " auth_key_id, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
        {id, label, store.formatId, optInt(store.formatVersion), orNull(store.variant), orNull(source),
         static_cast<qint64>(s.dcId), optBool(s.testMode), sqlOpt(s.userId), optBool(s.isBot),
         s.apiId ? QVariant(static_cast<qint64>(*s.apiId)) : QVariant(), sqlOpt(s.firstName), sqlOpt(s.lastName),
         sqlOpt(s.username), sqlOpt(s.phone), sqlOpt(s.takeoutId), optInt(s.mediaDcId),
         keyIdColumn(primary ? primary->authKeyId() : QString()), now});
    if (!acc)
        return acc.error();

    Inserter dcs(*m_db, QStringLiteral("INSERT INTO dcs (account_id, idx, dc_id, address, port, ipv6, media_only, test_mode,"
                                       " salt, is_temp, expires_at, auth_key_id, key_size) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (size_t i = 0; i < s.dcs.size(); ++i) {
        const DcAuth &d = s.dcs[i];
        auto st = dcs.run({id, static_cast<qint64>(i), static_cast<qint64>(d.dcId), orNull(d.address),
                           d.port ? QVariant(static_cast<qint64>(d.port)) : QVariant(), static_cast<qint64>(d.ipv6),
                           static_cast<qint64>(d.mediaOnly), optBool(d.testMode), sqlOpt(d.salt),
                           static_cast<qint64>(d.isTemp), sqlOpt(d.expiresAt), keyIdColumn(d.authKeyId()),
                           static_cast<qint64>(d.authKey.size())});
        if (!st)
            return st;
    }
    if (s.updateState) {
        const UpdateState &u = *s.updateState;
        auto q = m_db->exec(QStringLiteral("INSERT INTO update_state (account_id, pts, qts, date, seq) VALUES (?,?,?,?,?)"),
                            {id, sqlOpt(u.pts), sqlOpt(u.qts), sqlOpt(u.date), sqlOpt(u.seq)});
        if (!q)
            return q.error();
        Inserter ch(*m_db, QStringLiteral("INSERT OR REPLACE INTO channel_pts (account_id, channel_id, pts) VALUES (?,?,?)"));
        for (auto it = u.channelPts.cbegin(); it != u.channelPts.cend(); ++it) {
            auto st = ch.run({id, it.key(), it.value()});
            if (!st)
                return st;
        }
    }
    Inserter peers(*m_db, QStringLiteral("INSERT INTO peers (account_id, id, type, access_hash, usernames, phone, name, is_min,"
                                         " updated, raw, raw_format, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const Peer &p : s.peers) {
        auto st = peers.run({id, p.id, peerTypeName(p.type), sqlOpt(p.accessHash),
                             p.usernames.isEmpty() ? QVariant() : QVariant(p.usernames.join(QLatin1Char(' '))),
                             sqlOpt(p.phone), sqlOpt(p.name), static_cast<qint64>(p.isMin), sqlOpt(p.updated),
                             p.raw.isEmpty() ? QVariant() : QVariant(p.raw), orNull(p.rawFormat),
                             vaultrows::encodeExtra(p.extra)});
        if (!st)
            return st;
    }
    Inserter conv(*m_db, QStringLiteral("INSERT INTO conversations (account_id, chat_id, user_id, name, step, data, created,"
                                        " updated, extra) VALUES (?,?,?,?,?,?,?,?,?)"));
    for (const Conversation &c : s.conversations) {
        auto st = conv.run({id, c.chatId, c.userId, c.name, c.step, c.data.isNull() ? QVariant() : QVariant(c.data),
                            sqlOpt(c.created), sqlOpt(c.updated), vaultrows::encodeExtra(c.extra)});
        if (!st)
            return st;
    }
    return {};
}

Result<std::vector<VaultImportItem>> Vault::importStore(const Store &store, const VaultImportOptions &options)
{
    if (store.accounts.empty())
        return Error::badInput(QStringLiteral("the source holds no account"));
    std::vector<int> picks;
    if (options.account < 0) {
        for (int i = 0; i < static_cast<int>(store.accounts.size()); ++i)
            picks.push_back(i);
    } else if (options.account >= static_cast<int>(store.accounts.size())) {
        return Error::usage(QStringLiteral("--account %1: the source has %2 account(s)").arg(options.account).arg(store.accounts.size()));
    } else {
        picks.push_back(options.account);
    }

    std::vector<VaultImportItem> items;
    std::vector<size_t> toAdd; // indexes into items
    QMap<QString, QString> newKeys; // auth_key_id -> new account id, for duplicates inside one source
    for (int i : picks) {
        const Session &s = store.accounts[static_cast<size_t>(i)];
        VaultImportItem item;
        item.index = i;
        item.authKeyId = s.primary() ? s.primary()->authKeyId() : QString();
        QStringList keyIds;
        for (const DcAuth &d : s.dcs)
            if (!d.isTemp && !d.authKey.isAllZero())
                keyIds << d.authKeyId();
        if (keyIds.isEmpty()) {
            item.skipped = QStringLiteral("the account holds no auth key (logged out?)");
            items.push_back(item);
            continue;
        }
        for (const QString &k : keyIds) {
            auto dup = findByAuthKeyId(k);
            if (!dup)
                return dup.error();
            if (!dup->isEmpty()) {
                item.duplicateOf = *dup;
                break;
            }
            if (newKeys.contains(k)) {
                item.duplicateOf = newKeys.value(k);
                break;
            }
        }
        if (item.duplicateOf.isEmpty()) {
            item.id = newAccountId();
            for (const QString &k : keyIds)
                newKeys.insert(k, item.id);
            QString label = options.label.trimmed();
            bool shared = !label.isEmpty(); // one label for several accounts gets " #N"
            if (label.isEmpty()) {
                label = defaultAccountLabel(s);
                if (label == QLatin1String("account")) {
                    const bool file = !options.source.isEmpty() && options.source != QLatin1String("-");
                    label = file ? QFileInfo(options.source).fileName() : store.formatId + QStringLiteral(" account");
                    shared = true;
                }
            }
            if (shared && picks.size() > 1)
                label += QStringLiteral(" #%1").arg(i + 1);
            item.label = label;
            toAdd.push_back(items.size());
        }
        items.push_back(item);
    }
    if (toAdd.empty())
        return items;

    // 1. The secrets, recorded as pending first (a crash after this point leaves entries that the
    // next open deletes). Writing them is also the keychain writability check.
    QStringList pending;
    for (size_t n : toAdd)
        pending << secretKey(items[n].id);
    if (auto st = addPending(pending, QStringLiteral("import"), false); !st)
        return Error::output(QStringLiteral("cannot write the vault %1: %2").arg(m_path, st.error().message));
    QStringList written;
    auto dropSecrets = [this, &written, &pending] {
        for (const QString &k : written)
            (void)m_secrets->remove(k);
        (void)dropPending(pending);
    };
    for (size_t n : toAdd) {
        const VaultImportItem &item = items[n];
        const QString key = secretKey(item.id);
        auto st = m_secrets->write(key, encodeAccountSecrets(store.accounts[static_cast<size_t>(item.index)]));
        if (!st) {
            dropSecrets();
            return st.error();
        }
        written << key;
    }

    // 2. The rows, in one transaction.
    auto fail = [&](const Error &e) -> Error {
        m_db->rollback();
        dropSecrets();
        return Error::output(QStringLiteral("cannot write the vault %1: %2").arg(m_path, e.message));
    };
    auto began = m_db->exec(QStringLiteral("BEGIN IMMEDIATE"));
    if (!began)
        return fail(began.error());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (size_t n : toAdd) {
        const VaultImportItem &item = items[n];
        auto st = insertAccount(item.id, item.label, store, store.accounts[static_cast<size_t>(item.index)], options.source, now);
        if (!st)
            return fail(st.error());
    }
    if (auto st = dropPending(pending); !st)
        return fail(st.error());
    auto done = m_db->exec(QStringLiteral("COMMIT"));
    if (!done)
        return fail(done.error());
    return items;
}

} // namespace sd
