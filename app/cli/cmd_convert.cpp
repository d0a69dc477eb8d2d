#include "cli.h"

#include "convert/convert.h"
#include "format/registry.h"
#include "io/atomicfile.h"

#include <QFileInfo>

namespace sd::cli {

// cmd_convert_batch.cpp
int convertBatch(const QString &sourceDir, const QString &outDir, const Format &target, const ConvertRequest &request,
                 const QString &formatId, const ReadOptions &readOptions, bool json);

int cmdConvert(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Target format id."), QStringLiteral("ID"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output file or folder (string formats: stdout when absent)."), QStringLiteral("OUT"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("Force the source format id."), QStringLiteral("ID"));
    const QCommandLineOption account(QStringLiteral("account"), QStringLiteral("Account index of a multi-account source (default 0)."), QStringLiteral("N"));
    const QCommandLineOption allAccounts(QStringLiteral("all-accounts"), QStringLiteral("Carry every account (targets that hold several, e.g. tdata)."));
    const QCommandLineOption apiId(QStringLiteral("api-id"), QStringLiteral("API id for targets that need it."), QStringLiteral("N"));
    const QCommandLineOption userId(QStringLiteral("user-id"), QStringLiteral("Owner user id for targets that need it."), QStringLiteral("N"));
    const QCommandLineOption noPeers(QStringLiteral("no-peers"), QStringLiteral("Do not carry the peer cache."));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Overwrite an existing output."));
    const QCommandLineOption passcode(QStringLiteral("passcode-file"), QStringLiteral("Passcode of the source (tdata)."), QStringLiteral("F"));
    const QCommandLineOption newPasscode(QStringLiteral("new-passcode-file"), QStringLiteral("Passcode for a tdata target."), QStringLiteral("F"));
    const QCommandLineOption variant(QStringLiteral("variant"), QStringLiteral("Target variant (pyrogram-sqlite: pyrogram|kurigram|pyrofork)."), QStringLiteral("NAME"));
    const QCommandLineOption keyName(QStringLiteral("key"), QStringLiteral("tdata data name (default: data)."), QStringLiteral("NAME"), QStringLiteral("data"));
    const QCommandLineOption ignoreVersion(QStringLiteral("ignore-version"), QStringLiteral("Try an unsupported source version anyway."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Batch mode: print the report as one JSON document."));
    const QCommandLineOption targetSession(QStringLiteral("target-session"), QStringLiteral("Session name to write in a server store keyed by name (default: --session, else the source's)."), QStringLiteral("NAME"));
    p.addOptions({to, output, format, account, allAccounts, apiId, userId, noPeers, force, passcode, newPasscode, variant, keyName, ignoreVersion, json,
                  tdesktopVersionOption(), targetSession});
    addServerOptions(p);
    p.addOptions(bundleReadOptions());
    p.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("File, folder, or - for a string on stdin. A folder of sessions (not itself a tdata/store folder) converts every file in it into the -o folder."));
    int code = 0;
    if (!parseArgs(p, args, &code, QStringLiteral("convert SOURCE --to ID [-o OUT] [--account N] [--api-id N] [--user-id N] [--no-peers] [--force] [--passcode-file F]")))
        return code;
    if (p.positionalArguments().size() != 1)
        return usage(QStringLiteral("convert needs exactly one SOURCE"));
    if (!p.isSet(to))
        return usage(QStringLiteral("convert needs --to ID"));
    const Format *target = Registry::instance().find(p.value(to));
    if (!target)
        return usage(QStringLiteral("unknown format id '%1' (see 'sessiondesk-cli formats')").arg(p.value(to)));
    if (!target->descriptor().writable)
        return usage(QStringLiteral("--to %1: made by 'sessiondesk-cli bundle create', which needs recipients or a passphrase").arg(target->id()));
    if (const int c = checkTargetFlags(p, *target))
        return c;

    ConvertRequest req;
    bool ok = true;
    if (p.isSet(account)) {
        req.account = p.value(account).toInt(&ok);
        if (!ok || req.account < 0)
            return usage(QStringLiteral("--account needs a non-negative number"));
    }
    if (p.isSet(allAccounts))
        req.account = -1;
    if (!applyWriteOptions(p, req, &code) || !applyTdesktopVersion(p, *target, req, &code))
        return code;
    req.carryPeers = !p.isSet(noPeers);
    req.write.force = p.isSet(force);
    req.write.carryPeers = req.carryPeers;
    req.write.variant = p.value(variant);
    req.write.tdataKeyName = p.value(keyName);

    const QString sourceArg = p.positionalArguments().first();
    const QString outPath = p.value(output);
    if (!applyServerOptions(p, {sourceArg, outPath}, &code))
        return code;
    req.write.session = p.isSet(targetSession) ? p.value(targetSession) : sessionOption(p);
    req.inputs = {sourceArg}; // never written over, whatever the spelling (docs/security.md)
    if (sourceArg != QLatin1String("-") && isBatchSource(sourceArg)) {
        // A source flag must apply to one of the inputs, as for a single source (docs/cli.md):
        // --passcode-file on a folder whose sessions need none most likely meant --new-passcode-file.
        if (p.isSet(passcode) || p.isSet(keyName)) {
            const QStringList items = batchInputs(sourceArg, QFileInfo(outPath).absoluteFilePath());
            if (const int c = checkSourceFlags(p, batchFormats(items, p.value(format)), target))
                return c;
        }
        ReadOptions bro;
        bro.tdataKeyName = p.value(keyName);
        bro.ignoreVersion = p.isSet(ignoreVersion);
        auto bpass = readPasscode(p, false);
        if (!bpass)
            return fail(QString(), bpass.error());
        bro.passcode = *bpass;
        if (auto st = applyBundleReadOptions(p, bro); !st)
            return fail(QString(), st.error());
        return convertBatch(sourceArg, outPath, *target, req, p.value(format), bro, p.isSet(json));
    }
    if (target->sourceKind() != SourceKind::String && outPath.isEmpty())
        return usage(QStringLiteral("%1 is a file format: give the output with -o OUT").arg(target->id()));

    ReadOptions ro;
    ro.tdataKeyName = p.value(keyName);
    ro.ignoreVersion = p.isSet(ignoreVersion);
    ro.session = sessionOption(p);
    auto pass = readPasscode(p, true);
    if (!pass)
        return fail(QString(), pass.error());
    ro.passcode = *pass;
    if (auto st = applyBundleReadOptions(p, ro); !st)
        return fail(QString(), st.error());
    auto loaded = loadStore(sourceArg, p.value(format), ro);
    if (!loaded)
        return fail(sourceArg, loaded.error());
    if (const int c = checkSourceFlags(p, *loaded->format, target))
        return c;

    auto result = convertStore(loaded->store, *target, req, outPath);
    if (!result) {
        const Error &e = result.error();
        return fail(e.kind == ErrorKind::Output ? outPath : sourceArg, e);
    }
    if (!result->dropped.isEmpty())
        err() << "dropped: " << result->dropped.join(QStringLiteral(", ")) << Qt::endl;
    if (!result->string.isEmpty()) {
        out() << QString::fromLatin1(result->string) << '\n';
        out().flush();
        wipe(result->string);
    }
    return Ok;
}

} // namespace sd::cli
