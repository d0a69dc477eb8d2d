#include "sqlhelpers.h"

#include "sqlite/schematext.h"

#include <QSqlError>

#include <algorithm>

namespace sd::sqlc {

Result<Schema> readSchema(SqliteDb &db)
{
    // One statement for the whole schema: the CREATE TABLE text is parsed here, and only a table
    // whose text is not understood costs a PRAGMA table_info.
    auto q = db.exec(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    if (!q)
        return q.error();
    Schema out;
    QStringList unparsed;
    int guard = 0;
    while (q->next()) {
        if (++guard > 10000)
            return Error::badInput(QStringLiteral("the database schema is implausibly large"));
        const QString table = q->value(0).toString();
        if (auto cols = columnsFromCreateSql(q->value(1).toString()))
            out.insert(table, *cols);
        else
            unparsed << table;
    }
    for (const QString &table : unparsed) {
        auto cols = db.exec(QStringLiteral("SELECT name FROM pragma_table_info(?) ORDER BY cid"), {table});
        if (!cols)
            return cols.error();
        QStringList names;
        while (cols->next()) {
            if (++guard > 100000)
                return Error::badInput(QStringLiteral("the database schema is implausibly large"));
            names << cols->value(0).toString();
        }
        out.insert(table, names);
    }
    return out;
}

std::optional<QString> phoneAt(const QSqlQuery &q, int i)
{
    const QVariant v = q.value(i);
    if (v.isNull() || !v.isValid())
        return std::nullopt;
    switch (v.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return QString::number(v.toLongLong());
    case QMetaType::Double: {
        // An all-digit phone too long for INTEGER may be kept as REAL; print it without exponent.
        return QString::number(v.toDouble(), 'f', 0);
    }
    default:
        return sqlText(v);
    }
}

Result<std::optional<qint64>> readVersion(SqliteDb &db, const QString &column)
{
    auto q = db.exec(QStringLiteral("SELECT \"%1\" FROM version LIMIT 1").arg(column));
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<qint64>();
    return intAt(*q, 0);
}

Status execWrite(SqliteDb &db, const QString &sql, const QVariantList &binds)
{
    auto q = db.exec(sql, binds);
    if (!q)
        return Error::output(q.error().message);
    return {};
}

Status execScript(SqliteDb &db, const QStringList &statements)
{
    auto st = db.execAll(statements);
    if (!st)
        return Error::output(st.error().message);
    return {};
}

QVariant blobValue(const QByteArray &bytes)
{
    // A null QByteArray binds SQL NULL; Telethon writes an empty (non-null) blob for "no key".
    if (bytes.isEmpty())
        return QVariant(QByteArray("", 0));
    return QVariant(bytes);
}

QVariant nullInt() { return QVariant(QMetaType(QMetaType::LongLong)); }
QVariant nullText() { return QVariant(QMetaType(QMetaType::QString)); }

SqlBatch::SqlBatch(SqliteDb &db, const QString &sql) : m_db(db), m_query(db.db()), m_sql(sql)
{
    m_prepared = m_query.prepare(sql);
}

Status SqlBatch::run(const QVariantList &values)
{
    if (!m_prepared)
        return Error::output(m_db.queryError(m_query, QStringLiteral("preparing \"%1\"").arg(m_sql.left(60))).message);
    for (int i = 0; i < values.size(); ++i)
        m_query.bindValue(i, values[i]);
    if (!m_query.exec())
        return Error::output(m_db.queryError(m_query, QStringLiteral("running \"%1\"").arg(m_sql.left(60))).message);
    return {};
}

bool cacheablePeer(const Peer &p)
{
    if (p.isMin || p.id <= 0)
        return false;
    return p.kind() == PeerKind::Chat || p.accessHash.has_value();
}

} // namespace sd::sqlc
