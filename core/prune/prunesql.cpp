// Table-driven peer-cache pruning for the SQLite formats (formats.md sections 1, 2, 4, 7, 8.4).
// Everything happens in SQL on the file itself: count by kind, clear phones, delete, clean the
// tables that hang off the peer table, commit, VACUUM.
#include "prune.h"

#include "io/replacetarget.h"

#include "audit/lockcheck.h"
#include "sqlite/sqlitedb.h"

#include <QDateTime>
#include <QFileInfo>

namespace sd {

namespace {

// Marked ids (0.2): user > 0, chat in (-1e12, 0), channel <= -1e12.
#define SD_MARKED_KIND "CASE WHEN id > 0 THEN 0 WHEN id > -1000000000000 THEN 1 ELSE 2 END"

struct Cleanup {
    const char *table;
    const char *requiredColumn;   // the statement runs only when table has this column
    const char *sql;
};

struct SqlPeerSpec {
    const char *formatId;
    const char *table;
    const char *kindExpr;         // 0 = user, 1 = chat, 2 = channel
    const char *tsColumn;         // nullptr: no peer timestamps
    const char *tsExpr;           // unix seconds, NULL when unknown
    const char *phoneColumn;      // nullptr: no phones
    const char *phoneEmpty;       // what a cleared phone is
    const char *phonePresent;     // condition: a phone is stored
    const char *selfExclusion;    // rows never touched
    std::vector<Cleanup> cleanups;
    bool markedIds = false;       // kinds are id ranges (rowid range scans, no expression)
};

// The rows of one kind: an id range for marked ids, else the kind expression.
QString kindFilter(const SqlPeerSpec &spec, int kind)
{
    if (spec.markedIds) {
        static const char *ranges[] = {"id > 0", "id < 0 AND id > -1000000000000", "id <= -1000000000000"};
        return QString::fromLatin1(ranges[kind]);
    }
    return QStringLiteral("(%1) = %2").arg(QString::fromLatin1(spec.kindExpr)).arg(kind);
}

const std::vector<SqlPeerSpec> &specs()
{
    static const std::vector<SqlPeerSpec> s = {
        // Telethon v1 (1.1/1.2): entities.id marked, date unix seconds (v7+), phone integer-or-text,
        // id = 0 is the "self" row (hash = own user id).
        {"telethon-sqlite", "entities", SD_MARKED_KIND, "date", "date", "phone", "NULL",
         "phone IS NOT NULL AND phone <> ''", "id <> 0", {}, true},
        // Pyrogram / Kurigram / Pyrofork (2.1-2.4): peers.id marked, last_update_on unix seconds.
        // Kurigram's usernames(id, username) and Pyrofork's usernames(id TEXT, peer_id) follow.
        {"pyrogram-sqlite", "peers", SD_MARKED_KIND, "last_update_on", "last_update_on", "phone_number", "NULL",
         "phone_number IS NOT NULL AND phone_number <> ''", "1",
         {{"usernames", "peer_id", "DELETE FROM usernames WHERE peer_id NOT IN (SELECT id FROM peers)"},
          {"usernames", "username", "DELETE FROM usernames WHERE id NOT IN (SELECT id FROM peers)"}},
         true},
        // mtcute (4.1): peers.id marked, updated in milliseconds. message_refs say where a min peer
        // was seen; mtcute only reads them for a peer it still has, so those of removed peers go too.
        {"mtcute-sqlite", "peers", SD_MARKED_KIND, "updated", "(updated / 1000)", "phone", "NULL",
         "phone IS NOT NULL AND phone <> ''", "1",
         {{"message_refs", "peer_id", "DELETE FROM message_refs WHERE peer_id NOT IN (SELECT id FROM peers)"}}, true},
        // mtgo-labs (7): type enum 0 user, 1 chat, 2 channel; last_updated defaults to 0 (= unknown);
        // its unit is not documented, so millisecond values are recognised by size.
        {"mtgo-sqlite", "peers", "CASE type WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE 2 END", "last_updated",
         "NULLIF(CASE WHEN last_updated > 100000000000 THEN last_updated / 1000 ELSE last_updated END, 0)",
         "phone_number", "''", "phone_number IS NOT NULL AND phone_number <> ''", "1", {}},
        // ferogram SqliteBackend (8.4): bare ids plus flags, no timestamps, no phones.
        {"ferogram-sqlite", "peers", "CASE WHEN is_channel <> 0 THEN 2 WHEN is_chat <> 0 THEN 1 ELSE 0 END",
         nullptr, nullptr, nullptr, nullptr, nullptr, "1", {}},
    };
    return s;
}

const SqlPeerSpec *specFor(const QString &formatId)
{
    for (const SqlPeerSpec &s : specs())
        if (formatId == QLatin1String(s.formatId))
            return &s;
    return nullptr;
}

struct Plan {
    QString base;      // rows the policy may touch
    QString removal;   // among base: rows to delete ("0" = none)
};

// keepTable: a temporary table holding the ids --keep-newest protects (real runs compute it once,
// before anything is deleted); empty = an inline subquery (dry runs, one statement per kind).
Plan buildPlan(const SqlPeerSpec &spec, const PrunePolicy &policy, bool hasTs, qint64 now, const QString &keepTable = QString())
{
    const QString table = QString::fromLatin1(spec.table);
    QString base = QStringLiteral("(%1)").arg(QString::fromLatin1(spec.selfExclusion));
    if (!policy.types.isEmpty()) {
        QStringList kinds;
        for (PeerKind k : policy.types)
            kinds << QString::number(k == PeerKind::User ? 0 : k == PeerKind::Chat ? 1 : 2);
        base += QStringLiteral(" AND (%1) IN (%2)").arg(QString::fromLatin1(spec.kindExpr), kinds.join(QLatin1Char(',')));
    }
    QString removal;
    if (policy.clearAll || (!policy.types.isEmpty() && !policy.olderThanDays && !policy.keepNewest)) {
        removal = QStringLiteral("1");
    } else {
        QStringList parts;
        if (policy.olderThanDays) {
            const qint64 cutoff = now - static_cast<qint64>(*policy.olderThanDays) * 86400;
            parts << QStringLiteral("(%1) < %2").arg(QString::fromLatin1(spec.tsExpr)).arg(cutoff);
        }
        if (policy.keepNewest && !keepTable.isEmpty()) {
            parts << QStringLiteral("id NOT IN (SELECT id FROM %1)").arg(keepTable);
        } else if (policy.keepNewest) {
            const QString order = hasTs ? QStringLiteral("(%1) IS NULL, (%1) DESC, id DESC").arg(QString::fromLatin1(spec.tsExpr))
                                        : QStringLiteral("id DESC");
            parts << QStringLiteral("id NOT IN (SELECT id FROM %1 WHERE %2 ORDER BY %3 LIMIT %4)")
                         .arg(table, base, order)
                         .arg(*policy.keepNewest);
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

QString keepNewestSelect(const SqlPeerSpec &spec, const PrunePolicy &policy, bool hasTs, const QString &base)
{
    const QString order = hasTs ? QStringLiteral("(%1) IS NULL, (%1) DESC, id DESC").arg(QString::fromLatin1(spec.tsExpr)) : QStringLiteral("id DESC");
    return QStringLiteral("SELECT id FROM %1 WHERE %2 ORDER BY %3 LIMIT %4").arg(QString::fromLatin1(spec.table), base, order).arg(*policy.keepNewest);
}

PeerKind kindOf(int k) { return k == 0 ? PeerKind::User : k == 1 ? PeerKind::Chat : PeerKind::Channel; }

// Counts what the plan removes (by kind) and how many phones it clears.
Status countPlan(SqliteDb &db, const SqlPeerSpec &spec, const Plan &plan, bool dropPhones, PruneReport &r)
{
    const QString table = QString::fromLatin1(spec.table);
    for (int k = 0; k < 3; ++k) {
        auto n = scalar(db, QStringLiteral("SELECT count(*) FROM %1 WHERE %2 AND %3 AND %4").arg(table, kindFilter(spec, k), plan.base, plan.removal));
        if (!n)
            return n.error();
        r.removed.add(kindOf(k), *n);
    }
    if (dropPhones && spec.phoneColumn) {
        auto phones = scalar(db, QStringLiteral("SELECT count(*) FROM %1 WHERE %2 AND NOT %3 AND (%4)")
                                     .arg(table, plan.base, plan.removal, QString::fromLatin1(spec.phonePresent)));
        if (!phones)
            return phones.error();
        r.phonesCleared = *phones;
    }
    auto total = scalar(db, QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(table, QString::fromLatin1(spec.selfExclusion)));
    if (!total)
        return total.error();
    r.kept = *total - r.removed.total();
    return {};
}

// Clears phones without firing Pyrogram's "last_update_on = now" trigger (that would make every
// old peer look fresh): the table's triggers are dropped and recreated inside the transaction.
Result<qint64> clearPhones(SqliteDb &db, const SqlPeerSpec &spec, const Plan &plan)
{
    const QString table = QString::fromLatin1(spec.table);
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
                         .arg(table, QString::fromLatin1(spec.phoneColumn), QString::fromLatin1(spec.phoneEmpty), plan.base,
                              plan.removal, QString::fromLatin1(spec.phonePresent)));
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

bool sqlPruneSupported(const QString &formatId) { return specFor(formatId) != nullptr; }

Result<PruneReport> pruneSqlite(const QString &formatId, const QString &path, const PrunePolicy &policy,
                                const PruneOptions &options)
{
    const SqlPeerSpec *spec = specFor(formatId);
    if (!spec)
        return Error::badInput(QStringLiteral("pruning %1 is not supported").arg(formatId));
    const qint64 now = policy.now > 0 ? policy.now : QDateTime::currentSecsSinceEpoch();

    PruneReport r;
    r.dryRun = options.dryRun;
    r.bytesBefore = fileBytes(path);

    if (!options.dryRun) {
        if (auto lock = sqliteLockHolder(path))
            return Error::output(QStringLiteral("refusing to prune: %1; close the client first").arg(lock->describe(path)));
        if (auto st = refuseHeldTarget(path); !st) // flock() holders too (docs/security.md)
            return st.error();
    }
    auto opened = options.dryRun ? SqliteDb::openReadOnly(path) : SqliteDb::openReadWrite(path);
    if (!opened)
        return opened.error();
    SqliteDb &db = **opened;
    const QString table = QString::fromLatin1(spec->table);
    auto cols = db.columns(table);
    if (!cols)
        return cols.error();
    if (cols->isEmpty())
        return Error::badInput(QStringLiteral("no %1 table: not a %2 peer cache").arg(table, formatId));
    const bool hasTs = spec->tsColumn && cols->contains(QString::fromLatin1(spec->tsColumn));
    if (policy.olderThanDays && !hasTs)
        return Error::usage(QStringLiteral("%1 keeps no peer timestamps%2; use --keep-newest N or --type instead of --older-than")
                                .arg(formatId, spec->tsColumn ? QStringLiteral(" in this file (old schema)") : QString()));
    const bool dropPhones = policy.dropPhones && spec->phoneColumn && cols->contains(QString::fromLatin1(spec->phoneColumn));
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
        auto d = db.exec(QStringLiteral("DELETE FROM %1 WHERE %2 AND %3 AND %4").arg(table, kindFilter(*spec, k), real.base, real.removal));
        if (!d)
            return fail(d.error());
        r.removed.add(kindOf(k), d->numRowsAffected());
        d->finish();
    }
    if (r.removed.total() > 0) {
        for (const Cleanup &c : spec->cleanups) {
            auto cc = db.columns(QString::fromLatin1(c.table));
            if (!cc)
                return fail(cc.error());
            if (!cc->contains(QString::fromLatin1(c.requiredColumn)))
                continue;
            auto q = db.exec(QString::fromLatin1(c.sql));
            if (!q)
                return fail(q.error());
        }
    }
    {
        auto kept = scalar(db, QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(table, QString::fromLatin1(spec->selfExclusion)));
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
