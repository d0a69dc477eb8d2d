// pyrogram-sqlite: Pyrogram v2/v3, Kurigram v4-v7 and Pyrofork v4 SQLite sessions (formats.md 2.1-2.4).
// Everything is read by column name (a v3 file migrated from v2 has api_id last). The variant is
// reported in Store::variant and the version.number in formatVersion.
#include "formats/families.h"
#include "formats/pyrogram/pyrogramsqlite.h"

#include "domain/dcaddress.h"

namespace sd {

namespace pyro {

Layout layoutFor(const sqlc::Schema &sc, int version)
{
    Layout l;
    l.version = version;
    l.peersUsername = sc.value(QStringLiteral("peers")).contains(QStringLiteral("username"));
    const QStringList un = sc.value(QStringLiteral("usernames"));
    if (un.contains(QStringLiteral("peer_id")))
        l.usernames = UsernamesLayout::Pyrofork;
    else if (un.contains(QStringLiteral("username")))
        l.usernames = UsernamesLayout::Kurigram;
    l.updateState = sc.contains(QStringLiteral("update_state"));
    const QStringList sess = sc.value(QStringLiteral("sessions"));
    l.apiId = sess.contains(QStringLiteral("api_id"));
    l.serverAddress = sess.contains(QStringLiteral("server_address"));
    if (l.usernames == UsernamesLayout::Pyrofork)
        l.variant = QStringLiteral("pyrofork");
    else if (l.usernames == UsernamesLayout::Kurigram || l.serverAddress || version >= 5)
        l.variant = QStringLiteral("kurigram");
    else if (l.updateState || version == 4)
        l.variant = QStringLiteral("pyrofork"); // Pyrofork v4 migrated from v3 has no usernames table yet
    else
        l.variant = QStringLiteral("pyrogram");
    return l;
}

PeerType typeFromText(const QString &text, PeerKind kindById, QString *unusual)
{
    const QString t = text.trimmed().toLower();
    switch (kindById) {
    case PeerKind::User:
        return t == QLatin1String("bot") ? PeerType::Bot : PeerType::User;
    case PeerKind::Chat:
        return PeerType::Chat;
    case PeerKind::Channel:
        if (t == QLatin1String("forum") || t == QLatin1String("direct") || t == QLatin1String("community")) {
            if (unusual)
                *unusual = t;
            return t == QLatin1String("forum") ? PeerType::Supergroup : PeerType::Channel;
        }
        return t == QLatin1String("supergroup") ? PeerType::Supergroup : PeerType::Channel;
    }
    return PeerType::User;
}

QString typeText(const Peer &peer, const QString &variant)
{
    if (variant == QLatin1String("kurigram") && peer.kind() == PeerKind::Channel) {
        const QString u = peer.extra.value(kTypeExtra).toString();
        if (!u.isEmpty())
            return u;
    }
    switch (peer.type) {
    case PeerType::User:
        return QStringLiteral("user");
    case PeerType::Bot:
        return QStringLiteral("bot");
    case PeerType::Chat:
        return QStringLiteral("group");
    case PeerType::Channel:
        return QStringLiteral("channel");
    case PeerType::Supergroup:
        return QStringLiteral("supergroup");
    }
    return QStringLiteral("user");
}

namespace {
Peer rowToPeer(const QSqlQuery &q)
{
    // p.id, p.access_hash, p.type, username, p.phone_number, p.last_update_on, extra usernames
    Peer p;
    const qint64 marked = q.value(0).toLongLong();
    PeerKind kind = PeerKind::User;
    if (auto u = unmarkId(marked)) {
        p.id = u->first;
        kind = u->second;
    }
    QString unusual;
    p.type = typeFromText(sqlc::textAt(q, 2).value_or(QString()), kind, &unusual);
    if (!unusual.isEmpty())
        p.extra[kTypeExtra] = unusual;
    p.accessHash = sqlc::intAt(q, 1);
    for (int c : {3, 6})
        if (auto names = sqlc::textAt(q, c); names && !names->isEmpty())
            for (const QString &u : names->split(QChar(31), Qt::SkipEmptyParts))
                if (!p.usernames.contains(u))
                    p.usernames << u;
    p.phone = sqlc::phoneAt(q, 4);
    p.updated = sqlc::intAt(q, 5);
    return p;
}
} // namespace

sqlc::PeerSql peerSql(const Layout &l)
{
    sqlc::PeerSql s;
    s.from = QStringLiteral("peers p");
    s.idExpr = QStringLiteral("p.id");
    QString username = l.peersUsername ? QStringLiteral("p.username") : QStringLiteral("NULL");
    QString more = QStringLiteral("NULL");
    QString sortUsername = username;
    if (l.usernames == UsernamesLayout::Kurigram) {
        more = QStringLiteral("(SELECT group_concat(u.username, char(31)) FROM usernames u WHERE u.id = p.id)");
        s.existsSearch << QStringLiteral("EXISTS (SELECT 1 FROM usernames u WHERE u.id = p.id AND u.username LIKE ? ESCAPE '\\')");
        sortUsername = QStringLiteral("coalesce((SELECT min(u.username) FROM usernames u WHERE u.id = p.id), %1)").arg(username);
    } else if (l.usernames == UsernamesLayout::Pyrofork) {
        more = QStringLiteral("(SELECT group_concat(u.id, char(31)) FROM usernames u WHERE u.peer_id = p.id)");
        s.existsSearch << QStringLiteral("EXISTS (SELECT 1 FROM usernames u WHERE u.peer_id = p.id AND u.id LIKE ? ESCAPE '\\')");
    }
    // Column 3 holds the main username(s), column 6 further ones (char(31)-separated lists).
    // Kurigram's usernames table is authoritative; a v3-migrated file may keep a stale peers.username.
    if (l.usernames == UsernamesLayout::Kurigram)
        std::swap(more, username);
    s.columns = QStringLiteral("p.id, p.access_hash, p.type, %1, p.phone_number, p.last_update_on, %2").arg(username, more);
    if (l.peersUsername)
        s.textSearch << QStringLiteral("p.username");
    s.textSearch << QStringLiteral("p.phone_number");
    s.sortExpr = {
        {PeerSortColumn::Type, QStringLiteral("(CASE WHEN p.id > 0 THEN 0 WHEN p.id > -1000000000000 THEN 1 ELSE 2 END)")},
        {PeerSortColumn::Username, sortUsername + QStringLiteral(" COLLATE NOCASE")},
        {PeerSortColumn::Phone, QStringLiteral("p.phone_number")},
        {PeerSortColumn::Updated, QStringLiteral("p.last_update_on")},
        {PeerSortColumn::AccessHash, QStringLiteral("p.access_hash")},
    };
    s.rowToPeer = rowToPeer;
    return s;
}

} // namespace pyro

namespace {

constexpr qint64 kMaxKeyBytes = 4096;
constexpr int kNewestKnown = 7;

struct Opened {
    std::unique_ptr<SqliteDb> db;
    sqlc::Schema schema;
    pyro::Layout layout;
};

Result<Opened> openPyrogram(const Source &source, bool ignoreVersion)
{
    auto db = sqlc::openSource(source, QStringLiteral("pyrogram-sqlite"));
    if (!db)
        return db.error();
    auto schema = sqlc::readSchema(**db);
    if (!schema)
        return schema.error();
    if (!schema->value(QStringLiteral("version")).contains(QStringLiteral("number")))
        return Error::badInput(QStringLiteral("not a Pyrogram session: the version table (column \"number\") is missing"));
    for (const char *t : {"sessions", "peers"})
        if (!schema->contains(QLatin1String(t)))
            return Error::badInput(QStringLiteral("not a Pyrogram session: the %1 table is missing").arg(QLatin1String(t)));
    auto version = sqlc::readVersion(**db, QStringLiteral("number"));
    if (!version)
        return version.error();
    if (!*version)
        return Error::badInput(QStringLiteral("the Pyrogram version table has no row (Pyrogram cannot open such a file)"));
    const qint64 v = **version;
    if ((v < 1 || v > kNewestKnown) && !ignoreVersion)
        return Error::badInput(QStringLiteral("unsupported Pyrogram-family session version %1 (known: 1 to %2)").arg(v).arg(kNewestKnown));
    for (const char *c : {"id", "access_hash", "type", "phone_number", "last_update_on"})
        if (!schema->value(QStringLiteral("peers")).contains(QLatin1String(c)))
            return Error::badInput(QStringLiteral("the peers table lacks the column %1").arg(QLatin1String(c)));
    Opened o;
    o.layout = pyro::layoutFor(*schema, static_cast<int>(v));
    o.schema = std::move(*schema);
    o.db = std::move(*db);
    return o;
}

class PyrogramSqliteFormat : public Format {
public:
    QString id() const override { return QStringLiteral("pyrogram-sqlite"); }
    QString displayName() const override { return QStringLiteral("Pyrogram / Kurigram / Pyrofork SQLite session"); }
    SourceKind sourceKind() const override { return SourceKind::File; }
    Capabilities capabilities() const override
    {
        using C = Capability;
        return C::DcId | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId | C::UpdateState | C::ChannelPts
            | C::Peers | C::PeerTimestamps | C::Phones;
    }
    bool canRead() const override { return true; }
    bool canWrite() const override { return true; }

