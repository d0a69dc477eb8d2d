#include "format.h"

#include "format/peertable.h"
#include "io/atomicfile.h"

namespace sd {

bool PeerQuery::matches(const Peer &peer) const
{
    if (kind && peer.kind() != *kind)
        return false;
    if (search.isEmpty())
        return true;
    const QString needle = this->needle();
    if (QString::number(peer.id).contains(needle) || QString::number(peer.markedId()).contains(needle))
        return true;
    for (const QString &u : peer.usernames)
        if (u.contains(needle, Qt::CaseInsensitive))
            return true;
    if (peer.phone && peer.phone->contains(needle))
        return true;
    if (peer.name && peer.name->contains(needle, Qt::CaseInsensitive))
        return true;
    return false;
}

Error Format::notSupported(const QString &what) const
{
    return Error::usage(QStringLiteral("%1 is not supported for format %2").arg(what, id()));
}

Result<QByteArray> Format::encodeString(const Session &, const WriteOptions &) const
{
    return notSupported(QStringLiteral("writing a string"));
}

Status Format::write(const Store &, const QString &, const WriteOptions &) const
{
    return notSupported(QStringLiteral("writing"));
}

Result<std::vector<Peer>> Format::queryPeers(const Source &source, const PeerQuery &query,
                                             const ReadOptions &options) const
{
    ReadOptions o = options;
    o.loadPeers = true;
    o.loadConversations = false;
    auto store = read(source, o);
    if (!store)
        return store.error();
    std::vector<Peer> out;
    qint64 skipped = 0;
    for (const Session &s : store->accounts) {
        for (const Peer &p : s.peers) {
            if (!query.matches(p))
                continue;
            if (skipped < query.offset) {
                ++skipped;
                continue;
            }
            if (query.limit >= 0 && static_cast<qint64>(out.size()) >= query.limit)
                return out;
            out.push_back(p);
        }
    }
    return out;
}

Result<QByteArray> readStringSource(const Source &source)
{
    if (source.isString())
        return normalizeSessionString(source.text);
    auto data = readFileLimited(source.path, 64 * 1024);
    if (!data)
        return data.error();
    QByteArray n = normalizeSessionString(*data);
    wipe(*data);
    return n;
}

Error nothingToWrite()
{
    return Error::badInput(QStringLiteral("nothing to write: the source holds no account"));
}

Result<const Session *> accountToWrite(const Store &store)
{
    if (store.accounts.empty())
        return nothingToWrite();
    return &store.accounts.front();
}


} // namespace sd

namespace sd {

Result<std::unique_ptr<PeerTable>> Format::openPeerTable(const Source &source, const ReadOptions &options, int account) const
{
    ReadOptions o = options;
    o.loadPeers = true;
    o.loadConversations = false;
    auto store = read(source, o);
    if (!store)
        return store.error();
    if (account < 0 || account >= static_cast<int>(store->accounts.size()))
        return Error::usage(QStringLiteral("no account %1 in %2").arg(account).arg(source.display()));
    std::unique_ptr<PeerTable> t = std::make_unique<MemoryPeerTable>(std::move(store->accounts[static_cast<size_t>(account)].peers));
    return t;
}

Result<PruneReport> Format::prune(const QString &path, const PrunePolicy &policy, const PruneOptions &options) const
{
    Q_UNUSED(path);
    Q_UNUSED(policy);
    Q_UNUSED(options);
    return Error::badInput(QStringLiteral("format %1 has no peer cache to prune").arg(id()));
}

} // namespace sd
