// gogram-cache: the gob-encoded InputPeerCache (cache.db / cache_<userId>.db), docs/formats.md 5.3.
//   InputChannels map[int64]int64  bare channel id -> access hash
//   InputUsers    map[int64]int64  bare user id -> access hash
//   UsernameMap   map[string]int64 username -> bare id (kind not recorded)
//   OwnerID       int64            the account's user id (Session::userId)
#include "formats/families.h"
#include "io/inputfile.h"
#include "formats/gogram/gob.h"

#include "io/atomicfile.h"

#include <QSet>

#include <map>

namespace sd {

namespace {

constexpr qint64 kMaxFile = inputcap::kGobFile;
const QString kChannels = QStringLiteral("InputChannels");
const QString kUsers = QStringLiteral("InputUsers");
const QString kUsernames = QStringLiteral("UsernameMap");
const QString kOwner = QStringLiteral("OwnerID");
const QString kUnresolved = QStringLiteral("gogram_unresolved_usernames");

bool isCacheStruct(const gob::WireType &t)
{
    if (t.kind != gob::WireKind::Struct || t.fields.empty())
        return false;
    int known = 0;
    for (const gob::WireField &f : t.fields)
        if (f.name == kChannels || f.name == kUsers || f.name == kUsernames || f.name == kOwner)
            ++known;
    return known > 0 && (known == static_cast<int>(t.fields.size()) || t.name == QLatin1String("InputPeerCache"));
}

Status readIdMap(const gob::Value *v, const QString &name, std::vector<std::pair<qint64, qint64>> &out)
{
    if (!v)
        return {};
    if (v->kind != gob::Kind::Map)
        return Error::badInput(QStringLiteral("gogram cache: %1 is not a map").arg(name));
    for (const gob::Entry &e : v->entries) {
        if (e.key.kind != gob::Kind::Int || e.value.kind != gob::Kind::Int)
            return Error::badInput(QStringLiteral("gogram cache: %1 is not map[int64]int64").arg(name));
        out.emplace_back(e.key.i, e.value.i);
    }
    return {};
}

Result<Session> toSession(const gob::Value &v, bool loadPeers, QStringList &warnings)
{
    Session s;
    if (const gob::Value *o = v.field(kOwner)) {
        if (o->kind != gob::Kind::Int)
            return Error::badInput(QStringLiteral("gogram cache: OwnerID is not an int"));
        if (o->i != 0)
            s.userId = o->i;
    }
    std::vector<std::pair<qint64, qint64>> users, channels;
    if (auto st = readIdMap(v.field(kUsers), kUsers, users); !st)
        return st.error();
    if (auto st = readIdMap(v.field(kChannels), kChannels, channels); !st)
        return st.error();
    std::vector<Peer> peers;
    peers.reserve(users.size() + channels.size());
    QHash<qint64, size_t> userIndex, channelIndex;
    for (const auto &[id, hash] : users) {
        Peer p;
        p.id = id;
        p.type = PeerType::User;
        p.accessHash = hash;
        userIndex.insert(id, peers.size());
        peers.push_back(std::move(p));
    }
    for (const auto &[id, hash] : channels) {
        Peer p;
        p.id = id;
        p.type = PeerType::Channel;
        p.accessHash = hash;
        channelIndex.insert(id, peers.size());
        peers.push_back(std::move(p));
    }
    if (const gob::Value *u = v.field(kUsernames)) {
        if (u->kind != gob::Kind::Map)
            return Error::badInput(QStringLiteral("gogram cache: UsernameMap is not a map"));
        QVariantMap unresolved;
        for (const gob::Entry &entry : u->entries) {
            const gob::Value &k = entry.key;
            const gob::Value &e = entry.value;
            if (k.kind != gob::Kind::String || e.kind != gob::Kind::Int)
                return Error::badInput(QStringLiteral("gogram cache: UsernameMap is not map[string]int64"));
            const QString name = QString::fromUtf8(k.bytes);
            size_t index = 0;
            if (userIndex.contains(e.i)) {
                index = userIndex.value(e.i);
            } else if (channelIndex.contains(e.i)) {
                index = channelIndex.value(e.i);
            } else {
                unresolved.insert(name, QVariant::fromValue<qint64>(e.i));
                continue;
            }
            Peer &p = peers[index];
            if (!p.usernames.contains(name))
                p.usernames << name;
        }
        if (!unresolved.isEmpty()) {
            s.extra.insert(kUnresolved, unresolved);
            warnings << QStringLiteral("%1 username(s) point to ids in neither map").arg(unresolved.size());
        }
    }
    if (loadPeers) {
        s.peers = std::move(peers);
    } else {
        PeerCounts c;
        for (const Peer &p : peers)
            c.add(p.kind());
        s.peerCountsOnly = c;
    }
    return s;
}

gob::Value intMap(const std::map<qint64, qint64> &m)
{
    gob::Value v;
    v.kind = gob::Kind::Map;
    for (const auto &[k, e] : m)
        v.entries.push_back(gob::Entry{gob::Value::ofInt(k), gob::Value::ofInt(e)});
    return v;
}

class GogramCache : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("gogram-cache");
            f.displayName = QStringLiteral("gogram peer cache (gob)");
            f.sourceKind = SourceKind::File;
            f.capabilities = C::UserId | C::Peers;
            f.fileName = QStringLiteral("cache_{uid}.db");
            f.fileNameNoUser = QStringLiteral("cache_{base}.db");
            f.pruneInMemory = true;
            f.peerKinds = {PeerKind::User, PeerKind::Channel}; // no basic groups (docs/formats.md 5.3)
            return f;
        }();
        return d;
    }

    int detect(const Probe &probe) const override
    {
        if (probe.isDirectory || probe.isSqlite || probe.head.isEmpty())
            return 0;
        auto types = gob::peekTypes(probe.head);
        if (!types)
            return 0;
        for (const gob::WireType &t : *types)
            if (isCacheStruct(t))
                return t.name == QLatin1String("InputPeerCache") ? 95 : 85;
        return 0;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        if (source.isString())
            return Error::badInput(QStringLiteral("gogram-cache is a file format, not a string"));
        auto data = readFileLimited(source.path, kMaxFile);
        if (!data)
            return data.error();
        auto stream = gob::decode(*data);
        if (!stream)
            return stream.error();
        for (const gob::TopValue &tv : stream->values) {
            const gob::WireType *t = stream->type(tv.typeId);
            if (!t || !isCacheStruct(*t))
                continue;
            Store store;
            store.formatId = id();
            auto s = toSession(tv.value, options.loadPeers, store.warnings);
            if (!s)
                return s.error();
            if (stream->values.size() > 1)
                store.warnings << QStringLiteral("the stream holds %1 values; the first peer cache was read").arg(stream->values.size());
            store.accounts.push_back(std::move(*s));
            return store;
        }
        return Error::badInput(QStringLiteral("gob stream without an InputPeerCache value"));
    }

    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        auto account = accountToWrite(store);
        if (!account)
            return account.error();
        const Session &s = **account;
        std::map<qint64, qint64> users, channels;
        std::map<QString, qint64> usernames;
        if (options.carryPeers) {
            for (const Peer &p : s.peers) {
                if (p.kind() == PeerKind::Chat)
                    continue; // gogram does not persist basic groups
                auto &m = p.kind() == PeerKind::User ? users : channels;
                m[p.id] = p.accessHash.value_or(0);
                for (const QString &u : p.usernames)
                    usernames[u] = p.id;
            }
            const QVariantMap unresolved = s.extra.value(kUnresolved).toMap();
            for (auto it = unresolved.constBegin(); it != unresolved.constEnd(); ++it)
                usernames.emplace(it.key(), it.value().toLongLong());
        }
        gob::Encoder enc;
        gob::WireType st;
        st.kind = gob::WireKind::Struct;
        st.name = QStringLiteral("InputPeerCache");
        st.id = gob::FirstUserId;
        st.fields = {{kChannels, 66}, {kUsers, 66}, {kUsernames, 67}, {kOwner, gob::TInt}};
        enc.define(st);
        gob::WireType m1;
        m1.kind = gob::WireKind::Map;
        m1.name = QStringLiteral("map[int64]int64");
        m1.id = 66;
        m1.key = gob::TInt;
        m1.elem = gob::TInt;
        enc.define(m1);
        gob::WireType m2 = m1;
        m2.name = QStringLiteral("map[string]int64");
        m2.id = 67;
        m2.key = gob::TString;
        enc.define(m2);

        gob::Value v;
        v.kind = gob::Kind::Struct;
        v.fields.push_back(gob::Field{kChannels, intMap(channels)});
        v.fields.push_back(gob::Field{kUsers, intMap(users)});
        gob::Value names;
        names.kind = gob::Kind::Map;
        for (const auto &[name, pid] : usernames)
            names.entries.push_back(gob::Entry{gob::Value::ofString(name), gob::Value::ofInt(pid)});
        v.fields.push_back(gob::Field{kUsernames, std::move(names)});
        v.fields.push_back(gob::Field{kOwner, gob::Value::ofInt(s.userId.value_or(0))});
        if (auto e = enc.encode(gob::FirstUserId, v); !e)
            return Error::output(e.error().message);
        return writeFileAtomic(path, enc.data(), options.force);
    }
};

} // namespace

std::unique_ptr<Format> make_gogram_cache() { return std::make_unique<GogramCache>(); }

} // namespace sd
