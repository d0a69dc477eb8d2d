// telethon-sqlite: Telethon v1 `.session` SQLite file (docs/formats.md 1.1-1.4). Reads database versions
// 1..7 (columns are picked by name, so the older layouts from the migration table work as they are),
// writes version 7 with Telethon's exact column order.
#include "formats/families.h"
#include "sqlite/sqlhelpers.h"
#include "sqlite/sqlsessionformat.h"
#include "formats/telethon/telethonsqlite.h"

#include "domain/dcaddress.h"

#include <QDateTime>
#include <cmath>
#include <sqlite3.h>

namespace sd {

namespace {

// One `sessions` row into the session (both readers: Qt SQL and the audit's C API path). Telethon
// uses the first row only (docs/formats.md); later rows are kept as DC entries with a warning.
void addSessionsRow(DcAuth d, std::optional<qint64> takeout, bool &first, Session &s, Store &store)
{
    if (!d.authKey.isEmpty() && d.authKey.size() != 256)
        store.warnings << QStringLiteral("the auth key is %1 bytes (256 expected)").arg(d.authKey.size());
    if (first) {
        s.dcId = d.dcId;
        s.takeoutId = takeout;
        if (auto known = lookupDcAddress(d.address))
            s.testMode = known->test;
        first = false;
    } else {
        store.warnings << QStringLiteral("more than one sessions row; Telethon uses only the first");
    }
    s.dcs.push_back(std::move(d));
}

constexpr int kTelethonVersion = 7;
constexpr qint64 kMaxKeyBytes = 4096;

Peer telethonRowToPeer(const QSqlQuery &q)
{
    // id, hash, username, phone, name, date
    Peer p;
    const qint64 marked = q.value(0).toLongLong();
    if (auto u = unmarkId(marked)) {
        p.id = u->first;
        p.type = u->second == PeerKind::User ? PeerType::User
            : u->second == PeerKind::Chat    ? PeerType::Chat
                                             : PeerType::Channel;
    }
    p.accessHash = sqlc::intAt(q, 1);
    if (auto u = sqlc::textAt(q, 2); u && !u->isEmpty())
        p.usernames << *u;
    p.phone = sqlc::phoneAt(q, 3);
    p.name = sqlc::textAt(q, 4);
    p.updated = sqlc::intAt(q, 5);
    return p;
}

} // namespace

const FormatDescriptor &telethonDescriptor()
{
    static const FormatDescriptor d = [] {
        using C = Capability;
        FormatDescriptor f;
        f.id = QStringLiteral("telethon-sqlite");
        f.displayName = QStringLiteral("Telethon v1 SQLite session");
        f.capabilities = C::DcId | C::Address | C::AuthKey | C::UserId | C::UpdateState | C::ChannelPts | C::Peers
            | C::PeerTimestamps | C::Phones;
        f.fileName = QStringLiteral("{base}.session");
        // entities.id is marked, date unix seconds (v7+), phone integer-or-text, and id = 0 is the
        // "self" row whose hash is the own user id (docs/formats.md 1.1, 1.2).
        SqlPeerMapping m = SqlPeerMapping::markedIdTable(QStringLiteral("entities"));
        m.timestampColumn = QStringLiteral("date");
        m.timestampExpr = QStringLiteral("date");
        m.phoneColumn = QStringLiteral("phone");
        m.hashColumn = QStringLiteral("hash");
        m.hashMissing = QStringLiteral("(hash IS NULL OR hash = 0)");
        m.usernames = UsernameStore::Column;
        m.usernameColumn = QStringLiteral("username");
        m.selfRow = QStringLiteral("id = 0");
        f.sqlPeers = m;
        f.knownSchema = {{QStringLiteral("version"), QStringLiteral("version")},
                         {QStringLiteral("sessions"), QStringLiteral("dc_id server_address port auth_key takeout_id")},
                         {QStringLiteral("entities"), QStringLiteral("id hash username phone name date")},
                         {QStringLiteral("sent_files"), QStringLiteral("md5_digest file_size type id hash")},
                         {QStringLiteral("update_state"), QStringLiteral("id pts qts date seq")}};
        return f;
    }();
    return d;
}

namespace {

class TelethonSqliteFormat : public SqliteSessionFormat {
public:
    const FormatDescriptor &descriptor() const override { return telethonDescriptor(); }

