// ferogram-sqlite writer: the schema SqliteBackend creates at its latest migration (is_chat,
// channel_kind, is_community, min_peers present), so ferogram opens it without migrating.
#include "domain/dcaddress.h"
#include "formats/ferogram/ferogram-extras.h"
#include "formats/ferogram/ferogram-sqlite.h"
#include "sqlite/sqlhelpers.h"
#include "util/hostport.h"

#include <set>

namespace sd::ferogram_sqlite {

namespace {

const QStringList kSchema = {
    QStringLiteral("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL DEFAULT 0)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS dcs (dc_id INTEGER NOT NULL, flags INTEGER NOT NULL DEFAULT 0, addr TEXT NOT NULL, "
                   "auth_key BLOB, first_salt INTEGER NOT NULL DEFAULT 0, time_offset INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (dc_id, flags))"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS update_state (id INTEGER PRIMARY KEY CHECK (id = 1), pts INTEGER NOT NULL DEFAULT 0, "
                   "qts INTEGER NOT NULL DEFAULT 0, date INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS channel_pts (channel_id INTEGER PRIMARY KEY, pts INTEGER NOT NULL)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS peers (id INTEGER PRIMARY KEY, access_hash INTEGER NOT NULL, is_channel INTEGER NOT NULL DEFAULT 0, "
                   "is_chat INTEGER NOT NULL DEFAULT 0, channel_kind INTEGER, is_community INTEGER NOT NULL DEFAULT 0)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS min_peers (user_id INTEGER PRIMARY KEY, peer_id INTEGER NOT NULL, msg_id INTEGER NOT NULL)"),
};

Status out(const Error &e) { return Error::output(e.message); }

Status writeDcs(SqliteDb &db, const Session &s, int homeDc)
{
    std::set<std::pair<int, qint64>> seen;
    bool homeWritten = false;
    for (const DcAuth &d : s.dcs) {
        if (d.isTemp || d.dcId <= 0)
            continue;
        qint64 flags = (d.ipv6 ? 1 : 0) | (d.mediaOnly ? 2 : 0);
        if (const auto it = d.extra.constFind(ferogram::kFlags); it != d.extra.constEnd())
            flags |= it->toLongLong() & ~qint64(3);
        if (!seen.insert({d.dcId, flags}).second)
            continue;
        QString host = d.address;
        int port = d.port;
        if (host.isEmpty() || port <= 0) {
            if (const auto a = defaultDcAddress(d.dcId, s.testMode.value_or(false), d.ipv6, d.mediaOnly)) {
                host = a->address;
                port = a->port;
            }
        }
        QString addr = d.extra.value(QStringLiteral("ferogram_addr")).toString();
        if (addr.isEmpty() || addr != d.address)
            addr = host.isEmpty() ? QString(QLatin1String("")) : formatHostPort(host, port);
        QByteArray key = d.authKey.exposeUnsafe();
        const QVariant keyValue = d.authKey.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(key);
        auto q = db.exec(QStringLiteral("INSERT INTO dcs (dc_id, flags, addr, auth_key, first_salt, time_offset) VALUES (?, ?, ?, ?, ?, ?)"),
                         {d.dcId, flags, addr, keyValue, d.salt.value_or(0), d.extra.value(ferogram::kTimeOffset, 0).toLongLong()});
        wipe(key);
        if (!q)
            return out(q.error());
        homeWritten = homeWritten || d.dcId == homeDc;
    }
    if (!homeWritten)
        return Error::badInput(QStringLiteral("no entry for the home DC %1").arg(homeDc));
    return {};
}

Status writeMeta(SqliteDb &db, const Session &s, int homeDc)
{
    auto q = db.exec(QStringLiteral("INSERT INTO meta (key, value) VALUES ('home_dc_id', ?)"), {homeDc});
    if (!q)
        return out(q.error());
    const QByteArray token = s.extra.value(ferogram::kToken).toByteArray();
    if (!token.isEmpty()) {
        auto t = db.exec(QStringLiteral("INSERT INTO meta (key, value) VALUES ('future_auth_token', ?)"), {token});
        if (!t)
            return out(t.error());
    }
    const QVariantMap other = s.extra.value(QStringLiteral("ferogram_meta")).toMap();
    for (auto it = other.constBegin(); it != other.constEnd(); ++it) {
        if (it.key() == QLatin1String("home_dc_id") || it.key() == QLatin1String("future_auth_token"))
            continue;
        auto m = db.exec(QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"), {it.key(), it.value()});
        if (!m)
            return out(m.error());
    }
    return {};
}

Status writeState(SqliteDb &db, const Session &s)
{
    if (!s.updateState)
        return {};
    const UpdateState &us = *s.updateState;
    if (us.pts || us.qts || us.date || us.seq) {
        auto q = db.exec(QStringLiteral("INSERT INTO update_state (id, pts, qts, date, seq) VALUES (1, ?, ?, ?, ?)"),
                         {us.pts.value_or(0), us.qts.value_or(0), us.date.value_or(0), us.seq.value_or(0)});
        if (!q)
            return out(q.error());
    }
    for (auto it = us.channelPts.constBegin(); it != us.channelPts.constEnd(); ++it) {
        auto q = db.exec(QStringLiteral("INSERT OR REPLACE INTO channel_pts (channel_id, pts) VALUES (?, ?)"), {it.key(), it.value()});
        if (!q)
            return out(q.error());
    }
    return {};
}

Status writePeers(SqliteDb &db, const Session &s)
{
    sqlc::SqlBatch insert(db, QStringLiteral("INSERT INTO peers (id, access_hash, is_channel, is_chat, channel_kind, is_community) VALUES (?, ?, ?, ?, ?, ?)"));
    std::set<qint64> seen;
    for (const Peer &p : s.peers) {
        // peers is keyed by the bare id alone (a user and a channel with one id would collide).
        if (p.id <= 0 || !seen.insert(p.id).second)
            continue;
        const PeerKind k = p.kind();
        QVariant channelKind{QMetaType(QMetaType::LongLong)};
        if (k == PeerKind::Channel) {
            const QString named = p.extra.value(QStringLiteral("channel_kind")).toString();
            const QVariant kept = p.extra.value(ferogram::kChannelKind);
            if (kept.isValid())
                channelKind = kept.toInt() == ferogram::kNoChannelKind ? QVariant(QMetaType(QMetaType::LongLong)) : QVariant(kept.toLongLong());
            else if (named == QLatin1String("broadcast"))
                channelKind = 0;
            else if (named == QLatin1String("megagroup"))
                channelKind = 1;
            else if (named == QLatin1String("gigagroup"))
                channelKind = 2;
            else if (p.type == PeerType::Supergroup)
                channelKind = 1;
        }
        auto st = insert.run({p.id, p.accessHash.value_or(0), k == PeerKind::Channel ? 1 : 0,
                          k == PeerKind::Chat ? 1 : 0, channelKind, p.extra.value(ferogram::kCommunity).toBool() ? 1 : 0});
        if (!st)
            return st;
    }
    for (const QVariant &m : s.extra.value(ferogram::kMinPeers).toList()) {
        const QVariantList r = m.toList();
        if (r.size() != 3)
            continue;
        auto q = db.exec(QStringLiteral("INSERT OR REPLACE INTO min_peers (user_id, peer_id, msg_id) VALUES (?, ?, ?)"),
                         {r[0].toLongLong(), r[1].toLongLong(), r[2].toLongLong()});
        if (!q)
            return out(q.error());
    }
    return {};
}

} // namespace

Status writeSqlite(const Session &s, const QString &path, const WriteOptions &options)
{
    const DcAuth *primary = s.primary();
    const int homeDc = s.dcId > 0 ? s.dcId : primary ? primary->dcId : 0;
    if (homeDc <= 0)
        return Error::badInput(QStringLiteral("ferogram-sqlite needs a home DC id"));
    auto target = SqliteWriteTarget::create(path, options.force);
    if (!target)
        return target.error();
    SqliteDb &db = (*target)->db();
    if (auto st = db.execAll(kSchema); !st)
        return out(st.error());
    if (auto st = db.begin(); !st)
        return out(st.error());
    if (auto st = writeMeta(db, s, homeDc); !st)
        return st;
    if (auto st = writeDcs(db, s, homeDc); !st)
        return st;
    if (auto st = writeState(db, s); !st)
        return st;
    if (options.carryPeers)
        if (auto st = writePeers(db, s); !st)
            return st;
    if (auto st = db.commit(); !st)
        return st;
    return (*target)->commit();
}

} // namespace sd::ferogram_sqlite
