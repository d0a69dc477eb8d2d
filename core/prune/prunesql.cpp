// Peer-cache pruning for the SQL stores, driven by each format's SqlPeerMapping (its descriptor):
// everything happens in SQL on the file itself: count by kind, clear phones, delete, clean the
// tables that hang off the peer table, commit, VACUUM. The kinds are the mapping's, so prune
// agrees with the reader and the browser on every row.
#include "prune.h"

#include "io/replacetarget.h"

#include "io/lockprobe.h"
#include "sqlite/sqlitedb.h"

#include <QDateTime>
#include <QFileInfo>

namespace sd {

namespace {

PeerKind kindOf(int k) { return k == 0 ? PeerKind::User : k == 1 ? PeerKind::Chat : PeerKind::Channel; }

// Newest first: the timestamp descending (none last), then the stored id descending.
QString keepNewestSelect(const SqlPeerMapping &spec, const PrunePolicy &policy, bool hasTs, const QString &base)
{
    const QString order = hasTs ? QStringLiteral("(%1) IS NULL, (%1) DESC, %2 DESC").arg(spec.timestampExpr, spec.idColumn)
                                : QStringLiteral("%1 DESC").arg(spec.idColumn);
    return QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY %4 LIMIT %5").arg(spec.idColumn, spec.table, base, order).arg(*policy.keepNewest);
}

struct Plan {
    QString base;      // rows the policy may touch
    QString removal;   // among base: rows to delete ("0" = none)
};

// keepTable: a temporary table holding the ids --keep-newest protects (real runs compute it once,
// before anything is deleted); empty = an inline subquery (dry runs, one statement per kind).
Plan buildPlan(const SqlPeerMapping &spec, const PrunePolicy &policy, bool hasTs, qint64 now, const QString &keepTable = QString())
{
    const QString table = spec.table;
    QString base = QStringLiteral("(%1)").arg(spec.peerRows());
    if (!policy.types.isEmpty()) {
        QStringList kinds;
        for (PeerKind k : policy.types)
            kinds << QString::number(k == PeerKind::User ? 0 : k == PeerKind::Chat ? 1 : 2);
        base += QStringLiteral(" AND (%1) IN (%2)").arg(spec.kindExpr, kinds.join(QLatin1Char(',')));
    }
    QString removal;
    if (policy.clearAll || (!policy.types.isEmpty() && !policy.olderThanDays && !policy.keepNewest)) {
        removal = QStringLiteral("1");
    } else {
        QStringList parts;
        if (policy.olderThanDays) {
            const qint64 cutoff = now - static_cast<qint64>(*policy.olderThanDays) * 86400;
            parts << QStringLiteral("(%1) < %2").arg(spec.timestampExpr).arg(cutoff);
        }
        if (policy.keepNewest && !keepTable.isEmpty()) {
            parts << QStringLiteral("%1 NOT IN (SELECT %1 FROM %2)").arg(spec.idColumn, keepTable);
        } else if (policy.keepNewest) {
            parts << QStringLiteral("%1 NOT IN (%2)").arg(spec.idColumn, keepNewestSelect(spec, policy, hasTs, base));
        }
        removal = parts.isEmpty() ? QStringLiteral("0") : parts.join(QStringLiteral(" AND "));
    }
    return {base, QStringLiteral("COALESCE((%1), 0)").arg(removal)};
}

qint64 fileBytes(const QString &path)
{
    qint64 n = QFileInfo(path).size();
    const QFileInfo wal(path + QStringLiteral("-wal"));
    if (wal.exists())
        n += wal.size();
    return n;
}

Result<qint64> scalar(SqliteDb &db, const QString &sql)
{
    auto q = db.exec(sql);
    if (!q)
        return q.error();
    if (!q->next())
        return qint64(0);
    return sqlInt(q->value(0)).value_or(0);
}


QString phonePresent(const SqlPeerMapping &spec)
{
    return QStringLiteral("%1 IS NOT NULL AND %1 <> ''").arg(spec.phoneColumn);
}

// Counts what the plan removes (by kind) and how many phones it clears.
Status countPlan(SqliteDb &db, const SqlPeerMapping &spec, const Plan &plan, bool dropPhones, PruneReport &r)
{
    const QString table = spec.table;
    for (int k = 0; k < 3; ++k) {
        auto n = scalar(db, QStringLiteral("SELECT count(*) FROM %1 WHERE %2 AND %3 AND %4").arg(table, spec.kindCondition(kindOf(k)), plan.base, plan.removal));
        if (!n)
            return n.error();
        r.removed.add(kindOf(k), *n);
    }
    if (dropPhones) {
        auto phones = scalar(db, QStringLiteral("SELECT count(*) FROM %1 WHERE %2 AND NOT %3 AND (%4)")
                                     .arg(table, plan.base, plan.removal, phonePresent(spec)));
        if (!phones)
            return phones.error();
        r.phonesCleared = *phones;
    }
    auto total = scalar(db, QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(table, spec.peerRows()));
    if (!total)
        return total.error();
    r.kept = *total - r.removed.total();
    return {};
}

// Clears phones without firing Pyrogram's "last_update_on = now" trigger (that would make every
// old peer look fresh): the table's triggers are dropped and recreated inside the transaction.
Result<qint64> clearPhones(SqliteDb &db, const SqlPeerMapping &spec, const Plan &plan)
{
    const QString table = spec.table;
    auto t = db.exec(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?"), {table});
    if (!t)
        return t.error();
    QList<QPair<QString, QString>> triggers;
    while (t->next())
        triggers.append({t->value(0).toString(), t->value(1).toString()});
    t->finish();
    for (const auto &tr : triggers) {
        auto d = db.exec(QStringLiteral("DROP TRIGGER \"%1\"").arg(QString(tr.first).replace(QLatin1Char('"'), QLatin1String("\"\""))));
        if (!d)
            return d.error();
    }
    auto u = db.exec(QStringLiteral("UPDATE %1 SET %2 = %3 WHERE %4 AND NOT %5 AND (%6)")
                         .arg(table, spec.phoneColumn, spec.phoneEmpty, plan.base, plan.removal, phonePresent(spec)));
    if (!u)
        return u.error();
    const qint64 changed = u->numRowsAffected();
    u->finish();
    for (const auto &tr : triggers) {
        auto c = db.exec(tr.second);
        if (!c)
            return c.error();
    }
    return changed;
}

} // namespace

Result<PruneReport> pruneSqlite(const Format &format, const QString &path, const PrunePolicy &policy,
                                const PruneOptions &options)
{
    const QString formatId = format.id();
    if (!format.descriptor().sqlPeers)
        return Error::badInput(QStringLiteral("%1 keeps no SQL peer cache").arg(formatId));
    const qint64 now = policy.now > 0 ? policy.now : QDateTime::currentSecsSinceEpoch();

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
    SqliteDb &db = **opened;
    const QString table = format.descriptor().sqlPeers->table;
    auto cols = db.columns(table);
    if (!cols)
        return cols.error();
    if (cols->isEmpty())
        return Error::badInput(QStringLiteral("no %1 table: not a %2 peer cache").arg(table, formatId));
    const SqlPeerMapping mapping = format.descriptor().sqlPeers->forColumns(*cols);
    const SqlPeerMapping *spec = &mapping;
    bool hasTs = !spec->timestampColumn.isEmpty() && cols->contains(spec->timestampColumn);
    if (policy.olderThanDays && !hasTs)
        return Error::usage(QStringLiteral("%1 keeps no peer timestamps%2; use --keep-newest N or --type instead of --older-than")
                                .arg(formatId, spec->timestampColumn.isEmpty() ? QString() : QStringLiteral(" in this file (old schema)")));
    if (hasTs && !spec->timestampsFilled) {
        // The column exists but the library never fills it (mtgo, docs/formats.md 7.1): only rows
        // carried over from another store may have one.
        auto dated = scalar(db, QStringLiteral("SELECT count(*) FROM %1 WHERE (%2) IS NOT NULL").arg(table, spec->timestampExpr));
        if (!dated)
            return dated.error();
        hasTs = *dated > 0;
        if (policy.olderThanDays && !hasTs)
            return Error::usage(QStringLiteral("this %1 store carries no peer timestamps (%2 leaves %3.%4 at 0), so --older-than "
                                               "cannot tell old peers from new; use --keep-newest N or --type instead")
                                    .arg(formatId, format.displayName(), table, spec->timestampColumn));
    }
    const bool dropPhones = policy.dropPhones && !spec->phoneColumn.isEmpty() && cols->contains(spec->phoneColumn);
    const Plan plan = buildPlan(*spec, policy, hasTs, now);

    if (options.dryRun) {
        if (auto st = countPlan(db, *spec, plan, dropPhones, r); !st)
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
    auto fail = [&](const Error &e) -> Result<PruneReport> {
        db.rollback();
        return e;
    };
    Plan real = plan;
    if (policy.keepNewest && !policy.clearAll) {
        // The protected ids are fixed before the first DELETE changes the table.
        auto t = db.exec(QStringLiteral("CREATE TEMP TABLE sd_prune_keep AS %1").arg(keepNewestSelect(*spec, policy, hasTs, plan.base)));
        if (!t)
            return fail(t.error());
        t->finish();
        real = buildPlan(*spec, policy, hasTs, now, QStringLiteral("temp.sd_prune_keep"));
    }
    if (dropPhones) {
        auto n = clearPhones(db, *spec, real);
        if (!n)
            return fail(n.error());
        r.phonesCleared = *n;
    }
    for (int k = 0; k < 3; ++k) {
        auto d = db.exec(QStringLiteral("DELETE FROM %1 WHERE %2 AND %3 AND %4").arg(table, spec->kindCondition(kindOf(k)), real.base, real.removal));
        if (!d)
            return fail(d.error());
        r.removed.add(kindOf(k), d->numRowsAffected());
        d->finish();
    }
    if (r.removed.total() > 0) {
        for (const SqlDependentRows &c : spec->dependents) {
            auto cc = db.columns(c.table);
            if (!cc)
                return fail(cc.error());
            if (!cc->contains(c.requiredColumn))
                continue;
            auto q = db.exec(c.sql);
            if (!q)
                return fail(q.error());
        }
    }
    {
        auto kept = scalar(db, QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(table, spec->peerRows()));
        if (!kept)
            return fail(kept.error());
        r.kept = *kept;
    }
    if (policy.keepNewest && !policy.clearAll)
        if (auto t = db.exec(QStringLiteral("DROP TABLE temp.sd_prune_keep")); !t)
            return fail(t.error());
    if (auto st = db.commit(); !st)
        return fail(st.error());
    if (r.removed.total() > 0 || r.phonesCleared > 0) {
        auto v = db.exec(QStringLiteral("VACUUM"));
        if (!v)
            return v.error();
    }
    opened->reset();
    r.bytesAfter = fileBytes(path);
    return r;
}

} // namespace sd
