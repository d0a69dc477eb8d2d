#include "schemaprobe.h"

#include "sqlite/sqlitedb.h"

#include <QFile>
#include <QFileInfo>
#include <optional>
#include <sqlite3.h>

namespace sd {

namespace {

QString unquote(QString t)
{
    t = t.trimmed();
    if (t.size() >= 2) {
        const QChar a = t.front(), b = t.back();
        if ((a == QLatin1Char('"') && b == QLatin1Char('"')) || (a == QLatin1Char('`') && b == QLatin1Char('`')) ||
            (a == QLatin1Char('[') && b == QLatin1Char(']')) || (a == QLatin1Char('\'') && b == QLatin1Char('\'')))
            return t.mid(1, t.size() - 2);
    }
    return t;
}

// Column names of a CREATE TABLE statement as sqlite_master stores it (ALTER TABLE ADD COLUMN
// rewrites that text, so it is current). nullopt when the text is not understood.
std::optional<QStringList> columnsFromCreate(const QString &sql)
{
    const qsizetype open = sql.indexOf(QLatin1Char('('));
    if (open < 0)
        return std::nullopt;
    QStringList items;
    int depth = 0;
    QChar quote;
    QString cur;
    for (qsizetype i = open + 1; i < sql.size(); ++i) {
        const QChar c = sql[i];
        if (!quote.isNull()) {
            cur += c;
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == QLatin1Char('"') || c == QLatin1Char('\'') || c == QLatin1Char('`')) {
            quote = c;
        } else if (c == QLatin1Char('[')) {
            quote = QLatin1Char(']');
        } else if (c == QLatin1Char('(')) {
            ++depth;
        } else if (c == QLatin1Char(')')) {
            if (depth == 0) {
                items << cur;
                cur.clear();
                break;
            }
            --depth;
        } else if (c == QLatin1Char(',') && depth == 0) {
            items << cur;
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (!cur.isEmpty())
        return std::nullopt; // unbalanced
    static const QStringList constraints = {QStringLiteral("constraint"), QStringLiteral("primary"), QStringLiteral("unique"),
                                            QStringLiteral("check"), QStringLiteral("foreign")};
    QStringList cols;
    for (const QString &item : items) {
        const QString t = item.trimmed();
        if (t.isEmpty())
            return std::nullopt;
        QString name;
        if (t.front() == QLatin1Char('"') || t.front() == QLatin1Char('`') || t.front() == QLatin1Char('[') || t.front() == QLatin1Char('\'')) {
            const QChar close = t.front() == QLatin1Char('[') ? QLatin1Char(']') : t.front();
            const qsizetype end = t.indexOf(close, 1);
            if (end < 0)
                return std::nullopt;
            name = t.left(end + 1);
        } else {
            qsizetype end = 0;
            while (end < t.size() && !t[end].isSpace())
                ++end;
            name = t.left(end);
            if (constraints.contains(name.toLower()))
                continue;
        }
        cols << unquote(name);
    }
    return cols;
}

} // namespace

Result<QMap<QString, QStringList>> quickSqliteSchema(const QString &path, int busyTimeoutMs)
{
    QString uriPath = QFileInfo(path).absoluteFilePath();
    uriPath.replace(QLatin1Char('%'), QLatin1String("%25"));
    uriPath.replace(QLatin1Char('?'), QLatin1String("%3f"));
    uriPath.replace(QLatin1Char('#'), QLatin1String("%23"));
    const QByteArray uri = (QStringLiteral("file:") + uriPath + QStringLiteral("?mode=ro")).toUtf8();
    configureSqlite();
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(uri.constData(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const QString m = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QStringLiteral("out of memory");
        sqlite3_close(db);
        return Error::badInput(QStringLiteral("cannot open as SQLite: %1").arg(m));
    }
    sqlite3_busy_timeout(db, busyTimeoutMs);
    sqlite3_stmt *st = nullptr;
    static const char sql[] = "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name";
    QMap<QString, QStringList> out;
    QStringList unparsed;
    int step = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    if (step == SQLITE_OK) {
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            const auto *t = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
            const auto *c = reinterpret_cast<const char *>(sqlite3_column_text(st, 1));
            const QString table = QString::fromUtf8(t ? t : "");
            const auto cols = columnsFromCreate(QString::fromUtf8(c ? c : ""));
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
        const QByteArray q = QStringLiteral("SELECT name FROM pragma_table_info(?)").toUtf8();
        step = sqlite3_prepare_v2(db, q.constData(), -1, &st, nullptr);
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
