#include "cli.h"

#include "audit/audit.h"
#include "audit/fix.h"
#include "keychainsecretstore.h"
#include "vault/vault.h"
#include "report/text.h"
#include "server/serverurl.h"

#include <QFileInfo>
#include <algorithm>

#include <QJsonArray>
#include <QJsonObject>
#include <cstdio>
#include <unistd.h>

namespace sd::cli {

namespace {

QJsonObject fixJson(const FixAction &a, const QString &vaultPath)
{
    QJsonObject o;
    o[QStringLiteral("action")] = fixKindName(a.kind);
    o[QStringLiteral("rule")] = a.rule;
    o[QStringLiteral("path")] = a.path;
    o[QStringLiteral("auth_key_id")] = a.authKeyId ? QJsonValue(*a.authKeyId) : QJsonValue(QJsonValue::Null);
    QJsonArray lines;
    for (int l : a.lines)
        lines.append(l);
    o[QStringLiteral("lines")] = lines;
    o[QStringLiteral("kept_place")] = a.keptPlace.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(a.keptPlace);
    o[QStringLiteral("description")] = a.describe(vaultPath);
    o[QStringLiteral("status")] = QStringLiteral("planned");
    return o;
}

bool needsVault(const std::vector<FixAction> &plan)
{
    for (const FixAction &a : plan)
        if (a.kind == FixKind::MoveToVault)
            return true;
    return false;
}

bool destructive(const std::vector<FixAction> &plan)
{
    for (const FixAction &a : plan)
        if (a.kind != FixKind::RestrictMode)
            return true;
    return false;
}

// "Apply N changes? [y/N]" on the terminal; false without one.
bool confirmOnTerminal(size_t count)
{
    if (!::isatty(STDIN_FILENO))
        return false;
    err() << "Apply these " << count << " change(s)? [y/N] ";
    err().flush();
    char buf[16] = {};
    if (!std::fgets(buf, sizeof buf, stdin))
        return false;
    return buf[0] == 'y' || buf[0] == 'Y';
}

// `audit --fix`: plan, print (dry run) or confirm and apply, report each action (docs/cli.md).
int runFixes(const AuditReport &r, const FixPlanOptions &fo, bool dryRun, bool yes, const QString &vaultArg, bool json)
{
    auto plan = planFixes(r, fo);
    if (!plan)
        return usage(plan.error().message);
    const QString vaultPath = Vault::resolvePath(vaultArg);
    QJsonArray fixes;
    for (const FixAction &a : *plan)
        fixes.append(fixJson(a, needsVault(*plan) ? vaultPath : QString()));
    if (!json) {
        if (plan->empty())
            out() << "nothing to fix for the rules given\n";
        for (const FixAction &a : *plan)
            out() << (dryRun ? "would " : "plan: ") << a.describe(a.kind == FixKind::MoveToVault ? vaultPath : QString()) << '\n';
        out().flush();
    }
    int worst = Ok;
    if (!dryRun && !plan->empty()) {
        if (destructive(*plan) && !yes && !confirmOnTerminal(plan->size())) {
            if (!::isatty(STDIN_FILENO))
                return usage(QStringLiteral("--fix removes plaintext sessions: confirm with --yes (or look first with --dry-run)"));
            err() << "nothing changed\n";
            err().flush();
            return Ok;
        }
        std::unique_ptr<KeychainSecretStore> keychain;
        std::unique_ptr<Vault> vault;
        if (needsVault(*plan)) {
            keychain = std::make_unique<KeychainSecretStore>();
            auto v = Vault::open(vaultPath, *keychain, true);
            if (!v)
                return fail(vaultPath, v.error());
            vault = std::move(*v);
        }
        FixContext ctx;
        ctx.vault = vault.get();
        for (size_t i = 0; i < plan->size(); ++i) {
            QJsonObject o = fixes[static_cast<qsizetype>(i)].toObject();
            auto res = applyFix((*plan)[i], ctx);
            if (res) {
                o[QStringLiteral("status")] = QStringLiteral("done");
                o[QStringLiteral("result")] = res->summary;
                o[QStringLiteral("removed")] = QJsonArray::fromStringList(res->removed);
                o[QStringLiteral("backup")] = res->backup.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(res->backup);
                o[QStringLiteral("vault_ids")] = QJsonArray::fromStringList(res->vaultIds);
                if (!json)
                    out() << "done: " << res->summary << '\n';
            } else {
                o[QStringLiteral("status")] = QStringLiteral("failed");
                o[QStringLiteral("error")] = res.error().message;
                worst = std::max(worst, res.error().exitCode());
                err() << "sessiondesk-cli: " << res.error().message << '\n';
                err().flush();
            }
            fixes[static_cast<qsizetype>(i)] = o;
        }
        if (!json)
            out().flush();
    }
    if (json) {
        QJsonObject doc = auditReportJson(r);
        doc[QStringLiteral("dry_run")] = dryRun;
        doc[QStringLiteral("vault")] = needsVault(*plan) ? QJsonValue(vaultPath) : QJsonValue(QJsonValue::Null);
        doc[QStringLiteral("fixes")] = fixes;
        printJson(doc);
    }
    return worst;
}

} // namespace

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
    const QCommandLineOption fix(QStringLiteral("fix"),
                                 QStringLiteral("Act on the findings of RULE (world-readable, string-in-text-file, duplicate-auth-key, all); "
                                                "repeat or separate with commas."),
                                 QStringLiteral("RULE"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"), QStringLiteral("With --fix: say exactly what would change, change nothing."));
    const QCommandLineOption yes(QStringLiteral("yes"), QStringLiteral("With --fix: do not ask before removing plaintext sessions."));
    const QCommandLineOption keep(QStringLiteral("keep"), QStringLiteral("With --fix duplicate-auth-key: the place that keeps the key."),
                                  QStringLiteral("PATH"));
    const QCommandLineOption deleteDup(QStringLiteral("delete-duplicates"),
                                       QStringLiteral("With --fix duplicate-auth-key: delete the other copies instead of moving them to the vault."));
    const QCommandLineOption vault(QStringLiteral("vault"), QStringLiteral("With --fix: the vault sessions move into (default: $SESSIONDESK_VAULT, else the app-data folder)."),
                                   QStringLiteral("PATH"));
    p.addOptions({recursive, failOn, staleDays, threads, json, fix, dryRun, yes, keep, deleteDup, vault});
    addServerOptions(p);
    p.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Files and folders to audit."), QStringLiteral("PATH..."));
    int code = 0;
    if (!parseArgs(p, args, &code, QStringLiteral("audit PATH... [--recursive] [--fail-on low|medium|high] [--stale-days DAYS] [--json] "
                                                     "[--fix RULE... [--dry-run] [--yes] [--keep PATH] [--delete-duplicates] [--vault PATH]]")))
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

    if (!p.isSet(fix))
        for (const QCommandLineOption *only : {&dryRun, &yes, &keep, &deleteDup, &vault})
            if (p.isSet(*only))
                return usage(QStringLiteral("--%1 applies only with --fix").arg(only->names().constLast()));

    const AuditReport r = runAudit(paths, o);
    if (p.isSet(fix)) {
        FixPlanOptions fo;
        fo.rules = p.values(fix);
        fo.keep = p.value(keep);
        fo.deleteDuplicates = p.isSet(deleteDup);
        return runFixes(r, fo, p.isSet(dryRun), p.isSet(yes), p.value(vault), p.isSet(json));
    }
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
