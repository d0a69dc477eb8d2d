#pragma once
// A fast, read-only schema probe for the audit (one sqlite3 connection, one statement), so that
// scanning thousands of SQLite files does not pay for a Qt connection per file. Rollback-journal
// files only: WAL databases go through SqliteDb::openReadOnly's snapshot copy instead.
#include "util/result.h"

#include <QMap>
#include <QStringList>
#include <memory>

struct sqlite3;

namespace sd {

// One read-only sqlite3 connection (mode=ro URI, no mutex: used by one thread) inside one read
// transaction (ended when the object is destroyed), and the schema it read. The audit keeps it open after detection so that a format with a direct reader
// (readTelethonV1ForAudit) reads the rows on the same connection instead of opening the file again.
class QuickSqlite {
public:
    ~QuickSqlite();
    QuickSqlite(const QuickSqlite &) = delete;
    QuickSqlite &operator=(const QuickSqlite &) = delete;

    // Error when the file is not a readable database (or is busy).
    static Result<std::unique_ptr<QuickSqlite>> open(const QString &path, int busyTimeoutMs);
    sqlite3 *handle() const { return m_db; }
    // table -> columns, in declaration order.
    const QMap<QString, QStringList> &schema() const { return m_schema; }
    QMap<QString, QStringList> takeSchema() { return std::move(m_schema); }

private:
    QuickSqlite() = default;
    sqlite3 *m_db = nullptr;
    QMap<QString, QStringList> m_schema;
};

// table -> columns. Error when the file is not a readable database (or is busy).
Result<QMap<QString, QStringList>> quickSqliteSchema(const QString &path, int busyTimeoutMs);

} // namespace sd
