#pragma once
// A compact, read-only in-memory copy of what the peer browser filters and sorts on (issue 19):
// per row the marked id (4 bytes), the kind, the text the SQL search matches (one contiguous
// UTF-8 arena, ASCII-folded as SQLite's lower() folds, fields ended by NUL, one offset per row),
// and for each integer sort expression its ascending order (made once when built). Text orders
// are made on demand from the arena (the last one is kept). Rows are in ascending marked-id order
// (the view's Default order). About 42 bytes a peer on a Telethon file.
//
// It answers a PeerPageQuery with the same rows in the same order as SqlPeerTable
// (core/sqlite/sqlpeerengine.cpp) on SQLite:
//  * search: `lower(expr) LIKE '%needle%'` with needle = QString::toLower(trimmed text). SQLite's
//    lower() and LIKE fold ASCII only; a non-ASCII character matches itself only. The marked id
//    matches as decimal text. The search has no wildcards (likePattern escapes them).
//  * sort: the sort expression's value (integers numerically, text byte-wise as SQLite's BINARY
//    collation), ties in ascending marked-id order whatever the direction.
// A query it cannot answer exactly (a sort column it has no values for, a NUL in the search) is
// reported by supports(); the caller then asks SQL.
#include "format/peertable.h"

#include <QByteArray>
#include <QMutex>
#include <map>
#include <optional>
#include <memory>
#include <vector>

namespace sd {

// Ascending 64-bit marked ids in 4 bytes a row: the low 32 bits per row, and the high 32 bits
// once per run of rows that share them (a handful for real ids).
class MarkedIdColumn {
public:
    void reserve(size_t n) { m_low.reserve(n); }
    size_t size() const { return m_low.size(); }
    bool empty() const { return m_low.empty(); }
    qint64 back() const { return at(m_low.size() - 1); }
    void push_back(qint64 id);
    qint64 at(size_t row) const;
    qint64 operator[](size_t row) const { return at(row); }
    std::optional<size_t> find(qint64 id) const; // the row holding id
    void shrink_to_fit() { m_low.shrink_to_fit(); }
    size_t bytes() const { return m_low.size() * 4 + m_high.size() * sizeof(m_high[0]); }

private:
    std::vector<quint32> m_low;
    std::vector<std::pair<size_t, qint32>> m_high; // (first row, high word)
};

class PeerIndex {
public:
    // Peers edited in memory (Document's overlay), by marked id: they match on their new values.
    using Overlay = std::map<qint64, Peer>;

    // Building (SqlPeerTable::buildIndex): rows must come in strictly ascending marked id.
    struct SortSource {
        enum Kind { None, MarkedId, Constant, PeerKindColumn, Int, Text } kind = None;
        int intColumn = -1;   // Int: index into the int columns
        int field = -1;       // Text: which search field holds the value
        bool folded = false;  // Text: the value is the field with ASCII folded to lower case
        // Constant: a column the format does not keep; every row ties (ascending marked id).
    };
    PeerIndex(int textFields, int intColumns);
    void reserve(size_t rows, size_t arenaBytes);
    // fields: textFields values (may be empty); ints: intColumns values.
    // ints: one per int column; nullopt for a column that is not (or no longer) all integers.
    bool append(qint64 markedId, PeerKind kind, const QByteArray *fields, const std::optional<qint64> *ints);
    void setSortSource(PeerSortColumn column, SortSource source) { m_sort[int(column)] = source; }
    void finish(); // sorts the integer columns once (their values are then dropped)

    qint64 size() const { return static_cast<qint64>(m_marked.size()); }
    size_t memoryBytes() const;
    // True when select() gives exactly what SQL gives for q.
    bool supports(const PeerPageQuery &q) const;
    // The rows (indices) of q in order. overlay may be null.
    std::vector<quint32> select(const PeerPageQuery &q, const Overlay *overlay) const;
    qint64 markedIdAt(quint32 row) const { return m_marked.at(row); }

    // The SQL search rule on one text: ascii-folded text contains needle (already lower-cased).
    static bool foldedContains(const char *text, size_t len, const QByteArray &needle);
    static QByteArray needleFor(const QString &search) { return search.trimmed().toLower().toUtf8(); }

private:
    // Rows in ascending order of a column (ties in row = marked-id order); ties bit i: row i of
    // the order has the same key as row i-1.
    struct Order {
        std::vector<quint32> rows;
        std::vector<quint64> ties;
        bool tie(size_t i) const { return (ties[i >> 6] >> (i & 63)) & 1u; }
    };
    const char *field(quint32 row, int f, size_t *len) const;
    const Order &ascending(PeerSortColumn column) const;
    Order textOrder(const SortSource &s) const;
    // An integer column while building: 4 bytes a row while every value fits, 8 from the first
    // one that does not.
    struct IntColumn {
        std::vector<qint32> narrow;
        std::vector<qint64> wide;
        bool isWide = false;
        size_t size() const { return isWide ? wide.size() : narrow.size(); }
    };
    template <typename Keys>
    Order intOrder(const Keys &keys) const;
    bool peerMatches(const Peer &p, const QByteArray &needle) const;

    int m_fields;
    std::vector<bool> m_upper; // per field: some row had an upper-case ASCII letter (before folding)
    MarkedIdColumn m_marked;
    std::vector<quint8> m_kind;
    std::vector<quint32> m_offsets{0}; // size()+1
    std::vector<char> m_arena;
    std::vector<IntColumn> m_ints; // while building
    size_t m_reservedRows = 0;
    SortSource m_sort[8];
    std::map<int, Order> m_intOrders;   // integer columns: sorted once when built, values dropped
    mutable QMutex m_cacheMutex;
    mutable std::map<int, std::pair<Order, quint64>> m_cache; // text columns: (order, last use), the last one only
    mutable quint64 m_cacheUse = 0;
};

} // namespace sd
