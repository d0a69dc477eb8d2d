// mtgo-sqlite: mtgo-labs/storage's SQLite adapter (docs/formats.md 7). One account: the sessions row that
// mtgo itself loads (SELECT ... LIMIT 1, i.e. the first row in rowid = dc_id order) is the primary;
// other rows are kept as further DC entries. Peers use bare ids plus an integer type (0 user,
// 1 chat, 2 channel). Conversations come from the lazily created conversations table.
#include "formats/families.h"
#include "formats/mtgo/mtgo-records.h"
#include "formats/mtgo/mtgo-sqlite.h"
#include "sqlite/sqlsessionformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace sd {

namespace mtgo {

namespace {
constexpr qint64 kMaxConversations = 1000000;
// peers.type: 0 user, 1 chat, 2 channel (docs/formats.md 7). Any other value is read as a user,
// here and everywhere else (the kind comes from this one expression).
const QString kKindExpr = QStringLiteral("(CASE type WHEN 1 THEN 1 WHEN 2 THEN 2 ELSE 0 END)");
// peers.id is bare, but a marked chat id can appear (7.1): its bare part.
const QString kBareExpr = QStringLiteral("(CASE WHEN id >= 0 THEN id WHEN id > -1000000000000 THEN -id ELSE -1000000000000 - id END)");

std::optional<QString> nonEmpty(const QVariant &v)
{
    auto t = sqlText(v);
    if (!t || t->isEmpty())
        return std::nullopt;
    return t;
}

Peer rowToPeer(const QSqlQuery &q)
{
    // id, type, access_hash, username, usernames, first_name, last_name, phone_number, is_bot,
    // photo_id, language, last_updated: mtgo's Peer struct (mtgo-records), read as the server
    // adapters read it.
    PeerRec r;
    r.id = sqlInt(q.value(0)).value_or(0);
    r.type = sqlInt(q.value(1)).value_or(0);
    r.accessHash = sqlInt(q.value(2)).value_or(0);
    r.username = sqlText(q.value(3)).value_or(QString());
    r.usernames = sqlText(q.value(4)).value_or(QString());
    r.firstName = sqlText(q.value(5)).value_or(QString());
    r.lastName = sqlText(q.value(6)).value_or(QString());
    r.phone = sqlText(q.value(7)).value_or(QString());
    r.isBot = sqlInt(q.value(8)).value_or(0) != 0; // an integer in SQLite, a boolean in PostgreSQL
    r.photoId = sqlInt(q.value(9)).value_or(0);
    r.language = sqlText(q.value(10)).value_or(QString());
    r.lastUpdated = sqlInt(q.value(11)).value_or(0);
    return peerFromRec(r);
}

Status checkLayout(SqliteDb &db)
{
    auto cols = db.columns(QStringLiteral("sessions"));
    if (!cols)
        return cols.error();
    for (const char *c : {"dc_id", "auth_key", "server_address", "port"})
        if (!cols->contains(QString::fromLatin1(c)))
            return Error::badInput(QStringLiteral("not an mtgo storage: sessions.%1 is missing").arg(QString::fromLatin1(c)));
    auto pcols = db.columns(QStringLiteral("peers"));
    if (!pcols)
        return pcols.error();
    for (const char *c : {"id", "type", "access_hash", "username", "usernames", "first_name", "last_name", "phone_number",
                          "is_bot", "photo_id", "language", "last_updated"})
        if (!pcols->isEmpty() && !pcols->contains(QString::fromLatin1(c)))
            return Error::badInput(QStringLiteral("unsupported mtgo peers table: column %1 is missing").arg(QString::fromLatin1(c)));
    return {};
}

QVariant blobBase64(const QVariant &v)
{
    if (v.isNull())
        return QVariant();
    return QString::fromLatin1(sqlBlob(v).toBase64());
}

Status readSessions(SqliteDb &db, Session &s, Store &store, bool hasSessionId)
{
    auto q = db.exec(QStringLiteral("SELECT %1, dc_id, api_id, api_hash, test_mode, auth_key, state, user_id, is_bot, "
                                    "first_name, last_name, username, date, server_address, port FROM sessions ORDER BY rowid LIMIT 1000")
                         .arg(hasSessionId ? QStringLiteral("session_id") : QStringLiteral("''")));
    if (!q)
        return q.error();
    bool first = true;
    while (q->next()) {
        const auto dc = sqlInt(q->value(1));
        if (!dc || *dc <= 0 || *dc > 10000)
            return Error::badInput(QStringLiteral("sessions holds an invalid dc_id"));
        DcAuth d;
        d.dcId = static_cast<int>(*dc);
        d.address = sqlText(q->value(13)).value_or(QString());
        d.ipv6 = d.address.contains(QLatin1Char(':'));
        d.port = static_cast<int>(sqlInt(q->value(14)).value_or(0));
        d.testMode = sqlInt(q->value(4)).value_or(0) != 0;
        QByteArray key = sqlBlob(q->value(5));
        d.authKey = SecretBytes::fromByteArray(key);
        wipe(key);
        d.extra.insert(QStringLiteral("mtgo_row"), true);
        QVariantMap row;
        row.insert(QStringLiteral("session_id"), sqlText(q->value(0)).value_or(QString()));
        row.insert(QStringLiteral("api_id"), sqlInt(q->value(2)).value_or(0));
        row.insert(QStringLiteral("api_hash"), sqlText(q->value(3)).value_or(QString()));
        row.insert(QStringLiteral("state"), blobBase64(q->value(6)));
        row.insert(QStringLiteral("user_id"), sqlInt(q->value(7)).value_or(0));
        row.insert(QStringLiteral("is_bot"), sqlInt(q->value(8)).value_or(0));
        row.insert(QStringLiteral("first_name"), sqlText(q->value(9)).value_or(QString()));
        row.insert(QStringLiteral("last_name"), sqlText(q->value(10)).value_or(QString()));
        row.insert(QStringLiteral("username"), sqlText(q->value(11)).value_or(QString()));
        row.insert(QStringLiteral("date"), sqlInt(q->value(12)).value_or(0));
        if (first) {
            first = false;
            s.dcId = d.dcId;
            s.testMode = d.testMode;
            if (const qint64 api = row.value(QStringLiteral("api_id")).toLongLong(); api != 0)
                s.apiId = static_cast<qint32>(api);
            s.apiHash = nonEmpty(q->value(3));
            if (const qint64 uid = row.value(QStringLiteral("user_id")).toLongLong(); uid != 0) {
                s.userId = uid;
                s.isBot = row.value(QStringLiteral("is_bot")).toLongLong() != 0;
            }
            s.firstName = nonEmpty(q->value(9));
            s.lastName = nonEmpty(q->value(10));
            s.username = nonEmpty(q->value(11));
            s.extra.insert(QStringLiteral("mtgo_session_id"), row.value(QStringLiteral("session_id")));
            if (const qint64 date = row.value(QStringLiteral("date")).toLongLong(); date != 0)
                s.extra.insert(QStringLiteral("mtgo_date"), date);
            if (!q->value(6).isNull())
                s.extra.insert(QStringLiteral("mtgo_state"), row.value(QStringLiteral("state")));
        } else {
            d.extra.insert(QStringLiteral("mtgo_session"), row);
        }
        s.dcs.push_back(std::move(d));
    }
    if (s.dcs.size() > 1)
        store.warnings << QStringLiteral("%1 session rows: mtgo loads only the first (DC %2)").arg(s.dcs.size()).arg(s.dcId);
    if (s.dcs.empty())
        store.warnings << QStringLiteral("the sessions table is empty (not logged in)");
    return {};
}

Status readUpdateState(SqliteDb &db, Session &s, const QStringList &tables)
{
    const QString sid = s.extra.value(QStringLiteral("mtgo_session_id")).toString();
    if (tables.contains(QStringLiteral("update_state"))) {
        auto q = db.exec(QStringLiteral("SELECT pts, qts, date, seq, updated_at FROM update_state WHERE session_id = ?"), {sid});
        if (!q)
            return q.error();
        if (q->next()) {
            UpdateState us;
            us.pts = sqlInt(q->value(0));
            us.qts = sqlInt(q->value(1));
            us.date = sqlInt(q->value(2));
            us.seq = sqlInt(q->value(3));
            if (const qint64 at = sqlInt(q->value(4)).value_or(0); at != 0)
                s.extra.insert(QStringLiteral("mtgo_update_state_updated_at"), at);
            s.updateState = us;
        }
    }
    if (tables.contains(QStringLiteral("channel_update_state"))) {
        auto q = db.exec(QStringLiteral("SELECT channel_id, pts, updated_at FROM channel_update_state WHERE session_id = ? LIMIT 1000000"), {sid});
        if (!q)
            return q.error();
        QVariantMap at;
        while (q->next()) {
            if (!s.updateState)
                s.updateState = UpdateState{};
            qint64 ch = sqlInt(q->value(0)).value_or(0);
            if (ch < 0)
                if (auto u = unmarkId(ch))
                    ch = u->first;
            s.updateState->channelPts.insert(ch, sqlInt(q->value(1)).value_or(0));
            if (const qint64 t = sqlInt(q->value(2)).value_or(0); t != 0)
                at.insert(QString::number(ch), t);
        }
        if (!at.isEmpty())
            s.extra.insert(QStringLiteral("mtgo_channel_updated_at"), at);
    }
    return {};
}

Status readConversations(SqliteDb &db, Session &s, bool load)
{
    if (!load) {
        auto q = db.exec(QStringLiteral("SELECT count(*) FROM conversations"));
        if (!q)
            return q.error();
        s.conversationCountOnly = q->next() ? sqlInt(q->value(0)).value_or(0) : 0;
        return {};
    }
    auto q = db.exec(QStringLiteral("SELECT chat_id, user_id, name, step, data, created_at, updated_at FROM conversations "
                                    "ORDER BY chat_id, user_id LIMIT %1").arg(kMaxConversations));
    if (!q)
        return q.error();
    while (q->next()) {
        Conversation c;
        c.chatId = sqlInt(q->value(0)).value_or(0);
        c.userId = sqlInt(q->value(1)).value_or(0);
        c.name = sqlText(q->value(2)).value_or(QString());
        c.step = sqlText(q->value(3)).value_or(QStringLiteral("0"));
        c.data = sqlBlob(q->value(4));
        if (q->value(4).isNull())
            c.extra.insert(QStringLiteral("data_null"), true);
        c.created = sqlInt(q->value(5));
        c.updated = sqlInt(q->value(6));
        s.conversations.push_back(std::move(c));
    }
    return {};
}

} // namespace

QStringList splitUsernames(const QString &text)
{
    QStringList out;
    const QString t = text.trimmed();
    if (t.startsWith(QLatin1Char('['))) {
        const QJsonDocument doc = QJsonDocument::fromJson(t.toUtf8());
        if (doc.isArray()) {
            for (const QJsonValue &v : doc.array())
                if (v.isString() && !v.toString().isEmpty())
                    out << v.toString();
            return out;
        }
    }
    static const QRegularExpression sep(QStringLiteral("[,;\\s]+"));
    for (const QString &part : t.split(sep, Qt::SkipEmptyParts)) {
        const QString u = part.startsWith(QLatin1Char('@')) ? part.mid(1) : part;
        if (!u.isEmpty() && !out.contains(u))
            out << u;
    }
    return out;
}

const FormatDescriptor &descriptor()
{
    static const FormatDescriptor d = [] {
        using C = Capability;
        FormatDescriptor f;
        f.id = QString::fromLatin1(kFormatId);
        f.displayName = QStringLiteral("mtgo-labs SQLite storage");
        f.capabilities = C::DcId | C::Address | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId | C::ApiHash | C::UpdateState
            | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones | C::Conversations;
        f.fileName = QStringLiteral("{base}.db");
        SqlPeerMapping m;
        m.table = QStringLiteral("peers");
        m.kindExpr = kKindExpr;
        m.markedIdExpr = markedFromBareExpr(kBareExpr, kKindExpr);
        // last_updated defaults to 0 (= unknown) and the mtgo client never fills it (7.1); its unit
        // is not documented, so millisecond values are recognised by size.
        m.timestampColumn = QStringLiteral("last_updated");
        m.timestampExpr = QStringLiteral("NULLIF(CASE WHEN last_updated > 100000000000 THEN last_updated / 1000 ELSE last_updated END, 0)");
        m.timestampsFilled = false;
        m.phoneColumn = QStringLiteral("phone_number");
        m.phoneEmpty = QStringLiteral("''");
        m.hashColumn = QStringLiteral("access_hash");
        m.hashMissing = QStringLiteral("(access_hash IS NULL OR access_hash = 0)");
        m.usernames = UsernameStore::Column;
        m.usernameColumn = QStringLiteral("username");
        f.sqlPeers = m;
        f.knownSchema = {{QStringLiteral("sessions"), QStringLiteral("session_id dc_id api_id api_hash test_mode auth_key state user_id is_bot "
                                                                      "first_name last_name username date server_address port")},
                         {QStringLiteral("peers"), QStringLiteral("id type access_hash username usernames first_name last_name phone_number "
                                                                   "is_bot photo_id language last_updated")},
                         {QStringLiteral("update_state"), QStringLiteral("session_id pts qts date seq updated_at")},
                         {QStringLiteral("channel_update_state"), QStringLiteral("session_id channel_id pts updated_at")},
                         {QStringLiteral("update_dedup"), QStringLiteral("session_id dedup_key created_at")},
                         {QStringLiteral("durable_updates"), QStringLiteral("session_id id payload attempts last_error created_at updated_at")},
                         {QStringLiteral("conversations"), QStringLiteral("chat_id user_id name step data created_at updated_at")}};
        return f;
    }();
    return d;
}

SqlPeerView peerView(const SqlDialect &dialect)
{
    SqlPeerView s = peerViewFor(*descriptor().sqlPeers);
    s.columns = QStringLiteral("id, type, access_hash, username, usernames, first_name, last_name, phone_number, is_bot, "
                               "photo_id, language, last_updated");
    const QString name = QStringLiteral("trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))");
    s.searchText = {QStringLiteral("username"), QStringLiteral("usernames"), QStringLiteral("phone_number"), name};
    s.sortExprs.insert(PeerSortColumn::Type, kKindExpr);
    // The username the reader shows first: the username column, else the first entry of the
    // usernames list (splitUsernames: a JSON array or a list separated by , ; or spaces).
    const QString list = QStringLiteral("ltrim(replace(replace(replace(replace(replace(replace(coalesce(usernames, ''), '[', ''), ']', ''), "
                                        "'\"', ''), ';', ','), ' ', ','), '@', ''), ',')");
    const QString comma = dialect.kind == SqlDialect::PostgreSql ? QStringLiteral("strpos(%1, ',')").arg(list)
                                                                 : QStringLiteral("instr(%1, ',')").arg(list);
    const QString firstListed = QStringLiteral("(CASE WHEN %1 > 0 THEN substr(%2, 1, %1 - 1) ELSE %2 END)").arg(comma, list);
    s.sortExprs.insert(PeerSortColumn::Username, QStringLiteral("lower(coalesce(NULLIF(username, ''), %1))").arg(firstListed));
    s.sortExprs.insert(PeerSortColumn::Phone, QStringLiteral("coalesce(phone_number, '')"));
    s.sortExprs.insert(PeerSortColumn::Name, QStringLiteral("lower(%1)").arg(name));
    s.sortExprs.insert(PeerSortColumn::Updated, QStringLiteral("(CASE WHEN last_updated > 100000000000 THEN last_updated / 1000 "
                                                               "WHEN last_updated > 0 THEN last_updated ELSE 0 END)"));
    s.sortExprs.insert(PeerSortColumn::AccessHash, QStringLiteral("coalesce(access_hash, 0)"));
    s.rowToPeer = rowToPeer;
    // Bare non-negative ids: channels and chats in descending id order are in ascending marked-id
    // order, users in ascending; a stored (already marked) negative id is rare and sorted as is.
    const QString kind = QStringLiteral("(%1) = %2");
    s.markedRuns = {{QStringLiteral("id >= 0 AND ") + kind.arg(kKindExpr).arg(2), QStringLiteral("id"), true},
                    {QStringLiteral("id >= 0 AND ") + kind.arg(kKindExpr).arg(1), QStringLiteral("id"), true},
                    {QStringLiteral("id >= 0 AND ") + kind.arg(kKindExpr).arg(0), QStringLiteral("id"), false},
                    {QStringLiteral("id < 0"), s.markedIdExpr, false}};
    return s;
}

Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options)
{
    if (auto st = checkLayout(db); !st)
        return st.error();
    auto tables = db.tables();
    if (!tables)
        return tables.error();
    auto cols = db.columns(QStringLiteral("sessions"));
    if (!cols)
        return cols.error();
    Store store;
    store.formatId = QString::fromLatin1(kFormatId);
    const bool hasSessionId = cols->contains(QStringLiteral("session_id"));
    if (!hasSessionId)
        store.variant = QStringLiteral("pre-session-id");
    Session s;
    if (auto st = readSessions(db, s, store, hasSessionId); !st)
        return st.error();
    if (auto st = readUpdateState(db, s, *tables); !st)
        return st.error();
    if (tables->contains(QStringLiteral("peers"))) {
        SqliteConnection conn(db);
        if (auto st = SqlSessionFormat::loadPeersInto(conn, peerView(), options, s); !st)
            return st.error();
    }
    if (tables->contains(QStringLiteral("conversations"))) {
        if (auto st = readConversations(db, s, options.loadConversations); !st)
            return st.error();
    } else if (!options.loadConversations) {
        s.conversationCountOnly = 0;
    }
    store.accounts.push_back(std::move(s));
    return store;
}

