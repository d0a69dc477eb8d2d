#pragma once
// A PeerTable (and queryPeers) over one SQL peers table, shared by the SQLite formats of this folder
// and of mtgo/ferogram: filtering by kind and search text, ORDER BY and LIMIT/OFFSET run in SQL on
// one open read-only connection, only the requested page is turned into Peer values.
#include "format/peertable.h"
#include "sqlite/sqlitedb.h"

#include <QMap>
#include <functional>

namespace sd {

struct SqlPeerSchema {
    QString from;                    // FROM clause (table, optionally joined)
    QString columns;                 // select list handed to rowToPeer in this order
    QString kindExpr;                // SQL expression: 0 user, 1 chat, 2 channel
    QString idExpr;                  // bare id expression
    QString markedIdExpr;            // marked id expression (default order, search)
    QStringList searchTextExprs;     // text columns matched case-insensitively with LIKE
    QMap<PeerSortColumn, QString> sortExprs;
    std::function<Peer(const QSqlQuery &)> rowToPeer;
};

class SqlPeerTable : public PeerTable {
public:
    SqlPeerTable(std::unique_ptr<SqliteDb> db, SqlPeerSchema schema)
        : m_db(std::move(db)), m_schema(std::move(schema)) {}
    Result<qint64> count(const PeerPageQuery &query) override;
    Result<std::vector<Peer>> fetch(const PeerPageQuery &query, qint64 offset, qint64 limit) override;

private:
    std::unique_ptr<SqliteDb> m_db;
    SqlPeerSchema m_schema;
};

// WHERE clause (with leading " WHERE " or empty) and its binds for a filter.
QString sqlPeerWhere(const SqlPeerSchema &schema, const PeerQuery &filter, QVariantList &binds);
Result<qint64> sqlPeerCount(SqliteDb &db, const SqlPeerSchema &schema, const PeerQuery &filter);
Result<std::vector<Peer>> sqlPeerFetch(SqliteDb &db, const SqlPeerSchema &schema, const PeerPageQuery &query,
                                       qint64 offset, qint64 limit);
// One statement prepared once and run for many rows (bulk writes).
class SqlBatch {
public:
    SqlBatch(SqliteDb &db, const QString &sql);
    // Binds values positionally and runs the statement; errors are Output errors naming the file.
    Status run(const QVariantList &values);

private:
    SqliteDb &m_db;
    QSqlQuery m_query;
    QString m_sql;
    bool m_prepared = false;
};

// users/chats/channels counted in SQL (ReadOptions::loadPeers == false).
Result<PeerCounts> sqlPeerCounts(SqliteDb &db, const SqlPeerSchema &schema);

} // namespace sd
