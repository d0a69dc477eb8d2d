#pragma once
// An open SQL connection as the SQL peer engine and SqlSessionFormat see it: SQLite files today,
// PostgreSQL stores through the same interface. The few statements that differ between the two
// are behind SqlDialect; everything else the engine emits is standard SQL.
#include "util/result.h"

#include <QList>
#include <QPair>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <memory>

namespace sd {

class SqliteDb;

struct SqlDialect {
    enum Kind { Sqlite, PostgreSql } kind = Sqlite;
    // A private per-connection table holding the keys of a filtered/sorted view in order.
    QString viewTable() const;
    QString createViewTable() const;
    // " LIMIT ... OFFSET ..." for a page (limit < 0: no limit); binds are appended.
    QString pageClause(qint64 offset, qint64 limit, QVariantList &binds) const;
    // A private per-connection table's qualified name ("temp.x" / "pg_temp.x").
    QString tempTable(const QString &name) const;
    static const SqlDialect &sqlite();
    static const SqlDialect &postgreSql();
};

class SqlConnection {
public:
    virtual ~SqlConnection() = default;
    virtual const SqlDialect &dialect() const = 0;
    // Prepares and runs a statement; the error names the store.
    virtual Result<QSqlQuery> exec(const QString &sql, const QVariantList &binds = {}) = 0;
    virtual Result<QStringList> tables() = 0;
    virtual Result<QStringList> columns(const QString &table) = 0;
    bool hasTable(const QString &table);
    // One transaction at a time.
    virtual Status begin() = 0;
    virtual Status commit() = 0;
    virtual void rollback() = 0;
    Status execAll(const QStringList &statements);
    // The SQLite database behind this connection, nullptr for other engines.
    virtual SqliteDb *sqlite() { return nullptr; }
};

// A table's triggers (name, CREATE statement), dropped for the length of a change made inside the
// caller's transaction and then put back: Pyrogram's trigger would stamp every row a prune or
// dedupe touches with "now". SQLite only; other engines answer an empty list.
using SqlTriggers = QList<QPair<QString, QString>>;
Result<SqlTriggers> dropTriggers(SqlConnection &db, const QString &table);
Status restoreTriggers(SqlConnection &db, const SqlTriggers &triggers);

// A SqliteDb as an SqlConnection (owning or borrowed).
class SqliteConnection : public SqlConnection {
public:
    explicit SqliteConnection(std::unique_ptr<SqliteDb> owned);
    explicit SqliteConnection(SqliteDb &borrowed);
    ~SqliteConnection() override;
    const SqlDialect &dialect() const override { return SqlDialect::sqlite(); }
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &binds = {}) override;
    Result<QStringList> tables() override;
    Result<QStringList> columns(const QString &table) override;
    Status begin() override;
    Status commit() override;
    void rollback() override;
    SqliteDb *sqlite() override { return m_db; }
    SqliteDb &db() { return *m_db; }

private:
    std::unique_ptr<SqliteDb> m_owned;
    SqliteDb *m_db = nullptr;
};

} // namespace sd
