// mtcute-sqlite writer: the schema @mtcute/node 0.29 creates (every repository at its latest
// migration), so mtcute opens the file without migrating it.
#include "formats/mtcute/mtcute-sqlite.h"
#include "formats/mtcute/mtcute-tl.h"
#include "sqlite/sqlhelpers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <set>

namespace sd::mtcute {

namespace {

const QStringList kSchema = {
    QStringLiteral("CREATE TABLE mtcute_migrations (\n    repo text not null primary key,\n    version integer not null\n)"),
    QStringLiteral("CREATE TABLE auth_keys (\n                    dc integer primary key,\n                    key blob not null\n                )"),
    QStringLiteral("CREATE TABLE temp_auth_keys (\n                    dc integer not null,\n                    idx integer not null,\n"
                   "                    key blob not null,\n                    expires integer not null,\n                    primary key (dc, idx)\n                )"),
    QStringLiteral("CREATE TABLE key_value (\n              key text primary key,\n              value blob not null\n          )"),
    QStringLiteral("CREATE TABLE message_refs (\n                    peer_id integer not null,\n                    chat_id integer not null,\n"
                   "                    msg_id integer not null\n                )"),
    QStringLiteral("CREATE INDEX idx_message_refs_peer on message_refs (peer_id)"),
    QStringLiteral("CREATE INDEX idx_message_refs on message_refs (chat_id, msg_id)"),
    QStringLiteral("CREATE TABLE peers (\n                    id integer primary key,\n                    hash text not null,\n"
                   "                    usernames json not null,\n                    updated integer not null,\n"
                   "                    phone text,\n                    complete blob\n                , isMin integer not null default false)"),
    QStringLiteral("CREATE INDEX idx_peers_usernames on peers (usernames)"),
    QStringLiteral("CREATE INDEX idx_peers_phone on peers (phone)"),
    QStringLiteral("INSERT INTO mtcute_migrations (repo, version) VALUES ('auth_keys', 1), ('kv', 1), ('ref_messages', 1), ('peers', 2)"),
};

Status putKv(SqliteDb &db, const QString &key, const QByteArray &value)
{
    auto q = db.exec(QStringLiteral("INSERT OR REPLACE INTO key_value (key, value) VALUES (?, ?)"), {key, value});
    if (!q)
        return Error::output(q.error().message);
    return {};
}

Status out(const Error &e) { return Error::output(e.message); }

Status writePeers(SqliteDb &db, const Session &s)
{
    sqlc::SqlBatch insert(db, QStringLiteral("INSERT INTO peers (id, hash, isMin, usernames, updated, phone, complete) VALUES (?, coalesce(?, ''), ?, ?, ?, ?, ?)"));
    std::set<qint64> seen;
    for (const Peer &p : s.peers) {
        const qint64 marked = p.markedId();
        if (p.id <= 0 || !seen.insert(marked).second)
            continue;
        QString hash;
        if (p.kind() != PeerKind::Chat)
            hash = toFastHash(p.accessHash.value_or(0));
        QJsonArray names;
        for (const QString &u : p.usernames)
            if (!u.isEmpty())
                names.append(u.toLower());
        qint64 updatedMs = 0;
        if (p.updated) {
            updatedMs = *p.updated * 1000;
            const auto it = p.extra.constFind(QStringLiteral("updated_ms"));
            if (it != p.extra.constEnd() && it->toLongLong() / 1000 == *p.updated)
                updatedMs = it->toLongLong();
        }
        const QVariant complete = p.rawFormat == QLatin1String(kFormatId) && !p.raw.isEmpty()
            ? QVariant(p.raw) : QVariant(QMetaType(QMetaType::QByteArray));
        const QVariant phone = p.phone && !p.phone->isEmpty() ? QVariant(*p.phone) : QVariant(QMetaType(QMetaType::QString));
        if (auto st = insert.run({marked, hash, p.isMin ? 1 : 0,
                                  QString::fromUtf8(QJsonDocument(names).toJson(QJsonDocument::Compact)), updatedMs, phone, complete}); !st)
            return st;
    }
    return {};
}

} // namespace

Status writeSqlite(const Session &s, const QString &path, const WriteOptions &options)
{
    const DcAuth *primary = s.primary();
    const int dcId = s.dcId > 0 ? s.dcId : primary ? primary->dcId : 0;
    if (dcId <= 0 || dcId > 255)
        return Error::badInput(QStringLiteral("mtcute-sqlite needs a DC id between 1 and 255"));
    const bool test = s.testMode.value_or(false);

    auto target = SqliteWriteTarget::create(path, options.force);
    if (!target)
        return target.error();
    SqliteDb &db = (*target)->db();
    if (auto st = db.execAll(kSchema); !st)
        return out(st.error());
    if (auto st = db.begin(); !st)
        return out(st.error());

    // Permanent keys, one per DC (the main entry of a DC wins over media/IPv6 duplicates).
    std::set<int> keyed;
    for (int pass = 0; pass < 2; ++pass) {
        for (const DcAuth &d : s.dcs) {
            if (d.isTemp || d.authKey.isEmpty() || (pass == 0) != (!d.mediaOnly && !d.ipv6) || !keyed.insert(d.dcId).second)
                continue;
            QByteArray key = d.authKey.exposeUnsafe();
            auto q = db.exec(QStringLiteral("INSERT INTO auth_keys (dc, key) VALUES (?, ?)"), {d.dcId, key});
            wipe(key);
            if (!q)
                return out(q.error());
        }
    }
    qint64 nextIdx = 0;
    for (const DcAuth &d : s.dcs) {
        if (!d.isTemp || d.authKey.isEmpty())
            continue;
        const qint64 idx = d.extra.value(QStringLiteral("mtcute_idx"), nextIdx).toLongLong();
        nextIdx = std::max(nextIdx, idx + 1);
        qint64 expires = d.expiresAt ? *d.expiresAt * 1000 : 0;
        if (const auto it = d.extra.constFind(QStringLiteral("expires_ms")); it != d.extra.constEnd()
            && (!d.expiresAt || it->toLongLong() / 1000 == *d.expiresAt))
            expires = it->toLongLong();
        QByteArray key = d.authKey.exposeUnsafe();
        auto q = db.exec(QStringLiteral("INSERT OR REPLACE INTO temp_auth_keys (dc, idx, key, expires) VALUES (?, ?, ?, ?)"),
                         {d.dcId, idx, key, expires});
        wipe(key);
        if (!q)
            return out(q.error());
    }

    // dc_main / dc_media
    const DcEntries entries = pickDcEntries(s, dcId);
    const DcAuth *mainEntry = entries.main;
    const DcAuth *mediaEntry = entries.media;
    const int mediaDc = entries.mediaDcId;
    const DcOption mainOption = optionFor(mainEntry, dcId, test, false);
    if (mainOption.ip.isEmpty())
        return Error::badInput(QStringLiteral("no address is known for DC %1").arg(dcId));
    if (auto st = putKv(db, QStringLiteral("dc_main"), serializeDcOption(mainOption)); !st)
        return st;
    if (mediaEntry) {
        if (auto st = putKv(db, QStringLiteral("dc_media"), serializeDcOption(optionFor(mediaEntry, mediaDc, test, true))); !st)
            return st;
    }
    if (s.userId) {
        CurrentUser u;
        u.userId = *s.userId;
        u.isBot = s.isBot.value_or(false);
        u.isPremium = s.extra.value(QString::fromLatin1(kExtraPremium)).toBool();
        u.usernames = s.extra.value(QString::fromLatin1(kExtraUsernames)).toStringList();
        if (u.usernames.isEmpty() && s.username && !s.username->isEmpty())
            u.usernames << *s.username;
        if (auto st = putKv(db, QStringLiteral("current_user"), serializeCurrentUser(u)); !st)
            return st;
    }
    if (s.updateState) {
        const UpdateState &us = *s.updateState;
        const std::pair<const char *, std::optional<qint64>> fields[] = {
            {"updates_pts", us.pts}, {"updates_qts", us.qts}, {"updates_date", us.date}, {"updates_seq", us.seq}};
        for (const auto &[key, value] : fields)
            if (value)
                if (auto st = putKv(db, QString::fromLatin1(key), int32Le(static_cast<qint32>(*value))); !st)
                    return st;
        for (auto it = us.channelPts.constBegin(); it != us.channelPts.constEnd(); ++it)
            if (auto st = putKv(db, QStringLiteral("updates_channel:%1").arg(it.key()), int32Le(static_cast<qint32>(it.value()))); !st)
                return st;
    }
    const QVariantMap other = s.extra.value(QString::fromLatin1(kExtraKv)).toMap();
    for (auto it = other.constBegin(); it != other.constEnd(); ++it) {
        if (it.key().startsWith(QLatin1String("dc_")) || it.key() == QLatin1String("current_user") || it.key().startsWith(QLatin1String("updates_")))
            continue;
        if (auto st = putKv(db, it.key(), QByteArray::fromBase64(it.value().toString().toLatin1())); !st)
            return st;
    }
    if (options.carryPeers) {
        if (auto st = writePeers(db, s); !st)
            return st;
        for (const QVariant &ref : s.extra.value(QString::fromLatin1(kExtraMessageRefs)).toList()) {
            const QVariantList r = ref.toList();
            if (r.size() != 3)
                continue;
            auto q = db.exec(QStringLiteral("INSERT INTO message_refs (peer_id, chat_id, msg_id) VALUES (?, ?, ?)"),
                             {r[0].toLongLong(), r[1].toLongLong(), r[2].toLongLong()});
            if (!q)
                return out(q.error());
        }
    }
    if (auto st = db.commit(); !st)
        return st;
    return (*target)->commit();
}

} // namespace sd::mtcute
