// Writing one session into an mtgo SQL store (docs/formats.md 7.2): the adapters' own tables
// (created as the adapter would), replacing exactly that session and nothing else.
#include "formats/mtgo/mtgo-sqlstore.h"

#include "sqlite/sqlhelpers.h"

#include <QSqlError>
#include <QSqlRecord>
#include <set>

namespace sd::mtgo {

namespace {
constexpr int kInsertBatch = 200;
const char *const kPeerColumns = "id, type, access_hash, username, usernames, first_name, last_name, phone_number, is_bot, photo_id, "
                                 "language, last_updated";

QVariant bytesValue(const std::optional<QByteArray> &b)
{
    return b ? QVariant(*b) : QVariant(QMetaType(QMetaType::QByteArray));
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
        if (auto q = run(stmt, {}, true); !q)
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
                if (auto q = run(QStringLiteral("DELETE FROM %1 WHERE session_id = ?").arg(t(base)), {name}, true); !q)
                    return q.error();
        return {};
    }
    // One session per database: its rows are every row of these tables.
    for (const char *base : {"sessions", "peers", "conversations", "update_state", "channel_update_state"})
        if (has(base))
            if (auto q = run(QStringLiteral("DELETE FROM %1").arg(t(base)), {}, true); !q)
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
    if (auto st = begin(); !st)
        return st;
    auto fail = [&](const Error &e) -> Status {
        rollback();
        return e.kind == ErrorKind::Output || e.kind == ErrorKind::Usage ? e : Error::output(e.message);
    };
    {
        QVariantList binds;
        // Classic: one session per database, so any session or peer row is that session.
        const QString sql = keyed() ? QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(t("sessions"), sessionCond(binds, name))
                                    : QStringLiteral("SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM peers)");
        auto q = run(sql, binds, true);
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
        ins = run(QStringLiteral("INSERT INTO mtgo_sessions (session_id, dc, api_id, api_hash, test_mode, auth_key, state, user_id, is_bot, "
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
        ins = run(QStringLiteral("INSERT INTO sessions (%1dc_id, api_id, api_hash, test_mode, auth_key, state, user_id, is_bot, first_name, "
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
            auto q = run(QStringLiteral("INSERT INTO %1 (%2%3) VALUES %4")
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
            auto q = run(QStringLiteral("INSERT INTO %1 (session_id, pts, qts, date, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)").arg(t("update_state")),
                          {sid, u.pts.value_or(0), u.qts.value_or(0), u.date.value_or(0), u.seq.value_or(0), QDateTime::currentSecsSinceEpoch()}, true);
            if (!q)
                return fail(q.error());
        }
        if (has("channel_update_state"))
            for (auto it = u.channelPts.constBegin(); it != u.channelPts.constEnd(); ++it) {
                auto q = run(QStringLiteral("INSERT INTO %1 (session_id, channel_id, pts, updated_at) VALUES (?, ?, ?, ?)").arg(t("channel_update_state")),
                              {sid, it.key(), it.value(), QDateTime::currentSecsSinceEpoch()}, true);
                if (!q)
                    return fail(q.error());
            }
    }
    if (!s.conversations.empty()) {
        if (!keyed() && !has("conversations")) {
            if (auto q = run(classicDdl(m_postgres).last(), {}, true); !q)
                return fail(q.error());
        }
        for (const Conversation &c : s.conversations) {
            const QVariant data = c.extra.value(QStringLiteral("data_null")).toBool() && c.data.isEmpty()
                ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(c.data.isNull() ? QByteArray("") : c.data);
            QVariantList b;
            if (keyed())
                b << name;
            b << c.chatId << c.userId << (c.name.isNull() ? QString(QLatin1String("")) : c.name) << c.step.toLongLong() << data << c.created.value_or(0) << c.updated.value_or(0);
            auto q = run(QStringLiteral("INSERT INTO %1 (%2chat_id, user_id, name, step, data, created_at, updated_at) VALUES (%3?, ?, ?, ?, ?, ?, ?)")
                              .arg(t("conversations"), keyed() ? QStringLiteral("session_id, ") : QString(), keyed() ? QStringLiteral("?, ") : QString()),
                          b, true);
            if (!q)
                return fail(q.error());
        }
    }
    if (auto st = commit(); !st)
        return fail(st.error());
    return {};
}


} // namespace sd::mtgo
