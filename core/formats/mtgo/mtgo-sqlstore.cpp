// mtgo-labs/storage SQL stores on PostgreSQL (classic adapter and GORM) and in SQLite files (GORM),
// docs/formats.md 7.2. Everything runs on the server: filters, sorting and paging in SQL, a prune in
// one transaction, a write that replaces exactly one session.
#include "formats/mtgo/mtgo-sqlstore.h"

#include "format/registry.h"
#include "sqlite/sqlhelpers.h"
#include "sqlite/sqlpeerengine.h"
#include "prune/prune.h"
#include "server/pgconnection.h"
#include "sqlite/sqlitedb.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <set>

namespace sd::mtgo {

namespace {
constexpr int kInsertBatch = 200;
constexpr int kDeleteBatch = 1000;
const char *const kPeerColumns = "id, type, access_hash, username, usernames, first_name, last_name, phone_number, is_bot, photo_id, language, last_updated";
// The marked (Bot-API) id of a row (docs/formats.md 0.2; a stored negative id is already marked).
const QString kMarked = QStringLiteral("(CASE WHEN id < 0 THEN id WHEN type = 1 THEN -id WHEN type = 2 THEN -1000000000000 - id ELSE id END)");

bool boolAt(const QVariant &v)
{
    if (v.typeId() == QMetaType::Bool)
        return v.toBool();
    if (v.typeId() == QMetaType::QString) {
        const QString s = v.toString();
        return s == QLatin1String("t") || s == QLatin1String("true") || s.toLongLong() != 0;
    }
    return sqlInt(v).value_or(0) != 0;
}

PeerRec peerRow(const QSqlQuery &q)
{
    PeerRec r;
    r.id = sqlInt(q.value(0)).value_or(0);
    r.type = sqlInt(q.value(1)).value_or(0);
    r.accessHash = sqlInt(q.value(2)).value_or(0);
    r.username = sqlText(q.value(3)).value_or(QString());
    r.usernames = sqlText(q.value(4)).value_or(QString());
    r.firstName = sqlText(q.value(5)).value_or(QString());
    r.lastName = sqlText(q.value(6)).value_or(QString());
    r.phone = sqlText(q.value(7)).value_or(QString());
    r.isBot = boolAt(q.value(8));
    r.photoId = sqlInt(q.value(9)).value_or(0);
    r.language = sqlText(q.value(10)).value_or(QString());
    r.lastUpdated = sqlInt(q.value(11)).value_or(0);
    return r;
}

QString sortExpr(PeerSortColumn c)
{
    switch (c) {
    case PeerSortColumn::Type:
        return QStringLiteral("(CASE WHEN type = 1 THEN 1 WHEN type = 2 THEN 2 ELSE 0 END)");
    case PeerSortColumn::Username:
        return QStringLiteral("lower(coalesce(username, ''))");
    case PeerSortColumn::Phone:
        return QStringLiteral("coalesce(phone_number, '')");
    case PeerSortColumn::Name:
        return QStringLiteral("lower(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')))");
    case PeerSortColumn::Updated:
        return QStringLiteral("(CASE WHEN last_updated > 100000000000 THEN last_updated / 1000 ELSE last_updated END)");
    case PeerSortColumn::AccessHash:
        return QStringLiteral("access_hash");
    case PeerSortColumn::Id:
        return kMarked;
    case PeerSortColumn::Default:
        break;
    }
    return QStringLiteral("id");
}

QVariant bytesValue(const std::optional<QByteArray> &b)
{
    return b ? QVariant(*b) : QVariant(QMetaType(QMetaType::QByteArray));
}

QString idList(const std::vector<qint64> &ids, size_t from, size_t to)
{
    QStringList parts;
    for (size_t i = from; i < to; ++i)
        parts << QString::number(ids[i]);
    return parts.join(QLatin1Char(','));
}
} // namespace

QStringList SqlStore::classicDdl(bool postgres)
{
    // The postgres adapter's initSchema (newer versions: session_id and the update tables), the
    // conversations table it creates on first use. docs/formats.md 7.2.
    const QString blob = postgres ? QStringLiteral("BYTEA") : QStringLiteral("BLOB");
    const QString big = postgres ? QStringLiteral("BIGINT") : QStringLiteral("INTEGER");
    return {
        QStringLiteral("CREATE TABLE IF NOT EXISTS sessions (session_id TEXT DEFAULT '', dc_id INTEGER PRIMARY KEY, api_id INTEGER DEFAULT 0, "
                       "api_hash TEXT DEFAULT '', test_mode INTEGER DEFAULT 0, auth_key %1, state %1, user_id %2 DEFAULT 0, "
                       "is_bot INTEGER DEFAULT 0, first_name TEXT DEFAULT '', last_name TEXT DEFAULT '', username TEXT DEFAULT '', "
                       "date INTEGER DEFAULT 0, server_address TEXT DEFAULT '', port INTEGER DEFAULT 0)").arg(blob, big),
        QStringLiteral("CREATE TABLE IF NOT EXISTS peers (id %1 PRIMARY KEY, type INTEGER NOT NULL, access_hash %1 DEFAULT 0, "
                       "username TEXT DEFAULT '', usernames TEXT DEFAULT '', first_name TEXT DEFAULT '', last_name TEXT DEFAULT '', "
                       "phone_number TEXT DEFAULT '', is_bot INTEGER DEFAULT 0, photo_id %1 DEFAULT 0, language TEXT DEFAULT '', "
                       "last_updated %1 DEFAULT 0)").arg(big),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_peers_username ON peers(username)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_peers_phone ON peers(phone_number)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS update_state (session_id TEXT PRIMARY KEY, pts INTEGER NOT NULL DEFAULT 0, "
                       "qts INTEGER NOT NULL DEFAULT 0, date INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0, "
                       "updated_at %1 NOT NULL DEFAULT 0)").arg(big),
        QStringLiteral("CREATE TABLE IF NOT EXISTS channel_update_state (session_id TEXT NOT NULL, channel_id %1 NOT NULL, "
                       "pts INTEGER NOT NULL DEFAULT 0, updated_at %1 NOT NULL DEFAULT 0, PRIMARY KEY (session_id, channel_id))").arg(big),
        QStringLiteral("CREATE TABLE IF NOT EXISTS conversations (chat_id %1 NOT NULL, user_id %1 NOT NULL, name TEXT NOT NULL, "
                       "step INTEGER DEFAULT 0, data %2, created_at %1 DEFAULT 0, updated_at %1 DEFAULT 0, PRIMARY KEY (chat_id, user_id))")
            .arg(big, blob),
    };
}

QStringList SqlStore::gormDdl(bool postgres)
{
    // What GORM's AutoMigrate creates for the adapter's records (string size:255 = varchar(255),
    // int/int64 = bigint, int32 = integer, bool = boolean (SQLite: numeric), []byte = bytea/blob).
    const QString vc = postgres ? QStringLiteral("varchar(255)") : QStringLiteral("text");
    const QString big = postgres ? QStringLiteral("bigint") : QStringLiteral("integer");
    const QString i32 = QStringLiteral("integer");
    const QString boo = postgres ? QStringLiteral("boolean") : QStringLiteral("numeric");
    const QString blob = postgres ? QStringLiteral("bytea") : QStringLiteral("blob");
    return {
        QStringLiteral("CREATE TABLE IF NOT EXISTS mtgo_sessions (session_id %1, dc %2, api_id %3, api_hash text, test_mode %4, "
                       "auth_key %5, state %5, user_id %2, is_bot %4, first_name text, last_name text, username text, date %2, "
                       "addr text, port %2, PRIMARY KEY (session_id))").arg(vc, big, i32, boo, blob),
        QStringLiteral("CREATE TABLE IF NOT EXISTS mtgo_peers (session_id %1, id %2, type %2, access_hash %2, username text, "
                       "usernames text, first_name text, last_name text, phone_number text, is_bot %3, photo_id %2, language text, "
                       "last_updated %2, PRIMARY KEY (session_id, id))").arg(vc, big, boo),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_mtgo_peers_session_id ON mtgo_peers(session_id)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_mtgo_peers_username ON mtgo_peers(username)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS mtgo_conversations (session_id %1, chat_id %2, user_id %2, name text, step %2, "
                       "data %3, created_at %2, updated_at %2, PRIMARY KEY (session_id, chat_id, user_id))").arg(vc, big, blob),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_mtgo_conversations_session_id ON mtgo_conversations(session_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS mtgo_update_state (session_id %1, pts %2, qts %2, date %2, seq %2, updated_at %3, "
                       "PRIMARY KEY (session_id))").arg(vc, i32, big),
        QStringLiteral("CREATE TABLE IF NOT EXISTS mtgo_channel_update_state (session_id %1, channel_id %2, pts %3, updated_at %2, "
                       "PRIMARY KEY (session_id, channel_id))").arg(vc, big, i32),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_mtgo_channel_update_state_session_id ON mtgo_channel_update_state(session_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS mtgo_update_dedup (session_id %1, dedup_key %1, created_at %2, "
                       "PRIMARY KEY (session_id, dedup_key))").arg(vc, big),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_mtgo_update_dedup_session_id ON mtgo_update_dedup(session_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS mtgo_durable_updates (session_id %1, id %1, payload %2, attempts %3, last_error text, "
                       "created_at %3, updated_at %3, PRIMARY KEY (session_id, id))").arg(vc, blob, big),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_mtgo_durable_updates_session_id ON mtgo_durable_updates(session_id)"),
    };
}

QString SqlStore::t(const char *base) const
{
    const QString b = QString::fromLatin1(base);
    return m_layout == SqlLayout::Gorm ? QStringLiteral("mtgo_") + b : b;
}

bool SqlStore::has(const char *base) const { return m_schema.contains(t(base)); }

bool SqlStore::hasColumn(const char *base, const char *column) const
{
    return m_schema.value(t(base)).contains(QString::fromLatin1(column));
}

Error SqlStore::queryError(const QSqlQuery &q, bool output) const
{
    QString text = q.lastError().databaseText();
    if (text.isEmpty())
        text = q.lastError().text();
    const QString m = QStringLiteral("%1: %2").arg(m_postgres ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite"), text.simplified());
    return output ? Error::output(m) : Error::badInput(m);
}

Result<QSqlQuery> SqlStore::exec(const QString &sql, const QVariantList &binds, bool output)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    bool ok;
    if (binds.isEmpty()) {
        ok = q.exec(sql);
    } else {
        ok = q.prepare(sql);
        for (int i = 0; ok && i < binds.size(); ++i)
            q.bindValue(i, binds[i]);
        ok = ok && q.exec();
    }
    if (!ok)
        return queryError(q, output);
    return q;
}

QString SqlStore::sessionCond(QVariantList &binds, const QString &session) const
{
    if (!keyed())
        return QStringLiteral("1 = 1");
    binds << session;
    return QStringLiteral("session_id = ?");
}

Result<QStringList> SqlStore::sessionNames()
{
    if (!has("sessions"))
        return QStringList();
    if (keyed()) {
        auto q = exec(QStringLiteral("SELECT session_id FROM %1 ORDER BY session_id").arg(t("sessions")));
        if (!q)
            return q.error();
        QStringList out;
        while (q->next())
            out << q->value(0).toString();
        return out;
    }
    const bool sid = hasColumn("sessions", "session_id");
    auto q = exec(QStringLiteral("SELECT %1 FROM sessions LIMIT 1").arg(sid ? QStringLiteral("session_id") : QStringLiteral("''")));
    if (!q)
        return q.error();
    if (!q->next())
        return QStringList();
    return QStringList{q->value(0).toString()};
}

Result<QString> SqlStore::pickSession(const QString &requested)
{
    auto names = sessionNames();
    if (!names)
        return names.error();
    if (!keyed()) {
        if (!requested.isEmpty() && hasColumn("sessions", "session_id") && !names->isEmpty() && !names->contains(requested))
            return Error::badInput(QStringLiteral("%1 holds one session%2, not '%3'")
                                       .arg(m_label, names->isEmpty() ? QString() : QStringLiteral(" ('%1')").arg(names->first()), requested));
        return names->value(0);
    }
    if (!requested.isNull() && !requested.isEmpty()) {
        if (!names->contains(requested))
            return Error::badInput(QStringLiteral("no session '%1' in %2 (sessions: %3)")
                                       .arg(requested, m_label, names->isEmpty() ? QStringLiteral("none") : names->join(QStringLiteral(", "))));
        return requested;
    }
    if (names->size() == 1)
        return names->first();
    if (names->isEmpty())
        return Error::badInput(QStringLiteral("%1 holds no session").arg(m_label));
    return Error::usage(QStringLiteral("%1 holds %2 sessions (%3): pick one with --session NAME")
                            .arg(m_label).arg(names->size()).arg(names->join(QStringLiteral(", "))));
}

Result<std::optional<Session>> SqlStore::readSession(const QString &name, const ReadOptions &options)
{
    QVariantList binds;
    QString sql;
    if (keyed()) {
        sql = QStringLiteral("SELECT session_id, dc, api_id, api_hash, test_mode, auth_key, state, user_id, is_bot, first_name, "
                             "last_name, username, date, addr, port FROM mtgo_sessions WHERE session_id = ?");
        binds << name;
    } else {
        sql = QStringLiteral("SELECT %1, dc_id, api_id, api_hash, test_mode, auth_key, state, user_id, is_bot, first_name, last_name, "
                             "username, date, server_address, port FROM sessions LIMIT 1000")
                  .arg(hasColumn("sessions", "session_id") ? QStringLiteral("session_id") : QStringLiteral("''"));
    }
    auto q = exec(sql, binds);
    if (!q)
        return q.error();
    std::optional<Session> out;
    while (q->next()) {
        SessionRec r;
        r.sessionId = q->value(0).toString();
        r.dc = static_cast<int>(sqlInt(q->value(1)).value_or(0));
        r.apiId = sqlInt(q->value(2)).value_or(0);
        r.apiHash = sqlText(q->value(3)).value_or(QString());
        r.testMode = boolAt(q->value(4));
        QByteArray key = sqlBlob(q->value(5));
        r.authKey = SecretBytes::fromByteArray(key);
        wipe(key);
        if (!q->value(6).isNull())
            r.state = sqlBlob(q->value(6));
        r.userId = sqlInt(q->value(7)).value_or(0);
        r.isBot = boolAt(q->value(8));
        r.firstName = sqlText(q->value(9)).value_or(QString());
        r.lastName = sqlText(q->value(10)).value_or(QString());
        r.username = sqlText(q->value(11)).value_or(QString());
        r.date = sqlInt(q->value(12)).value_or(0);
        r.addr = sqlText(q->value(13)).value_or(QString());
        r.port = static_cast<int>(sqlInt(q->value(14)).value_or(0));
        if (r.dc <= 0 || r.dc > 10000)
            return Error::badInput(QStringLiteral("%1: a session row holds an invalid DC id (%2)").arg(m_label).arg(r.dc));
        if (!out) {
            out = sessionFromRec(r);
        } else {
            // A second row of the classic table (after a DC migration): kept as a further DC entry.
            Session extra = sessionFromRec(r);
            for (DcAuth &d : extra.dcs)
                out->dcs.push_back(std::move(d));
        }
    }
    if (!out)
        return out;
    Session &s = *out;
    if (has("peers")) {
        if (options.loadPeers) {
            auto peers = fetchPeers(name, PeerPageQuery{}, 0, -1);
            if (!peers)
                return peers.error();
            s.peers = std::move(*peers);
        } else {
            auto counts = peerCounts(name, options.estimatePeerCounts);
            if (!counts)
                return counts.error();
            s.peerCountsOnly = *counts;
        }
    }
    const QString sid = s.extra.value(QStringLiteral("mtgo_session_id")).toString();
    if (has("update_state")) {
        auto u = exec(QStringLiteral("SELECT pts, qts, date, seq FROM %1 WHERE session_id = ?").arg(t("update_state")), {sid});
        if (!u)
            return u.error();
        if (u->next()) {
            UpdateState us;
            us.pts = sqlInt(u->value(0));
            us.qts = sqlInt(u->value(1));
            us.date = sqlInt(u->value(2));
            us.seq = sqlInt(u->value(3));
            s.updateState = us;
        }
    }
    if (has("channel_update_state")) {
        auto c = exec(QStringLiteral("SELECT channel_id, pts FROM %1 WHERE session_id = ? ORDER BY channel_id").arg(t("channel_update_state")), {sid});
        if (!c)
            return c.error();
        while (c->next()) {
            if (!s.updateState)
                s.updateState = UpdateState{};
            s.updateState->channelPts.insert(sqlInt(c->value(0)).value_or(0), sqlInt(c->value(1)).value_or(0));
        }
    }
    if (has("conversations")) {
        QVariantList cb;
        const QString cond = sessionCond(cb, name);
        if (!options.loadConversations) {
            auto c = exec(QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(t("conversations"), cond), cb);
            if (!c)
                return c.error();
            s.conversationCountOnly = c->next() ? sqlInt(c->value(0)).value_or(0) : 0;
        } else {
            auto c = exec(QStringLiteral("SELECT chat_id, user_id, name, step, data, created_at, updated_at FROM %1 WHERE %2 "
                                         "ORDER BY chat_id, user_id").arg(t("conversations"), cond), cb);
            if (!c)
                return c.error();
            while (c->next()) {
                Conversation conv;
                conv.chatId = sqlInt(c->value(0)).value_or(0);
                conv.userId = sqlInt(c->value(1)).value_or(0);
                conv.name = sqlText(c->value(2)).value_or(QString());
                conv.step = QString::number(sqlInt(c->value(3)).value_or(0));
                conv.data = sqlBlob(c->value(4));
                if (c->value(4).isNull())
                    conv.extra.insert(QStringLiteral("data_null"), true);
                conv.created = sqlInt(c->value(5));
                conv.updated = sqlInt(c->value(6));
                s.conversations.push_back(std::move(conv));
            }
        }
    } else if (!options.loadConversations) {
        s.conversationCountOnly = 0;
    }
    return out;
}

Result<Store> SqlStore::read(const ReadOptions &options)
{
    Store store;
    QStringList names;
    if (!options.session.isEmpty()) {
        auto picked = pickSession(options.session);
        if (!picked)
            return picked.error();
        names << *picked;
    } else {
        auto all = sessionNames();
        if (!all)
            return all.error();
        names = *all;
    }
    if (names.isEmpty())
        store.warnings << QStringLiteral("the store holds no session (not logged in)");
    for (const QString &n : names) {
        auto s = readSession(n, options);
        if (!s)
            return s.error();
        if (*s)
            store.accounts.push_back(std::move(**s));
    }
    if (!keyed() && !store.accounts.empty() && store.accounts.front().dcs.size() > 1)
        store.warnings << QStringLiteral("%1 session rows: mtgo loads only one of them").arg(store.accounts.front().dcs.size());
    return store;
}

QString SqlStore::peerWhere(const QString &session, const PeerQuery &filter, QVariantList &binds) const
{
    QStringList conds;
    if (keyed())
        conds << sessionCond(binds, session);
    if (filter.kind) {
        switch (*filter.kind) {
        case PeerKind::User:
            conds << QStringLiteral("type NOT IN (1, 2)");
            break;
        case PeerKind::Chat:
            conds << QStringLiteral("type = 1");
            break;
        case PeerKind::Channel:
            conds << QStringLiteral("type = 2");
            break;
        }
    }
    const QString needle = filter.needle();
    if (!needle.isEmpty()) {
        const QString pattern = sd::likePattern(needle.toLower());
        const QString like = QStringLiteral(" LIKE ? ESCAPE '\\'");
        QStringList ors;
        for (const QString &e : {QStringLiteral("CAST(id AS TEXT)"), QStringLiteral("CAST(%1 AS TEXT)").arg(kMarked),
                                 QStringLiteral("lower(username)"), QStringLiteral("lower(usernames)"), QStringLiteral("phone_number"),
                                 QStringLiteral("lower(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')))")}) {
            ors << e + like;
            binds << pattern;
        }
        conds << QLatin1Char('(') + ors.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    }
    return conds.isEmpty() ? QStringLiteral("1 = 1") : conds.join(QStringLiteral(" AND "));
}

Result<std::vector<Peer>> SqlStore::fetchPeers(const QString &session, const PeerPageQuery &query, qint64 offset, qint64 limit)
{
    if (!has("peers"))
        return std::vector<Peer>{};
    QVariantList binds;
    const QString where = peerWhere(session, query.filter, binds);
    if (m_postgres && query.sort == PeerSortColumn::Id && limit >= 0) {
        // Marked-id order without sorting the whole table: channels and chats by stored id descending,
        // users ascending, each part walking the primary key with a LIMIT, merged in the outer ORDER BY.
        const QString dir = query.descending ? QStringLiteral("DESC") : QStringLiteral("ASC");
        const QString rev = query.descending ? QStringLiteral("ASC") : QStringLiteral("DESC");
        const qint64 need = offset + limit;
        const QStringList parts = {
            QStringLiteral("id >= 0 AND type = 2 ORDER BY id %1").arg(rev), QStringLiteral("id >= 0 AND type = 1 ORDER BY id %1").arg(rev),
            QStringLiteral("id < 0 ORDER BY id %1").arg(dir), QStringLiteral("id >= 0 AND type NOT IN (1, 2) ORDER BY id %1").arg(dir)};
        QStringList selects;
        QVariantList all;
        for (const QString &part : parts) {
            selects << QStringLiteral("(SELECT %1, %2 AS sd_marked FROM %3 WHERE %4 AND %5 LIMIT %6)")
                           .arg(QString::fromLatin1(kPeerColumns), kMarked, t("peers"), where, part)
                           .arg(need);
            all << binds;
        }
        const QString sql = QStringLiteral("SELECT %1 FROM (%2) sd_parts ORDER BY sd_marked %3 LIMIT %4 OFFSET %5")
                                .arg(QString::fromLatin1(kPeerColumns), selects.join(QStringLiteral(" UNION ALL ")), dir)
                                .arg(limit)
                                .arg(offset);
        auto q = exec(sql, all);
        if (!q)
            return q.error();
        std::vector<Peer> out;
        while (q->next())
            out.push_back(peerFromRec(peerRow(*q)));
        return out;
    }
    QString sql = QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY %4 %5")
                      .arg(QString::fromLatin1(kPeerColumns), t("peers"), where, sortExpr(query.sort),
                           query.descending ? QStringLiteral("DESC") : QStringLiteral("ASC"));
    if (query.sort != PeerSortColumn::Default && query.sort != PeerSortColumn::Id)
        sql += QStringLiteral(", id");
    if (limit >= 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    if (offset > 0)
        sql += (limit >= 0 ? QString() : (m_postgres ? QString() : QStringLiteral(" LIMIT -1"))) + QStringLiteral(" OFFSET %1").arg(offset);
    auto q = exec(sql, binds);
    if (!q)
        return q.error();
    std::vector<Peer> out;
    while (q->next())
        out.push_back(peerFromRec(peerRow(*q)));
    return out;
}

Result<qint64> SqlStore::countPeers(const QString &session, const PeerQuery &filter)
{
    if (!has("peers"))
        return qint64(0);
    QVariantList binds;
    auto q = exec(QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(t("peers"), peerWhere(session, filter, binds)), binds);
    if (!q)
        return q.error();
    return q->next() ? sqlInt(q->value(0)).value_or(0) : 0;
}

namespace {
// "{0,1,2}" / "{0.8,0.1,0.1}": PostgreSQL's text form of a one-dimensional array of numbers.
QList<double> pgNumberArray(const QString &text)
{
    QList<double> out;
    QString inner = text.trimmed();
    if (!inner.startsWith(QLatin1Char('{')) || !inner.endsWith(QLatin1Char('}')))
        return out;
    inner = inner.mid(1, inner.size() - 2);
    for (const QString &part : inner.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = part.trimmed().remove(QLatin1Char('"')).toDouble(&ok);
        if (!ok)
            return {};
        out << v;
    }
    return out;
}
} // namespace

Result<PeerCounts> SqlStore::peerCounts(const QString &session, bool allowEstimate)
{
    PeerCounts c;
    if (!has("peers"))
        return c;
    if (allowEstimate && m_postgres && !keyed()) {
        // The table's row estimate (reltuples, -1 before the first ANALYZE) and the share of each
        // `type` among its most common values: what the planner knows, in a millisecond. A table of
        // one session (the classic layout) only; a kind missing from the list counts as 0 until the
        // exact count comes.
        auto q = exec(QStringLiteral("SELECT c.reltuples, s.most_common_vals::text, s.most_common_freqs::text FROM pg_class c "
                                     "JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stats s ON s.schemaname = n.nspname "
                                     "AND s.tablename = c.relname AND s.attname = 'type' WHERE c.oid = to_regclass(?)"),
                      {t("peers")});
        if (q && q->next()) {
            const double rows = q->value(0).toDouble();
            const QList<double> vals = pgNumberArray(q->value(1).toString());
            const QList<double> freqs = pgNumberArray(q->value(2).toString());
            if (rows >= kEstimateFrom && !vals.isEmpty() && vals.size() == freqs.size()) {
                double chats = 0, channels = 0;
                for (int i = 0; i < vals.size(); ++i) {
                    if (vals[i] == 1)
                        chats += freqs[i];
                    else if (vals[i] == 2)
                        channels += freqs[i];
                }
                c.chats = qRound64(rows * chats);
                c.channels = qRound64(rows * channels);
                c.users = std::max<qint64>(0, qRound64(rows) - c.chats - c.channels);
                c.estimated = true;
                return c;
            }
        }
    }
    QVariantList binds;
    const QString cond = keyed() ? sessionCond(binds, session) : QStringLiteral("1 = 1");
    // count(*) FILTER (PostgreSQL 9.4, SQLite 3.30) rather than sum(CASE ...): the same one scan,
    // half the time on a million PostgreSQL rows (86 against 175 ms), which is most of what the
    // desktop app's Connect waits for before the first rows (bench/server_bench.py).
    auto q = exec(QStringLiteral("SELECT count(*) FILTER (WHERE type NOT IN (1, 2)), count(*) FILTER (WHERE type = 1), "
                                 "count(*) FILTER (WHERE type = 2) FROM %1 WHERE %2").arg(t("peers"), cond), binds);
    if (!q)
        return q.error();
    if (q->next()) {
        c.users = sqlInt(q->value(0)).value_or(0);
        c.chats = sqlInt(q->value(1)).value_or(0);
        c.channels = sqlInt(q->value(2)).value_or(0);
    }
    return c;
}

Result<std::unique_ptr<SqlStore>> openSqlStore(const Source &source, SqlLayout layout, const QString &formatId)
{
    if (source.isString())
        return Error::badInput(QStringLiteral("%1 needs a postgres:// URL%2, not a string").arg(formatId, layout == SqlLayout::Gorm ? QStringLiteral(" or a SQLite file") : QString()));
    if (server::looksLikeServerUrl(source.path)) {
        auto url = server::parseServerUrl(source.path);
        if (!url)
            return url.error();
        if (url->scheme != server::Scheme::Postgres)
            return Error::usage(QStringLiteral("%1 lives in PostgreSQL: give a postgres:// URL").arg(formatId));
        auto db = server::openPostgres(*url);
        if (!db)
            return db.error();
        auto schema = server::pgSchema(*db);
        if (!schema)
            return schema.error();
        return std::make_unique<SqlStore>(*db, true, layout, *schema, url->display());
    }
    if (layout != SqlLayout::Gorm)
        return Error::usage(QStringLiteral("%1 lives in PostgreSQL: give a postgres:// URL").arg(formatId));
    auto db = SqliteDb::openReadOnly(source.path);
    if (!db)
        return db.error();
    QMap<QString, QStringList> schema;
    auto tables = (*db)->tables();
    if (!tables)
        return tables.error();
    for (const QString &table : *tables) {
        auto cols = (*db)->columns(table);
        if (!cols)
            return cols.error();
        schema.insert(table, *cols);
    }
    auto store = std::make_unique<SqlStore>((*db)->db(), false, layout, schema, source.path);
    store->own(std::move(*db));
    return store;
}

Result<QString> writeSessionBackup(const Session &session, const QString &formatId, const QString &base)
{
    const Format *json = Registry::instance().find(QStringLiteral("sessiondesk-json"));
    if (!json)
        return Error::output(QStringLiteral("the sessiondesk-json writer is missing"));
    Store backup;
    backup.formatId = formatId;
    backup.accounts.push_back(session);
    const QString path = backupPathFor(base);
    WriteOptions wo;
    if (auto st = json->write(backup, path, wo); !st)
        return Error::output(QStringLiteral("backup %1: %2").arg(path, st.error().message));
    return path;
}

Result<PruneReport> SqlStore::prune(const QString &session, const PrunePolicy &policy, const PruneOptions &options, const QString &backupBase)
{
    const qint64 now = policy.now > 0 ? policy.now : QDateTime::currentSecsSinceEpoch();
    ReadOptions ro;
    ro.session = session;
    auto picked = readSession(session, ro);
    if (!picked)
        return picked.error();
    if (!*picked)
        return Error::badInput(QStringLiteral("%1 holds no session to prune").arg(m_label));
    Session &s = **picked;
    if (policy.olderThanDays) {
        const bool anyClock = std::any_of(s.peers.begin(), s.peers.end(), [](const Peer &p) { return p.updated.has_value(); });
        if (!anyClock && !s.peers.empty())
            return Error::usage(QStringLiteral("no peer in this store has a last_updated time (mtgo never sets it, docs/formats.md 7.1): "
                                               "--older-than would remove nothing; use --keep-newest N or --type"));
    }
    std::vector<Peer> work = s.peers;
    qint64 phones = 0;
    const auto gone = selectPeersToPrune(work, policy, now, true, &phones);
    PruneReport r;
    r.dryRun = options.dryRun;
    std::vector<qint64> removeIds, phoneIds;
    size_t g = 0;
    for (size_t i = 0; i < work.size(); ++i) {
        if (g < gone.size() && gone[g] == i) {
            r.removed.add(s.peers[i].kind());
            removeIds.push_back(recFromPeer(s.peers[i]).id);
            ++g;
        } else {
            ++r.kept;
            if (s.peers[i].phone && !work[i].phone)
                phoneIds.push_back(recFromPeer(s.peers[i]).id);
        }
    }
    r.phonesCleared = static_cast<qint64>(phoneIds.size());
    if (options.dryRun || (removeIds.empty() && phoneIds.empty()))
        return r;
    if (options.backup) {
        auto b = writeSessionBackup(s, keyed() ? QStringLiteral("mtgo-gorm") : QStringLiteral("mtgo-postgres"), backupBase);
        if (!b)
            return b.error();
        r.backup = *b;
    }
    if (!m_db.transaction())
        return Error::output(QStringLiteral("cannot start a transaction: %1").arg(m_db.lastError().text()));
    auto rollback = [&](const Error &e) -> Error {
        m_db.rollback();
        return Error::output(e.message);
    };
    for (size_t i = 0; i < removeIds.size(); i += kDeleteBatch) {
        QVariantList binds;
        const QString cond = keyed() ? sessionCond(binds, session) + QStringLiteral(" AND ") : QString();
        auto q = exec(QStringLiteral("DELETE FROM %1 WHERE %2id IN (%3)").arg(t("peers"), cond, idList(removeIds, i, std::min(removeIds.size(), i + kDeleteBatch))),
                      binds, true);
        if (!q)
            return rollback(q.error());
    }
    for (size_t i = 0; i < phoneIds.size(); i += kDeleteBatch) {
        QVariantList binds;
        const QString cond = keyed() ? sessionCond(binds, session) + QStringLiteral(" AND ") : QString();
        auto q = exec(QStringLiteral("UPDATE %1 SET phone_number = '' WHERE %2id IN (%3)").arg(t("peers"), cond, idList(phoneIds, i, std::min(phoneIds.size(), i + kDeleteBatch))),
                      binds, true);
        if (!q)
            return rollback(q.error());
    }
    if (!m_db.commit())
        return rollback(Error::output(QStringLiteral("commit failed: %1").arg(m_db.lastError().text())));
    return r;
}

Status SqlStore::ensureTables()
{
    const bool present = keyed() ? has("sessions") && has("peers") : has("sessions") && has("peers");
    if (present)
        return {};
    const QStringList ddl = keyed() ? gormDdl(m_postgres) : classicDdl(m_postgres);
    for (const QString &stmt : ddl) {
        // conversations: the classic adapter creates it on first use; so does this writer (below).
        if (!keyed() && stmt.contains(QLatin1String("TABLE IF NOT EXISTS conversations")))
            continue;
        if (auto q = exec(stmt, {}, true); !q)
            return q.error();
    }
    const QStringList tables = m_db.tables();
    m_schema.clear();
    for (const QString &table : tables) {
        QStringList names;
        const QSqlRecord rec = m_db.record(table);
        for (int i = 0; i < rec.count(); ++i)
            names << rec.fieldName(i);
        m_schema.insert(table, names);
    }
    return {};
}

Status SqlStore::deleteSession(const QString &name)
{
    if (keyed()) {
        for (const char *base : {"sessions", "peers", "conversations", "update_state", "channel_update_state"})
            if (has(base))
                if (auto q = exec(QStringLiteral("DELETE FROM %1 WHERE session_id = ?").arg(t(base)), {name}, true); !q)
                    return q.error();
        return {};
    }
    // One session per database: its rows are every row of these tables.
    for (const char *base : {"sessions", "peers", "conversations", "update_state", "channel_update_state"})
        if (has(base))
            if (auto q = exec(QStringLiteral("DELETE FROM %1").arg(t(base)), {}, true); !q)
                return q.error();
    return {};
}

Status SqlStore::write(const Store &store, const QString &nameIn, const WriteOptions &options)
{
    if (store.accounts.empty())
        return Error::badInput(QStringLiteral("nothing to write: no account"));
    const Session &s = store.accounts.front();
    QString name = nameIn;
    if (name.isEmpty() && keyed())
        name = s.extra.value(QStringLiteral("mtgo_session_id")).toString();
    if (name.isEmpty() && keyed())
        return Error::usage(QStringLiteral("a GORM store keys sessions by name: give --session NAME"));
    if (auto st = ensureTables(); !st)
        return st;
    if (!m_db.transaction())
        return Error::output(QStringLiteral("cannot start a transaction: %1").arg(m_db.lastError().text()));
    auto fail = [&](const Error &e) -> Status {
        m_db.rollback();
        return e.kind == ErrorKind::Output || e.kind == ErrorKind::Usage ? e : Error::output(e.message);
    };
    {
        QVariantList binds;
        // Classic: one session per database, so any session or peer row is that session.
        const QString sql = keyed() ? QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(t("sessions"), sessionCond(binds, name))
                                    : QStringLiteral("SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM peers)");
        auto q = exec(sql, binds, true);
        if (!q)
            return fail(q.error());
        const qint64 existing = q->next() ? sqlInt(q->value(0)).value_or(0) : 0;
        q->finish();
        if (existing > 0 && !options.force)
            return fail(Error::output(keyed() ? QStringLiteral("%1 holds session '%2' already: --force replaces it (other sessions stay untouched)").arg(m_label, name)
                                              : QStringLiteral("%1 holds a session already (one per database): --force replaces it").arg(m_label)));
        if (existing > 0 || !keyed())
            if (auto st = deleteSession(name); !st)
                return fail(st.error());
    }
    SessionRec rec = recFromSession(s, keyed() ? name : (nameIn.isEmpty() ? QString() : nameIn));
    if (rec.dc <= 0)
        return fail(Error::badInput(QStringLiteral("the session has no DC id")));
    QByteArray key = rec.authKey.exposeUnsafe();
    const QVariant keyValue = rec.authKey.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(key);
    const QVariant tm = keyed() && m_postgres ? QVariant(rec.testMode) : QVariant(rec.testMode ? 1 : 0);
    const QVariant bot = keyed() && m_postgres ? QVariant(rec.isBot) : QVariant(rec.isBot ? 1 : 0);
    Result<QSqlQuery> ins = Error::output(QString());
    if (keyed()) {
        ins = exec(QStringLiteral("INSERT INTO mtgo_sessions (session_id, dc, api_id, api_hash, test_mode, auth_key, state, user_id, is_bot, "
                                  "first_name, last_name, username, date, addr, port) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                   {name, rec.dc, rec.apiId, rec.apiHash, tm, keyValue, bytesValue(rec.state), rec.userId, bot, rec.firstName, rec.lastName,
                    rec.username, rec.date, rec.addr, rec.port}, true);
    } else {
        const bool sid = hasColumn("sessions", "session_id");
        QVariantList b;
        if (sid)
            b << rec.sessionId;
        b << rec.dc << rec.apiId << rec.apiHash << tm << keyValue << bytesValue(rec.state) << rec.userId << bot << rec.firstName
          << rec.lastName << rec.username << rec.date << rec.addr << rec.port;
        ins = exec(QStringLiteral("INSERT INTO sessions (%1dc_id, api_id, api_hash, test_mode, auth_key, state, user_id, is_bot, first_name, "
                                  "last_name, username, date, server_address, port) VALUES (%2?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                       .arg(sid ? QStringLiteral("session_id, ") : QString(), sid ? QStringLiteral("?, ") : QString()), b, true);
    }
    wipe(key);
    if (!ins)
        return fail(ins.error());
    if (options.carryPeers && !s.peers.empty()) {
        std::set<qint64> seen;
        std::vector<PeerRec> rows;
        for (const Peer &p : s.peers) {
            if (p.id <= 0)
                continue;
            PeerRec r = recFromPeer(p);
            if (seen.insert(r.id).second)
                rows.push_back(std::move(r));
        }
        for (size_t i = 0; i < rows.size(); i += kInsertBatch) {
            const size_t end = std::min(rows.size(), i + kInsertBatch);
            QStringList values;
            QVariantList b;
            for (size_t j = i; j < end; ++j) {
                const PeerRec &r = rows[j];
                values << (keyed() ? QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") : QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
                if (keyed())
                    b << name;
                b << r.id << r.type << r.accessHash << r.username << r.usernames << r.firstName << r.lastName << r.phone
                  << (keyed() && m_postgres ? QVariant(r.isBot) : QVariant(r.isBot ? 1 : 0)) << r.photoId << r.language << r.lastUpdated;
            }
            auto q = exec(QStringLiteral("INSERT INTO %1 (%2%3) VALUES %4")
                              .arg(t("peers"), keyed() ? QStringLiteral("session_id, ") : QString(), QString::fromLatin1(kPeerColumns),
                                   values.join(QStringLiteral(", "))), b, true);
            if (!q)
                return fail(q.error());
        }
    }
    const QString sid = keyed() ? name : rec.sessionId; // never null (recFromSession)
    if (s.updateState && has("update_state")) {
        const UpdateState &u = *s.updateState;
        if (u.pts || u.qts || u.date || u.seq) {
            auto q = exec(QStringLiteral("INSERT INTO %1 (session_id, pts, qts, date, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)").arg(t("update_state")),
                          {sid, u.pts.value_or(0), u.qts.value_or(0), u.date.value_or(0), u.seq.value_or(0), QDateTime::currentSecsSinceEpoch()}, true);
            if (!q)
                return fail(q.error());
        }
        if (has("channel_update_state"))
            for (auto it = u.channelPts.constBegin(); it != u.channelPts.constEnd(); ++it) {
                auto q = exec(QStringLiteral("INSERT INTO %1 (session_id, channel_id, pts, updated_at) VALUES (?, ?, ?, ?)").arg(t("channel_update_state")),
                              {sid, it.key(), it.value(), QDateTime::currentSecsSinceEpoch()}, true);
                if (!q)
                    return fail(q.error());
            }
    }
    if (!s.conversations.empty()) {
        if (!keyed() && !has("conversations")) {
            if (auto q = exec(classicDdl(m_postgres).last(), {}, true); !q)
                return fail(q.error());
        }
        for (const Conversation &c : s.conversations) {
            const QVariant data = c.extra.value(QStringLiteral("data_null")).toBool() && c.data.isEmpty()
                ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(c.data.isNull() ? QByteArray("") : c.data);
            QVariantList b;
            if (keyed())
                b << name;
            b << c.chatId << c.userId << (c.name.isNull() ? QString(QLatin1String("")) : c.name) << c.step.toLongLong() << data << c.created.value_or(0) << c.updated.value_or(0);
            auto q = exec(QStringLiteral("INSERT INTO %1 (%2chat_id, user_id, name, step, data, created_at, updated_at) VALUES (%3?, ?, ?, ?, ?, ?, ?)")
                              .arg(t("conversations"), keyed() ? QStringLiteral("session_id, ") : QString(), keyed() ? QStringLiteral("?, ") : QString()),
                          b, true);
            if (!q)
                return fail(q.error());
        }
    }
    if (!m_db.commit())
        return fail(Error::output(QStringLiteral("commit failed: %1").arg(m_db.lastError().text())));
    return {};
}

} // namespace sd::mtgo
