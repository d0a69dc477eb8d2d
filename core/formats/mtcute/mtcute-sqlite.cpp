// mtcute-sqlite: @mtcute/node SqliteStorage (docs/formats.md 4.1, 4.2). Reading opens the file read-only
// (WAL files through a private snapshot); writing builds a new database atomically.
#include "formats/families.h"
#include "formats/mtcute/mtcute-sqlite.h"
#include "formats/mtcute/mtcute-tl.h"
#include "sqlite/sqlsessionformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDriver>
#include <sqlite3.h>

namespace sd {

namespace mtcute {

namespace {
constexpr qint64 kMaxMessageRefs = 1000000;

QStringList parseUsernames(const QVariant &v)
{
    QStringList out;
    const QByteArray text = sqlBlob(v);
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    if (!doc.isArray())
        return out;
    for (const QJsonValue &u : doc.array())
        if (u.isString() && !u.toString().isEmpty())
            out << u.toString();
    return out;
}

// sd_mtcute_name(complete, id): the display name inside a peers.complete blob, so that name search
// and name sort run in SQL like every other column.
void nameFunction(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (argc != 2 || sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_null(ctx);
        return;
    }
    const int n = sqlite3_value_bytes(argv[0]);
    const auto *data = static_cast<const char *>(sqlite3_value_blob(argv[0]));
    const auto bare = unmarkId(sqlite3_value_int64(argv[1]));
    if (!data || n <= 0 || !bare) {
        sqlite3_result_null(ctx);
        return;
    }
    const CompleteInfo info = parseComplete(QByteArray::fromRawData(data, n), bare->first, bare->second);
    if (!info.name) {
        sqlite3_result_null(ctx);
        return;
    }
    const QByteArray utf8 = info.name->toUtf8();
    sqlite3_result_text(ctx, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT);
}

bool registerNameFunction(SqliteDb &db)
{
    const QVariant h = db.db().driver()->handle();
    if (!h.isValid() || qstrcmp(h.typeName(), "sqlite3*") != 0)
        return false;
    sqlite3 *handle = *static_cast<sqlite3 *const *>(h.constData());
    return handle && sqlite3_create_function(handle, "sd_mtcute_name", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                             nameFunction, nullptr, nullptr) == SQLITE_OK;
}

Peer rowToPeer(const QSqlQuery &q)
{
    Peer p;
    const qint64 marked = sqlInt(q.value(0)).value_or(0);
    const auto bare = unmarkId(marked);
    PeerKind kind = PeerKind::User;
    if (bare) {
        p.id = bare->first;
        kind = bare->second;
    }
    p.type = kind == PeerKind::Chat ? PeerType::Chat : kind == PeerKind::Channel ? PeerType::Channel : PeerType::User;
    const QString hash = sqlText(q.value(1)).value_or(QString());
    if (!hash.isEmpty())
        p.accessHash = parseFastHash(hash);
    p.usernames = parseUsernames(q.value(2));
    if (const auto ms = sqlInt(q.value(3)); ms && *ms > 0) {
        p.updated = *ms / 1000;
        p.extra.insert(QStringLiteral("updated_ms"), *ms);
    }
    if (const auto phone = sqlText(q.value(4)); phone && !phone->isEmpty())
        p.phone = phone;
    if (!q.value(5).isNull()) {
        p.raw = sqlBlob(q.value(5));
        p.rawFormat = QString::fromLatin1(kFormatId);
        const CompleteInfo info = parseComplete(p.raw, p.id, kind);
        p.name = info.name;
        if (info.type)
            p.type = *info.type;
        if (!info.channelKind.isEmpty())
            p.extra.insert(QStringLiteral("channel_kind"), info.channelKind);
    }
    p.isMin = sqlInt(q.value(6)).value_or(0) != 0;
    return p;
}
} // namespace

const FormatDescriptor &descriptor()
{
    static const FormatDescriptor d = [] {
        using C = Capability;
        FormatDescriptor f;
        f.id = QString::fromLatin1(kFormatId);
        f.displayName = QStringLiteral("mtcute SQLite storage");
        f.capabilities = C::DcId | C::Address | C::MediaDc | C::TestFlag | C::AuthKey | C::MultiDc | C::UserId | C::IsBot
            | C::UpdateState | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones;
        f.fileName = QStringLiteral("{base}.session"); // mtcute's documentation names it my-account.session
        // peers.id marked, updated in milliseconds (docs/formats.md 4.1). message_refs say where a
        // min peer was seen; mtcute only reads them for a peer it still has.
        SqlPeerMapping m = SqlPeerMapping::markedIdTable(QStringLiteral("peers"));
        m.timestampColumn = QStringLiteral("updated");
        m.timestampExpr = QStringLiteral("(updated / 1000)");
        m.phoneColumn = QStringLiteral("phone");
        m.hashColumn = QStringLiteral("hash");
        m.hashMissing = QStringLiteral("(hash IS NULL OR hash = '' OR hash = '0|0')");
        m.usernames = UsernameStore::JsonArray;
        m.usernameColumn = QStringLiteral("usernames");
        m.unjudgedRows = QStringLiteral("COALESCE(isMin, 0) <> 0");
        m.dependents = {{QStringLiteral("message_refs"), QStringLiteral("peer_id"),
                         QStringLiteral("DELETE FROM message_refs WHERE peer_id NOT IN (SELECT id FROM peers)")}};
        f.sqlPeers = m;
        f.knownSchema = {{QStringLiteral("mtcute_migrations"), QStringLiteral("repo version")},
                         {QStringLiteral("auth_keys"), QStringLiteral("dc key")},
                         {QStringLiteral("temp_auth_keys"), QStringLiteral("dc idx key expires")},
                         {QStringLiteral("key_value"), QStringLiteral("key value")},
                         {QStringLiteral("peers"), QStringLiteral("id hash usernames updated phone complete isMin")},
                         {QStringLiteral("message_refs"), QStringLiteral("peer_id chat_id msg_id")},
                         {QStringLiteral("fsm_state"), QStringLiteral("key value expires_at")},
                         {QStringLiteral("rl_state"), QStringLiteral("key reset remaining")},
                         // pre-0.9 layout (an unsupported version, not an unknown schema)
                         {QStringLiteral("kv"), QStringLiteral("*")},
                         {QStringLiteral("pts"), QStringLiteral("*")},
                         {QStringLiteral("entities"), QStringLiteral("*")},
                         {QStringLiteral("state"), QStringLiteral("*")}};
        return f;
    }();
    return d;
}

SqlPeerView peerView(bool hasIsMin, bool hasNameFunction)
{
    SqlPeerView s = peerViewFor(*descriptor().sqlPeers);
    s.columns = QStringLiteral("id, hash, usernames, updated, phone, complete, %1")
                    .arg(hasIsMin ? QStringLiteral("isMin") : QStringLiteral("0"));
    s.searchText = {QStringLiteral("usernames"), QStringLiteral("phone")};
    if (hasNameFunction) {
        s.searchText << QStringLiteral("sd_mtcute_name(complete, id)");
        s.sortExprs.insert(PeerSortColumn::Name, QStringLiteral("lower(coalesce(sd_mtcute_name(complete, id), ''))"));
    }
    s.sortExprs.insert(PeerSortColumn::Type, s.kindExpr);
    s.sortExprs.insert(PeerSortColumn::Username, QStringLiteral("lower(coalesce(json_extract(usernames, '$[0]'), ''))"));
    s.sortExprs.insert(PeerSortColumn::Phone, QStringLiteral("coalesce(phone, '')"));
    s.sortExprs.insert(PeerSortColumn::Updated, QStringLiteral("(CASE WHEN updated > 0 THEN updated / 1000 ELSE 0 END)"));
    s.sortExprs.insert(PeerSortColumn::AccessHash,
                       QStringLiteral("(CASE WHEN instr(hash, '|') > 0 THEN CAST(substr(hash, instr(hash, '|') + 1) AS INTEGER) * 4294967296 "
                                      "+ (CAST(substr(hash, 1, instr(hash, '|') - 1) AS INTEGER) & 4294967295) ELSE 0 END)"));
    s.rowToPeer = rowToPeer;
    return s;
}

namespace {

// Checks the layout; registers sd_mtcute_name() on the connection.
Status checkLayout(SqliteDb &db, bool *hasIsMin, bool *hasNameFunction = nullptr)
{
    const bool named = registerNameFunction(db);
    if (hasNameFunction)
        *hasNameFunction = named;
    auto tables = db.tables();
    if (!tables)
        return tables.error();
    if (tables->contains(QStringLiteral("mtgo_migrations")) || tables->contains(QStringLiteral("peer_usernames")))
        return Error::badInput(QStringLiteral("this is an mtgo-labs/contrib SQLite store (tables mtgo_migrations, peer_usernames), not mtcute's; "
                                              "SessionDesk does not read it"));
    if (tables->contains(QStringLiteral("kv")) && !tables->contains(QStringLiteral("key_value")))
        return Error::badInput(QStringLiteral("this is a pre-0.9 mtcute storage (table kv); current mtcute no longer reads it"));
    for (const char *t : {"auth_keys", "key_value"})
        if (!tables->contains(QString::fromLatin1(t)))
            return Error::badInput(QStringLiteral("not an mtcute storage: table %1 is missing").arg(QString::fromLatin1(t)));
    if (hasIsMin) {
        *hasIsMin = false;
        if (tables->contains(QStringLiteral("peers"))) {
            auto cols = db.columns(QStringLiteral("peers"));
            if (!cols)
                return cols.error();
            for (const char *c : {"id", "hash", "usernames", "updated", "phone", "complete"})
                if (!cols->contains(QString::fromLatin1(c)))
                    return Error::badInput(QStringLiteral("unsupported mtcute peers table: column %1 is missing").arg(QString::fromLatin1(c)));
            *hasIsMin = cols->contains(QStringLiteral("isMin"));
        }
    }
    return {};
}

Status readKeyValue(SqliteDb &db, Session &s, Store &store)
{
    auto q = db.exec(QStringLiteral("SELECT key, value FROM key_value"));
    if (!q)
        return q.error();
    std::optional<DcOption> main, media;
    UpdateState us;
    bool haveState = false;
    QVariantMap other;
    qint64 rows = 0;
    while (q->next()) {
        if (++rows > 100000)
            return Error::badInput(QStringLiteral("key_value has too many rows"));
        const QString key = sqlText(q->value(0)).value_or(QString());
        const QByteArray value = sqlBlob(q->value(1));
        if (key == QLatin1String("dc_main") || key == QLatin1String("dc_media")) {
            auto o = parseDcOption(value);
            if (!o)
                return Error::badInput(QStringLiteral("key_value %1 is not a valid BasicDcOption").arg(key));
            (key == QLatin1String("dc_main") ? main : media) = o;
        } else if (key == QLatin1String("current_user")) {
            bool corrupt = false;
            const auto u = parseCurrentUser(value, &corrupt);
            if (corrupt)
                return Error::badInput(QStringLiteral("key_value current_user is corrupt"));
            if (u) {
                s.userId = u->userId;
                s.isBot = u->isBot;
                if (!u->usernames.isEmpty())
                    s.username = u->usernames.first();
                if (u->isPremium)
                    s.extra.insert(QString::fromLatin1(kExtraPremium), true);
                if (u->usernames.size() > 1)
                    s.extra.insert(QString::fromLatin1(kExtraUsernames), u->usernames);
            }
        } else if (key.startsWith(QLatin1String("updates_channel:"))) {
            bool ok = false;
            const qint64 ch = key.mid(16).toLongLong(&ok);
            const auto pts = parseInt32Le(value, true);
            if (!ok || !pts)
                return Error::badInput(QStringLiteral("key_value %1 is corrupt").arg(key));
            us.channelPts.insert(ch, *pts);
            haveState = true;
        } else if (key == QLatin1String("updates_pts") || key == QLatin1String("updates_qts")
                   || key == QLatin1String("updates_date") || key == QLatin1String("updates_seq")) {
            const auto v = parseInt32Le(value, false);
            if (!v)
                return Error::badInput(QStringLiteral("key_value %1 is not a 4-byte integer").arg(key));
            (key.endsWith(QLatin1String("pts")) ? us.pts : key.endsWith(QLatin1String("qts")) ? us.qts
                 : key.endsWith(QLatin1String("date")) ? us.date : us.seq) = *v;
            haveState = true;
        } else {
            other.insert(key, QString::fromLatin1(value.toBase64()));
        }
    }
    if (haveState)
        s.updateState = us;
    if (!other.isEmpty())
        s.extra.insert(QString::fromLatin1(kExtraKv), other);
    if (main) {
        s.dcId = main->id;
        s.testMode = main->testMode();
        applyDcOption(s.upsertDc(main->id), *main);
    }
    if (media) {
        s.mediaDcId = media->id;
        DcAuth &m = s.upsertDc(media->id, true);
        applyDcOption(m, *media);
    }
    if (!main)
        store.warnings << QStringLiteral("no dc_main row: mtcute would fall back to its default DC");
    return {};
}

Status readKeys(SqliteDb &db, Session &s, bool hasTemp)
{
    auto q = db.exec(QStringLiteral("SELECT dc, key FROM auth_keys ORDER BY dc"));
    if (!q)
        return q.error();
    while (q->next()) {
        const auto dc = sqlInt(q->value(0));
        if (!dc || *dc <= 0 || *dc > 10000)
            return Error::badInput(QStringLiteral("auth_keys holds an invalid dc id"));
        QByteArray key = sqlBlob(q->value(1));
        DcAuth &d = s.upsertDc(static_cast<int>(*dc));
        d.authKey = SecretBytes::fromByteArray(key);
        wipe(key);
    }
    if (!hasTemp)
        return {};
    auto t = db.exec(QStringLiteral("SELECT dc, idx, key, expires FROM temp_auth_keys ORDER BY dc, idx"));
    if (!t)
        return t.error();
    while (t->next()) {
        const auto dc = sqlInt(t->value(0));
        if (!dc || *dc <= 0 || *dc > 10000)
            return Error::badInput(QStringLiteral("temp_auth_keys holds an invalid dc id"));
        DcAuth d;
        d.dcId = static_cast<int>(*dc);
        d.isTemp = true;
        QByteArray key = sqlBlob(t->value(2));
        d.authKey = SecretBytes::fromByteArray(key);
        wipe(key);
        const qint64 idx = sqlInt(t->value(1)).value_or(0);
        const qint64 expires = sqlInt(t->value(3)).value_or(0);
        d.extra.insert(QStringLiteral("mtcute_idx"), idx);
        d.extra.insert(QStringLiteral("expires_ms"), expires);
        if (expires > 0)
            d.expiresAt = expires / 1000;
        s.dcs.push_back(std::move(d));
    }
    return {};
}

} // namespace

Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options)
{
    bool hasIsMin = false, named = false;
    if (auto st = checkLayout(db, &hasIsMin, &named); !st)
        return st.error();
    auto tables = db.tables();
    if (!tables)
        return tables.error();
    Store store;
    store.formatId = QString::fromLatin1(kFormatId);
    Session s;
    if (tables->contains(QStringLiteral("mtcute_migrations"))) {
        auto q = db.exec(QStringLiteral("SELECT version FROM mtcute_migrations WHERE repo = 'peers'"));
        if (q && q->next())
            store.formatVersion = static_cast<int>(sqlInt(q->value(0)).value_or(0));
    }
    if (auto st = readKeyValue(db, s, store); !st)
        return st.error();
    if (auto st = readKeys(db, s, tables->contains(QStringLiteral("temp_auth_keys"))); !st)
        return st.error();
    if (s.dcId == 0) {
        for (const DcAuth &d : s.dcs)
            if (!d.isTemp && !d.authKey.isEmpty()) {
                s.dcId = d.dcId;
                break;
            }
    }
    if (tables->contains(QStringLiteral("peers"))) {
        SqliteConnection conn(db);
        if (auto st = SqlSessionFormat::loadPeersInto(conn, peerView(hasIsMin, named), options, s); !st)
            return st.error();
    } else if (!options.loadPeers) {
        s.peerCountsOnly = PeerCounts{};
    }
    if (tables->contains(QStringLiteral("message_refs"))) {
        auto q = db.exec(QStringLiteral("SELECT peer_id, chat_id, msg_id FROM message_refs LIMIT %1").arg(kMaxMessageRefs));
        if (!q)
            return q.error();
        QVariantList refs;
        while (q->next())
            refs << QVariant(QVariantList{sqlInt(q->value(0)).value_or(0), sqlInt(q->value(1)).value_or(0),
                                          sqlInt(q->value(2)).value_or(0)});
        if (!refs.isEmpty())
            s.extra.insert(QString::fromLatin1(kExtraMessageRefs), refs);
    }
    store.accounts.push_back(std::move(s));
    return store;
}

namespace {

class MtcuteSqliteFormat : public SqliteSessionFormat {
public:
    const FormatDescriptor &descriptor() const override { return mtcute::descriptor(); }
    int detect(const Probe &p) const override
    {
        // mtgo-labs/contrib's store resembles this one but is not mtcute's (docs/formats.md 7.1).
        if (p.hasTable(QStringLiteral("mtgo_migrations")) || p.hasTable(QStringLiteral("peer_usernames")))
            return 0;
        if (p.hasTable(QStringLiteral("mtcute_migrations")))
            return 95;
        if (p.hasTable(QStringLiteral("key_value")) && p.hasTable(QStringLiteral("auth_keys")))
            return 90;
        return 0;
    }

protected:
    Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options) const override { return mtcute::readSqlite(db, options); }
    Result<std::optional<SqlPeerView>> peerViewSqlite(SqliteDb &db, const ReadOptions &) const override
    {
        bool hasIsMin = false, named = false;
        if (auto st = checkLayout(db, &hasIsMin, &named); !st)
            return st.error();
        if (!db.hasTable(QStringLiteral("peers")))
            return std::optional<SqlPeerView>();
        return std::optional<SqlPeerView>(mtcute::peerView(hasIsMin, named));
    }
    Status writeAccount(const Session &session, const QString &path, const WriteOptions &options) const override
    {
        return writeSqlite(session, path, options);
    }
};

} // namespace
} // namespace mtcute

std::unique_ptr<Format> make_mtcute_sqlite()
{
    return std::make_unique<mtcute::MtcuteSqliteFormat>();
}

} // namespace sd
