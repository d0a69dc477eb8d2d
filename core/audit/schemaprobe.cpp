#include "schemaprobe.h"

#include <QFile>
#include <QFileInfo>
#include <sqlite3.h>

namespace sd {

Result<QMap<QString, QStringList>> quickSqliteSchema(const QString &path, int busyTimeoutMs)
{
    QString uriPath = QFileInfo(path).absoluteFilePath();
    uriPath.replace(QLatin1Char('%'), QLatin1String("%25"));
    uriPath.replace(QLatin1Char('?'), QLatin1String("%3f"));
    uriPath.replace(QLatin1Char('#'), QLatin1String("%23"));
    const QByteArray uri = (QStringLiteral("file:") + uriPath + QStringLiteral("?mode=ro")).toUtf8();
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(uri.constData(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const QString m = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QStringLiteral("out of memory");
        sqlite3_close(db);
        return Error::badInput(QStringLiteral("cannot open as SQLite: %1").arg(m));
    }
    sqlite3_busy_timeout(db, busyTimeoutMs);
    sqlite3_stmt *st = nullptr;
    static const char sql[] = "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
                              "WHERE m.type = 'table' ORDER BY m.name, p.cid";
    QMap<QString, QStringList> out;
    int step = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    if (step == SQLITE_OK) {
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            const auto *t = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
            const auto *c = reinterpret_cast<const char *>(sqlite3_column_text(st, 1));
            out[QString::fromUtf8(t ? t : "")] << QString::fromUtf8(c ? c : "");
        }
    }
    const QString message = QString::fromUtf8(sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (step != SQLITE_DONE) {
        if (message.contains(QLatin1String("locked")) || message.contains(QLatin1String("busy")))
            return Error::badInput(QStringLiteral("database is locked by another process (a running client?)"));
        return Error::badInput(QStringLiteral("cannot read the SQLite schema: %1").arg(message));
    }
    return out;
}

} // namespace sd
