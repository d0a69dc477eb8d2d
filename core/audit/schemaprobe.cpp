#include "schemaprobe.h"

#include "sqlite/schematext.h"
#include "sqlite/sqlitedb.h"

#include <QFile>
#include <QFileInfo>
#include <optional>
#include <sqlite3.h>

namespace sd {

QuickSqlite::~QuickSqlite()
{
    if (m_db && !sqlite3_get_autocommit(m_db))
        sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr); // ends the read transaction: nothing was written
    sqlite3_close(m_db);
}

Result<std::unique_ptr<QuickSqlite>> QuickSqlite::open(const QString &path, int busyTimeoutMs)
{
    QString uriPath = QFileInfo(path).absoluteFilePath();
    uriPath.replace(QLatin1Char('%'), QLatin1String("%25"));
    uriPath.replace(QLatin1Char('?'), QLatin1String("%3f"));
    uriPath.replace(QLatin1Char('#'), QLatin1String("%23"));
    const QByteArray uri = (QStringLiteral("file:") + uriPath + QStringLiteral("?mode=ro")).toUtf8();
    configureSqlite();
    std::unique_ptr<QuickSqlite> self(new QuickSqlite);
    const int rc = sqlite3_open_v2(uri.constData(), &self->m_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const QString m = self->m_db ? QString::fromUtf8(sqlite3_errmsg(self->m_db)) : QStringLiteral("out of memory");
        return Error::badInput(QStringLiteral("cannot open as SQLite: %1").arg(m));
    }
    sqlite3 *db = self->m_db;
    sqlite3_busy_timeout(db, busyTimeoutMs);
    // One read transaction for the schema and every statement a direct reader runs after it: one
    // shared lock and one check of the file's change counter and side files, instead of one per
    // statement (the audit's profile showed those fcntl/stat/pread calls per statement), and all
    // of them see the same state of the file. A deferred BEGIN takes no lock until the first read.
    if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        return Error::badInput(QStringLiteral("cannot read the SQLite schema: %1").arg(QString::fromUtf8(sqlite3_errmsg(db))));
    sqlite3_stmt *st = nullptr;
    static const char sql[] = "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name";
    QMap<QString, QStringList> &out = self->m_schema;
    QStringList unparsed;
    int step = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    if (step == SQLITE_OK) {
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            const auto *t = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
            const auto *c = reinterpret_cast<const char *>(sqlite3_column_text(st, 1));
            const QString table = QString::fromUtf8(t ? t : "");
            const auto cols = columnsFromCreateSql(QString::fromUtf8(c ? c : ""));
            if (cols)
                out.insert(table, *cols);
            else
                unparsed << table;
        }
    }
    sqlite3_finalize(st);
    st = nullptr;
    // Anything the text parse did not understand: ask SQLite.
    for (const QString &table : unparsed) {
        if (step != SQLITE_DONE)
            break;
        QStringList cols;
        step = sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?)", -1, &st, nullptr);
        if (step != SQLITE_OK)
            break;
        const QByteArray tn = table.toUtf8();
        sqlite3_bind_text(st, 1, tn.constData(), static_cast<int>(tn.size()), SQLITE_TRANSIENT);
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            const auto *c = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
            cols << QString::fromUtf8(c ? c : "");
        }
        sqlite3_finalize(st);
        st = nullptr;
        out.insert(table, cols);
    }
    if (step != SQLITE_DONE) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_finalize(st);
        if (message.contains(QLatin1String("locked")) || message.contains(QLatin1String("busy")))
            return Error::badInput(QStringLiteral("database is locked by another process (a running client?)"));
        return Error::badInput(QStringLiteral("cannot read the SQLite schema: %1").arg(message));
    }
    return self;
}

Result<QMap<QString, QStringList>> quickSqliteSchema(const QString &path, int busyTimeoutMs)
{
    auto db = QuickSqlite::open(path, busyTimeoutMs);
    if (!db)
        return db.error();
    return (*db)->takeSchema();
}

} // namespace sd
