#pragma once
// The one SQL peer engine every SQL format uses (SQLite files and PostgreSQL stores alike):
// filtering by kind and search text, sorting and paging run in SQL on one open connection, and
// only the rows asked for become Peer values.
//  * A row's kind and marked id come from the format's descriptor (SqlPeerMapping::kindExpr and
//    markedIdExpr), selected next to the format's own columns: the reader, prune, dedupe and the
//    browser therefore agree on every row, odd ones included.
//  * One tie-break rule: rows equal on the sort column keep ascending marked-id order, whatever
//    the direction (what MemoryPeerTable's stable sort does). A column a format does not keep
//    sorts as a constant.
//  * SqlPeerTable pages an unfiltered id-ordered view of a marked-id table straight from the
//    table; on SQLite any other view is materialised once into a private table of keys in view
//    order, so count() and every later page cost one indexed lookup per row. On PostgreSQL every
//    view is paged with ORDER BY ... LIMIT/OFFSET on the server (its top-N sort), which keeps the
//    first page of a million-row store fast (docs/formats.md 7.2) instead of numbering every row.
//  * A table keyed by bare ids (mtgo) can name its marked-id runs: parts of the table whose key
//    order is marked-id order. A marked-id page then merges one LIMITed index walk per run
//    instead of sorting the whole table.
#include "format/descriptor.h"
#include "format/peertable.h"
#include "sqlite/sqlconnection.h"

#include <QMap>
#include <functional>

namespace sd {

// Rows of a view whose order by orderExpr is their marked-id order (reversed: the opposite order).
struct SqlMarkedRun {
    QString where;
    QString orderExpr;
    bool reversed = false;
};

struct SqlPeerView {
    QString from;                  // FROM clause: "entities" or "peers p"
    QString keyExpr;               // the stored key (primary key): "id", "p.id"
    QString markedIdExpr;          // from the mapping
    QString kindExpr;              // from the mapping
    QString baseWhere;             // rows that are peers
    QVariantList baseBinds;        // values of the "?" in baseWhere (a store's session name)
    QString kindWhere[3];          // user, chat, channel rows
    bool keyIsMarkedId = false;    // key order == marked-id order (pages straight from the table)
    QString columns;               // the format's select list, read positionally by rowToPeer
    QStringList searchText;        // text expressions matched case-insensitively with LIKE
    QStringList existsSearch;      // conditions with one "?" LIKE pattern placeholder each
    QMap<PeerSortColumn, QString> sortExprs; // missing column: sorts as a constant
    std::function<Peer(const QSqlQuery &)> rowToPeer;
    // Together, every row of the view (optional; see the header comment).
    QList<SqlMarkedRun> markedRuns;
};

// The view skeleton of a mapping (from, key, kind, marked id, base rows); alias names the table
// in FROM ("p" gives "peers p").
SqlPeerView peerViewFor(const SqlPeerMapping &mapping, const QString &alias = {});

// "%text%" with %, _ and \ escaped; use with "LIKE ? ESCAPE '\'".
QString likePattern(const QString &text);
// WHERE condition (never empty) and its binds for a filter. Text is matched as lower(expr) LIKE;
// with the SQLite dialect as CAST(expr AS TEXT) LIKE, the same rows (see peerWhere in the .cpp).
QString peerWhere(const SqlPeerView &view, const PeerQuery &filter, QVariantList &binds);
QString peerWhere(const SqlPeerView &view, const PeerQuery &filter, QVariantList &binds, const SqlDialect &dialect);
// ORDER BY list (without the keywords) for a sort, with the tie-break.
QString peerOrder(const SqlPeerView &view, PeerSortColumn sort, bool descending);

Result<qint64> countPeers(SqlConnection &db, const SqlPeerView &view, const PeerQuery &filter);
Result<std::vector<Peer>> fetchPeers(SqlConnection &db, const SqlPeerView &view, const PeerQuery &filter,
                                     PeerSortColumn sort, bool descending, qint64 offset, qint64 limit);
// query.offset/limit apply; id order.
Result<std::vector<Peer>> queryPeers(SqlConnection &db, const SqlPeerView &view, const PeerQuery &query);
// users/chats/channels counted in SQL (ReadOptions::loadPeers == false), in one scan.
Result<PeerCounts> countPeersByKind(SqlConnection &db, const SqlPeerView &view);

class SqlPeerTable : public PeerTable {
public:
    SqlPeerTable(std::unique_ptr<SqlConnection> db, SqlPeerView view) : m_db(std::move(db)), m_view(std::move(view)) {}
    Result<qint64> count(const PeerPageQuery &query) override;
    Result<std::vector<Peer>> fetch(const PeerPageQuery &query, qint64 offset, qint64 limit) override;
    Result<PeerCounts> countByKind() override { return countPeersByKind(*m_db, m_view); }
    // SQLite stores keyed on the marked id whose search is the searchText expressions only.
    Result<std::shared_ptr<const PeerIndex>> buildIndex(const std::atomic<bool> *cancel) override;
    Result<std::vector<Peer>> fetchMarked(const std::vector<qint64> &markedIds) override;

private:
    bool direct(const PeerPageQuery &query) const;
    Status materialize(const PeerPageQuery &query);
    std::unique_ptr<SqlConnection> m_db;
    SqlPeerView m_view;
    bool m_valid = false;
    PeerPageQuery m_current;
    qint64 m_count = 0;
};

} // namespace sd
