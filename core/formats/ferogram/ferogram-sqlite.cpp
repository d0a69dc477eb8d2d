// ferogram-sqlite: ferogram's SqliteBackend (rusqlite) and LibSqlBackend local file, which share one
// schema (formats.md 8.4): meta, dcs (several entries per DC told apart by flags), update_state,
// channel_pts, peers (bare ids plus is_channel/is_chat/channel_kind/is_community) and min_peers.
#include "formats/ferogram/ferogram-sqlite.h"
#include "formats/families.h"

namespace sd {

namespace ferogram_sqlite {

namespace {

QString kindExpr(const PeerColumns &c)
{
    return QStringLiteral("(CASE WHEN %1 != 0 THEN 1 WHEN is_channel != 0 THEN 2 ELSE 0 END)")
        .arg(c.isChat ? QStringLiteral("is_chat") : QStringLiteral("0"));
}

QString markedExpr(const PeerColumns &c)
{
    return QStringLiteral("(CASE %1 WHEN 1 THEN -id WHEN 2 THEN -1000000000000 - id ELSE id END)").arg(kindExpr(c));
}

Peer rowToPeer(const QSqlQuery &q)
{
    // id, access_hash, is_channel, is_chat, channel_kind, is_community
    Peer p;
    p.id = sqlInt(q.value(0)).value_or(0);
    const qint64 hash = sqlInt(q.value(1)).value_or(0);
    const bool isChannel = sqlInt(q.value(2)).value_or(0) != 0;
    const bool isChat = sqlInt(q.value(3)).value_or(0) != 0;
    const std::optional<qint64> kind = sqlInt(q.value(4));
    if (isChat) {
        p.type = PeerType::Chat;
        if (hash != 0)
            p.accessHash = hash;
    } else if (isChannel) {
        p.accessHash = hash;
        p.type = kind && (*kind == 1 || *kind == 2) ? PeerType::Supergroup : PeerType::Channel;
        if (kind && *kind >= 0 && *kind <= 2) {
            static const char *names[] = {"broadcast", "megagroup", "gigagroup"};
            p.extra.insert(QStringLiteral("channel_kind"), QString::fromLatin1(names[*kind]));
        } else if (kind) {
            p.extra.insert(QStringLiteral("ferogram_channel_kind"), *kind);
        }
    } else {
        p.accessHash = hash;
        p.type = PeerType::User;
    }
    if (sqlInt(q.value(5)).value_or(0) != 0)
        p.extra.insert(QStringLiteral("ferogram_is_community"), true);
    return p;
}

Result<std::unique_ptr<SqliteDb>> openChecked(const QString &path, PeerColumns *cols)
{
    auto db = SqliteDb::openReadOnly(path);
    if (!db)
        return db.error();
    for (const char *t : {"meta", "dcs"})
        if (!(*db)->hasTable(QString::fromLatin1(t)))
            return Error::badInput(QStringLiteral("not a ferogram session: table %1 is missing").arg(QString::fromLatin1(t)));
    auto dcCols = (*db)->columns(QStringLiteral("dcs"));
    if (!dcCols)
        return dcCols.error();
    for (const char *c : {"dc_id", "addr", "auth_key"})
        if (!dcCols->contains(QString::fromLatin1(c)))
            return Error::badInput(QStringLiteral("unsupported ferogram dcs table: column %1 is missing").arg(QString::fromLatin1(c)));
    if (cols) {
        auto pc = (*db)->columns(QStringLiteral("peers"));
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
    return db;
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
        if (f & ~qint64(3))
            d.extra.insert(QStringLiteral("ferogram_flags"), f);
        const QString addr = sqlText(q->value(2)).value_or(QString());
        if (!splitAddr(addr, &d.address, &d.port)) {
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
            d.extra.insert(QStringLiteral("time_offset"), v);
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
                s.extra.insert(QStringLiteral("ferogram_future_auth_token"), QString::fromLatin1(v.toByteArray().toBase64()));
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
            s.extra.insert(QStringLiteral("ferogram_min_peers"), mins);
    }
    return {};
}

} // namespace

bool splitAddr(const QString &addr, QString *host, int *port)
{
    const QString a = addr.trimmed();
    QString h, p;
    if (a.startsWith(QLatin1Char('['))) {
        const int close = a.indexOf(QLatin1String("]:"));
        if (close < 0)
            return false;
        h = a.mid(1, close - 1);
        p = a.mid(close + 2);
    } else {
        const int colon = a.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0 || a.indexOf(QLatin1Char(':')) != colon)
            return false;
        h = a.left(colon);
        p = a.mid(colon + 1);
    }
    bool ok = false;
    const int n = p.toInt(&ok);
    if (!ok || n <= 0 || n > 65535 || h.isEmpty())
        return false;
    *host = h;
    *port = n;
    return true;
}

QString joinAddr(const QString &host, int port)
{
    return host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]:%2").arg(host).arg(port) : QStringLiteral("%1:%2").arg(host).arg(port);
}

SqlPeerSchema peerSchema(const PeerColumns &c)
{
    SqlPeerSchema s;
    s.from = QStringLiteral("peers");
    s.columns = QStringLiteral("id, access_hash, is_channel, %1, %2, %3")
                    .arg(c.isChat ? QStringLiteral("is_chat") : QStringLiteral("0"),
                         c.channelKind ? QStringLiteral("channel_kind") : QStringLiteral("NULL"),
                         c.isCommunity ? QStringLiteral("is_community") : QStringLiteral("0"));
    s.kindExpr = kindExpr(c);
    s.idExpr = QStringLiteral("id");
    s.markedIdExpr = markedExpr(c);
    s.sortExprs.insert(PeerSortColumn::Id, markedExpr(c));
    s.sortExprs.insert(PeerSortColumn::Type, kindExpr(c));
    s.sortExprs.insert(PeerSortColumn::AccessHash, QStringLiteral("(CASE WHEN %1 = 1 THEN 0 ELSE access_hash END)").arg(kindExpr(c)));
    s.rowToPeer = rowToPeer;
    return s;
}

Result<Store> readSqlite(const QString &path, const ReadOptions &options)
{
    PeerColumns cols;
    auto opened = openChecked(path, &cols);
    if (!opened)
        return opened.error();
    SqliteDb &db = **opened;
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
        if (options.loadPeers) {
            auto peers = sqlPeerFetch(db, peerSchema(cols), PeerPageQuery{}, 0, -1);
            if (!peers)
                return peers.error();
            s.peers = std::move(*peers);
        } else {
            auto counts = sqlPeerCounts(db, peerSchema(cols));
            if (!counts)
                return counts.error();
            s.peerCountsOnly = *counts;
        }
    }
    store.accounts.push_back(std::move(s));
    return store;
}

