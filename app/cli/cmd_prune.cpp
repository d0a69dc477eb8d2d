#include "cli.h"

#include "io/replacetarget.h"

#include "format/registry.h"
#include "prune/prune.h"

#include <QJsonObject>

namespace sd::cli {

namespace {
QJsonObject countsJson(const PeerCounts &c)
{
    QJsonObject o;
    o[QStringLiteral("users")] = c.users;
    o[QStringLiteral("chats")] = c.chats;
    o[QStringLiteral("channels")] = c.channels;
    o[QStringLiteral("total")] = c.total();
    return o;
}
} // namespace

int cmdPrune(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption olderThan(QStringLiteral("older-than"), QStringLiteral("Remove peers not updated for DAYS days."), QStringLiteral("DAYS"));
    const QCommandLineOption type(QStringLiteral("type"), QStringLiteral("Only peers of this kind: user|chat|channel (repeatable)."), QStringLiteral("T"));
    const QCommandLineOption keepNewest(QStringLiteral("keep-newest"), QStringLiteral("Keep only the N newest peers."), QStringLiteral("N"));
    const QCommandLineOption dropPhones(QStringLiteral("drop-phones"), QStringLiteral("Clear the phone numbers of the peers that stay."));
    const QCommandLineOption clear(QStringLiteral("clear"), QStringLiteral("Remove every peer (of the --type kinds)."));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"), QStringLiteral("Report what would be removed; change nothing."));
    const QCommandLineOption noBackup(QStringLiteral("no-backup"), QStringLiteral("Do not write <file>.bak-YYYYmmdd-HHMMSS first."));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("Force the source format id."), QStringLiteral("ID"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON document."));
    p.addOptions({olderThan, type, keepNewest, dropPhones, clear, dryRun, noBackup, format, json});
    addServerOptions(p);
    p.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("Session file or folder with a peer cache."));
    int code = 0;
    const QString synopsis = QStringLiteral("prune SOURCE [--older-than DAYS] [--type T]... [--keep-newest N] [--drop-phones] [--clear] [--dry-run] [--no-backup] [--json]");
    if (!parseArgs(p, args, &code, synopsis))
        return code;
    if (p.positionalArguments().size() != 1)
        return usage(QStringLiteral("prune needs exactly one SOURCE"));
    const QString source = p.positionalArguments().first();
    if (source == QLatin1String("-"))
        return usage(QStringLiteral("prune works on a file or folder, not on a string"));
    if (!applyServerOptions(p, {source}, &code))
        return code;

    PrunePolicy policy;
    bool ok = true;
    if (p.isSet(olderThan)) {
        const int d = p.value(olderThan).toInt(&ok);
        if (!ok || d < 0)
            return usage(QStringLiteral("--older-than needs a non-negative number of days"));
        policy.olderThanDays = d;
    }
    if (p.isSet(keepNewest)) {
        const qint64 n = p.value(keepNewest).toLongLong(&ok);
        if (!ok || n < 0)
            return usage(QStringLiteral("--keep-newest needs a non-negative number"));
        policy.keepNewest = n;
    }
    for (const QString &t : p.values(type)) {
        const auto k = peerKindFromName(t.toLower());
        if (!k)
            return usage(QStringLiteral("--type must be user, chat or channel (got '%1')").arg(t));
        if (!policy.types.contains(*k))
            policy.types << *k;
    }
    policy.dropPhones = p.isSet(dropPhones);
    policy.clearAll = p.isSet(clear);
    PruneOptions options;
    options.dryRun = p.isSet(dryRun);
    options.backup = !p.isSet(noBackup);
    options.session = sessionOption(p);

    // A running client holding the file (POSIX/SQLite locks, flock): exit 5 before anything reads
    // it, so detection never fails on its lock instead (docs/security.md).
    if (!options.dryRun)
        if (auto st = refuseHeldTarget(source); !st)
            return fail(source, st.error());
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
    if (!f->canPrune())
        return fail(source, BadInput, QStringLiteral("%1 has no peer cache SessionDesk can prune").arg(f->id()));
    auto r = prunePeerCache(*f, source, policy, options);
    if (!r)
        return fail(source, r.error());

    if (p.isSet(json)) {
        QJsonObject o;
        o[QStringLiteral("source")] = source;
        o[QStringLiteral("format")] = f->id();
        o[QStringLiteral("dry_run")] = r->dryRun;
        o[QStringLiteral("removed")] = countsJson(r->removed);
        o[QStringLiteral("kept")] = r->kept;
        o[QStringLiteral("phones_cleared")] = r->phonesCleared;
        o[QStringLiteral("backup")] = r->backup.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(r->backup);
        o[QStringLiteral("bytes_before")] = r->bytesBefore;
        o[QStringLiteral("bytes_after")] = r->bytesAfter;
        printJson(o);
        return Ok;
    }
    out() << (r->dryRun ? "would remove " : "removed ") << r->removed.total() << " peers (" << r->removed.users
          << " users, " << r->removed.chats << " chats, " << r->removed.channels << " channels), kept " << r->kept;
    if (policy.dropPhones)
        out() << ", " << (r->dryRun ? "would clear " : "cleared ") << r->phonesCleared << " phone numbers";
    out() << '\n';
    if (!r->backup.isEmpty())
        out() << "backup: " << r->backup << '\n';
    if (!r->dryRun)
        out() << "size: " << r->bytesBefore << " -> " << r->bytesAfter << " bytes\n";
    out().flush();
    return Ok;
}

} // namespace sd::cli
