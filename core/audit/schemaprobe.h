#pragma once
// A fast, read-only schema probe for the audit (one sqlite3 connection, one statement), so that
// scanning thousands of SQLite files does not pay for a Qt connection per file. Rollback-journal
// files only: WAL databases go through SqliteDb::openReadOnly's snapshot copy instead.
#include "util/result.h"

#include <QMap>
#include <QStringList>

namespace sd {

// table -> columns. Error when the file is not a readable database (or is busy).
Result<QMap<QString, QStringList>> quickSqliteSchema(const QString &path, int busyTimeoutMs);

} // namespace sd
