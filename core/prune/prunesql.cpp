// Peer-cache pruning for the SQL stores, driven by each format's SqlPeerMapping (its descriptor):
// everything happens in SQL on the store itself (a SQLite file, a PostgreSQL database): count by
// kind, clear phones, delete, clean the tables that hang off the peer table. The kinds are the
// mapping's, so prune agrees with the reader and the browser on every row. A multi-session store
// passes a scope (one session's rows) that every statement carries with its binds.
#include "prune.h"

#include "io/replacetarget.h"

#include "io/lockprobe.h"
#include "sqlite/sqlitedb.h"

#include <QDateTime>
#include <QFileInfo>

namespace sd {

namespace {

PeerKind kindOf(int k) { return k == 0 ? PeerKind::User : k == 1 ? PeerKind::Chat : PeerKind::Channel; }

// A condition and the values of its "?" placeholders, in order.
struct Cond {
    Cond() = default;
    Cond(QString s, QVariantList b = {}) : sql(std::move(s)), binds(std::move(b)) {}
    QString sql;
    QVariantList binds;
};

Cond allOf(const QList<Cond> &parts)
{
    Cond out;
    QStringList sql;
    for (const Cond &c : parts) {
        sql << QStringLiteral("(%1)").arg(c.sql);
        out.binds += c.binds;
    }
    out.sql = sql.join(QStringLiteral(" AND "));
    return out;
}

Cond notCond(const Cond &c) { return {QStringLiteral("NOT (%1)").arg(c.sql), c.binds}; }

// The rows the policy may touch (base) and, among them, the rows to delete (removal: never NULL).
struct Conds {
    Cond base;
    Cond removal;
};

// The peers of the scope (one session of a multi-session store, else the whole table).
Cond scopeRows(const SqlPrunePlan &plan)
{
    Cond rows{plan.rows.mapping.peerRows()};
    if (!plan.rows.scope.isEmpty())
        rows = allOf({rows, {plan.rows.scope, plan.rows.scopeBinds}});
    return rows;
}

// The rows the policy may touch: the scope's peers, of the --type kinds.
Cond baseRows(const SqlPrunePlan &plan)
{
    const SqlPeerMapping &spec = plan.rows.mapping;
    Cond base = scopeRows(plan);
    if (!plan.policy.types.isEmpty()) {
        QStringList kinds;
        for (PeerKind k : plan.policy.types)
            kinds << QString::number(k == PeerKind::User ? 0 : k == PeerKind::Chat ? 1 : 2);
        base = allOf({base, {QStringLiteral("(%1) IN (%2)").arg(spec.kindExpr, kinds.join(QLatin1Char(',')))}});
    }
    return base;
}

// --keep-newest N: the rows of base past the N newest. Newest first = the timestamp descending
// (none last), then the marked id descending (prune.h; what pruneInMemory does). The N-th newest
// row is looked up once (one ordered walk, before anything changes) and every row after it in that
// order is past it: a plain row condition, with no subquery per row (PostgreSQL's NOT IN over more ids than work_mem holds
// falls back to rescanning them for every row) and no temporary table.
Result<Cond> pastNewest(SqlConnection &db, const SqlPrunePlan &plan, const Cond &base)
{
    const SqlPeerMapping &spec = plan.rows.mapping;
    const qint64 n = *plan.policy.keepNewest;
    if (n <= 0)
        return Cond{QStringLiteral("TRUE")};
    const QString ts = QStringLiteral("(%1)").arg(spec.timestampExpr);
    const QString id = QStringLiteral("(%1)").arg(spec.markedIdExpr.isEmpty() ? spec.idColumn : spec.markedIdExpr);
    const QString order = plan.hasTimestamps ? QStringLiteral("%1 IS NULL, %1 DESC, %2 DESC").arg(ts, id) : QStringLiteral("%1 DESC").arg(id);
    const QString cols = plan.hasTimestamps ? QStringLiteral("%1, %2").arg(ts, id) : QStringLiteral("NULL, %1").arg(id);
    auto q = db.exec(QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY %4 LIMIT 1 OFFSET %5").arg(cols, spec.table, base.sql, order).arg(n - 1),
                     base.binds);
    if (!q)
        return q.error();
    if (!q->next())
        return Cond{QStringLiteral("FALSE")}; // N rows or fewer: every one is kept
    const QVariant boundaryTs = q->value(0), boundaryId = q->value(1);
    const QString idPast = QStringLiteral("%1 < ?").arg(id);
    if (!plan.hasTimestamps)
        return Cond{idPast, {boundaryId}};
    if (boundaryTs.isNull())
        return Cond{QStringLiteral("%1 IS NULL AND %2").arg(ts, idPast), {boundaryId}};
    return Cond{QStringLiteral("%1 IS NULL OR %1 < ? OR (%1 = ? AND %2)").arg(ts, idPast), {boundaryTs, boundaryTs, boundaryId}};
}

// The base rows and, among them, the rows to delete (never NULL).
Result<Conds> conditions(SqlConnection &db, const SqlPrunePlan &plan)
{
    const SqlPeerMapping &spec = plan.rows.mapping;
    const PrunePolicy &policy = plan.policy;
    const Cond base = baseRows(plan);
    Cond removal;
    if (policy.clearAll || (!policy.types.isEmpty() && !policy.olderThanDays && !policy.keepNewest)) {
        removal.sql = QStringLiteral("TRUE");
    } else {
        QList<Cond> parts;
        if (policy.olderThanDays) {
            const qint64 cutoff = plan.now - static_cast<qint64>(*policy.olderThanDays) * 86400;
            parts << Cond{QStringLiteral("(%1) < %2").arg(spec.timestampExpr).arg(cutoff)};
        }
        if (policy.keepNewest) {
            auto past = pastNewest(db, plan, base);
            if (!past)
                return past.error();
            parts << *past;
        }
        if (parts.isEmpty())
            removal.sql = QStringLiteral("FALSE");
        else
            removal = allOf(parts);
    }
    // COALESCE: a NULL timestamp is "not old", never "unknown".
    removal.sql = QStringLiteral("COALESCE((%1), FALSE)").arg(removal.sql);
    return Conds{base, removal};
}

Result<qint64> scalar(SqlConnection &db, const QString &sql, const QVariantList &binds = {})
{
    auto q = db.exec(sql, binds);
    if (!q)
        return q.error();
    if (!q->next())
        return qint64(0);
    return sqlInt(q->value(0)).value_or(0);
}

Result<qint64> countWhere(SqlConnection &db, const QString &table, const Cond &c)
{
    return scalar(db, QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(table, c.sql), c.binds);
}

Cond phonePresent(const SqlPeerMapping &spec)
{
    return {QStringLiteral("%1 IS NOT NULL AND %1 <> ''").arg(spec.phoneColumn)};
}

// Clears phones without firing Pyrogram's "last_update_on = now" trigger (that would make every old
// peer look fresh): the table's triggers are suspended inside the transaction.
Result<qint64> clearPhones(SqlConnection &db, const SqlPrunePlan &plan, const Conds &c)
{
    const SqlPeerMapping &spec = plan.rows.mapping;
    auto triggers = dropTriggers(db, spec.table);
    if (!triggers)
        return triggers.error();
    const Cond where = allOf({c.base, notCond(c.removal), phonePresent(spec)});
    auto u = db.exec(QStringLiteral("UPDATE %1 SET %2 = %3 WHERE %4").arg(spec.table, spec.phoneColumn, spec.phoneEmpty, where.sql), where.binds);
    if (!u)
        return u.error();
    const qint64 changed = u->numRowsAffected();
    u->finish();
    if (auto st = restoreTriggers(db, *triggers); !st)
        return st.error();
    return changed;
}

// Users, chats and channels from the first three columns of the current row.
PeerCounts kindCounts(const QSqlQuery &q)
{
    PeerCounts counts;
    for (int k = 0; k < 3; ++k)
        counts.add(kindOf(k), sqlInt(q.value(k)).value_or(0));
    return counts;
}

qint64 fileBytes(const QString &path)
{
    qint64 n = QFileInfo(path).size();
    const QFileInfo wal(path + QStringLiteral("-wal"));
    if (wal.exists())
        n += wal.size();
    return n;
}

} // namespace

Result<SqlPrunePlan> planSqlPrune(SqlConnection &db, const SqlPruneRows &rows, const PrunePolicy &policy)
{
    const QString table = rows.mapping.table;
    auto cols = db.columns(table);
    if (!cols)
        return cols.error();
    if (cols->isEmpty())
        return Error::badInput(QStringLiteral("no %1 table: not a %2 peer cache").arg(table, rows.formatId));
    SqlPrunePlan plan;
    plan.rows = rows;
    plan.rows.mapping = rows.mapping.forColumns(*cols);
    plan.rows.mapping.table = table;
    plan.policy = policy;
    plan.now = policy.now > 0 ? policy.now : QDateTime::currentSecsSinceEpoch();
    const SqlPeerMapping &spec = plan.rows.mapping;
    plan.hasTimestamps = !spec.timestampColumn.isEmpty() && cols->contains(spec.timestampColumn);
    if (policy.olderThanDays && !plan.hasTimestamps)
        return Error::usage(QStringLiteral("%1 keeps no peer timestamps%2; use --keep-newest N or --type instead of --older-than")
                                .arg(rows.formatId, spec.timestampColumn.isEmpty() ? QString() : QStringLiteral(" in this file (old schema)")));
    if (plan.hasTimestamps && !spec.timestampsFilled && (policy.olderThanDays || policy.keepNewest)) {
        // The column exists but the library never fills it (mtgo, docs/formats.md 7.1): only rows
        // carried over from another store may have one. Asked only when the policy orders or judges
        // by time: the scan that finds none (80 ms on 1M rows) saves --keep-newest a three-key sort
        // (about 200 ms on 1M rows in PostgreSQL).
        const Cond dated = allOf({scopeRows(plan), {QStringLiteral("(%1) IS NOT NULL").arg(spec.timestampExpr)}});
        auto q = db.exec(QStringLiteral("SELECT 1 FROM %1 WHERE %2 LIMIT 1").arg(table, dated.sql), dated.binds);
        if (!q)
            return q.error();
        plan.hasTimestamps = q->next();
        if (policy.olderThanDays && !plan.hasTimestamps)
            return Error::usage(QStringLiteral("this %1 store carries no peer timestamps (%2 leaves %3.%4 at 0), so --older-than "
                                               "cannot tell old peers from new; use --keep-newest N or --type instead")
                                    .arg(rows.formatId, rows.displayName, table, spec.timestampColumn));
    }
    plan.dropPhones = policy.dropPhones && !spec.phoneColumn.isEmpty() && cols->contains(spec.phoneColumn);
    return plan;
}

// One scan: every row of the scope is judged once (kind, in the policy's rows, to be removed, has a
// phone) in a derived table, and the outer query adds the flags up.
Status countSqlPrune(SqlConnection &db, const SqlPrunePlan &plan, PruneReport &r)
{
    const SqlPeerMapping &spec = plan.rows.mapping;
    auto conds = conditions(db, plan);
    if (!conds)
        return conds.error();
    const Conds &c = *conds;
    const Cond scope = scopeRows(plan);
    const auto flag = [](const QString &cond) { return QStringLiteral("CASE WHEN %1 THEN 1 ELSE 0 END").arg(cond); };
    const QString inner = QStringLiteral("SELECT (%1) AS sd_kind, %2 AS sd_base, %3 AS sd_gone, %4 AS sd_phone FROM %5 WHERE %6")
                              .arg(spec.kindExpr, flag(c.base.sql), flag(c.removal.sql),
                                   plan.dropPhones ? flag(phonePresent(spec).sql) : QStringLiteral("0"), spec.table, scope.sql);
    const auto sum = [](const QString &cond) { return QStringLiteral("COALESCE(sum(CASE WHEN %1 THEN 1 ELSE 0 END), 0)").arg(cond); };
    QStringList outer;
    for (int k = 0; k < 3; ++k)
        outer << sum(QStringLiteral("sd_kind = %1 AND sd_base = 1 AND sd_gone = 1").arg(k));
    outer << sum(QStringLiteral("sd_base = 1 AND sd_gone = 0 AND sd_phone = 1")) << QStringLiteral("count(*)");
    auto q = db.exec(QStringLiteral("SELECT %1 FROM (%2) AS sd_rows").arg(outer.join(QStringLiteral(", ")), inner),
                     c.base.binds + c.removal.binds + scope.binds);
    if (!q)
        return q.error();
    if (!q->next())
        return Error::badInput(QStringLiteral("%1: the prune count returned no row").arg(spec.table));
    r.removed = kindCounts(*q);
    r.phonesCleared = sqlInt(q->value(3)).value_or(0);
    r.kept = sqlInt(q->value(4)).value_or(0) - r.removed.total();
    return {};
}

Status applySqlPrune(SqlConnection &db, const SqlPrunePlan &plan, PruneReport &r)
{
    const SqlPeerMapping &spec = plan.rows.mapping;
    // The rows to delete are fixed here, before the first change (pastNewest looks the boundary up now).
    auto conds = conditions(db, plan);
    if (!conds)
        return conds.error();
    const Conds &c = *conds;
    r.removed = {};
    r.phonesCleared = 0;
    if (plan.dropPhones) {
        auto n = clearPhones(db, plan, c);
        if (!n)
            return n.error();
        r.phonesCleared = *n;
    }
    if (db.dialect().kind == SqlDialect::PostgreSql) {
        // One scan: the deleted rows' kinds are counted from what DELETE returns.
        const Cond where = allOf({c.base, c.removal});
        auto d = db.exec(QStringLiteral("WITH sd_gone AS (DELETE FROM %1 WHERE %2 RETURNING (%3) AS sd_kind) SELECT count(*) FILTER (WHERE sd_kind = 0), "
                                        "count(*) FILTER (WHERE sd_kind = 1), count(*) FILTER (WHERE sd_kind = 2) FROM sd_gone")
                             .arg(spec.table, where.sql, spec.kindExpr),
                         where.binds);
        if (!d)
            return d.error();
        if (!d->next())
            return Error::output(QStringLiteral("%1: the prune's DELETE returned no count").arg(spec.table));
        r.removed = kindCounts(*d);
        d->finish();
    } else {
        // SQLite: one DELETE per kind, each an index range on a marked-id table.
        for (int k = 0; k < 3; ++k) {
            const Cond where = allOf({{spec.kindCondition(kindOf(k))}, c.base, c.removal});
            auto d = db.exec(QStringLiteral("DELETE FROM %1 WHERE %2").arg(spec.table, where.sql), where.binds);
            if (!d)
                return d.error();
            r.removed.add(kindOf(k), d->numRowsAffected());
            d->finish();
        }
    }
    if (r.removed.total() > 0) {
        for (const SqlDependentRows &dep : spec.dependents) {
            auto cc = db.columns(dep.table);
            if (!cc)
                return cc.error();
            if (!cc->contains(dep.requiredColumn))
                continue;
            auto q = db.exec(dep.sql);
            if (!q)
                return q.error();
        }
    }
    auto kept = countWhere(db, spec.table, scopeRows(plan));
    if (!kept)
        return kept.error();
    r.kept = *kept;
    return {};
}

Result<PruneReport> pruneSqliteRows(const QString &path, const SqlPruneRows &rows, const PrunePolicy &policy, const PruneOptions &options)
{
    PruneReport r;
    r.dryRun = options.dryRun;
    r.bytesBefore = fileBytes(path);

    if (!options.dryRun) {
        if (auto st = refuseHeldTarget(path); !st) // record locks, SQLite's, flock() (core/io/lockprobe)
            return st.error();
    }
    auto opened = options.dryRun ? SqliteDb::openReadOnly(path) : SqliteDb::openReadWrite(path);
    if (!opened)
        return opened.error();
    SqliteConnection db(**opened);
    auto plan = planSqlPrune(db, rows, policy);
    if (!plan)
        return plan.error();

    if (options.dryRun) {
        if (auto st = countSqlPrune(db, *plan, r); !st)
            return st.error();
        r.bytesAfter = r.bytesBefore;
        return r;
    }

    if (options.backup) {
        auto b = writeBackup(path);
        if (!b)
            return b.error();
        r.backup = *b;
    }
    if (auto st = db.begin(); !st)
        return st.error();
    if (auto st = applySqlPrune(db, *plan, r); !st) {
        db.rollback();
        return st.error();
    }
    if (auto st = db.commit(); !st) {
        db.rollback();
        return st.error();
    }
    if (r.removed.total() > 0 || r.phonesCleared > 0) {
        auto v = db.exec(QStringLiteral("VACUUM"));
        if (!v)
            return v.error();
    }
    opened->reset();
    r.bytesAfter = fileBytes(path);
    return r;
}

Result<PruneReport> pruneSqlite(const Format &format, const QString &path, const PrunePolicy &policy,
                                const PruneOptions &options)
{
    if (!format.descriptor().sqlPeers)
        return Error::badInput(QStringLiteral("%1 keeps no SQL peer cache").arg(format.id()));
    return pruneSqliteRows(path, SqlPruneRows{*format.descriptor().sqlPeers, {}, {}, format.id(), format.displayName()}, policy, options);
}

} // namespace sd
