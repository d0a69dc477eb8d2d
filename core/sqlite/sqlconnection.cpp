#include "sqlconnection.h"

#include "sqlite/sqlitedb.h"

namespace sd {

const SqlDialect &SqlDialect::sqlite()
{
    static const SqlDialect d{Sqlite};
    return d;
}

const SqlDialect &SqlDialect::postgreSql()
{
    static const SqlDialect d{PostgreSql};
    return d;
}

QString SqlDialect::viewTable() const
{
    return kind == Sqlite ? QStringLiteral("temp.sd_peer_view") : QStringLiteral("pg_temp.sd_peer_view");
}

QString SqlDialect::createViewTable() const
{
    // sd_pos is the row's place in the view (1..N); on SQLite it is the rowid, so a page is a range scan.
    return kind == Sqlite ? QStringLiteral("CREATE TABLE temp.sd_peer_view (sd_pos INTEGER PRIMARY KEY, sd_key)")
                          : QStringLiteral("CREATE TEMP TABLE sd_peer_view (sd_pos BIGINT PRIMARY KEY, sd_key BIGINT)");
}

QString SqlDialect::pageClause(qint64 offset, qint64 limit, QVariantList &binds) const
{
    offset = std::max<qint64>(0, offset);
    if (limit >= 0) {
        binds << limit << offset;
        return QStringLiteral(" LIMIT ? OFFSET ?");
    }
    if (offset == 0)
        return {};
    binds << offset;
    // SQLite needs a LIMIT before OFFSET (-1 = none); PostgreSQL takes OFFSET alone.
    return kind == Sqlite ? QStringLiteral(" LIMIT -1 OFFSET ?") : QStringLiteral(" OFFSET ?");
}

bool SqlConnection::hasTable(const QString &table)
{
    auto t = tables();
    return t && t->contains(table);
}

Status SqlConnection::execAll(const QStringList &statements)
{
    for (const QString &s : statements) {
        auto q = exec(s);
        if (!q)
            return q.error();
    }
    return {};
}

SqliteConnection::SqliteConnection(std::unique_ptr<SqliteDb> owned) : m_owned(std::move(owned)), m_db(m_owned.get()) {}
SqliteConnection::SqliteConnection(SqliteDb &borrowed) : m_db(&borrowed) {}
SqliteConnection::~SqliteConnection() = default;

Result<QSqlQuery> SqliteConnection::exec(const QString &sql, const QVariantList &binds) { return m_db->exec(sql, binds); }
Result<QStringList> SqliteConnection::tables() { return m_db->tables(); }
Result<QStringList> SqliteConnection::columns(const QString &table) { return m_db->columns(table); }

} // namespace sd
