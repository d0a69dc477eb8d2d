// mtgo-redis: mtgo-labs/storage's Redis adapter (docs/formats.md 7.2). Keys are
// <prefix>:<session>:<part> with Go encoding/json values; several sessions share a database and a
// prefix. Listing is SCAN + MGET in batches (as the adapter does); a prune removes exactly the peer
// keys and the peer_uname keys that point at them, in one MULTI/EXEC; a write replaces exactly one
// session's keys.
#include "formats/families.h"
#include "formats/mtgo/mtgo-records.h"
#include "formats/mtgo/mtgo-sqlstore.h"
#include "prune/prune.h"
#include "server/redisconnection.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>
#include <set>

namespace sd {
namespace mtgo {
namespace {

using server::RedisConnection;

// The parts mtgo's redis adapter writes under <prefix>:<session>: (docs/formats.md 7.2).
const QList<QByteArray> kParts = {"session", "peer", "peer_uname", "conv", "update_state", "ch_pts", "dedup", "durable"};

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

class RedisStore {
public:
    RedisStore(std::shared_ptr<RedisConnection> c, server::ServerUrl url) : m_c(std::move(c)), m_url(std::move(url)) {}

    QByteArray base(const QString &session) const { return m_url.prefix.toUtf8() + ':' + session.toUtf8() + ':'; }
    QByteArray key(const QString &session, const QByteArray &part) const { return base(session) + part; }
    QByteArray pattern(const QString &session, const QByteArray &part) const { return globEscape(base(session)) + part; }
    QString label() const { return m_url.display(); }

    Result<QStringList> sessionNames()
    {
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
        return names;
    }

    Result<QString> pickSession(const QString &requested)
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

    // Keys <base>part:<suffix> of this session only, with suffix accepted by keep.
    Result<QList<QByteArray>> keysOf(const QString &session, const QByteArray &part, const std::function<bool(const QByteArray &)> &keep)
    {
        const QByteArray head = key(session, part) + ':';
        QList<QByteArray> out;
        auto st = m_c->scan(pattern(session, part + ":*"), [&](const QList<QByteArray> &keys) -> Status {
            for (const QByteArray &k : keys)
                if (k.startsWith(head) && keep(k.mid(head.size())))
                    out << k;
            return {};
        });
        if (!st)
            return st.error();
        return out;
    }

    static bool isInteger(const QByteArray &s)
    {
        bool ok = false;
        s.toLongLong(&ok);
        return ok;
    }

    Result<std::vector<PeerRec>> peerRecs(const QString &session)
    {
        auto keys = keysOf(session, "peer", isInteger);
        if (!keys)
            return keys.error();
        auto values = m_c->mget(*keys);
        if (!values)
            return values.error();
        std::vector<PeerRec> out;
        out.reserve(values->size());
        for (size_t i = 0; i < values->size(); ++i) {
            if (!(*values)[i])
                continue; // expired or removed between SCAN and MGET
            auto r = peerFromJson(*(*values)[i]);
            if (!r)
                return Error::badInput(QStringLiteral("%1: key %2: %3").arg(label(), QString::fromUtf8(keys->at(static_cast<qsizetype>(i))), r.error().message));
            out.push_back(*r);
        }
        std::sort(out.begin(), out.end(), [](const PeerRec &a, const PeerRec &b) { return a.id < b.id; });
        return out;
    }

