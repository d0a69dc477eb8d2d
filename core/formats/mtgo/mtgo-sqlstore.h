#pragma once
// mtgo-labs/storage's SQL stores on an open connection (docs/formats.md 7.2):
//  * Classic: the postgres adapter's sessions/peers/conversations (+ update_state,
//    channel_update_state in newer versions); one session per database.
//  * Gorm: the GORM adapter's mtgo_* tables, several sessions keyed by session_id, on PostgreSQL
//    or in a SQLite file.
// Reads (mtgo-sqlstore.cpp), prune in one transaction (mtgo-sqlstore-prune.cpp) and writes that
// replace exactly one session (mtgo-sqlstore-write.cpp). Peers are filtered, sorted and paged by
// the shared SQL peer engine (sqlite/sqlpeerengine.h) over mtgo's peer view: the store is the
// engine's connection.
#include "format/format.h"
#include "format/peertable.h"
#include "formats/mtgo/mtgo-records.h"
#include "prune/prune.h"
#include "sqlite/sqlitedb.h"
#include "sqlite/sqlpeerengine.h"

#include <QMap>
#include <QSqlDatabase>
#include <QStringList>

namespace sd::mtgo {

enum class SqlLayout { Classic, Gorm };

class SqlStore : public SqlConnection {
public:
    SqlStore(QSqlDatabase db, bool postgres, SqlLayout layout, QMap<QString, QStringList> schema, QString label)
        : m_db(std::move(db)), m_postgres(postgres), m_layout(layout), m_schema(std::move(schema)), m_label(std::move(label))
    {
    }

    // The session names the store holds (Classic: one entry, the session_id of its first row or "").
    Result<QStringList> sessionNames();
    // One account per session (or only options.session); peers/conversations as options ask.
    Result<Store> read(const ReadOptions &options);
    // The one session a peer operation works on: options' name, else the only one; a usage error
    // listing the names when several exist and none was picked.
    Result<QString> pickSession(const QString &requested);
    // One session (nullopt when its row is gone); read() reads them through readNamedSessions.
    Result<std::optional<Session>> readSession(const QString &name, const ReadOptions &options);

    // The engine's view of one session's peers (mtgo's view, on this layout's table).
    SqlPeerView peerView(const QString &session) const;
    // A PeerTable paging one session's peers in SQL on this store's connection.
    static std::unique_ptr<PeerTable> peerTable(std::unique_ptr<SqlStore> store, const QString &session);
    // Exact per-kind counts; with allowEstimate, a classic-layout PostgreSQL table of at least
    // kEstimateFrom rows (by the planner's statistics) is estimated instead of scanned.
    Result<PeerCounts> peerCounts(const QString &session, bool allowEstimate = false);
    static constexpr double kEstimateFrom = 100000;

    // The rows a prune of one session may touch: mtgo's peer mapping on this layout's table, and for
    // the GORM layout that session's rows only (the SQL prune engine, prune/prune.h).
    SqlPruneRows pruneRows(const QString &session) const;
    // Prunes one session on the server in one transaction (a SQLite file: pruneSqliteRows).
    Result<PruneReport> prune(const QString &session, const PrunePolicy &policy, const PruneOptions &options,
                              const QString &backupBase);
    // Writes the first account of store as session name (created tables as the adapter would).
    Status write(const Store &store, const QString &name, const WriteOptions &options);

    // SqlConnection: errors name the engine; they are bad input (exit 3) unless a prune or a write
    // is changing the store (then exit 5).
    const SqlDialect &dialect() const override { return m_postgres ? SqlDialect::postgreSql() : SqlDialect::sqlite(); }
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &binds = {}) override { return run(sql, binds, m_changing); }
    Status begin() override;
    Status commit() override;
    void rollback() override;
    Result<QStringList> tables() override { return m_schema.keys(); }
    Result<QStringList> columns(const QString &table) override { return m_schema.value(table); }
    SqliteDb *sqlite() override { return m_owner.get(); }

    ~SqlStore() override
    {
        m_db = QSqlDatabase(); // release the handle before its owner removes the connection
        m_owner.reset();
    }
    SqlStore(const SqlStore &) = delete;
    SqlStore &operator=(const SqlStore &) = delete;
    // Keeps the connection's owner (a SQLite file opened read-only) alive as long as the store.
    void own(std::unique_ptr<SqliteDb> owner) { m_owner = std::move(owner); }
    const QString &label() const { return m_label; }

    static QStringList classicDdl(bool postgres);
    static QStringList gormDdl(bool postgres);

private:
    QString t(const char *base) const;
    bool has(const char *base) const;
    bool hasColumn(const char *base, const char *column) const;
    bool keyed() const { return m_layout == SqlLayout::Gorm; }
    QString sessionCond(QVariantList &binds, const QString &session) const;
    Status ensureTables();
    Error queryError(const class QSqlQuery &q, bool output) const;
    // output: an error is about the target (exit 5), not the source.
    Result<QSqlQuery> run(const QString &sql, const QVariantList &binds = {}, bool output = false);
    Status deleteSession(const QString &name);

    QSqlDatabase m_db;
    bool m_postgres;
    SqlLayout m_layout;
    QMap<QString, QStringList> m_schema;
    QString m_label;
    std::unique_ptr<SqliteDb> m_owner;
    bool m_changing = false;
};

// A store from a postgres:// URL (either layout) or, for the GORM layout, a SQLite file (read-only).
Result<std::unique_ptr<SqlStore>> openSqlStore(const Source &source, SqlLayout layout, const QString &formatId);

// Writes the sessiondesk-json backup of one session before a prune: <base>.bak-<time> (0600).
Result<QString> writeSessionBackup(const Session &session, const QString &formatId, const QString &base);

} // namespace sd::mtgo