namespace {

class MtgoSqliteFormat : public SqliteSessionFormat {
public:
    const FormatDescriptor &descriptor() const override { return mtgo::descriptor(); }
    int detect(const Probe &p) const override
    {
        if (p.hasColumn(QStringLiteral("sessions"), QStringLiteral("session_id")) || p.hasTable(QStringLiteral("durable_updates")))
            return 90;
        // The older runtime schema (no session_id yet): sessions + peers with mtgo's columns.
        if (p.hasColumn(QStringLiteral("sessions"), QStringLiteral("dc_id")) && p.hasColumn(QStringLiteral("sessions"), QStringLiteral("server_address"))
            && p.hasColumn(QStringLiteral("peers"), QStringLiteral("phone_number")) && p.hasColumn(QStringLiteral("peers"), QStringLiteral("last_updated")))
            return 70;
        return 0;
    }

protected:
    Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options) const override { return mtgo::readSqlite(db, options); }
    Result<std::optional<SqlPeerView>> peerViewSqlite(SqliteDb &db, const ReadOptions &) const override
    {
        if (auto st = checkLayout(db); !st)
            return st.error();
        if (!db.hasTable(QStringLiteral("peers")))
            return std::optional<SqlPeerView>();
        return std::optional<SqlPeerView>(mtgo::peerView());
    }
    Status writeAccount(const Session &session, const QString &path, const WriteOptions &options) const override
    {
        return writeSqlite(session, path, options);
    }
};

} // namespace
} // namespace mtgo

std::unique_ptr<Format> make_mtgo_sqlite()
{
    return std::make_unique<mtgo::MtgoSqliteFormat>();
}

} // namespace sd
