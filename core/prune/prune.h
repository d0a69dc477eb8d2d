#pragma once
// Peer-cache pruning, shared by every format with a peer cache. What a format allows follows from
// its descriptor: an SQL peer mapping is pruned in SQL, pruneInMemory by reading, filtering and
// writing back through the format.
//
// Policy semantics (the same for every format):
//  * --type T (repeatable) restricts everything below to those kinds (user|chat|channel).
//  * --older-than DAYS removes peers whose own timestamp is older than now - DAYS. Peers without a
//    timestamp (NULL) are kept. Formats that keep no peer timestamps refuse it (usage error).
//  * --keep-newest N protects the N newest peers (of the selected kinds) and removes the rest; with
//    --older-than both must agree for a peer to go (it is old AND not among the newest N).
//    "Newest" = the format's timestamp descending (peers without one last), ties and formats without
//    timestamps by the marked id descending (gogram's MaxSize idea: a fixed-size cache evicts
//    everything past N; larger Telegram ids are younger objects). The same order in SQL and in
//    memory, so a store prunes the same peers whichever engine holds it.
//  * --type alone removes every peer of those kinds. --clear removes every peer (of those kinds),
//    whatever --older-than/--keep-newest say.
//  * --drop-phones clears phone numbers of the peers that stay (rows are kept).
//  * The Telethon self row (entities.id = 0) and the session rows are never touched.
#include "format/format.h"
#include "sqlite/sqlconnection.h"

#include <QDateTime>

namespace sd {

Result<PruneReport> prunePeerCache(const Format &format, const QString &path, const PrunePolicy &policy,
                                   const PruneOptions &options);

// <path>.bak-YYYYmmdd-HHMMSS (UTC), with -2, -3... appended if that exists. Never an existing path.
QString backupPathFor(const QString &path, const QDateTime &when = QDateTime::currentDateTimeUtc());
// Copies a file (and its -wal side file, if any) or a folder to backupPath, 0600 files / 0700
// folders, refusing to overwrite. Returns the backup path.
Result<QString> writeBackup(const QString &path);

// The rows one SQL prune may touch: a format's peer mapping, its table named as stored, and for a
// store that keeps several sessions in one table the condition (and its "?" binds) that picks one
// session's rows. Nothing outside the scope is counted, changed or deleted.
struct SqlPruneRows {
    SqlPeerMapping mapping;
    QString scope;
    QVariantList scopeBinds;
    QString formatId;
    QString displayName;
};
// A policy turned into SQL for one connection (planSqlPrune checks the table and the timestamps).
struct SqlPrunePlan {
    SqlPruneRows rows;
    PrunePolicy policy;
    bool hasTimestamps = false;
    bool dropPhones = false;
    qint64 now = 0;
};
// The SQL prune engine (prunesql.cpp), the same for SQLite files and PostgreSQL stores:
//  * planSqlPrune: usage errors for what the rows cannot do (--older-than without timestamps).
//  * countSqlPrune: what the plan would remove, by kind, and the phones it would clear; read only.
//  * applySqlPrune: clears phones, deletes, cleans the dependent tables, inside a transaction the
//    caller has begun (the caller commits or rolls back).
Result<SqlPrunePlan> planSqlPrune(SqlConnection &db, const SqlPruneRows &rows, const PrunePolicy &policy);
Status countSqlPrune(SqlConnection &db, const SqlPrunePlan &plan, PruneReport &report);
Status applySqlPrune(SqlConnection &db, const SqlPrunePlan &plan, PruneReport &report);
// Prunes a SQLite file in place with these rows (a format's whole table, or one session of a
// multi-session file): lock refusal, file backup, one transaction, VACUUM.
Result<PruneReport> pruneSqliteRows(const QString &path, const SqlPruneRows &rows, const PrunePolicy &policy, const PruneOptions &options);

// Internal entry points (one file each).
Result<PruneReport> pruneSqlite(const Format &format, const QString &path, const PrunePolicy &policy,
                                const PruneOptions &options);
Result<PruneReport> pruneInMemory(const Format &format, const QString &path, const PrunePolicy &policy,
                                  const PruneOptions &options);
// Applies a policy to a list of peers in memory; returns the indexes to remove (sorted) and sets
// *phones to the number of phone numbers that would be cleared (and clears them when apply).
std::vector<size_t> selectPeersToPrune(std::vector<Peer> &peers, const PrunePolicy &policy, qint64 now,
                                       bool apply, qint64 *phones);
// The same rules for one peer, for stores that judge their peers as they stream them (mtgo-redis):
// protectedByNewest says whether --keep-newest keeps it (newerPeer's order, the first N of the
// selected kinds).
enum class PruneVerdict { Keep, Remove, ClearPhone };
PruneVerdict judgePeer(const Peer &peer, const PrunePolicy &policy, qint64 now, bool protectedByNewest);
// The "newest" order above: true when (aUpdated, aMarked) comes before (bUpdated, bMarked).
bool newerPeer(const std::optional<qint64> &aUpdated, qint64 aMarked, const std::optional<qint64> &bUpdated, qint64 bMarked);
Status validatePolicy(const PrunePolicy &policy, bool formatHasTimestamps, const QString &formatId);

} // namespace sd
