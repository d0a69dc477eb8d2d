#include "dedupe.h"

#include "io/lockprobe.h"
#include "format/registry.h"
#include "io/replacetarget.h"
#include "prune/prune.h"
#include "sqlite/sqlconnection.h"
#include "sqlite/sqlitedb.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace sd {

namespace {

// The rows never judged: the self row and rows the mapping exempts (a condition on unqualified
// columns of the peer table; with a prefix "r." for joined queries).
QString skipRows(const SqlPeerMapping &spec, const QStringList &cols, const QString &prefix = QString())
{
    QStringList parts;
    if (!spec.selfRow.isEmpty())
        parts << spec.selfRow;
    // An exemption naming a column this file lacks exempts nothing (mtcute's isMin came later).
    static const QRegularExpression word(QStringLiteral("[A-Za-z_][A-Za-z_0-9]*"));
    if (!spec.unjudgedRows.isEmpty()) {
        bool known = true;
        for (auto it = word.globalMatch(spec.unjudgedRows); it.hasNext();) {
            const QString w = it.next().captured();
            if (w.compare(QLatin1String("COALESCE"), Qt::CaseInsensitive) != 0 && !cols.contains(w))
                known = false;
        }
        if (known)
            parts << spec.unjudgedRows;
    }
    if (parts.isEmpty())
        return QStringLiteral("0 = 1");
    QString out = QStringLiteral("(%1)").arg(parts.join(QStringLiteral(") OR (")));
    if (!prefix.isEmpty())
        for (const QString &c : cols)
            out.replace(QRegularExpression(QStringLiteral("(?<![.A-Za-z_])%1\\b").arg(c)), prefix + c);
    return out;
}

Status findIssues(SqliteDb &db, const SqlPeerMapping &spec, const QStringList &cols, std::vector<DedupeIssue> &out)
{
    const QString t = spec.table;
    const QString skip = skipRows(spec, cols);
    const QString h = spec.hashColumn;
    QSet<qint64> deleted;

    auto run = [&](const QString &sql, auto &&onRow) -> Status {
        auto q = db.exec(sql);
        if (!q)
            return q.error();
        while (q->next())
            onRow(*q);
        return {};
    };

    // 1. marked-and-bare
    if (spec.markedIds) {
        const QString sameHash = QStringLiteral("(r.%1 = m.%1 OR r.%1 IS NULL OR r.%1 = 0 OR r.%1 = '')").arg(h);
        const QString sql = QStringLiteral(
            "SELECT r.id, m.id FROM %1 r JOIN %1 m ON m.id = -1000000000000 - abs(r.id) "
            "WHERE r.id <> 0 AND r.id > -1000000000000 AND NOT (%2) AND %3 "
            "UNION ALL SELECT r.id, m.id FROM %1 r JOIN %1 m ON m.id = -r.id "
            "WHERE r.id > 0 AND NOT (%2) AND (r.%4 = m.%4 OR r.%4 IS NULL OR r.%4 = 0 OR r.%4 = '') ORDER BY 1")
                                .arg(t, skipRows(spec, cols, QStringLiteral("r.")), sameHash, h);
        if (auto st = run(sql, [&](QSqlQuery &q) {
                const qint64 id = q.value(0).toLongLong(), keep = q.value(1).toLongLong();
                if (deleted.contains(id))
                    return;
                deleted.insert(id);
                out.push_back({QStringLiteral("marked-and-bare"), id, QStringLiteral("delete"), keep, QString(),
                               QStringLiteral("row %1 is peer %2 stored under a wrong id (same access hash); %2 stays").arg(id).arg(keep)});
            });
            !st)
            return st;
    }

    // 2. impossible rows
    {
        QStringList why;
        const QString zero = QStringLiteral("id = 0");
        const QString channelRange = spec.markedIds ? QStringLiteral("id < -1999999999999")
                                                    : QStringLiteral("((%1) = 2 AND (id >= 1000000000000 OR id <= 0))").arg(spec.kindExpr);
        const QString noHash = QStringLiteral("(id <> 0 AND (%1) IN (0, 2) AND %2)").arg(spec.kindExpr, spec.hashMissing);
        const QString sql = QStringLiteral("SELECT id, CASE WHEN %2 THEN 'id 0' WHEN %3 THEN 'channel id out of range' ELSE 'no access hash' END "
                                           "FROM %1 WHERE NOT (%5) AND (%2 OR %3 OR %4) ORDER BY id")
                                .arg(t, zero, channelRange, noHash, skip);
        if (auto st = run(sql, [&](QSqlQuery &q) {
                const qint64 id = q.value(0).toLongLong();
                if (deleted.contains(id))
                    return;
                deleted.insert(id);
                out.push_back({QStringLiteral("impossible-row"), id, QStringLiteral("delete"), std::nullopt, QString(),
                               QStringLiteral("row %1: %2").arg(id).arg(q.value(1).toString())});
            });
            !st)
            return st;
    }

    // 3. usernames claimed by several ids
    // A side table of usernames (Kurigram's usernames(id, username), several rows per peer, 2.3).
    bool sideTable = false;
    if (spec.usernameTable) {
        auto uc = db.columns(spec.usernameTable->table);
        if (!uc)
            return uc.error();
        sideTable = uc->contains(spec.usernameTable->peerColumn) && uc->contains(spec.usernameTable->usernameColumn);
    }
    const bool column = spec.usernames != UsernameStore::None && cols.contains(spec.usernameColumn);
    if (column || sideTable) {
        const bool hasTs = !spec.timestampColumn.isEmpty() && cols.contains(spec.timestampColumn);
        const QString ts = hasTs ? QStringLiteral("(%1)").arg(spec.timestampExpr) : QStringLiteral("NULL");
        QStringList parts;
        if (column && spec.usernames == UsernameStore::Column)
            parts << QStringLiteral("SELECT id, lower(%1) AS u, %2 AS ts, 'c' AS src FROM %3 WHERE %1 IS NOT NULL AND %1 <> '' AND NOT (%4)")
                         .arg(spec.usernameColumn, ts, t, skip);
        else if (column)
            parts << QStringLiteral("SELECT %3.id AS id, lower(j.value) AS u, %2 AS ts, 'c' AS src FROM %3, json_each(%3.%1) j "
                                    "WHERE json_valid(%3.%1) AND NOT (%4)")
                         .arg(spec.usernameColumn, ts, t, skipRows(spec, cols, t + QLatin1Char('.')));
        if (sideTable)
            parts << QStringLiteral("SELECT n.%2 AS id, lower(n.%3) AS u, %4 AS ts, 't' AS src FROM %5 n "
                                    "JOIN %1 ON %1.id = n.%2 WHERE n.%3 IS NOT NULL AND n.%3 <> ''")
                         .arg(t, spec.usernameTable->peerColumn, spec.usernameTable->usernameColumn,
                              hasTs ? QStringLiteral("%1.%2").arg(t, spec.timestampColumn) : QStringLiteral("NULL"), spec.usernameTable->table);
        const QString sql = QStringLiteral("WITH p AS (%1) SELECT u, id, src FROM p WHERE u IN (SELECT u FROM p GROUP BY u HAVING count(DISTINCT id) > 1) "
                                           "ORDER BY u, ts IS NULL, ts DESC, id DESC, src")
                                .arg(parts.join(QStringLiteral(" UNION ALL ")));
        QString current;
        std::optional<qint64> keeper;
        if (auto st = run(sql, [&](QSqlQuery &q) {
                const QString u = q.value(0).toString();
                const qint64 id = q.value(1).toLongLong();
                const bool inTable = q.value(2).toString() == QLatin1String("t");
                if (u != current) {
                    current = u;
                    keeper.reset();
                }
                if (deleted.contains(id) || (keeper && *keeper == id))
                    return;
                if (!keeper) {
                    keeper = id;
                    return;
                }
                out.push_back({QStringLiteral("username-conflict"), id, inTable ? QStringLiteral("drop-username-row") : QStringLiteral("clear-username"),
                               keeper, u, QStringLiteral("@%1 is claimed by %2 and the newer %3; %2 loses it").arg(u).arg(id).arg(*keeper)});
            });
            !st)
            return st;
    }
    std::stable_sort(out.begin(), out.end(), [](const DedupeIssue &a, const DedupeIssue &b) {
        if (a.kind != b.kind)
            return a.kind < b.kind;
        if (a.id != b.id)
            return a.id < b.id;
        if (a.username != b.username)
            return a.username < b.username;
        return a.action < b.action;
    });
    return {};
}

Status applyIssue(SqliteDb &db, const SqlPeerMapping &spec, const DedupeIssue &i)
{
    const QString t = spec.table;
    if (i.action == QLatin1String("delete")) {
        auto q = db.exec(QStringLiteral("DELETE FROM %1 WHERE id = ?").arg(t), {i.id});
        return q ? Status() : Status(q.error());
    }
    if (i.action == QLatin1String("drop-username-row")) {
        const SqlUsernameTable &u = *spec.usernameTable;
        auto q = db.exec(QStringLiteral("DELETE FROM %1 WHERE %2 = ? AND lower(%3) = ?").arg(u.table, u.peerColumn, u.usernameColumn),
                         {i.id, i.username});
        return q ? Status() : Status(q.error());
    }
    const QString col = spec.usernameColumn;
    if (spec.usernames == UsernameStore::Column) {
        auto q = db.exec(QStringLiteral("UPDATE %1 SET %2 = NULL WHERE id = ? AND lower(%2) = ?").arg(t, col), {i.id, i.username});
        return q ? Status() : Status(q.error());
    }
    auto q = db.exec(QStringLiteral("UPDATE %1 SET %2 = (SELECT json_group_array(value) FROM json_each(%1.%2) WHERE lower(value) <> ?) WHERE id = ?")
                         .arg(t, col),
                     {i.username, i.id});
    return q ? Status() : Status(q.error());
}

} // namespace

