// mtgo-labs/storage SQL stores on PostgreSQL (classic adapter and GORM) and in SQLite files (GORM),
// docs/formats.md 7.2: opening, sessions, reading, and the peer view the shared SQL peer engine
// pages on the server. Prune: mtgo-sqlstore-prune.cpp; writing: mtgo-sqlstore-write.cpp.
#include "formats/mtgo/mtgo-sqlstore.h"

#include "sqlite/sqlhelpers.h"
#include "formats/mtgo/mtgo-sqlite.h"
#include "sqlite/sqlpeerengine.h"
#include "server/pgconnection.h"
#include "sqlite/sqlitedb.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace sd::mtgo {

namespace {
// PostgreSQL booleans arrive as bool, SQLite's as integers, text dumps as "t"/"true".
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
} // namespace

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

Result<QSqlQuery> SqlStore::run(const QString &sql, const QVariantList &binds, bool output)
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

Status SqlStore::begin()
{
    if (!m_db.transaction())
        return Error::output(QStringLiteral("%1: cannot start a transaction: %2").arg(m_label, m_db.lastError().text()));
    return {};
}

Status SqlStore::commit()
{
    if (!m_db.commit())
        return Error::output(QStringLiteral("%1: commit failed: %2").arg(m_label, m_db.lastError().text()));
    return {};
}

void SqlStore::rollback() { m_db.rollback(); }

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
        auto q = run(QStringLiteral("SELECT session_id FROM %1 ORDER BY session_id").arg(t("sessions")));
        if (!q)
            return q.error();
        QStringList out;
        while (q->next())
            out << q->value(0).toString();
        return out;
    }
    const bool sid = hasColumn("sessions", "session_id");
    auto q = run(QStringLiteral("SELECT %1 FROM sessions LIMIT 1").arg(sid ? QStringLiteral("session_id") : QStringLiteral("''")));
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
    auto q = run(sql, binds);
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
            auto peers = sd::queryPeers(*this, peerView(name), PeerQuery{});
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
        auto u = run(QStringLiteral("SELECT pts, qts, date, seq FROM %1 WHERE session_id = ?").arg(t("update_state")), {sid});
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
        auto c = run(QStringLiteral("SELECT channel_id, pts FROM %1 WHERE session_id = ? ORDER BY channel_id").arg(t("channel_update_state")), {sid});
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
            auto c = run(QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(t("conversations"), cond), cb);
            if (!c)
                return c.error();
            s.conversationCountOnly = c->next() ? sqlInt(c->value(0)).value_or(0) : 0;
        } else {
            auto c = run(QStringLiteral("SELECT chat_id, user_id, name, step, data, created_at, updated_at FROM %1 WHERE %2 "
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
    auto read = readNamedSessions(*this, options, QStringLiteral("the store holds no session (not logged in)"));
    if (!read)
        return read.error();
    Store &store = *read;
    if (!keyed() && !store.accounts.empty() && store.accounts.front().dcs.size() > 1)
        store.warnings << QStringLiteral("%1 session rows: mtgo loads only one of them").arg(store.accounts.front().dcs.size());
    return store;
}

SqlPeerView SqlStore::peerView(const QString &session) const
{
    SqlPeerView v = mtgo::peerView(dialect());
    v.from = t("peers");
    if (keyed())
        v.baseWhere = QStringLiteral("(%1) AND %2").arg(v.baseWhere.isEmpty() ? QStringLiteral("1 = 1") : v.baseWhere,
                                                        sessionCond(v.baseBinds, session));
    return v;
}

std::unique_ptr<PeerTable> SqlStore::peerTable(std::unique_ptr<SqlStore> store, const QString &session)
{
    SqlPeerView view = store->peerView(session);
    return std::make_unique<SqlPeerTable>(std::move(store), std::move(view));
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
        auto q = run(QStringLiteral("SELECT c.reltuples, s.most_common_vals::text, s.most_common_freqs::text FROM pg_class c "
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
    return countPeersByKind(*this, peerView(session));
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

} // namespace sd::mtgo
