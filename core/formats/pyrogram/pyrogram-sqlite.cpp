// pyrogram-sqlite: Pyrogram v2/v3, Kurigram v4-v7 and Pyrofork v4 SQLite sessions (docs/formats.md 2.1-2.4).
// Everything is read by column name (a v3 file migrated from v2 has api_id last). The variant is
// reported in Store::variant and the version.number in formatVersion.
#include "formats/families.h"
#include "io/inputfile.h"
#include "formats/pyrogram/pyrogramsqlite.h"
#include "sqlite/sqlsessionformat.h"

#include "domain/dcaddress.h"

#include <QFile>

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

const FormatDescriptor &descriptor()
{
    static const FormatDescriptor d = [] {
        using C = Capability;
        FormatDescriptor f;
        f.id = QStringLiteral("pyrogram-sqlite");
        f.displayName = QStringLiteral("Pyrogram / Kurigram / Pyrofork SQLite session");
        f.capabilities = C::DcId | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId | C::UpdateState | C::ChannelPts
            | C::Peers | C::PeerTimestamps | C::Phones;
        f.fileName = QStringLiteral("{base}.session");
        // peers.id is marked, last_update_on unix seconds (docs/formats.md 2.1-2.4). Kurigram's
        // usernames(id, username) and Pyrofork's usernames(id = the username, peer_id) hang off it.
        SqlPeerMapping m = SqlPeerMapping::markedIdTable(QStringLiteral("peers"));
        m.timestampColumn = QStringLiteral("last_update_on");
        m.timestampExpr = QStringLiteral("last_update_on");
        m.phoneColumn = QStringLiteral("phone_number");
        m.hashColumn = QStringLiteral("access_hash");
        m.hashMissing = QStringLiteral("(access_hash IS NULL OR access_hash = 0)");
        m.usernames = UsernameStore::Column;
        m.usernameColumn = QStringLiteral("username");
        m.usernameTable = {QStringLiteral("usernames"), QStringLiteral("id"), QStringLiteral("username")};
        m.dependents = {{QStringLiteral("usernames"), QStringLiteral("peer_id"),
                         QStringLiteral("DELETE FROM usernames WHERE peer_id NOT IN (SELECT id FROM peers)")},
                        {QStringLiteral("usernames"), QStringLiteral("username"),
                         QStringLiteral("DELETE FROM usernames WHERE id NOT IN (SELECT id FROM peers)")}};
        f.sqlPeers = m;
        // Upstream Pyrogram v2/v3, Kurigram v4-v7 and Pyrofork v4 together.
        f.knownSchema = {{QStringLiteral("sessions"), QStringLiteral("dc_id server_address port api_id test_mode auth_key date user_id is_bot")},
                         {QStringLiteral("peers"), QStringLiteral("id access_hash type username phone_number last_update_on")},
                         {QStringLiteral("usernames"), QStringLiteral("id username peer_id last_update_on")},
                         {QStringLiteral("update_state"), QStringLiteral("id pts qts date seq")},
                         {QStringLiteral("version"), QStringLiteral("number")}};
        return f;
    }();
    return d;
}

SqlPeerView peerView(const Layout &l)
{
    SqlPeerView s = peerViewFor(*descriptor().sqlPeers, QStringLiteral("p"));
    QString username = l.peersUsername ? QStringLiteral("p.username") : QStringLiteral("NULL");
    QString more = QStringLiteral("NULL");
    QString sortUsername = l.peersUsername ? QStringLiteral("nullif(p.username, '')") : QString();
    if (l.usernames == UsernamesLayout::Kurigram) {
        // In the order the library stored them (rowid); the first one is also the sort key, as in
        // the in-memory table (Peer::username()).
        more = QStringLiteral("(SELECT group_concat(n.username, char(31)) FROM (SELECT u.username FROM usernames u "
                              "WHERE u.id = p.id AND u.username <> '' ORDER BY u.rowid) n)");
        s.existsSearch << QStringLiteral("EXISTS (SELECT 1 FROM usernames u WHERE u.id = p.id AND lower(u.username) LIKE ? ESCAPE '\\')");
        sortUsername = QStringLiteral("coalesce((SELECT u.username FROM usernames u WHERE u.id = p.id AND u.username <> '' "
                                      "ORDER BY u.rowid LIMIT 1), %1)")
                           .arg(sortUsername.isEmpty() ? QStringLiteral("NULL") : sortUsername);
    } else if (l.usernames == UsernamesLayout::Pyrofork) {
        more = QStringLiteral("(SELECT group_concat(n.id, char(31)) FROM (SELECT u.id FROM usernames u "
                              "WHERE u.peer_id = p.id AND u.id <> '' ORDER BY u.id) n)");
        s.existsSearch << QStringLiteral("EXISTS (SELECT 1 FROM usernames u WHERE u.peer_id = p.id AND lower(u.id) LIKE ? ESCAPE '\\')");
        sortUsername = QStringLiteral("coalesce(%1, (SELECT min(u.id) FROM usernames u WHERE u.peer_id = p.id AND u.id <> ''))")
                           .arg(sortUsername.isEmpty() ? QStringLiteral("NULL") : sortUsername);
    }
    // Column 3 holds the main username(s), column 6 further ones (char(31)-separated lists).
    // Kurigram's usernames table is authoritative; a v3-migrated file may keep a stale peers.username.
    if (l.usernames == UsernamesLayout::Kurigram)
        std::swap(more, username);
    s.columns = QStringLiteral("p.id, p.access_hash, p.type, %1, p.phone_number, p.last_update_on, %2").arg(username, more);
    if (l.peersUsername)
        s.searchText << QStringLiteral("p.username");
    s.searchText << QStringLiteral("p.phone_number");
    s.sortExprs = {
        {PeerSortColumn::Type, s.kindExpr},
        {PeerSortColumn::Phone, QStringLiteral("coalesce(CAST(p.phone_number AS TEXT), '')")},
        {PeerSortColumn::Updated, QStringLiteral("coalesce(p.last_update_on, 0)")},
        {PeerSortColumn::AccessHash, QStringLiteral("coalesce(p.access_hash, 0)")},
    };
    if (!sortUsername.isEmpty())
        s.sortExprs.insert(PeerSortColumn::Username, QStringLiteral("lower(coalesce(%1, ''))").arg(sortUsername));
    s.rowToPeer = rowToPeer;
    return s;
}

} // namespace pyro