bool dedupeSupported(const QString &formatId)
{
    const Format *f = Registry::instance().find(formatId);
    return f && f->descriptor().sqlPeers.has_value();
}

Result<DedupeReport> dedupePeerCache(const QString &formatId, const QString &path, bool fix, bool backup)
{
    const Format *format = Registry::instance().find(formatId);
    if (!format || !format->descriptor().sqlPeers) {
        QStringList sql;
        for (const auto &f : Registry::instance().formats())
            if (f->descriptor().sqlPeers)
                sql << f->id();
        return Error::badInput(QStringLiteral("dedupe works on the SQL peer caches (%1), not on %2").arg(sql.join(QStringLiteral(", ")), formatId));
    }
    if (fix)
    {
        if (auto st = refuseHeldTarget(path); !st) // record locks, SQLite's, flock() (core/io/lockprobe)
            return st.error();
    }
    auto opened = fix ? SqliteDb::openReadWrite(path) : SqliteDb::openReadOnly(path);
    if (!opened)
        return opened.error();
    SqliteDb &db = **opened;
    const QString t = format->descriptor().sqlPeers->table;
    auto cols = db.columns(t);
    if (!cols)
        return cols.error();
    if (cols->isEmpty())
        return Error::badInput(QStringLiteral("no %1 table: not a %2 peer cache").arg(t, formatId));
    const SqlPeerMapping mapping = format->descriptor().sqlPeers->forColumns(*cols);
    const SqlPeerMapping *spec = &mapping;

    DedupeReport r;
    r.formatId = formatId;
    auto count = db.exec(QStringLiteral("SELECT count(*) FROM %1").arg(t));
    if (!count)
        return count.error();
    r.rowsBefore = count->next() ? count->value(0).toLongLong() : 0;
    count->finish();
    if (auto st = findIssues(db, *spec, *cols, r.issues); !st)
        return st.error();
    r.rowsAfter = r.rowsBefore;
    if (!fix || r.issues.empty())
        return r;

    if (backup) {
        auto b = writeBackup(path);
        if (!b)
            return b.error();
        r.backup = *b;
    }
    if (auto st = db.begin(); !st)
        return st.error();
    SqliteConnection conn(db); // Pyrogram's trigger would stamp every touched row with "now"
    auto triggers = dropTriggers(conn, t);
    if (!triggers) {
        db.rollback();
        return triggers.error();
    }
    for (const DedupeIssue &i : r.issues) {
        if (auto st = applyIssue(db, *spec, i); !st) {
            db.rollback();
            return st.error();
        }
        if (i.action == QLatin1String("delete"))
            --r.rowsAfter;
    }
    if (auto st = restoreTriggers(conn, *triggers); !st) {
        db.rollback();
        return st.error();
    }
    if (auto st = db.commit(); !st)
        return st.error();
    r.fixed = true;
    return r;
}

} // namespace sd