namespace {

class FerogramSqliteFormat : public Format {
public:
    QString id() const override { return QString::fromLatin1(kFormatId); }
    QString displayName() const override { return QStringLiteral("ferogram SQLite session"); }
    SourceKind sourceKind() const override { return SourceKind::File; }
    Capabilities capabilities() const override
    {
        using C = Capability;
        return C::DcId | C::Address | C::AuthKey | C::MultiDc | C::MediaDc | C::UpdateState | C::ChannelPts | C::Peers;
    }
    bool canRead() const override { return true; }
    bool canWrite() const override { return true; }
    int detect(const Probe &p) const override
    {
        return p.hasTable(QStringLiteral("meta")) && p.hasTable(QStringLiteral("dcs")) ? 90 : 0;
    }
    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        if (source.isString())
            return Error::badInput(QStringLiteral("ferogram-sqlite needs a file, not a string"));
        return readSqlite(source.path, options);
    }
    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        return writeSqlite(store, path, options);
    }
    Result<std::vector<Peer>> queryPeers(const Source &source, const PeerQuery &query, const ReadOptions &) const override
    {
        PeerColumns cols;
        auto db = openChecked(source.path, &cols);
        if (!db)
            return db.error();
        if (!(*db)->hasTable(QStringLiteral("peers")))
            return std::vector<Peer>{};
        PeerPageQuery pq;
        pq.filter = query;
        return sqlPeerFetch(**db, peerSchema(cols), pq, query.offset, query.limit);
    }
    Result<std::unique_ptr<PeerTable>> openPeerTable(const Source &source, const ReadOptions &options, int account) const override
    {
        if (account != 0)
            return Error::usage(QStringLiteral("no account %1 in %2").arg(account).arg(source.display()));
        PeerColumns cols;
        auto db = openChecked(source.path, &cols);
        if (!db)
            return db.error();
        if (!(*db)->hasTable(QStringLiteral("peers")))
            return Format::openPeerTable(source, options, account);
        std::unique_ptr<PeerTable> t = std::make_unique<SqlPeerTable>(std::move(*db), peerSchema(cols));
        return t;
    }
};

} // namespace
} // namespace ferogram_sqlite

std::unique_ptr<Format> make_ferogram_sqlite()
{
    return std::make_unique<ferogram_sqlite::FerogramSqliteFormat>();
}

} // namespace sd
