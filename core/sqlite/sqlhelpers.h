#pragma once
// Small helpers shared by the SQLite session formats: reading the schema in one query, typed
// column readers, the version row, write steps with Output errors, bulk statements. The peer
// cache itself goes through the SQL peer engine (sqlite/sqlpeerengine.h).
#include "format/format.h"
#include "sqlite/sqlitedb.h"

#include <QMap>
#include <QSqlQuery>
#include <QStringList>
#include <memory>

namespace sd::sqlc {

using Schema = QMap<QString, QStringList>; // table -> columns, in declaration order

// Every table and its columns, in one query.
Result<Schema> readSchema(SqliteDb &db);

// Reads an integer column that may hold INTEGER, REAL or TEXT (pitfall 9).
inline std::optional<qint64> intAt(const QSqlQuery &q, int i) { return sqlInt(q.value(i)); }
inline std::optional<QString> textAt(const QSqlQuery &q, int i) { return sqlText(q.value(i)); }
// A phone stored with INTEGER affinity comes back as a number: give it back as digits.
std::optional<QString> phoneAt(const QSqlQuery &q, int i);

// Reads version.<column> (first row). nullopt when the table or row is missing.
Result<std::optional<qint64>> readVersion(SqliteDb &db, const QString &column);

// Runs statements inside the write target; the error is an Output error naming the step.
Status execWrite(SqliteDb &db, const QString &sql, const QVariantList &binds = {});
Status execScript(SqliteDb &db, const QStringList &statements);

// A QVariant carrying a BLOB (an empty, non-null blob for an empty key).
QVariant blobValue(const QByteArray &bytes);
QVariant nullInt();
QVariant nullText();

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

// Peers that a Telethon/Pyrogram-style cache can hold: not min, and with an access hash for
// users and channels (basic groups need none).
bool cacheablePeer(const Peer &p);

} // namespace sd::sqlc