    int detect(const Probe &p) const override
    {
        if (!p.isSqlite || !p.hasTable(QStringLiteral("peers")) || !p.hasColumn(QStringLiteral("version"), QStringLiteral("number")))
            return 0;
        if (p.hasColumn(QStringLiteral("sessions"), QStringLiteral("session_id")))
            return 0; // mtgo-labs
        return p.hasColumn(QStringLiteral("sessions"), QStringLiteral("auth_key")) ? 95 : 70;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        auto o = openPyrogram(source, options.ignoreVersion);
        if (!o)
            return o.error();
        SqliteDb &db = *o->db;
        const pyro::Layout &l = o->layout;
        const QStringList sess = o->schema.value(QStringLiteral("sessions"));
        Store store;
        store.formatId = id();
        store.formatVersion = l.version;
        store.variant = l.variant;
        Session s;
        auto col = [&sess](const char *c) {
            return sess.contains(QLatin1String(c)) ? QString::fromLatin1(c) : QStringLiteral("NULL");
        };
        if (!sess.contains(QStringLiteral("dc_id")) || !sess.contains(QStringLiteral("auth_key")))
            return Error::badInput(QStringLiteral("the sessions table lacks dc_id or auth_key"));
        {
            auto q = db.exec(QStringLiteral("SELECT dc_id, %1, %2, auth_key, %3, %4, %5, %6, %7 FROM sessions LIMIT 2")
                                 .arg(col("api_id"), col("test_mode"), col("date"), col("user_id"), col("is_bot"),
                                      col("server_address"), col("port")));
            if (!q)
                return q.error();
            if (!q->next())
                return Error::badInput(QStringLiteral("the sessions table is empty"));
            QByteArray key = sqlBlob(q->value(3));
            if (key.size() > kMaxKeyBytes)
                return Error::badInput(QStringLiteral("the auth key is %1 bytes, far beyond the 256 of MTProto").arg(key.size()));
            DcAuth d;
            d.dcId = static_cast<int>(sqlc::intAt(*q, 0).value_or(0));
            s.dcId = d.dcId;
            if (auto a = sqlc::intAt(*q, 1))
                s.apiId = static_cast<qint32>(*a);
            if (auto t = sqlc::intAt(*q, 2)) {
                s.testMode = *t != 0;
                d.testMode = s.testMode;
            }
            d.authKey = SecretBytes::fromByteArray(key);
            wipe(key);
            if (!d.authKey.isEmpty() && d.authKey.size() != 256)
                store.warnings << QStringLiteral("the auth key is %1 bytes (256 expected)").arg(d.authKey.size());
            if (auto date = sqlc::intAt(*q, 4))
                s.extra[pyro::kDateExtra] = QVariant::fromValue(*date);
            s.userId = sqlc::intAt(*q, 5);
            if (auto b = sqlc::intAt(*q, 6))
                s.isBot = *b != 0;
            d.address = sqlc::textAt(*q, 7).value_or(QString());
            d.port = static_cast<int>(sqlc::intAt(*q, 8).value_or(0));
            d.ipv6 = d.address.contains(QLatin1Char(':'));
            s.dcs.push_back(std::move(d));
            if (q->next())
                store.warnings << QStringLiteral("more than one sessions row; Pyrogram uses only the first");
        }

        if (options.loadPeers) {
            auto peers = sqlc::queryPeers(db, pyro::peerSql(l), PeerQuery{});
            if (!peers)
                return peers.error();
            s.peers = std::move(*peers);
        } else {
            auto counts = sqlc::countMarkedIds(db, QStringLiteral("peers"), QStringLiteral("id"));
            if (!counts)
                return counts.error();
            s.peerCountsOnly = *counts;
        }

        if (l.updateState) {
            // id 0 = the account; other rows are keyed by the marked channel id (pitfall 10).
            auto q = db.exec(QStringLiteral("SELECT id, pts, qts, date, seq FROM update_state LIMIT 10000000"));
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
                    st.date = sqlc::intAt(*q, 3);
                    st.seq = sqlc::intAt(*q, 4);
                    continue;
                }
                auto pts = sqlc::intAt(*q, 1);
                if (!pts)
                    continue;
                qint64 bare = rowId;
                if (rowId < 0) {
                    auto u = unmarkId(rowId);
                    if (!u || u->second != PeerKind::Channel) {
                        store.warnings << QStringLiteral("update_state row %1 is not a channel id; skipped").arg(rowId);
                        continue;
                    }
                    bare = u->first;
                }
                st.channelPts.insert(bare, *pts);
            }
            if (any)
                s.updateState = st;
        }
        store.accounts.push_back(std::move(s));
        return store;
    }

    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        if (store.accounts.empty())
            return Error::usage(QStringLiteral("nothing to write: the source holds no account"));
        return pyro::writeStore(store.accounts.front(), path, options);
    }

    Result<std::vector<Peer>> queryPeers(const Source &source, const PeerQuery &query, const ReadOptions &options) const override
    {
        auto o = openPyrogram(source, options.ignoreVersion);
        if (!o)
            return o.error();
        return sqlc::queryPeers(*o->db, pyro::peerSql(o->layout), query);
    }

    Result<std::unique_ptr<PeerTable>> openPeerTable(const Source &source, const ReadOptions &options, int account) const override
    {
        if (account != 0)
            return Error::usage(QStringLiteral("no account %1 in %2").arg(account).arg(source.display()));
        auto o = openPyrogram(source, options.ignoreVersion);
        if (!o)
            return o.error();
        sqlc::PeerSql spec = pyro::peerSql(o->layout);
        std::unique_ptr<PeerTable> t = std::make_unique<sqlc::SqlPeerTable>(std::move(o->db), std::move(spec));
        return t;
    }
};

} // namespace

std::unique_ptr<Format> make_pyrogram_sqlite()
{
    return std::make_unique<PyrogramSqliteFormat>();
}

} // namespace sd
