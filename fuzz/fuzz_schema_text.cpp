// libFuzzer target for the CREATE TABLE text parser (core/sqlite/schematext), differential against
// SQLite itself: the input is the part of a statement after "CREATE TABLE t ". Whatever the text,
// the parser must not crash; when SQLite accepts the statement, the parser must either decline or
// name exactly the columns PRAGMA table_info reports, in order.
#include "fuzzcommon.h"

#include "sqlite/schematext.h"

#include <sqlite3.h>

namespace sdfuzz::t_schema_text {

using namespace sd;

inline QStringList pragmaColumns(sqlite3 *db)
{
    QStringList out;
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('t') ORDER BY cid", -1, &st, nullptr) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW)
            out << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    return out;
}

inline int run(const uint8_t *data, size_t size)
{
    tempDir();
    const QByteArray body = bytesOf(data, size);
    (void)columnsFromCreateSql(QString::fromUtf8(body));
    (void)columnsFromCreateSql(QStringLiteral("CREATE TABLE t ") + QString::fromUtf8(body));
    // Only column lists reach SQLite ("AS SELECT ..." could run an endless query), and no NULs.
    if (body.size() > 4096 || body.contains('\0') || !body.trimmed().startsWith('('))
        return 0;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return 0;
    }
    const QByteArray create = "CREATE TABLE t " + body;
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(db, create.constData(), static_cast<int>(create.size()), &st, nullptr) == SQLITE_OK && st &&
        sqlite3_step(st) == SQLITE_DONE) {
        sqlite3_finalize(st);
        st = nullptr;
        QString stored;
        if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 't'", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            stored = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        st = nullptr;
        if (const auto cols = columnsFromCreateSql(stored))
            check(*cols == pragmaColumns(db));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}

} // namespace sdfuzz::t_schema_text

SD_FUZZ_ENTRY(t_schema_text)
