#pragma once
// Helpers shared by the SQLite session formats (Telethon v1/v2, Pyrogram family, and any other
// SQLite format that wants them): opening a source read-only, reading the schema in one query,
// building LIKE filters and kind filters over marked ids, counting peers in one query, and a
// PeerTable that pages through a peer table with SQL on one open read-only connection.
#include "format/format.h"
#include "format/peertable.h"
#include "sqlite/sqlitedb.h"

#include <QMap>
#include <QSqlQuery>
#include <QStringList>
#include <functional>
#include <memory>

namespace sd::sqlc {

using Schema = QMap<QString, QStringList>; // table -> columns, in declaration order

// Opens a file source read-only (WAL snapshot, short busy timeout). String sources are refused.
Result<std::unique_ptr<SqliteDb>> openSource(const Source &source, const QString &formatName);
// Every table and its columns, in one query.
Result<Schema> readSchema(SqliteDb &db);

// "%text%" with %, _ and \ escaped; use with "LIKE ? ESCAPE '\'".
QString likePattern(const QString &text);
// SQL condition selecting one kind of marked id in column idExpr (never matches 0).
QString kindCondition(const QString &idExpr, PeerKind kind);
// The sum(...) expressions counting users, chats, channels of marked ids in idExpr.
Result<PeerCounts> countMarkedIds(SqliteDb &db, const QString &table, const QString &idColumn,
                                  const QString &extraWhere = {});

// Reads an integer column that may hold INTEGER, REAL or TEXT (pitfall 9).
inline std::optional<qint64> intAt(const QSqlQuery &q, int i) { return sqlInt(q.value(i)); }
inline std::optional<QString> textAt(const QSqlQuery &q, int i) { return sqlText(q.value(i)); }
// A phone stored with INTEGER affinity comes back as a number: give it back as digits.
std::optional<QString> phoneAt(const QSqlQuery &q, int i);

// Reads version.<column> (first row). nullopt when the table or row is missing.
Result<std::optional<qint64>> readVersion(SqliteDb &db, const QString &column);

// How one format exposes its peer cache to SQL.
struct PeerSql {
    QString from;               // FROM clause, e.g. "entities" or "peers p"
    QString idExpr;             // marked id expression, e.g. "id" or "p.id"
    QString baseWhere;          // always applied (e.g. "id <> 0"); may be empty
    QString columns;            // SELECT list; rowToPeer reads it positionally
    QStringList textSearch;     // expressions matched with LIKE (case-insensitive for ASCII)
    QStringList existsSearch;   // EXISTS subqueries with one "?" LIKE placeholder each
    QMap<PeerSortColumn, QString> sortExpr; // missing = id
    std::function<Peer(const QSqlQuery &)> rowToPeer;
};

// WHERE clause (without the keyword; "1" when empty) and its binds for a filter.
QString whereClause(const PeerSql &spec, const PeerQuery &filter, QVariantList &binds);
QString orderClause(const PeerSql &spec, PeerSortColumn sort, bool descending);

Result<std::vector<Peer>> queryPeers(SqliteDb &db, const PeerSql &spec, const PeerQuery &query,
                                     PeerSortColumn sort = PeerSortColumn::Default, bool descending = false);
Result<qint64> countPeers(SqliteDb &db, const PeerSql &spec, const PeerQuery &filter);

// Unfiltered views in id order page straight from the table (rowid order). Any other view (a filter,
// another sort column) is evaluated once into a TEMP table of marked ids in view order, so count()
// and every later page cost one indexed lookup per row instead of a scan and sort per page.
class SqlPeerTable : public PeerTable {
public:
    SqlPeerTable(std::unique_ptr<SqliteDb> db, PeerSql spec) : m_db(std::move(db)), m_spec(std::move(spec)) {}
    Result<qint64> count(const PeerPageQuery &query) override;
    Result<std::vector<Peer>> fetch(const PeerPageQuery &query, qint64 offset, qint64 limit) override;

private:
    static bool direct(const PeerPageQuery &query);
    Status materialize(const PeerPageQuery &query);
    std::unique_ptr<SqliteDb> m_db;
    PeerSql m_spec;
    bool m_viewValid = false;
    PeerPageQuery m_view;
    qint64 m_viewCount = 0;
};

// Runs statements inside the write target; the error is an Output error naming the step.
Status execWrite(SqliteDb &db, const QString &sql, const QVariantList &binds = {});
Status execScript(SqliteDb &db, const QStringList &statements);

// A QVariant carrying a BLOB (an empty, non-null blob for an empty key).
QVariant blobValue(const QByteArray &bytes);
QVariant nullInt();
QVariant nullText();

// Splits "host:port" / "[v6]:port" / "v6:port". Port 0 when absent or invalid.
std::pair<QString, int> splitHostPort(const QString &addr);
QString joinHostPort(const QString &host, int port, bool ipv6);

// Peers that a Telethon/Pyrogram-style cache can hold: not min, and with an access hash for
// users and channels (basic groups need none).
bool cacheablePeer(const Peer &p);

} // namespace sd::sqlc
