// ferogram-sqlite: ferogram's SqliteBackend (rusqlite) and LibSqlBackend local file, which share one
// schema (docs/formats.md 8.4): meta, dcs (several entries per DC told apart by flags), update_state,
// channel_pts, peers (bare ids plus is_channel/is_chat/channel_kind/is_community) and min_peers.
#include "formats/ferogram/ferogram-extras.h"
#include "formats/ferogram/ferogram-sqlite.h"
#include "formats/families.h"
#include "sqlite/sqlsessionformat.h"
#include "util/hostport.h"

namespace sd {

namespace ferogram_sqlite {

namespace {

// is_chat is tested first, then is_channel (the reader, prune and dedupe all use this expression).
const QString kKindExpr = QStringLiteral("(CASE WHEN is_chat <> 0 THEN 1 WHEN is_channel <> 0 THEN 2 ELSE 0 END)");

Peer rowToPeer(const QSqlQuery &q)
{
    // id, access_hash, is_channel, is_chat, channel_kind, is_community
    Peer p;
    p.id = sqlInt(q.value(0)).value_or(0);
    const qint64 hash = sqlInt(q.value(1)).value_or(0);
    const bool isChat = sqlInt(q.value(3)).value_or(0) != 0;
    const bool isChannel = !isChat && sqlInt(q.value(2)).value_or(0) != 0;
    const std::optional<qint64> kind = sqlInt(q.value(4));
    if (isChat) {
        p.type = PeerType::Chat;
        if (hash != 0)
            p.accessHash = hash;
    } else if (isChannel) {
        p.accessHash = hash;
        p.type = kind && (*kind == 1 || *kind == 2) ? PeerType::Supergroup : PeerType::Channel;
        // The binary codec's key and values (0/1/2), so the kind survives a round trip. An unknown
        // kind (NULL here, 255 or no byte at all in the binary) is no key, in every ferogram reader.
        if (kind && *kind != ferogram::kNoChannelKind)
            p.extra.insert(ferogram::kChannelKind, int(*kind));
    } else {
        p.accessHash = hash;
        p.type = PeerType::User;
    }
    if (sqlInt(q.value(5)).value_or(0) != 0)
        p.extra.insert(ferogram::kCommunity, true);
    return p;
}

Status checkLayout(SqliteDb &db, PeerColumns *cols)
{
    for (const char *t : {"meta", "dcs"})
        if (!db.hasTable(QString::fromLatin1(t)))
            return Error::badInput(QStringLiteral("not a ferogram session: table %1 is missing").arg(QString::fromLatin1(t)));
    auto dcCols = db.columns(QStringLiteral("dcs"));
    if (!dcCols)
        return dcCols.error();
    for (const char *c : {"dc_id", "addr", "auth_key"})
        if (!dcCols->contains(QString::fromLatin1(c)))
            return Error::badInput(QStringLiteral("unsupported ferogram dcs table: column %1 is missing").arg(QString::fromLatin1(c)));
    if (cols) {
        auto pc = db.columns(QStringLiteral("peers"));
        if (!pc)
            return pc.error();
        if (!pc->isEmpty()) {
            for (const char *c : {"id", "access_hash", "is_channel"})
                if (!pc->contains(QString::fromLatin1(c)))
                    return Error::badInput(QStringLiteral("unsupported ferogram peers table: column %1 is missing").arg(QString::fromLatin1(c)));
        }
        cols->isChat = pc->contains(QStringLiteral("is_chat"));
        cols->channelKind = pc->contains(QStringLiteral("channel_kind"));
        cols->isCommunity = pc->contains(QStringLiteral("is_community"));
    }
    return {};
}

Status readDcs(SqliteDb &db, Session &s, const QStringList &dcCols)
{
    const QString flags = dcCols.contains(QStringLiteral("flags")) ? QStringLiteral("flags") : QStringLiteral("0");
    const QString salt = dcCols.contains(QStringLiteral("first_salt")) ? QStringLiteral("first_salt") : QStringLiteral("0");
    const QString offset = dcCols.contains(QStringLiteral("time_offset")) ? QStringLiteral("time_offset") : QStringLiteral("0");
    auto q = db.exec(QStringLiteral("SELECT dc_id, %1, addr, auth_key, %2, %3 FROM dcs ORDER BY dc_id, auth_key IS NULL, %1 LIMIT 10000").arg(flags, salt, offset));
    if (!q)
        return q.error();
    while (q->next()) {
        const auto dc = sqlInt(q->value(0));
        if (!dc || *dc <= 0 || *dc > 100000)
            return Error::badInput(QStringLiteral("dcs holds an invalid dc_id"));
        DcAuth d;
        d.dcId = static_cast<int>(*dc);
        const qint64 f = sqlInt(q->value(1)).value_or(0);
        d.ipv6 = f & 1;
        d.mediaOnly = f & 2;
        if (const qint64 beyond = f & ~qint64(3)) // only what the domain has no field for (ferogram-extras.h)
            d.extra.insert(ferogram::kFlags, static_cast<int>(beyond));
        const QString addr = sqlText(q->value(2)).value_or(QString());
        if (const auto hp = parseHostPort(addr)) {
            d.address = hp->host;
            d.port = hp->port;
        } else {
            d.address = addr;
            d.port = 0;
            d.extra.insert(QStringLiteral("ferogram_addr"), addr);
        }
        if (d.address.contains(QLatin1Char(':')))
            d.ipv6 = true;
        QByteArray key = sqlBlob(q->value(3));
        d.authKey = SecretBytes::fromByteArray(key);
        wipe(key);
        if (const qint64 v = sqlInt(q->value(4)).value_or(0); v != 0)
            d.salt = v;
        if (const qint64 v = sqlInt(q->value(5)).value_or(0); v != 0)
            d.extra.insert(ferogram::kTimeOffset, v);
        s.dcs.push_back(std::move(d));
    }
    return {};
}

Status readMeta(SqliteDb &db, Session &s)
{
    auto q = db.exec(QStringLiteral("SELECT key, value FROM meta LIMIT 1000"));
    if (!q)
        return q.error();
    QVariantMap other;
    while (q->next()) {
        const QString key = sqlText(q->value(0)).value_or(QString());
        const QVariant v = q->value(1);
        if (key == QLatin1String("home_dc_id")) {
            const auto dc = sqlInt(v);
            if (!dc || *dc < 0 || *dc > 100000)
                return Error::badInput(QStringLiteral("meta home_dc_id is not a DC id"));
            s.dcId = static_cast<int>(*dc);
        } else if (key == QLatin1String("future_auth_token")) {
            // A BLOB in an INTEGER column (pitfall 9).
            if (!v.isNull() && v.typeId() == QMetaType::QByteArray && !v.toByteArray().isEmpty())
                s.extra.insert(ferogram::kToken, v.toByteArray());
        } else if (!key.isEmpty()) {
            other.insert(key, v.typeId() == QMetaType::QByteArray ? QVariant(QString::fromLatin1(v.toByteArray().toBase64())) : v);
        }
    }
    if (!other.isEmpty())
        s.extra.insert(QStringLiteral("ferogram_meta"), other);
    return {};
}

Status readState(SqliteDb &db, Session &s, const QStringList &tables)
{
    if (tables.contains(QStringLiteral("update_state"))) {
        auto q = db.exec(QStringLiteral("SELECT pts, qts, date, seq FROM update_state WHERE id = 1"));
        if (!q)
            return q.error();
        if (q->next()) {
            UpdateState us;
            us.pts = sqlInt(q->value(0));
            us.qts = sqlInt(q->value(1));
            us.date = sqlInt(q->value(2));
            us.seq = sqlInt(q->value(3));
            s.updateState = us;
        }
    }
    if (tables.contains(QStringLiteral("channel_pts"))) {
        auto q = db.exec(QStringLiteral("SELECT channel_id, pts FROM channel_pts LIMIT 1000000"));
        if (!q)
            return q.error();
        while (q->next()) {
            if (!s.updateState)
                s.updateState = UpdateState{};
            s.updateState->channelPts.insert(sqlInt(q->value(0)).value_or(0), sqlInt(q->value(1)).value_or(0));
        }
    }
    if (tables.contains(QStringLiteral("min_peers"))) {
        auto q = db.exec(QStringLiteral("SELECT user_id, peer_id, msg_id FROM min_peers LIMIT 1000000"));
        if (!q)
            return q.error();
        QVariantList mins;
        while (q->next())
            mins << QVariant(QVariantList{sqlInt(q->value(0)).value_or(0), sqlInt(q->value(1)).value_or(0), sqlInt(q->value(2)).value_or(0)});
        if (!mins.isEmpty())
            s.extra.insert(ferogram::kMinPeers, mins);
    }
    return {};
}

} // namespace

const FormatDescriptor &descriptor()
{
    static const FormatDescriptor d = [] {
        using C = Capability;
        FormatDescriptor f;
        f.id = QString::fromLatin1(kFormatId);
        f.displayName = QStringLiteral("ferogram SQLite session");
        f.capabilities = C::DcId | C::Address | C::AuthKey | C::MultiDc | C::MediaDc | C::UpdateState | C::ChannelPts | C::Peers;
        f.fileName = QStringLiteral("{base}.db");
        // Bare ids plus flags, no timestamps, no phones (docs/formats.md 8.4). is_chat came with a
        // migration: files from before it have only users and channels.
        SqlPeerMapping m;
        m.table = QStringLiteral("peers");
        m.kindExpr = kKindExpr;
        m.markedIdExpr = markedFromBareExpr(QStringLiteral("id"), kKindExpr);
        m.hashColumn = QStringLiteral("access_hash");
        m.hashMissing = QStringLiteral("(access_hash IS NULL OR access_hash = 0)");
        m.columnDefaults = {{QStringLiteral("is_chat"), QStringLiteral("0")}};
        f.sqlPeers = m;
        f.knownSchema = {{QStringLiteral("meta"), QStringLiteral("key value")},
                         {QStringLiteral("dcs"), QStringLiteral("dc_id flags addr auth_key first_salt time_offset")},
                         {QStringLiteral("update_state"), QStringLiteral("id pts qts date seq")},
                         {QStringLiteral("channel_pts"), QStringLiteral("channel_id pts")},
                         {QStringLiteral("peers"), QStringLiteral("id access_hash is_channel is_chat channel_kind is_community")},
                         {QStringLiteral("min_peers"), QStringLiteral("user_id peer_id msg_id")}};
        return f;
    }();
    return d;
}

SqlPeerView peerView(const PeerColumns &c)
{
    QStringList present = {QStringLiteral("id"), QStringLiteral("access_hash"), QStringLiteral("is_channel")};
    if (c.isChat)
        present << QStringLiteral("is_chat");
    SqlPeerView s = peerViewFor(descriptor().sqlPeers->forColumns(present));
    s.columns = QStringLiteral("id, access_hash, is_channel, %1, %2, %3")
                    .arg(c.isChat ? QStringLiteral("is_chat") : QStringLiteral("0"),
                         c.channelKind ? QStringLiteral("channel_kind") : QStringLiteral("NULL"),
                         c.isCommunity ? QStringLiteral("is_community") : QStringLiteral("0"));
    s.sortExprs.insert(PeerSortColumn::Type, s.kindExpr);
    s.sortExprs.insert(PeerSortColumn::AccessHash, QStringLiteral("coalesce(access_hash, 0)"));
    s.rowToPeer = rowToPeer;
    return s;
}

Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options)
{
    PeerColumns cols;
    if (auto st = checkLayout(db, &cols); !st)
        return st.error();
    auto tables = db.tables();
    if (!tables)
        return tables.error();
    auto dcCols = db.columns(QStringLiteral("dcs"));
    if (!dcCols)
        return dcCols.error();
    Store store;
    store.formatId = QString::fromLatin1(kFormatId);
    Session s;
    if (auto st = readMeta(db, s); !st)
        return st.error();
    if (auto st = readDcs(db, s, *dcCols); !st)
        return st.error();
    if (auto st = readState(db, s, *tables); !st)
        return st.error();
    if (s.dcId == 0 && !s.dcs.empty()) {
        s.dcId = s.dcs.front().dcId;
        store.warnings << QStringLiteral("meta has no home_dc_id; using DC %1").arg(s.dcId);
    }
    if (tables->contains(QStringLiteral("peers"))) {
        SqliteConnection conn(db);
        if (auto st = SqlSessionFormat::loadPeersInto(conn, peerView(cols), options, s); !st)
            return st.error();
    }
    store.accounts.push_back(std::move(s));
    return store;
}

namespace {

class FerogramSqliteFormat : public SqliteSessionFormat {
public:
    const FormatDescriptor &descriptor() const override { return ferogram_sqlite::descriptor(); }
    int detect(const Probe &p) const override
    {
        return p.hasTable(QStringLiteral("meta")) && p.hasTable(QStringLiteral("dcs")) ? 90 : 0;
    }

protected:
    Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options) const override { return ferogram_sqlite::readSqlite(db, options); }
    Result<std::optional<SqlPeerView>> peerViewSqlite(SqliteDb &db, const ReadOptions &) const override
    {
        PeerColumns cols;
        if (auto st = checkLayout(db, &cols); !st)
            return st.error();
        if (!db.hasTable(QStringLiteral("peers")))
            return std::optional<SqlPeerView>();
        return std::optional<SqlPeerView>(ferogram_sqlite::peerView(cols));
    }
    Status writeAccount(const Session &session, const QString &path, const WriteOptions &options) const override
    {
        return writeSqlite(session, path, options);
    }
};

} // namespace
} // namespace ferogram_sqlite

std::unique_ptr<Format> make_ferogram_sqlite()
{
    return std::make_unique<ferogram_sqlite::FerogramSqliteFormat>();
}

} // namespace sd
