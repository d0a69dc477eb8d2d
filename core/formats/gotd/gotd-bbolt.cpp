// gotd-bbolt: gotd/botapi's bbolt state file (docs/formats.md 6.3). The session_ bucket holds the gotd
// session JSON; hashes_<kind>_ buckets map bare peer ids to access hashes (int64 LE); users_,
// chats_, channels_ hold gotd's TL objects (kept as raw bytes); state_ and channel_pts_ the
// update state.
#include "formats/families.h"
#include "formats/gotd/bbolt.h"
#include "formats/gotd/gotdsession.h"

#include "io/atomicfile.h"

#include <QFileInfo>
#include <QSet>
#include <QtEndian>

namespace sd {

namespace {

const QByteArray kSessionBucket("session_");
const QByteArray kSessionKey("session");
const QByteArray kStateBucket("state_");
const QByteArray kChannelPtsBucket("channel_pts_");

struct KindBuckets {
    PeerType type;
    const char *hashes;
    const char *objects;
};
// peers.Key.Prefix is "users_", "chats_", "channel_" (singular); the object buckets are plural.
const KindBuckets kKinds[] = {
    {PeerType::User, "hashes_users_", "users_"},
    {PeerType::Chat, "hashes_chats_", "chats_"},
    {PeerType::Channel, "hashes_channel_", "channels_"},
};

std::optional<qint64> parseInt(const QByteArray &v)
{
    if (v.size() < 8)
        return std::nullopt;
    return qFromLittleEndian<qint64>(v.constData());
}

QByteArray formatInt(qint64 v)
{
    QByteArray b(8, '\0');
    qToLittleEndian<qint64>(v, b.data());
    return b;
}

// Entries of an optional top-level bucket (missing = empty).
Result<std::vector<bbolt::Entry>> optionalBucket(const bbolt::Reader &r, const QByteArray &name)
{
    if (!r.hasBucket(name))
        return std::vector<bbolt::Entry>{};
    return r.entries({name});
}

// Edit in place (docs/security.md, "Writing"): every top-level bucket of the existing file that this
// writer does not own (application buckets, gogram/botapi *Fulls_ buckets, ...) is carried whole:
// every key and value, nested buckets at any depth bbolt::Reader::tree accepts, and each bucket's
// sequence. The existing file is mapped read-only (bbolt::Reader::openFile), never read whole into
// memory (docs/security.md, "Reading"): only the foreign buckets' keys and values are copied.
Status carryForeignBuckets(const QString &existing, std::vector<bbolt::Tree> &foreign)
{
    if (!QFileInfo(existing).isFile())
        return {};
    auto reader = bbolt::Reader::openFile(existing);
    if (!reader)
        return Error::output(QStringLiteral("the existing %1 is not a readable bbolt file (%2); nothing was changed").arg(existing, reader.error().message));
    auto top = reader->entries({});
    if (!top)
        return Error::output(QStringLiteral("cannot list the buckets of %1: %2").arg(existing, top.error().message));
    QSet<QByteArray> owned{kSessionBucket, kStateBucket, kChannelPtsBucket};
    for (const KindBuckets &kb : kKinds)
        owned << QByteArray(kb.hashes) << QByteArray(kb.objects);
    for (const bbolt::Entry &b : *top) {
        if (!b.isBucket || owned.contains(b.key))
            continue;
        auto tree = reader->tree({b.key});
        if (!tree)
            return Error::output(QStringLiteral("cannot read bucket %1 of %2 (%3); nothing was changed").arg(QString::fromUtf8(b.key), existing, tree.error().message));
        tree->sequence = b.value.size() >= 16 ? qFromLittleEndian<quint64>(b.value.constData() + 8) : 0;
        foreign.push_back(std::move(*tree));
    }
    return {};
}

void wipeTree(bbolt::Tree &t)
{
    for (auto kv = t.values.begin(); kv != t.values.end(); ++kv)
        wipe(kv.value());
    for (bbolt::Tree &child : t.buckets)
        wipeTree(child);
}

class GotdBbolt : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("gotd-bbolt");
            f.displayName = QStringLiteral("gotd/botapi bbolt state");
            f.sourceKind = SourceKind::File;
            f.capabilities = C::DcId | C::Address | C::TestFlag | C::AuthKey | C::Peers | C::UpdateState | C::ChannelPts;
            f.fileName = QStringLiteral("{uid}.bbolt");
            f.fileNameNoUser = QStringLiteral("{base}.bbolt");
            f.pruneInMemory = true;
            return f;
        }();
        return d;
    }

    int detect(const Probe &p) const override
    {
        if (p.isDirectory || p.isSqlite || p.head.size() < 32)
            return 0;
        const quint16 flags = qFromLittleEndian<quint16>(p.head.constData() + 8);
        const quint32 magic = qFromLittleEndian<quint32>(p.head.constData() + 16);
        return (flags & 0x04) && magic == bbolt::kMagic ? 85 : 0;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        if (source.isString())
            return Error::badInput(QStringLiteral("a bbolt state is a file, not a string"));
        auto reader = bbolt::Reader::openFile(source.path);
        if (!reader)
            return reader.error();
        const bbolt::Reader &r = *reader;

        Store store;
        store.formatId = id();
        Session s;
        auto sess = optionalBucket(r, kSessionBucket);
        if (!sess)
            return sess.error();
        bool haveSession = false;
        for (bbolt::Entry &e : *sess) {
            if (e.key != kSessionKey || e.isBucket)
                continue;
            auto parsed = gotd::parseSessionJson(e.value, options.ignoreVersion, &store.warnings);
            wipe(e.value);
            if (!parsed)
                return Error::badInput(QStringLiteral("session_ bucket: %1").arg(parsed.error().message));
            s = std::move(*parsed);
            haveSession = true;
        }
        if (!haveSession)
            store.warnings << QStringLiteral("the file holds no gotd session (no session_/session key)");

        // Update state.
        auto state = optionalBucket(r, kStateBucket);
        if (!state)
            return state.error();
        UpdateState us;
        bool haveState = false;
        for (const bbolt::Entry &e : *state) {
            const auto v = parseInt(e.value);
            if (!v || e.isBucket)
                continue;
            haveState = true;
            if (e.key == "pts")
                us.pts = *v;
            else if (e.key == "qts")
                us.qts = *v;
            else if (e.key == "date")
                us.date = *v;
            else if (e.key == "seq")
                us.seq = *v;
        }
        auto cpts = optionalBucket(r, kChannelPtsBucket);
        if (!cpts)
            return cpts.error();
        for (const bbolt::Entry &e : *cpts) {
            const auto k = parseInt(e.key), v = parseInt(e.value);
            if (k && v && !e.isBucket) {
                us.channelPts.insert(*k, *v);
                haveState = true;
            }
        }
        if (haveState)
            s.updateState = us;

        // Peers: access hashes, plus the TL object when gotd stored one.
        PeerCounts counts;
        for (const KindBuckets &kb : kKinds) {
            auto hashes = optionalBucket(r, QByteArray(kb.hashes));
            if (!hashes)
                return hashes.error();
            QHash<qint64, QByteArray> objects;
            if (options.loadPeers) {
                auto objs = optionalBucket(r, QByteArray(kb.objects));
                if (!objs)
                    return objs.error();
                for (const bbolt::Entry &e : *objs)
                    if (auto k = parseInt(e.key); k && !e.isBucket)
                        objects.insert(*k, e.value);
            }
            for (const bbolt::Entry &e : *hashes) {
                const auto idv = parseInt(e.key), hash = parseInt(e.value);
                if (!idv || !hash || e.isBucket || *idv <= 0)
                    continue;
                if (!options.loadPeers) {
                    counts.add(peerKind(kb.type));
                    continue;
                }
                Peer p;
                p.id = *idv;
                p.type = kb.type;
                p.accessHash = *hash;
                const auto obj = objects.constFind(*idv);
                if (obj != objects.constEnd()) {
                    p.raw = *obj;
                    p.rawFormat = id();
                }
                s.peers.push_back(std::move(p));
            }
        }
        if (!options.loadPeers)
            s.peerCountsOnly = counts;
        store.accounts.push_back(std::move(s));
        return store;
    }

    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        if (store.accounts.empty())
            return Error::badInput(QStringLiteral("nothing to write: no account"));
        const Session &s = store.accounts.front();
        auto json = gotd::buildSessionJson(s);
        if (!json)
            return json.error();
        QMap<QByteArray, bbolt::Bucket> buckets;
        buckets[kSessionBucket].insert(kSessionKey, *json);
        wipe(*json);
        if (s.updateState) {
            const UpdateState &u = *s.updateState;
            bbolt::Bucket &st = buckets[kStateBucket];
            st.insert("pts", formatInt(u.pts.value_or(0)));
            st.insert("qts", formatInt(u.qts.value_or(0)));
            st.insert("date", formatInt(u.date.value_or(0)));
            st.insert("seq", formatInt(u.seq.value_or(0)));
            if (!u.channelPts.isEmpty()) {
                bbolt::Bucket &cp = buckets[kChannelPtsBucket];
                for (auto it = u.channelPts.cbegin(); it != u.channelPts.cend(); ++it)
                    cp.insert(formatInt(it.key()), formatInt(it.value()));
            }
        }
        if (options.carryPeers) {
            for (const Peer &p : s.peers) {
                if (!p.accessHash || p.id <= 0)
                    continue;
                const KindBuckets &kb = kKinds[p.kind() == PeerKind::User ? 0 : p.kind() == PeerKind::Chat ? 1 : 2];
                buckets[QByteArray(kb.hashes)].insert(formatInt(p.id), formatInt(*p.accessHash));
                if (p.rawFormat == id() && !p.raw.isEmpty())
                    buckets[QByteArray(kb.objects)].insert(formatInt(p.id), p.raw);
            }
        }
        std::vector<bbolt::Tree> foreign;
        if (auto st = carryForeignBuckets(options.carryFrom.isEmpty() ? path : options.carryFrom, foreign); !st)
            return st;
        QByteArray bytes = bbolt::write(buckets, foreign);
        for (auto it = buckets.begin(); it != buckets.end(); ++it)
            for (auto kv = it->begin(); kv != it->end(); ++kv)
                wipe(kv.value());
        for (bbolt::Tree &t : foreign)
            wipeTree(t);
        const Status st = writeFileAtomic(path, bytes, options.force);
        wipe(bytes);
        return st;
    }
};

} // namespace

std::unique_ptr<Format> make_gotd_bbolt()
{
    return std::make_unique<GotdBbolt>();
}

} // namespace sd
