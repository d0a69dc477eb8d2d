#include "schematext.h"

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

// A generated column ("... GENERATED ALWAYS AS (expr)" or "... AS (expr)"): PRAGMA table_info
// hides those, so such a table is left to it.
bool hasGeneratedColumn(const QString &sql)
{
    if (sql.contains(QLatin1String("generated"), Qt::CaseInsensitive))
        return true;
    for (qsizetype i = sql.indexOf(QLatin1String("as"), 0, Qt::CaseInsensitive); i >= 0;
         i = sql.indexOf(QLatin1String("as"), i + 2, Qt::CaseInsensitive)) {
        if (i > 0 && (sql[i - 1].isLetterOrNumber() || sql[i - 1] == QLatin1Char('_')))
            continue;
        qsizetype j = i + 2;
        while (j < sql.size() && sql[j].isSpace())
            ++j;
        if (j < sql.size() && sql[j] == QLatin1Char('('))
            return true;
    }
    return false;
}

} // namespace

std::optional<QStringList> columnsFromCreateSql(const QString &sql)
{
    // Comments survive in sqlite_master's text and may hold commas or parentheses: leave those
    // statements to PRAGMA table_info.
    if (sql.contains(QLatin1String("--")) || sql.contains(QLatin1String("/*")) || hasGeneratedColumn(sql))
        return std::nullopt;
    // The column list starts at the first '(' outside a quoted table name.
    qsizetype open = -1;
    {
        QChar q;
        for (qsizetype i = 0; i < sql.size() && open < 0; ++i) {
            const QChar c = sql[i];
            if (!q.isNull())
                q = c == q ? QChar() : q;
            else if (c == QLatin1Char('"') || c == QLatin1Char('\'') || c == QLatin1Char('`'))
                q = c;
            else if (c == QLatin1Char('['))
                q = QLatin1Char(']');
            else if (c == QLatin1Char('('))
                open = i;
        }
    }
    if (open < 0)
        return std::nullopt;
    QStringList items;
    int depth = 0;
    bool closed = false;
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
                closed = true;
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
    if (!closed)
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
            if (end < 0 || (end + 1 < t.size() && t[end + 1] == close))
                return std::nullopt; // unterminated, or an escaped quote ("a""b"): leave it to PRAGMA
            name = t.left(end + 1);
        } else {
            // An unquoted name ends where SQLite's identifier characters end (a quote may follow
            // directly: `la"x"` is the column la with type "x").
            qsizetype end = 0;
            while (end < t.size() && (t[end].isLetterOrNumber() || t[end] == QLatin1Char('_') || t[end] == QLatin1Char('$')
                                      || t[end].unicode() >= 0x80))
                ++end;
            if (end == 0)
                return std::nullopt;
            name = t.left(end);
            if (constraints.contains(name.toLower()))
                continue;
        }
        cols << unquote(name);
    }
    return cols;
}

} // namespace sd