    int detect(const Probe &p) const override
    {
        if (!p.isSqlite || !p.hasTable(QStringLiteral("sessions")))
            return 0;
        const bool entities = p.hasTable(QStringLiteral("entities"));
        const bool sentFiles = p.hasTable(QStringLiteral("sent_files"));
        if (!entities && !sentFiles)
            return 0;
        if (p.hasColumn(QStringLiteral("version"), QStringLiteral("version")) && entities)
            return 95;
        return 80;
    }

protected:
    Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options) const override { return readTelethonV1(db, options); }
    Result<std::optional<SqlPeerView>> peerViewSqlite(SqliteDb &db, const ReadOptions &) const override
    {
        return telethonPeerViewFor(db);
    }
    Status writeAccount(const Session &session, const QString &path, const WriteOptions &options) const override
    {
        return writeTelethonV1(session, path, options);
    }
};

} // namespace

SqlPeerView telethonPeerView(bool hasDate)
{
    SqlPeerView s = peerViewFor(*telethonDescriptor().sqlPeers);
    s.columns = hasDate ? QStringLiteral("id, hash, username, phone, name, date")
                        : QStringLiteral("id, hash, username, phone, name, NULL");
    s.searchText = {QStringLiteral("username"), QStringLiteral("phone"), QStringLiteral("name")};
    s.sortExprs = {
        {PeerSortColumn::Type, s.kindExpr},
        {PeerSortColumn::Username, QStringLiteral("lower(coalesce(username, ''))")},
        {PeerSortColumn::Phone, QStringLiteral("coalesce(CAST(phone AS TEXT), '')")},
        {PeerSortColumn::Name, QStringLiteral("lower(coalesce(name, ''))")},
        {PeerSortColumn::AccessHash, QStringLiteral("coalesce(hash, 0)")},
    };
    if (hasDate)
        s.sortExprs.insert(PeerSortColumn::Updated, QStringLiteral("coalesce(date, 0)"));
    s.rowToPeer = telethonRowToPeer;
    return s;
}

Result<std::optional<SqlPeerView>> telethonPeerViewFor(SqliteDb &db)
{
    auto cols = db.columns(QStringLiteral("entities"));
    if (!cols)
        return cols.error();
    if (cols->isEmpty())
        return std::optional<SqlPeerView>();
    for (const char *c : {"id", "hash", "username", "phone", "name"})
        if (!cols->contains(QLatin1String(c)))
            return Error::badInput(QStringLiteral("the entities table lacks the column %1").arg(QLatin1String(c)));
    return std::optional<SqlPeerView>(telethonPeerView(cols->contains(QStringLiteral("date"))));
}