namespace {

constexpr qint64 kMaxKeyBytes = 4096;

// The file is in WAL mode (header bytes 18/19 == 2).
bool walFile(const QString &path)
{
    auto f = InputFile::open(path, inputcap::kSqliteFile); // regular files only (io/inputfile.h)
    if (!f)
        return false;
    const auto head = f->readAt(0, 20);
    return head && head->size() == 20 && head->at(18) == 2 && head->at(19) == 2;
}

// The fork a file comes from, as far as its layout and journal mode tell (docs/formats.md 2.x,
// corrections): Hydrogram is Pyrogram's schema 3 but always in WAL mode; PyroTGFork is the
// Kurigram-6 layout in WAL mode by default (Kurigram itself uses DELETE unless use_wal is set).
QString labelVariant(const pyro::Layout &l, const QString &path)
{
    if (!walFile(path))
        return l.variant;
    if (l.variant == QLatin1String("pyrogram") && l.version == 3)
        return QStringLiteral("hydrogram");
    if (l.variant == QLatin1String("kurigram") && l.version == 6)
        return QStringLiteral("pyrotgfork");
    return l.variant;
}
constexpr int kNewestKnown = 7;

struct Opened {
    sqlc::Schema schema;
    pyro::Layout layout;
};

Result<Opened> openPyrogram(SqliteDb &db, bool ignoreVersion)
{
    auto schema = sqlc::readSchema(db);
    if (!schema)
        return schema.error();
    if (!schema->value(QStringLiteral("version")).contains(QStringLiteral("number")))
        return Error::badInput(QStringLiteral("not a Pyrogram session: the version table (column \"number\") is missing"));
    for (const char *t : {"sessions", "peers"})
        if (!schema->contains(QLatin1String(t)))
            return Error::badInput(QStringLiteral("not a Pyrogram session: the %1 table is missing").arg(QLatin1String(t)));
    auto version = sqlc::readVersion(db, QStringLiteral("number"));
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
    return o;
}

class PyrogramSqliteFormat : public SqliteSessionFormat {
public:
    const FormatDescriptor &descriptor() const override { return pyro::descriptor(); }

    int detect(const Probe &p) const override
    {
        if (!p.isSqlite || !p.hasTable(QStringLiteral("peers")) || !p.hasColumn(QStringLiteral("version"), QStringLiteral("number")))
            return 0;
        if (p.hasColumn(QStringLiteral("sessions"), QStringLiteral("session_id")))
            return 0; // mtgo-labs
        return p.hasColumn(QStringLiteral("sessions"), QStringLiteral("auth_key")) ? 95 : 70;
    }

protected:
    Result<std::optional<SqlPeerView>> peerViewSqlite(SqliteDb &db, const ReadOptions &options) const override
    {
        auto o = openPyrogram(db, options.ignoreVersion);
        if (!o)
            return o.error();
        return std::optional<SqlPeerView>(pyro::peerView(o->layout));
    }

    Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options) const override
    {
        auto o = openPyrogram(db, options.ignoreVersion);
        if (!o)
            return o.error();
        const pyro::Layout &l = o->layout;
        const QStringList sess = o->schema.value(QStringLiteral("sessions"));
        Store store;
        store.formatId = id();
        store.formatVersion = l.version;
        store.variant = labelVariant(l, db.path());
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

        SqliteConnection conn(db);
        if (auto st = loadPeersInto(conn, pyro::peerView(l), options, s); !st)
            return st.error();

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

    Status writeAccount(const Session &session, const QString &path, const WriteOptions &options) const override
    {
        return pyro::writeStore(session, path, options);
    }

};

} // namespace

std::unique_ptr<Format> make_pyrogram_sqlite()
{
    return std::make_unique<PyrogramSqliteFormat>();
}

} // namespace sd
