#include "cli.h"
#include "report/text.h"

#include "dedupe/dedupe.h"
#include "format/registry.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

namespace sd::cli {

int cmdDedupe(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption fix(QStringLiteral("fix"), QStringLiteral("Repair the file (a backup is written first)."));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"), QStringLiteral("Only show what --fix would do (the default)."));
    const QCommandLineOption noBackup(QStringLiteral("no-backup"), QStringLiteral("Do not write <file>.bak-YYYYmmdd-HHMMSS first."));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("Force the source format id."), QStringLiteral("ID"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON document."));
    p.addOptions({fix, dryRun, noBackup, format, json});
    p.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("SQLite session file with a peer cache."));
    int code = 0;
    if (!parseArgs(p, args, &code, QStringLiteral("dedupe SOURCE [--fix] [--dry-run] [--no-backup] [--json]")))
        return code;
    if (p.positionalArguments().size() != 1)
        return usage(QStringLiteral("dedupe needs exactly one SOURCE"));
    const QString source = p.positionalArguments().first();
    if (source == QLatin1String("-"))
        return usage(QStringLiteral("dedupe works on a file, not on a string"));
    const Registry &reg = Registry::instance();
    const Format *f = nullptr;
    if (p.isSet(format)) {
        f = reg.find(p.value(format));
        if (!f)
            return usage(QStringLiteral("unknown format id '%1' (see 'sessiondesk-cli formats')").arg(p.value(format)));
    } else {
        auto d = reg.detect(Source::fromPath(source));
        if (!d)
            return fail(source, d.error());
        f = *d;
    }
    const bool apply = p.isSet(fix) && !p.isSet(dryRun);
    auto r = dedupePeerCache(f->id(), source, apply, !p.isSet(noBackup));
    if (!r)
        return fail(source, r.error());

    QMap<QString, qint64> counts;
    for (const DedupeIssue &i : r->issues)
        counts[i.kind] += 1;
    if (p.isSet(json)) {
        QJsonObject o;
        o[QStringLiteral("source")] = source;
        o[QStringLiteral("format")] = f->id();
        o[QStringLiteral("dry_run")] = !apply;
        o[QStringLiteral("fixed")] = r->fixed;
        QJsonArray issues;
        for (const DedupeIssue &i : r->issues) {
            QJsonObject x;
            x[QStringLiteral("kind")] = i.kind;
            x[QStringLiteral("id")] = i.id;
            x[QStringLiteral("action")] = i.action;
            x[QStringLiteral("keeps")] = i.keptId ? QJsonValue(*i.keptId) : QJsonValue(QJsonValue::Null);
            x[QStringLiteral("username")] = i.username.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(i.username);
            x[QStringLiteral("message")] = i.message;
            issues.append(x);
        }
        o[QStringLiteral("issues")] = issues;
        QJsonObject c;
        for (const char *k : {"marked-and-bare", "username-conflict", "impossible-row"})
            c[QLatin1String(k)] = counts.value(QLatin1String(k));
        o[QStringLiteral("counts")] = c;
        o[QStringLiteral("rows_before")] = r->rowsBefore;
        o[QStringLiteral("rows_after")] = r->rowsAfter;
        o[QStringLiteral("backup")] = r->backup.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(r->backup);
        printJson(o);
        return Ok;
    }
    for (const DedupeIssue &i : r->issues)
        out() << i.kind << "  " << i.action << ' ' << i.id << "  " << escapeControls(i.message) << '\n';
    if (r->issues.empty())
        out() << "no duplicates or impossible rows\n";
    else if (r->fixed)
        out() << "fixed " << r->issues.size() << " issues; rows " << r->rowsBefore << " -> " << r->rowsAfter << '\n';
    else
        out() << r->issues.size() << " issues; run with --fix to repair (a backup is written first)\n";
    if (!r->backup.isEmpty())
        out() << "backup: " << r->backup << '\n';
    out().flush();
    return Ok;
}

} // namespace sd::cli
