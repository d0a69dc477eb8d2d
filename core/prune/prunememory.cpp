// Pruning for peer caches that are not SQLite (gogram-cache, gramjs-store, ferogram-binary,
// gotd-bbolt): read everything through the format, prune in memory, back up, write the result through
// the format's own writer next to the store, read it back, and put it in place atomically.
#include "prune.h"

#include "convert/convert.h"
#include "io/atomicfile.h"
#include "io/replacetarget.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFileInfo>

namespace sd {

namespace {
qint64 pathBytes(const QString &path)
{
    const QFileInfo fi(path);
    if (!fi.isDir())
        return fi.size();
    qint64 n = 0;
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        n += it.fileInfo().size();
    }
    return n;
}
} // namespace

Result<PruneReport> pruneInMemory(const Format &format, const QString &path, const PrunePolicy &policy,
                                  const PruneOptions &options)
{
    const qint64 now = policy.now > 0 ? policy.now : QDateTime::currentSecsSinceEpoch();

    ReadOptions ro;
    ro.loadPeers = true;
    auto store = format.read(Source::fromPath(path), ro);
    if (!store)
        return store.error();

    PruneReport r;
    r.dryRun = options.dryRun;
    r.bytesBefore = pathBytes(path);
    for (Session &s : store->accounts) {
        qint64 phones = 0;
        const auto gone = selectPeersToPrune(s.peers, policy, now, !options.dryRun, &phones);
        r.phonesCleared += phones;
        std::vector<Peer> keep;
        keep.reserve(s.peers.size() - gone.size());
        size_t g = 0;
        for (size_t i = 0; i < s.peers.size(); ++i) {
            if (g < gone.size() && gone[g] == i) {
                r.removed.add(s.peers[i].kind());
                ++g;
            } else {
                keep.push_back(std::move(s.peers[i]));
            }
        }
        r.kept += static_cast<qint64>(keep.size());
        s.peers = std::move(keep);
        s.peerCountsOnly.reset();
    }
    // The store is rewritten through the format's writer: a key that is not 256 bytes is never
    // written (docs/security.md, "Truthful answers"), so the prune is refused (exit 3) before any
    // backup or write; a dry run says so too, as it tells what a real run would do.
    if (auto st = checkWritableKeys(*store); !st)
        return st.error();
    if (options.dryRun) {
        r.bytesAfter = r.bytesBefore;
        return r;
    }
    // A running client holding the store (flock, POSIX locks): refused before the backup, so that
    // exit 5 leaves nothing behind (docs/security.md).
    if (auto st = refuseHeldTarget(path); !st)
        return st.error();
    if (options.backup) {
        auto b = writeBackup(path);
        if (!b)
            return b.error();
        r.backup = *b;
    }
    // The pruned store is built under its final name in a private folder next to the store (the
    // writer carries what it does not own from the store itself), read back, and only then put in
    // place: any error leaves the store unchanged (docs/security.md).
    StagedOutput staged;
    if (auto st = staged.begin(path); !st)
        return st.error();
    WriteOptions wo;
    wo.force = false;
    wo.carryPeers = true;
    wo.variant = store->variant;
    wo.carryFrom = path;
    if (auto st = format.write(*store, staged.path(), wo); !st)
        return st.error();
    {
        auto back = format.read(Source::fromPath(staged.path()), ro);
        if (!back)
            return Error::output(QStringLiteral("the pruned store does not read back (%1 is unchanged): %2").arg(path, back.error().message));
        if (back->accounts.size() != store->accounts.size())
            return Error::output(QStringLiteral("the pruned store reads back with %1 account(s) instead of %2 (%3 is unchanged)")
                                     .arg(back->accounts.size())
                                     .arg(store->accounts.size())
                                     .arg(path));
        for (size_t i = 0; i < store->accounts.size(); ++i) {
            const Session &want = store->accounts[i], &got = back->accounts[i];
            const DcAuth *a = want.primary(), *b = got.primary();
            if ((a == nullptr) != (b == nullptr) || (a && a->authKeyId() != b->authKeyId()))
                return Error::output(QStringLiteral("the pruned store reads back with another auth key for account %1 (%2 is unchanged)")
                                         .arg(i)
                                         .arg(path));
            if (got.peers.size() != want.peers.size())
                return Error::output(QStringLiteral("the pruned store reads back with %1 peers instead of %2 for account %3 (%4 is unchanged)")
                                         .arg(got.peers.size())
                                         .arg(want.peers.size())
                                         .arg(i)
                                         .arg(path));
        }
    }
    if (auto st = staged.commit(true); !st)
        return st.error();
    r.bytesAfter = pathBytes(path);
    return r;
}

} // namespace sd