Result<Store> readTelethonV1(SqliteDb &db, const ReadOptions &options)
{
    auto schema = sqlc::readSchema(db);
    if (!schema)
        return schema.error();
    const sqlc::Schema &sc = *schema;
    Store store;
    store.formatId = QStringLiteral("telethon-sqlite");

    if (!sc.value(QStringLiteral("version")).contains(QStringLiteral("version")))
        return Error::badInput(QStringLiteral("not a Telethon v1 session: the version table (column \"version\") is missing"));
    auto version = sqlc::readVersion(db, QStringLiteral("version"));
    if (!version)
        return version.error();
    if (!*version)
        return Error::badInput(QStringLiteral("the Telethon version table is empty (a broken converter output?)"));
    const qint64 v = **version;
    if ((v < 1 || v > kTelethonVersion) && !options.ignoreVersion) {
        if (v == 10)
            return Error::badInput(QStringLiteral("database version 10 is Telethon v2; use --format telethon2-sqlite"));
        return Error::badInput(QStringLiteral("unsupported Telethon session version %1 (known: 1 to %2)").arg(v).arg(kTelethonVersion));
    }
    store.formatVersion = static_cast<int>(v);

    const QStringList sessCols = sc.value(QStringLiteral("sessions"));
    for (const char *c : {"dc_id", "server_address", "port", "auth_key"})
        if (!sessCols.contains(QLatin1String(c)))
            return Error::badInput(QStringLiteral("the sessions table lacks the column %1").arg(QLatin1String(c)));
    const bool hasTakeout = sessCols.contains(QStringLiteral("takeout_id"));

    Session s;
    {
        auto q = db.exec(QStringLiteral("SELECT dc_id, server_address, port, auth_key, %1 FROM sessions LIMIT 16")
                             .arg(hasTakeout ? QStringLiteral("takeout_id") : QStringLiteral("NULL")));
        if (!q)
            return q.error();
        bool first = true;
        while (q->next()) {
            QByteArray key = sqlBlob(q->value(3));
            if (key.size() > kMaxKeyBytes)
                return Error::badInput(QStringLiteral("the auth key is %1 bytes, far beyond the 256 of MTProto").arg(key.size()));
            DcAuth d;
            d.dcId = static_cast<int>(sqlc::intAt(*q, 0).value_or(0));
            d.address = sqlc::textAt(*q, 1).value_or(QString());
            d.port = static_cast<int>(sqlc::intAt(*q, 2).value_or(0));
            d.ipv6 = d.address.contains(QLatin1Char(':'));
            d.authKey = SecretBytes::fromByteArray(key);
            wipe(key);
            addSessionsRow(std::move(d), sqlc::intAt(*q, 4), first, s, store);
        }
        if (first)
            store.warnings << QStringLiteral("the sessions table is empty (no DC, no auth key)");
    }

    // entities: self row (id 0) and the peer cache.
    const QStringList entCols = sc.value(QStringLiteral("entities"));
    if (!entCols.isEmpty()) {
        auto self = db.exec(QStringLiteral("SELECT hash FROM entities WHERE id = 0"));
        if (!self)
            return self.error();
        if (self->next())
            s.userId = sqlc::intAt(*self, 0);
        auto view = telethonPeerViewFor(db);
        if (!view)
            return view.error();
        SqliteConnection conn(db);
        if (auto st = SqlSessionFormat::loadPeersInto(conn, **view, options, s); !st)
            return st.error();
    } else if (!options.loadPeers) {
        s.peerCountsOnly = PeerCounts{};
    }

    // update_state (version >= 4): id 0 = account, other ids = bare channel ids.
    if (sc.contains(QStringLiteral("update_state"))) {
        auto q = db.exec(QStringLiteral("SELECT id, pts, qts, date, seq FROM update_state"));
        if (!q)
            return q.error();
        UpdateState st;
        bool any = false;
        while (q->next()) {
            any = true;
            const qint64 rowId = sqlc::intAt(*q, 0).value_or(0);
            if (rowId == 0) {
                st.pts = sqlc::intAt(*q, 1);
                st.qts = sqlc::intAt(*q, 2);
                st.date = sqlc::intAt(*q, 3); // REAL dates are truncated (pitfall 9)
                st.seq = sqlc::intAt(*q, 4);
            } else if (auto pts = sqlc::intAt(*q, 1)) {
                st.channelPts.insert(rowId, *pts);
            }
        }
        if (any)
            s.updateState = st;
    }

    // sent_files (current 5-column layout only): the upload cache, kept for Telethon -> Telethon.
    const QStringList sfCols = sc.value(QStringLiteral("sent_files"));
    if (sfCols.contains(QStringLiteral("type")) && sfCols.contains(QStringLiteral("hash"))) {
        auto q = db.exec(QStringLiteral("SELECT md5_digest, file_size, type, id, hash FROM sent_files LIMIT 100000"));
        if (!q)
            return q.error();
        QVariantList files;
        while (q->next()) {
            QVariantMap f;
            f[QStringLiteral("md5")] = sqlBlob(q->value(0));
            f[QStringLiteral("size")] = QVariant::fromValue(sqlc::intAt(*q, 1).value_or(0));
            f[QStringLiteral("type")] = QVariant::fromValue(sqlc::intAt(*q, 2).value_or(0));
            f[QStringLiteral("id")] = QVariant::fromValue(sqlc::intAt(*q, 3).value_or(0));
            f[QStringLiteral("hash")] = QVariant::fromValue(sqlc::intAt(*q, 4).value_or(0));
            files << f;
        }
        if (!files.isEmpty())
            s.extra[QStringLiteral("telethon.sent_files")] = files;
    }

    store.accounts.push_back(std::move(s));
    return store;
}

