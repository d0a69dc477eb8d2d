#include "cli.h"

#include "audit/audit.h"
#include "report/text.h"
#include "server/serverurl.h"

#include <QFileInfo>
#include <algorithm>

#include <QJsonArray>
#include <QJsonObject>

namespace sd::cli {

int cmdAudit(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption recursive(QStringList{QStringLiteral("r"), QStringLiteral("recursive")}, QStringLiteral("Descend into sub-folders."));
    const QCommandLineOption failOn(QStringLiteral("fail-on"), QStringLiteral("Exit 1 when a finding reaches this severity: low|medium|high (default high)."),
                                    QStringLiteral("SEVERITY"), QStringLiteral("high"));
    const QCommandLineOption staleDays(QStringLiteral("stale-days"), QStringLiteral("A session is stale after DAYS without activity (default 90)."),
                                       QStringLiteral("DAYS"), QStringLiteral("90"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Worker threads (default: one per core)."), QStringLiteral("N"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON document."));
    p.addOptions({recursive, failOn, staleDays, threads, json});
    addServerOptions(p);
    p.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Files and folders to audit."), QStringLiteral("PATH..."));
    int code = 0;
    if (!parseArgs(p, args, &code, QStringLiteral("audit PATH... [--recursive] [--fail-on low|medium|high] [--stale-days DAYS] [--json]")))
        return code;
    const QStringList paths = p.positionalArguments();
    if (paths.isEmpty())
        return usage(QStringLiteral("audit needs at least one PATH"));
    if (!applyServerOptions(p, paths, &code))
        return code;
    // Nothing to audit is not a clean result: a typo must not read as "no findings".
    if (std::none_of(paths.begin(), paths.end(), [](const QString &path) { return QFileInfo(path).exists() || QFileInfo(path).isSymLink() || server::looksLikeServerUrl(path); })) {
        for (const QString &path : paths)
            fail(path, BadInput, QStringLiteral("no such file or folder"));
        return BadInput;
    }
    const auto threshold = severityFromName(p.value(failOn));
    if (!threshold)
        return usage(QStringLiteral("--fail-on must be low, medium or high"));
    AuditOptions o;
    o.recursive = p.isSet(recursive);
    bool ok = true;
    o.staleDays = p.value(staleDays).toInt(&ok);
    if (!ok || o.staleDays < 0)
        return usage(QStringLiteral("--stale-days needs a non-negative number"));
    if (p.isSet(threads)) {
        o.threads = p.value(threads).toInt(&ok);
        if (!ok || o.threads < 1)
            return usage(QStringLiteral("--threads needs a positive number"));
    }

    const AuditReport r = runAudit(paths, o);
    const bool failed = r.worst() && static_cast<int>(*r.worst()) >= static_cast<int>(*threshold);

    if (p.isSet(json)) {
        const QJsonObject doc = auditReportJson(r);
        printJson(doc);
    } else {
        for (const Finding &f : r.findings)
            out() << severityName(f.severity).toUpper() << "  " << f.rule << "  " << escapeControls(f.path)
                  << (f.authKeyId ? QStringLiteral("  [%1]").arg(*f.authKeyId) : QString()) << "\n    " << escapeControls(f.message) << '\n';
        for (const QString &e : r.errors)
            out() << "skipped: " << escapeControls(e) << '\n';
        out() << "scanned " << r.scanned << " places, found " << r.sessions << " sessions, " << r.findings.size() << " findings\n";
        out().flush();
    }
    return failed ? Findings : Ok;
}

} // namespace sd::cli
