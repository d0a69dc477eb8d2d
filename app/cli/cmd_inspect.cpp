#include "cli.h"

#include "report/json.h"

#include <QJsonArray>
#include <QJsonObject>

namespace sd::cli {

int cmdInspect(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("Force the format id."), QStringLiteral("ID"));
    const QCommandLineOption passcode(QStringLiteral("passcode-file"), QStringLiteral("tdata local passcode file."), QStringLiteral("F"));
    const QCommandLineOption keyName(QStringLiteral("key"), QStringLiteral("tdata data name (default: data)."), QStringLiteral("NAME"), QStringLiteral("data"));
    const QCommandLineOption ignoreVersion(QStringLiteral("ignore-version"), QStringLiteral("Try an unsupported format version anyway."));
    const QCommandLineOption withPeers(QStringLiteral("load-peers"), QStringLiteral("Load every peer instead of counting (slower)."));
    p.addOptions({json, format, passcode, keyName, ignoreVersion, withPeers});
    addServerOptions(p);
    p.addOptions(bundleReadOptions());
    p.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("File, folder, or - for a string on stdin."), QStringLiteral("SOURCE..."));
    int code = 0;
    if (!parseArgs(p, args, &code, QStringLiteral("inspect SOURCE... [--format ID] [--passcode-file F] [--session NAME] [--password-file F] [--identity FILE] [--passphrase-file F] [--json]")))
        return code;
    const QStringList sources = p.positionalArguments();
    if (sources.isEmpty())
        return usage(QStringLiteral("inspect needs a SOURCE"));
    if (!applyServerOptions(p, sources, &code))
        return code;

    ReadOptions ro;
    ro.loadPeers = p.isSet(withPeers);
    ro.loadConversations = false;
    ro.tdataKeyName = p.value(keyName);
    ro.ignoreVersion = p.isSet(ignoreVersion);
    ro.session = sessionOption(p);
    auto pass = readPasscode(p, false);
    if (!pass)
        return fail(QString(), pass.error());
    ro.passcode = *pass;
    if (auto st = applyBundleReadOptions(p, ro); !st)
        return fail(QString(), st.error());

    QJsonArray docs;
    int worst = Ok;
    std::vector<std::pair<QString, Result<Loaded>>> all;
    for (const QString &s : sources)
        all.emplace_back(s, loadStore(s, p.value(format), ro));
    // --passcode-file or --key that no given source uses is a usage error, not silently ignored.
    const Loaded *firstLoaded = nullptr;
    bool passcodeUsed = false, keyUsed = false;
    for (const auto &[s, loaded] : all) {
        if (!loaded)
            continue;
        if (!firstLoaded)
            firstLoaded = &loaded.value();
        passcodeUsed = passcodeUsed || loaded->format->takesPasscode();
        keyUsed = keyUsed || loaded->format->id() == QLatin1String("tdata");
    }
    if (firstLoaded && ((p.isSet(passcode) && !passcodeUsed) || (p.isSet(keyName) && !keyUsed)))
        return checkSourceFlags(p, *firstLoaded->format);
    for (auto &[s, loaded] : all) {
        if (!loaded) {
            worst = std::max(worst, fail(s, loaded.error()));
            continue;
        }
        if (p.isSet(json))
            docs.append(inspectJson(loaded->store, s));
        else
            out() << inspectText(loaded->store, s);
    }
    if (p.isSet(json)) {
        if (sources.size() == 1 && !docs.isEmpty())
            printJson(docs.first());
        else if (sources.size() > 1)
            printJson(docs);
    }
    out().flush();
    return worst;
}

} // namespace sd::cli