Status writeTelethonV1(const Session &s, const QString &path, const WriteOptions &options)
{
    const DcAuth *primary = s.primary();
    int dcId = s.dcId ? s.dcId : (primary ? primary->dcId : 0);
    if (dcId <= 0)
        return Error::usage(QStringLiteral("the session has no DC id; Telethon needs one"));
    QString address = primary ? primary->address : QString();
    int port = primary ? primary->port : 0;
    if (address.isEmpty() || port <= 0) {
        const bool ipv6 = primary && primary->ipv6;
        auto def = defaultDcAddress(dcId, s.testMode.value_or(false), ipv6);
        if (!def)
            return Error::usage(QStringLiteral("DC %1 has no known address; Telethon needs server_address and port").arg(dcId));
        if (address.isEmpty())
            address = def->address;
        if (port <= 0)
            port = def->port;
    }

    auto target = SqliteWriteTarget::create(path, options.force);
    if (!target)
        return target.error();
    SqliteDb &db = (*target)->db();
    auto st = sqlc::execScript(db, {
        QStringLiteral("create table version (version integer primary key)"),
        QStringLiteral("create table sessions (\n    dc_id integer primary key,\n    server_address text,\n    port integer,\n"
                       "    auth_key blob,\n    takeout_id integer\n)"),
        QStringLiteral("create table entities (\n    id integer primary key,\n    hash integer not null,\n    username text,\n"
                       "    phone integer,\n    name text,\n    date integer\n)"),
        QStringLiteral("create table sent_files (\n    md5_digest blob,\n    file_size integer,\n    type integer,\n    id integer,\n"
                       "    hash integer,\n    primary key(md5_digest, file_size, type)\n)"),
        QStringLiteral("create table update_state (\n    id integer primary key,\n    pts integer,\n    qts integer,\n"
                       "    date integer,\n    seq integer\n)"),
    });
    if (!st)
        return st;
    if (auto b = db.begin(); !b)
        return Error::output(b.error().message);
    if (st = sqlc::execWrite(db, QStringLiteral("insert into version values (?)"), {kTelethonVersion}); !st)
        return st;
    {
        QByteArray key = primary ? primary->authKey.exposeUnsafe() : QByteArray();
        st = sqlc::execWrite(db, QStringLiteral("insert into sessions values (?,?,?,?,?)"),
                             {dcId, address, port, sqlc::blobValue(key), s.takeoutId ? QVariant(*s.takeoutId) : sqlc::nullInt()});
        wipe(key);
        if (!st)
            return st;
    }
    if (s.userId) {
        if (st = sqlc::execWrite(db, QStringLiteral("insert or replace into entities values (0,?,NULL,NULL,NULL,?)"),
                                 {*s.userId, QDateTime::currentSecsSinceEpoch()}); !st)
            return st;
    }
    if (options.carryPeers && !s.peers.empty()) {
        QSqlQuery ins(db.db());
        if (!ins.prepare(QStringLiteral("insert or replace into entities values (?,?,?,?,?,?)")))
            return Error::output(db.queryError(ins, QStringLiteral("preparing the entities insert")).message);
        for (const Peer &p : s.peers) {
            if (!sqlc::cacheablePeer(p))
                continue;
            ins.bindValue(0, p.markedId());
            ins.bindValue(1, p.accessHash.value_or(0));
            ins.bindValue(2, p.username() ? QVariant(p.username()->toLower()) : sqlc::nullText());
            // Declared integer: SQLite stores an all-digit phone as INTEGER, exactly as Telethon does.
            ins.bindValue(3, p.phone ? QVariant(*p.phone) : sqlc::nullText());
            ins.bindValue(4, p.name ? QVariant(*p.name) : sqlc::nullText());
            ins.bindValue(5, p.updated ? QVariant(*p.updated) : sqlc::nullInt());
            if (!ins.exec())
                return Error::output(db.queryError(ins, QStringLiteral("writing entities")).message);
        }
    }
    if (s.updateState) {
        const UpdateState &u = *s.updateState;
        const qint64 date = u.date.value_or(0);
        if (u.pts || u.qts || u.date || u.seq) {
            if (st = sqlc::execWrite(db, QStringLiteral("insert or replace into update_state values (0,?,?,?,?)"),
                                     {u.pts.value_or(0), u.qts.value_or(0), date, u.seq.value_or(0)}); !st)
                return st;
        }
        for (auto it = u.channelPts.cbegin(); it != u.channelPts.cend(); ++it) {
            if (it.key() <= 0)
                continue;
            // Telethon keys channel rows by the bare channel id (pitfall 10); qts/seq are 0.
            if (st = sqlc::execWrite(db, QStringLiteral("insert or replace into update_state values (?,?,0,?,0)"),
                                     {it.key(), it.value(), date}); !st)
                return st;
        }
    }
    const QVariantList files = s.extra.value(QStringLiteral("telethon.sent_files")).toList();
    for (const QVariant &fv : files) {
        const QVariantMap f = fv.toMap();
        if (st = sqlc::execWrite(db, QStringLiteral("insert or replace into sent_files values (?,?,?,?,?)"),
                                 {sqlc::blobValue(f.value(QStringLiteral("md5")).toByteArray()),
                                  f.value(QStringLiteral("size")).toLongLong(), f.value(QStringLiteral("type")).toLongLong(),
                                  f.value(QStringLiteral("id")).toLongLong(), f.value(QStringLiteral("hash")).toLongLong()}); !st)
            return st;
    }
    if (auto c = db.commit(); !c)
        return c;
    return (*target)->commit();
}

