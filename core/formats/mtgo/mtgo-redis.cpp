// mtgo-redis: mtgo-labs/storage's Redis adapter (docs/formats.md 7.2). Keys are
// <prefix>:<session>:<part> with Go encoding/json values; several sessions share a database and a
// prefix. Listing is one SCAN of the session's keys, then pipelined MGET batches in ascending id
// order (mtgo-redis.h); a write replaces exactly one session's keys. Prune: mtgo-redis-prune.cpp.
#include "formats/mtgo/mtgo-redis.h"

#include "format/peertable.h"
#include "formats/families.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <set>

namespace sd {
namespace mtgo {
namespace {

using server::RedisConnection;

// The parts mtgo's redis adapter writes under <prefix>:<session>: (docs/formats.md 7.2).
const QList<QByteArray> kParts = {"session", "peer", "peer_uname", "conv", "update_state", "ch_pts", "dedup", "durable"};
// Peers asked for per pipelined MGET round (RedisConnection::mgetEach splits it into batches).
constexpr size_t kPeerChunk = 8000;

QByteArray globEscape(const QByteArray &in)
{
    QByteArray out;
    for (char c : in) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

bool isInteger(const QByteArray &s)
{
    bool ok = false;
    s.toLongLong(&ok);
    return ok;
}

} // namespace

Result<std::unique_ptr<RedisStore>> RedisStore::open(const QString &path)
{
    if (!server::looksLikeServerUrl(path))
        return Error::usage(QStringLiteral("mtgo-redis lives in Redis: give a redis://HOST:PORT[/DB][?prefix=mtgo] URL"));
    auto url = server::parseServerUrl(path);
    if (!url)
        return url.error();
    if (url->scheme != server::Scheme::Redis)
        return Error::usage(QStringLiteral("mtgo-redis lives in Redis: give a redis:// URL"));
    auto c = RedisConnection::open(*url);
    if (!c)
        return c.error();
    return std::make_unique<RedisStore>(*c, *url);
}

Result<QStringList> RedisStore::sessionNames()
{
    if (m_names)
        return *m_names;
    const QByteArray prefix = m_url.prefix.toUtf8() + ':';
    QStringList names;
    auto st = m_c->scan(globEscape(prefix) + "*:session", [&](const QList<QByteArray> &keys) -> Status {
        for (const QByteArray &k : keys)
            if (k.startsWith(prefix) && k.endsWith(":session") && k.size() >= prefix.size() + 8)
                names << QString::fromUtf8(k.mid(prefix.size(), k.size() - prefix.size() - 8));
        return {};
    });
    if (!st)
        return st.error();
    names.removeDuplicates();
    std::sort(names.begin(), names.end());
    m_names = names;
    return names;
}

Result<QString> RedisStore::pickSession(const QString &requested)
{
    auto names = sessionNames();
    if (!names)
        return names.error();
    if (!requested.isEmpty()) {
        if (!names->contains(requested))
            return Error::badInput(QStringLiteral("no session '%1' under prefix '%2' in %3 (sessions: %4)")
                                       .arg(requested, m_url.prefix, label(), names->isEmpty() ? QStringLiteral("none") : names->join(QStringLiteral(", "))));
        return requested;
    }
    if (names->size() == 1)
        return names->first();
    if (names->isEmpty())
        return Error::badInput(QStringLiteral("%1 holds no mtgo session under prefix '%2'").arg(label(), m_url.prefix));
    return Error::usage(QStringLiteral("%1 holds %2 sessions (%3): pick one with --session NAME").arg(label()).arg(names->size()).arg(names->join(QStringLiteral(", "))));
}

Result<RedisStore::SessionKeys> RedisStore::sessionKeys(const QString &name, bool keepAll)
{
    auto names = sessionNames();
    if (!names)
        return names.error();
    QList<QByteArray> others;
    for (const QString &n : *names)
        if (n != name && n.startsWith(name + QLatin1Char(':')))
            others << base(n);
    const QByteArray head = base(name);
    SessionKeys out;
    auto st = m_c->scan(globEscape(head) + '*', [&](const QList<QByteArray> &keys) -> Status {
        for (const QByteArray &k : keys) {
            if (!k.startsWith(head))
                continue;
            if (std::any_of(others.begin(), others.end(), [&](const QByteArray &o) { return k.startsWith(o); }))
                continue;
            const QByteArray rest = k.mid(head.size());
            const qsizetype colon = rest.indexOf(':');
            const QByteArray first = colon < 0 ? rest : rest.left(colon);
            if (!kParts.contains(first))
                continue;
            if (keepAll)
                out.all << k;
            if (colon < 0)
                continue;
            const QByteArray suffix = rest.mid(colon + 1);
            if (first == "peer") {
                bool ok = false;
                const qint64 id = suffix.toLongLong(&ok);
                if (ok && QByteArray::number(id) == suffix)
                    out.peerIds.push_back(id);
            } else if (first == "ch_pts" && isInteger(suffix)) {
                out.channelPts << k;
            } else if (first == "conv") {
                out.conversations << k;
            }
        }
        return {};
    });
    if (!st)
        return st.error();
    std::sort(out.peerIds.begin(), out.peerIds.end());
    out.peerIds.erase(std::unique(out.peerIds.begin(), out.peerIds.end()), out.peerIds.end());
    for (QList<QByteArray> *list : {&out.channelPts, &out.conversations, &out.all}) {
        std::sort(list->begin(), list->end());
        list->erase(std::unique(list->begin(), list->end()), list->end());
    }
    return out;
}

Status RedisStore::forEachPeer(const QString &name, const std::vector<qint64> &ids, const PeerSink &sink)
{
    bool stopped = false;
    for (size_t i = 0; i < ids.size() && !stopped; i += kPeerChunk) {
        const size_t end = std::min(ids.size(), i + kPeerChunk);
        QList<QByteArray> keys;
        keys.reserve(static_cast<qsizetype>(end - i));
        for (size_t j = i; j < end; ++j)
            keys << peerKey(name, ids[j]);
        std::vector<KeyedPeer> batch;
        auto st = m_c->mgetEach(keys, [&](qsizetype first, std::vector<std::optional<QByteArray>> &values) -> Status {
            batch.clear();
            for (size_t v = 0; v < values.size(); ++v) {
                if (!values[v])
                    continue; // expired or removed between SCAN and MGET
                auto r = peerFromJson(*values[v]);
                if (!r)
                    return Error::badInput(QStringLiteral("%1: key %2: %3").arg(label(), QString::fromUtf8(keys.at(first + static_cast<qsizetype>(v))), r.error().message));
                batch.push_back({ids[i + static_cast<size_t>(first) + v], std::move(*r)});
            }
            auto go = sink(batch);
            if (!go)
                return go.error();
            if (!*go) {
                stopped = true;
                return Error::usage(QString()); // stops the reading; not reported
            }
            return {};
        });
        if (!st && !stopped)
            return st;
    }
    return {};
}

Result<std::optional<Session>> RedisStore::readSession(const QString &name, const ReadOptions &options)
{
    auto raw = m_c->command({QByteArrayLiteral("GET"), key(name, "session")});
    if (!raw)
        return raw.error();
    if (raw->type != server::RedisReply::Type::String)
        return std::optional<Session>();
    auto rec = sessionFromJson(raw->str);
    wipe(raw->str);
    if (!rec)
        return Error::badInput(QStringLiteral("%1: session '%2': %3").arg(label(), name, rec.error().message));
    if (rec->sessionId.isEmpty())
        rec->sessionId = name;
    Session s = sessionFromRec(*rec);
    s.extra.insert(QStringLiteral("mtgo_session_name"), name);
    auto keys = sessionKeys(name);
    if (!keys)
        return keys.error();
    PeerCounts counts;
    auto st = forEachPeer(name, keys->peerIds, [&](std::vector<KeyedPeer> &batch) -> Result<bool> {
        for (const auto &[keyId, r] : batch) {
            if (options.loadPeers)
                s.peers.push_back(peerFromRec(r));
            else
                counts.add(r.type == 1 ? PeerKind::Chat : r.type == 2 ? PeerKind::Channel : PeerKind::User);
        }
        return true;
    });
    if (!st)
        return st.error();
    if (!options.loadPeers)
        s.peerCountsOnly = counts;
    auto us = m_c->command({QByteArrayLiteral("GET"), key(name, "update_state")});
    if (!us)
        return us.error();
    if (us->type == server::RedisReply::Type::String) {
        auto u = updateStateFromJson(us->str);
        if (!u)
            return u.error();
        s.updateState = *u;
    }
    auto chValues = m_c->mget(keys->channelPts);
    if (!chValues)
        return chValues.error();
    for (const auto &v : *chValues) {
        if (!v)
            continue;
        const QJsonObject o = QJsonDocument::fromJson(*v).object();
        if (!s.updateState)
            s.updateState = UpdateState{};
        s.updateState->channelPts.insert(o.value(QStringLiteral("channel_id")).toInteger(), o.value(QStringLiteral("pts")).toInteger());
    }
    if (!options.loadConversations) {
        s.conversationCountOnly = keys->conversations.size();
    } else {
        auto convValues = m_c->mget(keys->conversations);
        if (!convValues)
            return convValues.error();
        for (const auto &v : *convValues) {
            if (!v)
                continue;
            auto c = conversationFromJson(*v);
            if (!c)
                return c.error();
            s.conversations.push_back(std::move(*c));
        }
        std::sort(s.conversations.begin(), s.conversations.end(), [](const Conversation &a, const Conversation &b) {
            return std::tie(a.chatId, a.userId) < std::tie(b.chatId, b.userId);
        });
    }
    return std::optional<Session>(std::move(s));
}

Result<Store> RedisStore::read(const ReadOptions &options)
{
    auto store = readNamedSessions(*this, options, QStringLiteral("no mtgo session under prefix '%1'").arg(m_url.prefix));
    if (store)
        store->formatId = QStringLiteral("mtgo-redis");
    return store;
}

Status RedisStore::write(const Store &store, const QString &nameIn, const WriteOptions &options)
{
    if (store.accounts.empty())
        return Error::badInput(QStringLiteral("nothing to write: no account"));
    const Session &s = store.accounts.front();
    QString name = nameIn;
    if (name.isEmpty())
        name = s.extra.value(QStringLiteral("mtgo_session_name"), s.extra.value(QStringLiteral("mtgo_session_id"))).toString();
    if (name.isEmpty())
        return Error::usage(QStringLiteral("Redis keys sessions by name: give --session NAME"));
    auto exists = m_c->command({QByteArrayLiteral("EXISTS"), key(name, "session")}, true);
    if (!exists)
        return exists.error();
    QList<QList<QByteArray>> cmds;
    if (exists->integer > 0) {
        if (!options.force)
            return Error::output(QStringLiteral("%1 holds session '%2' under prefix '%3' already: --force replaces it (other sessions stay untouched)")
                                     .arg(label(), name, m_url.prefix));
        auto old = sessionKeys(name, true);
        if (!old)
            return Error::output(old.error().message);
        for (qsizetype i = 0; i < old->all.size(); i += 500) {
            QList<QByteArray> del{QByteArrayLiteral("DEL")};
            del << old->all.mid(i, 500);
            cmds << del;
        }
    }
    SessionRec rec = recFromSession(s, name);
    if (rec.dc <= 0)
        return Error::badInput(QStringLiteral("the session has no DC id"));
    QByteArray json = sessionToJson(rec);
    cmds << QList<QByteArray>{QByteArrayLiteral("SET"), key(name, "session"), json};
    if (options.carryPeers) {
        std::set<qint64> seen;
        for (const Peer &p : s.peers) {
            if (p.id <= 0)
                continue;
            const PeerRec r = recFromPeer(p);
            if (!seen.insert(r.id).second)
                continue;
            cmds << QList<QByteArray>{QByteArrayLiteral("SET"), key(name, "peer:" + QByteArray::number(r.id)), peerToJson(r)};
            if (!r.username.isEmpty())
                cmds << QList<QByteArray>{QByteArrayLiteral("SET"), key(name, "peer_uname:" + r.username.toUtf8()), QByteArray::number(r.id)};
        }
    }
    if (s.updateState) {
        const UpdateState &u = *s.updateState;
        if (u.pts || u.qts || u.date || u.seq)
            cmds << QList<QByteArray>{QByteArrayLiteral("SET"), key(name, "update_state"), updateStateToJson(rec.sessionId, u)};
        for (auto it = u.channelPts.constBegin(); it != u.channelPts.constEnd(); ++it)
            cmds << QList<QByteArray>{QByteArrayLiteral("SET"), key(name, "ch_pts:" + QByteArray::number(it.key())),
                                      channelPtsToJson(rec.sessionId, it.key(), it.value())};
    }
    for (const Conversation &c : s.conversations)
        cmds << QList<QByteArray>{QByteArrayLiteral("SET"), key(name, "conv:" + QByteArray::number(c.chatId) + ':' + QByteArray::number(c.userId)),
                                  conversationToJson(c)};
    auto st = m_c->transaction(cmds);
    m_names.reset();
    wipe(json);
    for (auto &c : cmds)
        if (!c.isEmpty() && c.first() == "SET" && c.at(1) == key(name, "session"))
            wipe(c.last());
    return st;
}

namespace {

class MtgoRedisFormat : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("mtgo-redis");
            f.displayName = QStringLiteral("mtgo-labs Redis store");
            f.sourceKind = SourceKind::File;
            f.capabilities = C::DcId | C::Address | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId | C::ApiHash | C::UpdateState
                | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones | C::Conversations | C::MultiAccount;
            f.pruneByFormat = true;
            f.namedSessions = true;
            return f;
        }();
        return d;
    }
    int detect(const Probe &p) const override { return p.serverScheme == QLatin1String("redis") ? 100 : 0; }
    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        if (source.isString())
            return Error::badInput(QStringLiteral("mtgo-redis needs a redis:// URL, not a string"));
        auto r = RedisStore::open(source.path);
        if (!r)
            return r.error();
        return (*r)->read(options);
    }
    Result<std::vector<Peer>> queryPeers(const Source &source, const PeerQuery &query, const ReadOptions &options) const override
    {
        auto r = RedisStore::open(source.path);
        if (!r)
            return r.error();
        auto name = (*r)->pickSession(options.session);
        if (!name)
            return name.error();
        auto keys = (*r)->sessionKeys(*name);
        if (!keys)
            return keys.error();
        std::vector<Peer> out;
        qint64 skipped = 0;
        auto st = (*r)->forEachPeer(*name, keys->peerIds, [&](std::vector<RedisStore::KeyedPeer> &batch) -> Result<bool> {
            for (const auto &[keyId, rec] : batch) {
                if (query.limit >= 0 && static_cast<qint64>(out.size()) >= query.limit)
                    return false;
                Peer p = peerFromRec(rec);
                if (!query.matches(p))
                    continue;
                if (skipped < query.offset) {
                    ++skipped;
                    continue;
                }
                out.push_back(std::move(p));
            }
            return true;
        });
        if (!st)
            return st.error();
        return out;
    }
    Result<std::unique_ptr<PeerTable>> openPeerTable(const Source &source, const ReadOptions &options, int account) const override
    {
        auto r = RedisStore::open(source.path);
        if (!r)
            return r.error();
        QString requested = options.session;
        if (requested.isEmpty()) {
            auto names = (*r)->sessionNames();
            if (!names)
                return names.error();
            if (account < 0 || account >= names->size())
                return Error::usage(QStringLiteral("no account %1 in %2").arg(account).arg(source.display()));
            requested = names->at(account);
        }
        // The peer table sorts and searches in memory (Redis has no query engine): every peer
        // of the session, read in batches.
        auto keys = (*r)->sessionKeys(requested);
        if (!keys)
            return keys.error();
        std::vector<Peer> peers;
        peers.reserve(keys->peerIds.size());
        auto st = (*r)->forEachPeer(requested, keys->peerIds, [&](std::vector<RedisStore::KeyedPeer> &batch) -> Result<bool> {
            for (const auto &[keyId, rec] : batch)
                peers.push_back(peerFromRec(rec));
            return true;
        });
        if (!st)
            return st.error();
        std::unique_ptr<PeerTable> t = std::make_unique<MemoryPeerTable>(std::move(peers));
        return t;
    }
    Result<PruneReport> prune(const QString &path, const PrunePolicy &policy, const PruneOptions &options) const override
    {
        auto r = RedisStore::open(path);
        if (!r)
            return r.error();
        auto name = (*r)->pickSession(options.session);
        if (!name)
            return name.error();
        return (*r)->prune(*name, policy, options);
    }
    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        auto r = RedisStore::open(path);
        if (!r)
            return r.error().kind == ErrorKind::BadInput ? Status(Error::output(r.error().message)) : Status(r.error());
        return (*r)->write(store, options.session, options);
    }
};

} // namespace
} // namespace mtgo

std::unique_ptr<Format> make_mtgo_redis() { return std::make_unique<mtgo::MtgoRedisFormat>(); }

} // namespace sd