    Result<std::optional<Session>> readSession(const QString &name, const ReadOptions &options)
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
        auto peers = peerRecs(name);
        if (!peers)
            return peers.error();
        if (options.loadPeers) {
            for (const PeerRec &r : *peers)
                s.peers.push_back(peerFromRec(r));
        } else {
            PeerCounts c;
            for (const PeerRec &r : *peers)
                c.add(r.type == 1 ? PeerKind::Chat : r.type == 2 ? PeerKind::Channel : PeerKind::User);
            s.peerCountsOnly = c;
        }
        auto us = m_c->command({QByteArrayLiteral("GET"), key(name, "update_state")});
        if (!us)
            return us.error();
        if (us->type == server::RedisReply::Type::String) {
            auto u = updateStateFromJson(us->str);
            if (!u)
                return u.error();
            s.updateState = *u;
        }
        auto chKeys = keysOf(name, "ch_pts", isInteger);
        if (!chKeys)
            return chKeys.error();
        auto chValues = m_c->mget(*chKeys);
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
        auto convKeys = keysOf(name, "conv", [](const QByteArray &) { return true; });
        if (!convKeys)
            return convKeys.error();
        if (!options.loadConversations) {
            s.conversationCountOnly = convKeys->size();
        } else {
            auto convValues = m_c->mget(*convKeys);
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

    Result<Store> read(const ReadOptions &options)
    {
        Store store;
        store.formatId = QStringLiteral("mtgo-redis");
        QStringList names;
        if (!options.session.isEmpty()) {
            auto p = pickSession(options.session);
            if (!p)
                return p.error();
            names << *p;
        } else {
            auto all = sessionNames();
            if (!all)
                return all.error();
            names = *all;
        }
        if (names.isEmpty())
            store.warnings << QStringLiteral("no mtgo session under prefix '%1'").arg(m_url.prefix);
        for (const QString &n : names) {
            auto s = readSession(n, options);
            if (!s)
                return s.error();
            if (*s)
                store.accounts.push_back(std::move(**s));
        }
        return store;
    }

    // Every key of session name (and of no other session whose name extends it with ':').
    Result<QList<QByteArray>> allKeys(const QString &name)
    {
        auto names = sessionNames();
        if (!names)
            return names.error();
        QList<QByteArray> others;
        for (const QString &n : *names)
            if (n != name && n.startsWith(name + QLatin1Char(':')))
                others << base(n);
        const QByteArray head = base(name);
        QList<QByteArray> out;
        auto st = m_c->scan(globEscape(head) + '*', [&](const QList<QByteArray> &keys) -> Status {
            for (const QByteArray &k : keys) {
                if (!k.startsWith(head))
                    continue;
                if (std::any_of(others.begin(), others.end(), [&](const QByteArray &o) { return k.startsWith(o); }))
                    continue;
                const QByteArray rest = k.mid(head.size());
                const qsizetype colon = rest.indexOf(':');
                const QByteArray first = colon < 0 ? rest : rest.left(colon);
                if (kParts.contains(first))
                    out << k;
            }
            return {};
        });
        if (!st)
            return st.error();
        return out;
    }

    Status write(const Store &store, const QString &nameIn, const WriteOptions &options)
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
            auto old = allKeys(name);
            if (!old)
                return Error::output(old.error().message);
            for (qsizetype i = 0; i < old->size(); i += 500) {
                QList<QByteArray> del{QByteArrayLiteral("DEL")};
                del << old->mid(i, 500);
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
        wipe(json);
        for (auto &c : cmds)
            if (!c.isEmpty() && c.first() == "SET" && c.at(1) == key(name, "session"))
                wipe(c.last());
        return st;
    }

    Result<PruneReport> prune(const QString &name, const PrunePolicy &policy, const PruneOptions &options)
    {
        const qint64 now = policy.now > 0 ? policy.now : QDateTime::currentSecsSinceEpoch();
        ReadOptions ro;
        auto read = readSession(name, ro);
        if (!read)
            return read.error();
        if (!*read)
            return Error::badInput(QStringLiteral("no session '%1' in %2").arg(name, label()));
        Session &s = **read;
        if (policy.olderThanDays && !s.peers.empty()
            && std::none_of(s.peers.begin(), s.peers.end(), [](const Peer &p) { return p.updated.has_value(); }))
            return Error::usage(QStringLiteral("no peer of this session has a last_updated time (mtgo never sets it, docs/formats.md 7.1): "
                                               "--older-than would remove nothing; use --keep-newest N or --type"));
        std::vector<Peer> work = s.peers;
        qint64 phones = 0;
        const auto gone = selectPeersToPrune(work, policy, now, true, &phones);
        PruneReport r;
        r.dryRun = options.dryRun;
        QList<QList<QByteArray>> cmds;
        QList<QByteArray> unameKeys;
        QList<QByteArray> unameIds;
        size_t g = 0;
        for (size_t i = 0; i < work.size(); ++i) {
            const PeerRec rec = recFromPeer(s.peers[i]);
            if (g < gone.size() && gone[g] == i) {
                ++g;
                r.removed.add(s.peers[i].kind());
                cmds << QList<QByteArray>{QByteArrayLiteral("DEL"), key(name, "peer:" + QByteArray::number(rec.id))};
                for (const QString &u : s.peers[i].usernames) {
                    unameKeys << key(name, "peer_uname:" + u.toUtf8());
                    unameIds << QByteArray::number(rec.id);
                }
            } else {
                ++r.kept;
                if (s.peers[i].phone && !work[i].phone) {
                    ++r.phonesCleared;
                    PeerRec cleared = rec;
                    cleared.phone.clear();
                    cmds << QList<QByteArray>{QByteArrayLiteral("SET"), key(name, "peer:" + QByteArray::number(rec.id)), peerToJson(cleared),
                                              QByteArrayLiteral("KEEPTTL")};
                }
            }
        }
        // A peer_uname key goes with its peer only while it still points at that peer.
        auto unames = m_c->mget(unameKeys);
        if (!unames)
            return unames.error();
        for (qsizetype i = 0; i < unameKeys.size(); ++i)
            if ((*unames)[static_cast<size_t>(i)] && (*unames)[static_cast<size_t>(i)]->trimmed() == unameIds[i])
                cmds << QList<QByteArray>{QByteArrayLiteral("DEL"), unameKeys[i]};
        if (options.dryRun || cmds.isEmpty())
            return r;
        if (options.backup) {
            QString base = QStringLiteral("mtgo-redis-%1").arg(name.isEmpty() ? QStringLiteral("session") : name);
            base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
            auto b = writeSessionBackup(s, QStringLiteral("mtgo-redis"), QDir::current().filePath(base + QStringLiteral(".sessiondesk.json")));
            if (!b)
                return b.error();
            r.backup = *b;
        }
        if (auto st = m_c->transaction(cmds); !st)
            return st.error();
        return r;
    }

private:
    std::shared_ptr<RedisConnection> m_c;
    server::ServerUrl m_url;
};

Result<std::unique_ptr<RedisStore>> openRedis(const QString &path)
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
        auto r = openRedis(source.path);
        if (!r)
            return r.error();
        return (*r)->read(options);
    }
    Result<std::vector<Peer>> queryPeers(const Source &source, const PeerQuery &query, const ReadOptions &options) const override
    {
        auto r = openRedis(source.path);
        if (!r)
            return r.error();
        auto name = (*r)->pickSession(options.session);
        if (!name)
            return name.error();
        auto recs = (*r)->peerRecs(*name);
        if (!recs)
            return recs.error();
        std::vector<Peer> out;
        qint64 skipped = 0;
        for (const PeerRec &rec : *recs) {
            Peer p = peerFromRec(rec);
            if (!query.matches(p))
                continue;
            if (skipped < query.offset) {
                ++skipped;
                continue;
            }
            if (query.limit >= 0 && static_cast<qint64>(out.size()) >= query.limit)
                break;
            out.push_back(std::move(p));
        }
        return out;
    }
    Result<std::unique_ptr<PeerTable>> openPeerTable(const Source &source, const ReadOptions &options, int account) const override
    {
        auto r = openRedis(source.path);
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
        auto recs = (*r)->peerRecs(requested);
        if (!recs)
            return recs.error();
        std::vector<Peer> peers;
        peers.reserve(recs->size());
        for (const PeerRec &rec : *recs)
            peers.push_back(peerFromRec(rec));
        std::unique_ptr<PeerTable> t = std::make_unique<MemoryPeerTable>(std::move(peers));
        return t;
    }
    Result<PruneReport> prune(const QString &path, const PrunePolicy &policy, const PruneOptions &options) const override
    {
        auto r = openRedis(path);
        if (!r)
            return r.error();
        auto name = (*r)->pickSession(options.session);
        if (!name)
            return name.error();
        return (*r)->prune(*name, policy, options);
    }
    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        auto r = openRedis(path);
        if (!r)
            return r.error().kind == ErrorKind::BadInput ? Status(Error::output(r.error().message)) : Status(r.error());
        return (*r)->write(store, options.session, options);
    }
};

} // namespace
} // namespace mtgo

std::unique_ptr<Format> make_mtgo_redis() { return std::make_unique<mtgo::MtgoRedisFormat>(); }

} // namespace sd
