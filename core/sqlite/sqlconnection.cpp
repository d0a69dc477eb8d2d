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
    return tempTable(QStringLiteral("sd_peer_view"));
}

QString SqlDialect::tempTable(const QString &name) const
{
    return (kind == Sqlite ? QStringLiteral("temp.") : QStringLiteral("pg_temp.")) + name;
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
Status SqliteConnection::begin() { return m_db->begin(); }
Status SqliteConnection::commit() { return m_db->commit(); }
void SqliteConnection::rollback() { m_db->rollback(); }

Result<SqlTriggers> dropTriggers(SqlConnection &db, const QString &table)
{
    SqlTriggers triggers;
    if (db.dialect().kind != SqlDialect::Sqlite)
        return triggers;
    auto t = db.exec(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?"), {table});
    if (!t)
        return t.error();
    while (t->next())
        triggers.append({t->value(0).toString(), t->value(1).toString()});
    t->finish();
    for (const auto &tr : triggers) {
        auto d = db.exec(QStringLiteral("DROP TRIGGER \"%1\"").arg(QString(tr.first).replace(QLatin1Char('"'), QLatin1String("\"\""))));
        if (!d)
            return d.error();
    }
    return triggers;
}

Status restoreTriggers(SqlConnection &db, const SqlTriggers &triggers)
{
    for (const auto &tr : triggers) {
        auto c = db.exec(tr.second);
        if (!c)
            return c.error();
    }
    return {};
}

} // namespace sd
