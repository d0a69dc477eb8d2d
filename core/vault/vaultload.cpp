// Vault::load / exportAccount: rows back into a Session, keys from the SecretStore.
#include "vault.h"

#include "vault/secretblob.h"
#include "vault/vaultrows.h"

namespace sd {

namespace {
std::optional<bool> optBool(const QVariant &v)
{
    const auto i = sqlInt(v);
    return i ? std::optional<bool>(*i != 0) : std::nullopt;
}
std::optional<int> optInt(const QVariant &v)
{
    const auto i = sqlInt(v);
    return i ? std::optional<int>(static_cast<int>(*i)) : std::nullopt;
}
} // namespace

Status Vault::loadRows(const QString &id, Session &s)
{
    auto a = m_db->exec(QStringLiteral("SELECT dc_id, test_mode, user_id, is_bot, api_id, first_name, last_name, username,"
                                       " phone, takeout_id, media_dc_id FROM accounts WHERE id = ?"),
                        {id});
    if (!a)
        return a.error();
    if (!a->next())
        return Error::badInput(QStringLiteral("no account '%1' in the vault").arg(id));
    s.dcId = optInt(a->value(0)).value_or(0);
    s.testMode = optBool(a->value(1));
    s.userId = sqlInt(a->value(2));
    s.isBot = optBool(a->value(3));
    if (auto v = sqlInt(a->value(4)))
        s.apiId = static_cast<qint32>(*v);
    s.firstName = sqlText(a->value(5));
    s.lastName = sqlText(a->value(6));
    s.username = sqlText(a->value(7));
    s.phone = sqlText(a->value(8));
    s.takeoutId = sqlInt(a->value(9));
    s.mediaDcId = optInt(a->value(10));

    auto d = m_db->exec(QStringLiteral("SELECT dc_id, address, port, ipv6, media_only, test_mode, salt, is_temp, expires_at"
                                       " FROM dcs WHERE account_id = ? ORDER BY idx"),
                        {id});
    if (!d)
        return d.error();
    while (d->next()) {
        DcAuth dc;
        dc.dcId = optInt(d->value(0)).value_or(0);
        dc.address = sqlText(d->value(1)).value_or(QString());
        dc.port = optInt(d->value(2)).value_or(0);
        dc.ipv6 = optBool(d->value(3)).value_or(false);
        dc.mediaOnly = optBool(d->value(4)).value_or(false);
        dc.testMode = optBool(d->value(5));
        dc.salt = sqlInt(d->value(6));
        dc.isTemp = optBool(d->value(7)).value_or(false);
        dc.expiresAt = sqlInt(d->value(8));
        s.dcs.push_back(std::move(dc));
    }

    auto u = m_db->exec(QStringLiteral("SELECT pts, qts, date, seq FROM update_state WHERE account_id = ?"), {id});
    if (!u)
        return u.error();
    if (u->next()) {
        UpdateState st;
        st.pts = sqlInt(u->value(0));
        st.qts = sqlInt(u->value(1));
        st.date = sqlInt(u->value(2));
        st.seq = sqlInt(u->value(3));
        auto c = m_db->exec(QStringLiteral("SELECT channel_id, pts FROM channel_pts WHERE account_id = ? ORDER BY channel_id"), {id});
        if (!c)
            return c.error();
        while (c->next())
            st.channelPts.insert(sqlInt(c->value(0)).value_or(0), sqlInt(c->value(1)).value_or(0));
        s.updateState = std::move(st);
    }

    auto p = m_db->exec(QStringLiteral("SELECT id, type, access_hash, usernames, phone, name, is_min, updated, raw,"
                                       " raw_format, extra FROM peers WHERE account_id = ? ORDER BY rowid"),
                        {id});
    if (!p)
        return p.error();
    while (p->next()) {
        Peer peer;
        peer.id = sqlInt(p->value(0)).value_or(0);
        const auto type = vaultrows::peerTypeFromName(p->value(1).toString());
        if (!type)
            return Error::badInput(QStringLiteral("the vault holds a peer of unknown type '%1'").arg(p->value(1).toString()));
        peer.type = *type;
        peer.accessHash = sqlInt(p->value(2));
        const QString names = sqlText(p->value(3)).value_or(QString());
        if (!names.isEmpty())
            peer.usernames = names.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        peer.phone = sqlText(p->value(4));
        peer.name = sqlText(p->value(5));
        peer.isMin = optBool(p->value(6)).value_or(false);
        peer.updated = sqlInt(p->value(7));
        peer.raw = sqlBlob(p->value(8));
        peer.rawFormat = sqlText(p->value(9)).value_or(QString());
        peer.extra = vaultrows::decodeExtra(sqlBlob(p->value(10)));
        s.peers.push_back(std::move(peer));
    }

    auto c = m_db->exec(QStringLiteral("SELECT chat_id, user_id, name, step, data, created, updated, extra"
                                       " FROM conversations WHERE account_id = ? ORDER BY rowid"),
                        {id});
    if (!c)
        return c.error();
    while (c->next()) {
        Conversation conv;
        conv.chatId = sqlInt(c->value(0)).value_or(0);
        conv.userId = sqlInt(c->value(1)).value_or(0);
        conv.name = sqlText(c->value(2)).value_or(QString());
        conv.step = sqlText(c->value(3)).value_or(QString());
        conv.data = sqlBlob(c->value(4));
        conv.created = sqlInt(c->value(5));
        conv.updated = sqlInt(c->value(6));
        conv.extra = vaultrows::decodeExtra(sqlBlob(c->value(7)));
        s.conversations.push_back(std::move(conv));
    }
    return {};
}

Result<Store> Vault::load(const QString &idOrLabel)
{
    auto acc = find(idOrLabel);
    if (!acc)
        return acc.error();
    Session s;
    auto st = loadRows(acc->id, s);
    if (!st)
        return st.error();
    QStringList keyIds;
    {
        auto q = m_db->exec(QStringLiteral("SELECT auth_key_id FROM dcs WHERE account_id = ? ORDER BY idx"), {acc->id});
        if (!q)
            return q.error();
        while (q->next())
            keyIds << q->value(0).toString();
    }
    const QString key = secretKey(acc->id);
    auto secret = m_secrets->find(key);
    if (!secret)
        return secret.error();
    if (!secret->has_value())
        return Error::secret(QStringLiteral("%1 has no entry for account %2 (service 'sessiondesk', key '%3'): it was "
                                            "deleted outside SessionDesk, or the keyring that holds it is not the one "
                                            "unlocked now")
                                 .arg(m_secrets->backendName(), acc->id, key));
    auto dec = decodeAccountSecrets(**secret, s, keyIds);
    if (!dec)
        return dec.error();
    Store store;
    store.formatId = acc->format;
    store.formatVersion = acc->formatVersion;
    store.variant = acc->variant;
    store.accounts.push_back(std::move(s));
    return store;
}

Result<Session> Vault::loadSession(const QString &idOrLabel)
{
    auto store = load(idOrLabel);
    if (!store)
        return store.error();
    return std::move(store->accounts.front());
}

Result<ConvertResult> Vault::exportAccount(const QString &idOrLabel, const Format &target, ConvertRequest request,
                                           const QString &outPath)
{
    auto store = load(idOrLabel);
    if (!store)
        return store.error();
    request.account = 0;
    return convertStore(*store, target, request, outPath);
}

} // namespace sd
