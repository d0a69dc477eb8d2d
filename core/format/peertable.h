#pragma once
// A live, paged view of one account's peer cache, for the lazy GUI model and the peers command.
// SQLite formats implement it with SQL (WHERE/ORDER BY/LIMIT/OFFSET on an open read-only
// connection); every other format gets MemoryPeerTable over the peers it read.
// A PeerTable is used from one thread only (QSqlDatabase connections are thread-bound): create
// it in the thread that queries it.
#include "format/format.h"

#include <atomic>
#include <memory>
#include <vector>

namespace sd {

class PeerIndex;

enum class PeerSortColumn { Default, Id, Type, Username, Phone, Name, Updated, AccessHash };

struct PeerPageQuery {
    PeerQuery filter;                        // kind + search text (limit/offset ignored)
    PeerSortColumn sort = PeerSortColumn::Default;
    bool descending = false;
};

class PeerTable {
public:
    virtual ~PeerTable() = default;
    virtual Result<qint64> count(const PeerPageQuery &query) = 0;
    virtual Result<std::vector<Peer>> fetch(const PeerPageQuery &query, qint64 offset, qint64 limit) = 0;
    // Every row counted by kind (no filter); SQL tables do it in one scan.
    virtual Result<PeerCounts> countByKind();
    // The compact in-memory index of this table (core/format/peerindex.h), read in one pass;
    // nullptr when this table cannot give one that answers exactly as it does. cancel (may be
    // null) stops the pass early (nullptr then).
    virtual Result<std::shared_ptr<const PeerIndex>> buildIndex(const std::atomic<bool> *cancel)
    {
        Q_UNUSED(cancel);
        return std::shared_ptr<const PeerIndex>();
    }
    // The rows with these marked ids, in the order given (ids not found are left out). Tables
    // that give an index implement it.
    virtual Result<std::vector<Peer>> fetchMarked(const std::vector<qint64> &markedIds)
    {
        Q_UNUSED(markedIds);
        return Error::usage(QStringLiteral("this peer table has no lookup by marked id"));
    }
};

class MemoryPeerTable : public PeerTable {
public:
    explicit MemoryPeerTable(std::vector<Peer> peers) : m_peers(std::move(peers)) {}
    Result<qint64> count(const PeerPageQuery &query) override;
    Result<std::vector<Peer>> fetch(const PeerPageQuery &query, qint64 offset, qint64 limit) override;

private:
    const std::vector<const Peer *> &view(const PeerPageQuery &query);
    std::vector<Peer> m_peers;
    std::vector<const Peer *> m_view;
    bool m_viewValid = false;
    PeerQuery m_viewFilter;
    PeerSortColumn m_viewSort = PeerSortColumn::Default;
    bool m_viewDesc = false;
};

// Compares two peers on a column (shared by MemoryPeerTable and callers that sort in memory).
bool peerLess(const Peer &a, const Peer &b, PeerSortColumn column);

} // namespace sd