namespace {

// One statement on a raw connection, finalized on every path.
class Stmt {
public:
    Stmt(sqlite3 *db, const QByteArray &sql)
    {
        if (sqlite3_prepare_v2(db, sql.constData(), static_cast<int>(sql.size()), &m_st, nullptr) != SQLITE_OK) {
            sqlite3_finalize(m_st);
            m_st = nullptr;
        }
    }
    ~Stmt() { sqlite3_finalize(m_st); }
    Stmt(const Stmt &) = delete;
    Stmt &operator=(const Stmt &) = delete;
    bool ok() const { return m_st != nullptr; }
    int step() { return sqlite3_step(m_st); }
    int type(int i) const { return sqlite3_column_type(m_st, i); }
    sqlite3_stmt *get() const { return m_st; }

private:
    sqlite3_stmt *m_st = nullptr;
};

// An INTEGER, REAL or NULL column, as sqlc::intAt reads it (a REAL, such as Telethon's update_state
// date, truncates toward zero; one outside the 64-bit range is no integer: pitfall 9). false for
// TEXT and BLOB, whose conversions are the full reader's business.
bool plainInt(const Stmt &q, int i, std::optional<qint64> &out)
{
    switch (q.type(i)) {
    case SQLITE_NULL:
        out.reset();
        return true;
    case SQLITE_INTEGER:
        out = sqlite3_column_int64(q.get(), i);
        return true;
    case SQLITE_FLOAT: {
        const double d = sqlite3_column_double(q.get(), i);
        if (!std::isfinite(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0)
            out.reset();
        else
            out = static_cast<qint64>(d);
        return true;
    }
    default:
        return false;
    }
}

} // namespace

std::optional<Store> readTelethonV1ForAudit(sqlite3 *db, const QMap<QString, QStringList> &sc)
{
    if (!db || sc.size() > 10000 || !sc.value(QStringLiteral("version")).contains(QStringLiteral("version")))
        return std::nullopt;
    Store store;
    store.formatId = QStringLiteral("telethon-sqlite");
    {
        Stmt q(db, "SELECT \"version\" FROM version LIMIT 1");
        std::optional<qint64> v;
        if (!q.ok() || q.step() != SQLITE_ROW || !plainInt(q, 0, v) || !v || *v < 1 || *v > kTelethonVersion)
            return std::nullopt;
        store.formatVersion = static_cast<int>(*v);
    }
    const QStringList sessCols = sc.value(QStringLiteral("sessions"));
    for (const char *c : {"dc_id", "server_address", "port", "auth_key"})
        if (!sessCols.contains(QLatin1String(c)))
            return std::nullopt;
    const bool hasTakeout = sessCols.contains(QStringLiteral("takeout_id"));

    Session s;
    {
        Stmt q(db, hasTakeout ? QByteArrayLiteral("SELECT dc_id, server_address, port, auth_key, takeout_id FROM sessions LIMIT 16")
                              : QByteArrayLiteral("SELECT dc_id, server_address, port, auth_key, NULL FROM sessions LIMIT 16"));
        if (!q.ok())
            return std::nullopt;
        bool first = true;
        int rc;
        while ((rc = q.step()) == SQLITE_ROW) {
            std::optional<qint64> dc, port, takeout;
            if (!plainInt(q, 0, dc) || !plainInt(q, 2, port) || !plainInt(q, 4, takeout))
                return std::nullopt;
            const int addrType = q.type(1), keyType = q.type(3);
            if ((addrType != SQLITE_TEXT && addrType != SQLITE_NULL) || (keyType != SQLITE_BLOB && keyType != SQLITE_NULL))
                return std::nullopt;
            const int keyBytes = keyType == SQLITE_BLOB ? sqlite3_column_bytes(q.get(), 3) : 0;
            if (keyBytes > kMaxKeyBytes)
                return std::nullopt;
            DcAuth d;
            d.dcId = static_cast<int>(dc.value_or(0));
            if (addrType == SQLITE_TEXT)
                d.address = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(q.get(), 1)), sqlite3_column_bytes(q.get(), 1));
            d.port = static_cast<int>(port.value_or(0));
            d.ipv6 = d.address.contains(QLatin1Char(':'));
            if (keyBytes > 0) {
                // Straight from SQLite's row buffer into SecretBytes: no intermediate copy to wipe.
                d.authKey = SecretBytes(sqlite3_column_blob(q.get(), 3), static_cast<std::size_t>(keyBytes));
            }
            addSessionsRow(std::move(d), takeout, first, s, store);
        }
        if (rc != SQLITE_DONE)
            return std::nullopt;
        if (first)
            store.warnings << QStringLiteral("the sessions table is empty (no DC, no auth key)");
    }

    const QStringList entCols = sc.value(QStringLiteral("entities"));
    if (!entCols.isEmpty()) {
        for (const char *c : {"id", "hash", "username", "phone", "name"})
            if (!entCols.contains(QLatin1String(c)))
                return std::nullopt;
        {
            Stmt q(db, "SELECT hash FROM entities WHERE id = 0");
            if (!q.ok())
                return std::nullopt;
            const int rc = q.step();
            if (rc == SQLITE_ROW) {
                if (!plainInt(q, 0, s.userId))
                    return std::nullopt;
            } else if (rc != SQLITE_DONE) {
                return std::nullopt;
            }
        }
        // The same count the peer engine runs (countPeersByKind over telethonPeerView).
        const SqlPeerView view = telethonPeerView(entCols.contains(QStringLiteral("date")));
        const QByteArray sql = QStringLiteral("SELECT %1 AS sd_kind, count(*) FROM %2 WHERE %3 GROUP BY 1")
                                   .arg(view.kindExpr, view.from, view.baseWhere.isEmpty() ? QStringLiteral("1 = 1") : view.baseWhere)
                                   .toUtf8();
        Stmt q(db, sql);
        if (!q.ok())
            return std::nullopt;
        PeerCounts c;
        int rc;
        while ((rc = q.step()) == SQLITE_ROW) {
            std::optional<qint64> kind, n;
            if (!plainInt(q, 0, kind) || !plainInt(q, 1, n))
                return std::nullopt;
            const qint64 k = kind.value_or(0);
            c.add(k == 1 ? PeerKind::Chat : k == 2 ? PeerKind::Channel : PeerKind::User, n.value_or(0));
        }
        if (rc != SQLITE_DONE)
            return std::nullopt;
        s.peerCountsOnly = c;
    } else {
        s.peerCountsOnly = PeerCounts{};
    }

    if (sc.contains(QStringLiteral("update_state"))) {
        Stmt q(db, "SELECT id, pts, qts, date, seq FROM update_state");
        if (!q.ok())
            return std::nullopt;
        UpdateState st;
        bool any = false;
        int rc;
        while ((rc = q.step()) == SQLITE_ROW) {
            any = true;
            std::optional<qint64> rowId, pts, qts, date, seq;
            if (!plainInt(q, 0, rowId) || !plainInt(q, 1, pts) || !plainInt(q, 2, qts) || !plainInt(q, 3, date) || !plainInt(q, 4, seq))
                return std::nullopt;
            if (rowId.value_or(0) == 0) {
                st.pts = pts;
                st.qts = qts;
                st.date = date;
                st.seq = seq;
            } else if (pts) {
                st.channelPts.insert(*rowId, *pts);
            }
        }
        if (rc != SQLITE_DONE)
            return std::nullopt;
        if (any)
            s.updateState = st;
    }

    // sent_files: the audit does not keep the upload cache, but a table the full reader would fail
    // on (columns missing, unreadable pages) must fail here too, so its rows are stepped through.
    const QStringList sfCols = sc.value(QStringLiteral("sent_files"));
    if (sfCols.contains(QStringLiteral("type")) && sfCols.contains(QStringLiteral("hash"))) {
        for (const char *c : {"md5_digest", "file_size", "id"})
            if (!sfCols.contains(QLatin1String(c)))
                return std::nullopt;
        Stmt q(db, "SELECT md5_digest, file_size, type, id, hash FROM sent_files LIMIT 100000");
        if (!q.ok())
            return std::nullopt;
        int rc;
        while ((rc = q.step()) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE)
            return std::nullopt;
    }
    store.accounts.push_back(std::move(s));
    return store;
}

std::unique_ptr<Format> make_telethon_sqlite()
{
    return std::make_unique<TelethonSqliteFormat>();
}

} // namespace sd
