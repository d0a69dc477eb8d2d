#include "carrytables.h"

#include "format/format.h"
#include "format/probe.h"
#include "sqlite/sqlitedb.h"

#include <QFileInfo>
#include <QSet>
#include <QSqlQuery>
#include <QSqlRecord>

namespace sd {

namespace {

QString quoted(const QString &name)
{
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

Result<QStringList> carryUnknownSqliteTables(const Format &format, const QString &from, const QString &to)
{
    QStringList carried;
    const std::vector<KnownTable> &known = format.descriptor().knownSchema;
    if (known.empty() || from.isEmpty() || !QFileInfo(from).isFile())
        return carried;
    // Only a file of the same format is carried from: replacing a file of another format replaces it.
    auto probe = Probe::fromSource(Source::fromPath(from));
    if (!probe || format.detect(*probe) <= 0)
        return carried;
    auto old = SqliteDb::openReadOnly(from);
    if (!old)
        return carried; // unreadable: the user asked to replace it
    auto oldTables = (*old)->tables();
    if (!oldTables)
        return oldTables.error();
    QSet<QString> knownNames;
    for (const KnownTable &t : known)
        knownNames.insert(t.table.toLower());
    auto target = SqliteDb::openReadWrite(to);
    if (!target)
        return target.error();
    // Every name the writer created (tables, views, indexes, triggers) is the writer's.
    auto names = (*target)->exec(QStringLiteral("SELECT name FROM sqlite_master"));
    if (!names)
        return names.error();
    QSet<QString> present;
    while (names->next())
        present.insert(names->value(0).toString().toLower());

    struct Carry {
        QString name;
        QString sql;
    };
    std::vector<Carry> todo;
    for (const QString &t : *oldTables) {
        const QString lower = t.toLower();
        if (lower.startsWith(QLatin1String("sqlite_")) || knownNames.contains(lower) || present.contains(lower))
            continue;
        auto q = (*old)->exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?"), {t});
        if (!q)
            return q.error();
        if (!q->next())
            continue;
        const QString sql = q->value(0).toString();
        if (sql.trimmed().startsWith(QLatin1String("CREATE VIRTUAL"), Qt::CaseInsensitive))
            return Error::output(QStringLiteral("%1 holds the virtual table '%2', which SessionDesk cannot carry into a new file; "
                                                "nothing was changed")
                                     .arg(from, t));
        todo.push_back({t, sql});
    }
    // Shadow tables of a virtual table are ordinary tables named after it; refused above with it.
    if (todo.empty())
        return carried;
    if (auto st = (*target)->begin(); !st)
        return st.error();
    auto fail = [&](const Error &e) -> Result<QStringList> {
        (*target)->rollback();
        return e;
    };
    for (const Carry &c : todo) {
        if (auto r = (*target)->exec(c.sql); !r)
            return fail(r.error());
        QSqlQuery rows((*old)->db());
        rows.setForwardOnly(true);
        if (!rows.exec(QStringLiteral("SELECT * FROM %1").arg(quoted(c.name))))
            return fail((*old)->queryError(rows, QStringLiteral("reading table %1").arg(c.name)));
        const int n = rows.record().count();
        QStringList marks;
        for (int i = 0; i < n; ++i)
            marks << QStringLiteral("?");
        QSqlQuery ins((*target)->db());
        if (!ins.prepare(QStringLiteral("INSERT INTO %1 VALUES (%2)").arg(quoted(c.name), marks.join(QLatin1Char(',')))))
            return fail((*target)->queryError(ins, QStringLiteral("carrying table %1").arg(c.name)));
        while (rows.next()) {
            for (int i = 0; i < n; ++i) {
                QVariant v = rows.value(i);
                // Qt reads a zero-length blob or text as a null value; it stays a zero-length one.
                if (!rows.isNull(i) && v.metaType().id() == QMetaType::QByteArray && v.toByteArray().isNull())
                    v = QVariant(QByteArray("", 0));
                else if (!rows.isNull(i) && v.metaType().id() == QMetaType::QString && v.toString().isNull())
                    v = QVariant(QStringLiteral(""));
                ins.bindValue(i, v);
            }
            if (!ins.exec())
                return fail((*target)->queryError(ins, QStringLiteral("carrying table %1").arg(c.name)));
        }
        // Its indexes and triggers (automatic indexes have no SQL and come with the table).
        auto extras = (*old)->exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
                                                  "AND sql IS NOT NULL ORDER BY type, name"),
                                   {c.name});
        if (!extras)
            return fail(extras.error());
        QStringList ddl;
        while (extras->next())
            ddl << extras->value(0).toString();
        for (const QString &sql : ddl)
            if (auto r = (*target)->exec(sql); !r)
                return fail(r.error());
        // An AUTOINCREMENT counter keeps counting where it was.
        if ((*old)->hasTable(QStringLiteral("sqlite_sequence"))) {
            auto seq = (*old)->exec(QStringLiteral("SELECT seq FROM sqlite_sequence WHERE name = ?"), {c.name});
            if (seq && seq->next()) {
                const QVariant value = seq->value(0);
                if (auto r = (*target)->exec(QStringLiteral("UPDATE sqlite_sequence SET seq = ? WHERE name = ?"), {value, c.name}); !r)
                    return fail(r.error());
            }
        }
        carried << c.name;
    }
    // Views over carried tables (a view the new file already has is the writer's).
    auto views = (*old)->exec(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'view' AND sql IS NOT NULL ORDER BY name"));
    if (!views)
        return fail(views.error());
    QList<QPair<QString, QString>> viewDdl;
    while (views->next())
        viewDdl.append({views->value(0).toString(), views->value(1).toString()});
    for (const auto &[name, sql] : viewDdl) {
        if (knownNames.contains(name.toLower()) || present.contains(name.toLower()))
            continue;
        if (auto r = (*target)->exec(sql); !r)
            return fail(r.error());
        carried << name;
    }
    if (auto st = (*target)->commit(); !st)
        return st.error();
    return carried;
}

} // namespace sd
