#pragma once
// Safe SQLite access for session files.
//  * openReadOnly(): never changes the input, which is opened through InputFile (io/inputfile.h:
//    regular files only, size cap, no sparse files; side files too). Rollback-journal files are
//    opened with mode=ro + QSQLITE_OPEN_READONLY and a short busy timeout. WAL files (header byte
//    18 == 2, or a -wal side file present) and files with a hot rollback journal (a writer crashed)
//    are read as an in-memory snapshot: the database image is read into memory, the WAL's
//    committed frames are applied (or the journal's original pages put back) and the image is
//    handed to SQLite with sqlite3_deserialize. No copy of a session is ever written to disk, so
//    a killed process leaves nothing behind (docs/security.md). A database held by a writer fails
//    within the timeout with a message naming the lock.
//  * SqliteWriteTarget: creates an empty 0600 file with O_EXCL|O_NOFOLLOW next to the target, lets
//    SQLite build the database in it and puts it in place with replaceTarget (io/replacetarget.h):
//    a crash leaves the old or the new file, a held target or stale side files are refused.
#include "util/result.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <memory>

namespace sd {

bool looksLikeSqlite(const QByteArray &head);

// Process-wide SQLite settings, applied once before the first connection (every opener calls it).
// SQLite's memory statistics take one global mutex on every allocation; with several audit workers
// that mutex serialized them, and SessionDesk never reads the statistics, so they are off.
void configureSqlite();

class SqliteDb {
public:
    ~SqliteDb();
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;

    // busyTimeoutMs: how long to wait for a writer's lock before failing.
    static Result<std::unique_ptr<SqliteDb>> openReadOnly(const QString &path, int busyTimeoutMs = 1500);
    // Opens an existing database for writing (prune). Refuses when another process holds a lock.
    static Result<std::unique_ptr<SqliteDb>> openReadWrite(const QString &path, int busyTimeoutMs = 1500);
    // Creates a new, empty database at path (the file must not exist; created 0600, O_EXCL).
    static Result<std::unique_ptr<SqliteDb>> create(const QString &path);

    QSqlDatabase &db() { return m_db; }
    QString path() const { return m_path; }        // the file given by the caller
    QString openedPath() const { return m_opened; } // the file actually opened (":memory:" for a snapshot)
    bool isSnapshot() const { return m_opened != m_path; }

    Result<QStringList> tables();
    Result<QStringList> columns(const QString &table);
    bool hasTable(const QString &table);
    // Prepares and runs a statement; the error names the file and maps "locked"/"busy" to a clear
    // message. Returns the active query.
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &binds = {});
    Status execAll(const QStringList &statements);
    Status begin();
    Status commit();
    void rollback();

    // Turns a failed query into an Error that names the file (and the lock, if that was the cause).
    Error queryError(const QSqlQuery &q, const QString &what) const;

private:
    SqliteDb() = default;
    static Result<std::unique_ptr<SqliteDb>> openImpl(const QString &path, const QString &opened,
                                                      bool readOnly, int busyTimeoutMs);
    QSqlDatabase m_db;
    QString m_connection;
    QString m_path;
    QString m_opened;
    static Result<std::unique_ptr<SqliteDb>> openImage(const QString &path, QByteArray image, int busyTimeoutMs);
    QByteArray m_image; // the snapshot's database image (sqlite3_deserialize borrows it), wiped on close
};

// A new SQLite database written next to its final place, renamed in on commit().
class SqliteWriteTarget {
public:
    ~SqliteWriteTarget();
    // Refuses (Output error) when target exists and !force.
    static Result<std::unique_ptr<SqliteWriteTarget>> create(const QString &target, bool force);
    SqliteDb &db() { return *m_db; }
    // Closes the database, sets 0600, fsyncs, and renames over the target.
    Status commit();

private:
    SqliteWriteTarget() = default;
    QString m_target;
    QString m_temp;
    std::unique_ptr<SqliteDb> m_db;
    bool m_force = false;
    bool m_committed = false;
};

// Typed readers that cope with SQLite's affinity surprises (docs/formats.md pitfall 9).
std::optional<qint64> sqlInt(const QVariant &v);
std::optional<QString> sqlText(const QVariant &v);
QByteArray sqlBlob(const QVariant &v);
QVariant sqlOpt(const std::optional<qint64> &v);
QVariant sqlOpt(const std::optional<QString> &v);

} // namespace sd
