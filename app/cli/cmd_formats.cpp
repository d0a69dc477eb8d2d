#include "cli.h"

#include "format/registry.h"
#include "report/json.h"

#include <QJsonArray>

namespace sd::cli {

int cmdFormats(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption ids(QStringLiteral("ids"), QStringLiteral("Print the format ids only, one per line (the shell completions ask for them)."));
    p.addOptions({json, ids});
    int code = 0;
    if (!parseArgs(p, args, &code, QStringLiteral("formats [--json | --ids]")))
        return code;
    if (p.isSet(json) && p.isSet(ids))
        return usage(QStringLiteral("formats takes --json or --ids, not both"));
    if (!p.positionalArguments().isEmpty())
        return usage(QStringLiteral("formats takes no arguments"));
    const auto &formats = Registry::instance().formats();
    if (p.isSet(ids)) {
        for (const auto &f : formats)
            out() << f->id() << '\n';
        return Ok;
    }
    if (p.isSet(json)) {
        QJsonArray a;
        for (const auto &f : formats)
            a.append(formatJson(*f));
        printJson(a);
        return Ok;
    }
    // Every registered format reads; the bundle is written by `bundle create`, not convert.
    out() << QStringLiteral("%1 %2 %3 %4\n").arg(QStringLiteral("ID"), -18).arg(QStringLiteral("PRUNE"), -6).arg(QStringLiteral("FILE"), -18).arg(QStringLiteral("NAME"));
    for (const auto &f : formats)
        out() << QStringLiteral("%1 %2 %3 %4\n")
                     .arg(f->id(), -18)
                     .arg(f->canPrune() ? QStringLiteral("yes") : QStringLiteral("no"), -6)
                     .arg(f->descriptor().usualFileName(QStringLiteral("NAME"), std::nullopt), -18)
                     .arg(f->displayName());
    return Ok;
}

} // namespace sd::cli
