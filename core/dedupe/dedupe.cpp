#include "dedupe.h"

#include "audit/lockcheck.h"
#include "io/replacetarget.h"
#include "prune/prune.h"
#include "sqlite/sqlitedb.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <algorithm>

namespace sd {

namespace {

enum class UsernameStore { None, Column, JsonArray };

struct DedupeSpec {
    const char *formatId;
    const char *table;
    bool marked;             // ids are marked (0.2)
    const char *kindExpr;    // 0 user, 1 chat, 2 channel
    const char *hashMissing; // condition: no usable access hash (for users/channels)
    const char *tsExpr;      // nullptr: none
    UsernameStore usernames;
    const char *usernameColumn;
    bool selfRowAtZero;      // Telethon: id 0 is the self row
    const char *skipRows;    // rows never judged ("0" = none)
};

#define SD_MARKED_KIND "CASE WHEN id > 0 THEN 0 WHEN id > -1000000000000 THEN 1 ELSE 2 END"

const std::vector<DedupeSpec> &specs()
{
    static const std::vector<DedupeSpec> s = {
        {"telethon-sqlite", "entities", true, SD_MARKED_KIND, "(hash IS NULL OR hash = 0)", "date", UsernameStore::Column,
         "username", true, "id = 0"},
        {"pyrogram-sqlite", "peers", true, SD_MARKED_KIND, "(access_hash IS NULL OR access_hash = 0)", "last_update_on",
         UsernameStore::Column, "username", false, "0"},
        {"mtcute-sqlite", "peers", true, SD_MARKED_KIND, "(hash IS NULL OR hash = '' OR hash = '0|0')", "(updated / 1000)",
         UsernameStore::JsonArray, "usernames", false, "COALESCE(isMin, 0) <> 0"},
        {"mtgo-sqlite", "peers", false, "CASE type WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE 2 END", "(access_hash IS NULL OR access_hash = 0)",
         "last_updated", UsernameStore::Column, "username", false, "0"},
        {"ferogram-sqlite", "peers", false, "CASE WHEN is_channel <> 0 THEN 2 WHEN is_chat <> 0 THEN 1 ELSE 0 END",
         "(access_hash IS NULL OR access_hash = 0)", nullptr, UsernameStore::None, nullptr, false, "0"},
    };
    return s;
}

const DedupeSpec *specFor(const QString &id)
{
    for (const DedupeSpec &s : specs())
        if (id == QLatin1String(s.formatId))
            return &s;
    return nullptr;
}

QString hashCol(const DedupeSpec &s)
{
    return QString::fromLatin1(s.formatId) == QLatin1String("telethon-sqlite") || QString::fromLatin1(s.formatId) == QLatin1String("mtcute-sqlite")
               ? QStringLiteral("hash")
               : QStringLiteral("access_hash");
}

Status findIssues(SqliteDb &db, const DedupeSpec &spec, const QStringList &cols, std::vector<DedupeIssue> &out)
{
    const QString t = QString::fromLatin1(spec.table);
    QString skip = QString::fromLatin1(spec.skipRows);
    if (skip.contains(QLatin1String("isMin")) && !cols.contains(QStringLiteral("isMin")))
        skip = QStringLiteral("0");
    const QString h = hashCol(spec);
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
    if (spec.marked) {
        const QString sameHash = QStringLiteral("(r.%1 = m.%1 OR r.%1 IS NULL OR r.%1 = 0 OR r.%1 = '')").arg(h);
        const QString sql = QStringLiteral(
            "SELECT r.id, m.id FROM %1 r JOIN %1 m ON m.id = -1000000000000 - abs(r.id) "
            "WHERE r.id <> 0 AND r.id > -1000000000000 AND NOT (%2) AND %3 "
            "UNION ALL SELECT r.id, m.id FROM %1 r JOIN %1 m ON m.id = -r.id "
            "WHERE r.id > 0 AND NOT (%2) AND (r.%4 = m.%4 OR r.%4 IS NULL OR r.%4 = 0 OR r.%4 = '') ORDER BY 1")
                                .arg(t, QString(skip).replace(QLatin1String("isMin"), QLatin1String("r.isMin")).replace(QLatin1String("id = 0"), QLatin1String("r.id = 0")), sameHash, h);
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
        const QString zero = spec.selfRowAtZero ? QStringLiteral("0") : QStringLiteral("id = 0");
        const QString channelRange = spec.marked ? QStringLiteral("id < -1999999999999")
                                                 : QStringLiteral("((%1) = 2 AND (id >= 1000000000000 OR id <= 0))").arg(QString::fromLatin1(spec.kindExpr));
        const QString noHash = QStringLiteral("(id <> 0 AND (%1) IN (0, 2) AND %2)").arg(QString::fromLatin1(spec.kindExpr), QString::fromLatin1(spec.hashMissing));
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
    // Kurigram keeps usernames in usernames(id, username), several rows per peer (2.3).
    bool kurigramTable = false;
    if (QString::fromLatin1(spec.formatId) == QLatin1String("pyrogram-sqlite")) {
        auto uc = db.columns(QStringLiteral("usernames"));
        if (!uc)
            return uc.error();
        kurigramTable = uc->contains(QStringLiteral("id")) && uc->contains(QStringLiteral("username")) && !uc->contains(QStringLiteral("peer_id"));
    }
    const bool column = spec.usernames != UsernameStore::None && cols.contains(QString::fromLatin1(spec.usernameColumn));
    if (column || kurigramTable) {
        const QString ts = spec.tsExpr ? QStringLiteral("(%1)").arg(QString::fromLatin1(spec.tsExpr)) : QStringLiteral("NULL");
        QStringList parts;
        if (column && spec.usernames == UsernameStore::Column)
            parts << QStringLiteral("SELECT id, lower(%1) AS u, %2 AS ts, 'c' AS src FROM %3 WHERE %1 IS NOT NULL AND %1 <> '' AND NOT (%4)")
                         .arg(QString::fromLatin1(spec.usernameColumn), ts, t, skip);
        else if (column)
            parts << QStringLiteral("SELECT %3.id AS id, lower(j.value) AS u, %2 AS ts, 'c' AS src FROM %3, json_each(%3.%1) j "
                                    "WHERE json_valid(%3.%1) AND NOT (%4)")
                         .arg(QString::fromLatin1(spec.usernameColumn), ts, t, QString(skip).replace(QLatin1String("isMin"), t + QStringLiteral(".isMin")));
        if (kurigramTable)
            parts << QStringLiteral("SELECT n.id AS id, lower(n.username) AS u, p.last_update_on AS ts, 't' AS src FROM usernames n "
                                    "JOIN %1 p ON p.id = n.id WHERE n.username IS NOT NULL AND n.username <> ''")
                         .arg(t);
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

Status applyIssue(SqliteDb &db, const DedupeSpec &spec, const DedupeIssue &i)
{
    const QString t = QString::fromLatin1(spec.table);
    if (i.action == QLatin1String("delete")) {
        auto q = db.exec(QStringLiteral("DELETE FROM %1 WHERE id = ?").arg(t), {i.id});
        return q ? Status() : Status(q.error());
    }
    if (i.action == QLatin1String("drop-username-row")) {
        auto q = db.exec(QStringLiteral("DELETE FROM usernames WHERE id = ? AND lower(username) = ?"), {i.id, i.username});
        return q ? Status() : Status(q.error());
    }
    const QString col = QString::fromLatin1(spec.usernameColumn);
    if (spec.usernames == UsernameStore::Column) {
        auto q = db.exec(QStringLiteral("UPDATE %1 SET %2 = NULL WHERE id = ? AND lower(%2) = ?").arg(t, col), {i.id, i.username});
        return q ? Status() : Status(q.error());
    }
    auto q = db.exec(QStringLiteral("UPDATE %1 SET %2 = (SELECT json_group_array(value) FROM json_each(%1.%2) WHERE lower(value) <> ?) WHERE id = ?")
                         .arg(t, col),
                     {i.username, i.id});
    return q ? Status() : Status(q.error());
}

// Pyrogram's trigger would stamp every touched row with "now"; keep the rows' own timestamps.
Result<QList<QPair<QString, QString>>> dropTriggers(SqliteDb &db, const QString &table)
{
    QList<QPair<QString, QString>> triggers;
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

} // namespace

bool dedupeSupported(const QString &formatId) { return specFor(formatId) != nullptr; }

Result<DedupeReport> dedupePeerCache(const QString &formatId, const QString &path, bool fix, bool backup)
{
    const DedupeSpec *spec = specFor(formatId);
    if (!spec)
        return Error::badInput(QStringLiteral("dedupe works on the SQLite peer caches (telethon-sqlite, pyrogram-sqlite, mtcute-sqlite, "
                                              "mtgo-sqlite, ferogram-sqlite), not on %1")
                                   .arg(formatId));
    if (fix)
    {
        if (auto lock = sqliteLockHolder(path))
            return Error::output(QStringLiteral("refusing to repair: %1; close the client first").arg(lock->describe(path)));
        if (auto st = refuseHeldTarget(path); !st) // flock() holders too (docs/security.md)
            return st.error();
    }
    auto opened = fix ? SqliteDb::openReadWrite(path) : SqliteDb::openReadOnly(path);
    if (!opened)
        return opened.error();
    SqliteDb &db = **opened;
    const QString t = QString::fromLatin1(spec->table);
    auto cols = db.columns(t);
    if (!cols)
        return cols.error();
    if (cols->isEmpty())
        return Error::badInput(QStringLiteral("no %1 table: not a %2 peer cache").arg(t, formatId));

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
    auto triggers = dropTriggers(db, t);
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
    for (const auto &tr : *triggers) {
        auto c = db.exec(tr.second);
        if (!c) {
            db.rollback();
            return c.error();
        }
    }
    if (auto st = db.commit(); !st)
        return st.error();
    r.fixed = true;
    return r;
}

} // namespace sd
