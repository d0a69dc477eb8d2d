// sessiondesk-cli vault list | import | export | remove (docs/cli.md). Auth keys live in the OS keychain
// (one entry per account), never in the vault file.
#include "cli.h"
#include "report/text.h"

#include "convert/convert.h"
#include "format/registry.h"
#include "io/atomicfile.h"
#include "keychainsecretstore.h"
#include "report/json.h"
#include "vault/vault.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace sd::cli {

namespace {

const QString kVaultUsage = QStringLiteral(
    "usage: sessiondesk-cli vault COMMAND [options]\n\n"
    "Commands:\n"
    "  list [--json]                                   accounts in the vault\n"
    "  import SOURCE [--label TEXT] [--account N] [--json]   add a session (keys go to the OS keychain)\n"
    "  export ID --to FORMAT [-o OUT] [--force]        write an account in another format\n"
    "  remove ID                                       delete an account and its keychain entry\n\n"
    "Every command takes --vault PATH (default: $SESSIONDESK_VAULT, else the app-data folder).\n"
    "ID is an account id, a unique prefix of one (4+ characters), or a unique label.\n"
    "Every option of a command: sessiondesk-cli vault COMMAND --help.\n");

QCommandLineOption vaultOption()
{
    return QCommandLineOption(QStringLiteral("vault"), QStringLiteral("Vault file (default: $SESSIONDESK_VAULT, else the app-data folder)."),
                              QStringLiteral("PATH"));
}

QStringList subArgs(const QStringList &args)
{
    QStringList out = args.mid(1);
    out[0] = QStringLiteral("vault ") + out[0];
    return out;
}

QJsonObject accountJson(const VaultAccount &a)
{
    QJsonObject o;
    o[QStringLiteral("id")] = a.id;
    o[QStringLiteral("label")] = a.label;
    o[QStringLiteral("format")] = a.format;
    o[QStringLiteral("user_id")] = jsonOpt(a.userId);
    o[QStringLiteral("dc_id")] = a.dcId;
    o[QStringLiteral("auth_key_id")] = a.authKeyId;
    o[QStringLiteral("imported_at")] = a.importedAt;
    o[QStringLiteral("is_bot")] = jsonOpt(a.isBot);
    o[QStringLiteral("test_mode")] = jsonOpt(a.testMode);
    o[QStringLiteral("username")] = jsonOpt(a.username);
    o[QStringLiteral("source")] = a.source.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(a.source);
    o[QStringLiteral("dcs")] = a.dcCount;
    o[QStringLiteral("peers")] = a.peerCount;
    return o;
}

int vaultList(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption vault = vaultOption();
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    p.addOptions({vault, json});
    int code = 0;
    if (!parseArgs(p, subArgs(args), &code, QStringLiteral("vault list [--vault PATH] [--json]")))
        return code;
    if (!p.positionalArguments().isEmpty())
        return usage(QStringLiteral("vault list takes no arguments"));
    const QString path = Vault::resolvePath(p.value(vault));
    std::vector<VaultAccount> accounts;
    if (QFileInfo::exists(path)) {
        // list reads no secrets; the keychain is only asked to delete entries a crash left pending.
        KeychainSecretStore keychain;
        auto v = Vault::open(path, keychain, false);
        if (!v)
            return fail(path, v.error());
        auto l = (*v)->list();
        if (!l)
            return fail(path, l.error());
        accounts = std::move(*l);
    }
    if (p.isSet(json)) {
        QJsonArray a;
        for (const VaultAccount &acc : accounts)
            a.append(accountJson(acc));
        printJson(a);
        return Ok;
    }
    if (accounts.empty()) {
        out() << "The vault is empty (" << path << ").\n";
        out().flush();
        return Ok;
    }
    out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                 .arg(QStringLiteral("ID"), -12)
                 .arg(QStringLiteral("LABEL"), -24)
                 .arg(QStringLiteral("FORMAT"), -16)
                 .arg(QStringLiteral("USER ID"), -12)
                 .arg(QStringLiteral("DC"), -2)
                 .arg(QStringLiteral("AUTH_KEY_ID"), -16)
                 .arg(QStringLiteral("IMPORTED"));
    for (const VaultAccount &a : accounts)
        out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                     .arg(a.id, -12)
                     .arg(escapeControls(a.label), -24)
                     .arg(a.format, -16)
                     .arg(a.userId ? QString::number(*a.userId) : QStringLiteral("-"), -12)
                     .arg(QString::number(a.dcId), -2)
                     .arg(a.authKeyId.isEmpty() ? QStringLiteral("-") : a.authKeyId, -16)
                     .arg(QDateTime::fromSecsSinceEpoch(a.importedAt).toString(Qt::ISODate));
    out().flush();
    return Ok;
}

int vaultImport(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption vault = vaultOption();
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption label(QStringLiteral("label"), QStringLiteral("Label for the account (default: from the account)."), QStringLiteral("TEXT"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("Force the source format id."), QStringLiteral("ID"));
    const QCommandLineOption account(QStringLiteral("account"), QStringLiteral("Import only account N of a multi-account source (default: all)."), QStringLiteral("N"));
    const QCommandLineOption passcode(QStringLiteral("passcode-file"), QStringLiteral("Passcode of the source (tdata)."), QStringLiteral("F"));
    const QCommandLineOption keyName(QStringLiteral("key"), QStringLiteral("tdata data name (default: data)."), QStringLiteral("NAME"), QStringLiteral("data"));
    p.addOptions({vault, json, label, format, account, passcode, keyName});
    addServerOptions(p);
    p.addOptions(bundleReadOptions());
    p.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("File, folder, or - for a string on stdin."));
    int code = 0;
    if (!parseArgs(p, subArgs(args), &code, QStringLiteral("vault import SOURCE [--label TEXT] [--account N] [--passcode-file F] [--vault PATH] [--json]")))
        return code;
    if (p.positionalArguments().size() != 1)
        return usage(QStringLiteral("vault import needs exactly one SOURCE"));
    VaultImportOptions opts;
    if (p.isSet(account)) {
        bool ok = false;
        opts.account = p.value(account).toInt(&ok);
        if (!ok || opts.account < 0)
            return usage(QStringLiteral("--account needs a non-negative number"));
    }
    const QString sourceArg = p.positionalArguments().first();
    if (!applyServerOptions(p, {sourceArg}, &code))
        return code;
    const QString path = Vault::resolvePath(p.value(vault));

    // The keychain first: a write probe (reads on a broken keychain look fine). Nothing is read,
    // prompted for or created until it is known to work.
    KeychainSecretStore keychain;
    if (auto st = keychain.checkWritable(); !st)
        return fail(QStringLiteral("keychain"), st.error());

    ReadOptions ro;
    ro.tdataKeyName = p.value(keyName);
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
    if (const int c = checkSourceFlags(p, *loaded->format))
        return c;

    auto v = Vault::open(path, keychain, true);
    if (!v)
        return fail(path, v.error());
    opts.label = p.value(label);
    opts.source = sourceArg == QLatin1String("-") ? sourceArg : QFileInfo(sourceArg).absoluteFilePath();
    auto items = (*v)->importStore(loaded->store, opts);
    if (!items)
        return fail(items.error().kind == ErrorKind::Secret ? QStringLiteral("keychain") : path, items.error());

    int added = 0, duplicates = 0;
    QJsonArray arr;
    QJsonObject doc;
    for (const VaultImportItem &it : *items) {
        QJsonObject o;
        o[QStringLiteral("account")] = it.index;
        o[QStringLiteral("id")] = it.id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(it.id);
        o[QStringLiteral("label")] = it.label.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(it.label);
        o[QStringLiteral("auth_key_id")] = it.authKeyId;
        o[QStringLiteral("duplicate_of")] = it.duplicateOf.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(it.duplicateOf);
        o[QStringLiteral("skipped")] = it.skipped.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(it.skipped);
        QString status = QStringLiteral("added");
        if (!it.duplicateOf.isEmpty()) {
            status = QStringLiteral("duplicate");
            ++duplicates;
            if (!doc.contains(QStringLiteral("duplicate_of")))
                doc[QStringLiteral("duplicate_of")] = it.duplicateOf;
            if (!p.isSet(json))
                out() << "account " << it.index << " is already in the vault as " << it.duplicateOf
                      << " (same auth_key_id " << it.authKeyId << "); not added again\n";
        } else if (!it.skipped.isEmpty()) {
            status = QStringLiteral("skipped");
            if (!p.isSet(json))
                err() << "sessiondesk-cli: " << escapeControls(sourceArg) << ": account " << it.index << " skipped: " << escapeControls(it.skipped) << Qt::endl;
        } else {
            ++added;
            if (!doc.contains(QStringLiteral("id")))
                doc[QStringLiteral("id")] = it.id;
            if (!p.isSet(json))
                out() << "added " << it.id << " \"" << escapeControls(it.label) << "\" (" << loaded->store.formatId << ", auth_key_id "
                      << it.authKeyId << "); its keys are in " << keychain.backendName() << '\n';
        }
        o[QStringLiteral("status")] = status;
        arr.append(o);
    }
    if (p.isSet(json)) {
        doc[QStringLiteral("vault")] = path;
        doc[QStringLiteral("source")] = sourceArg;
        doc[QStringLiteral("format")] = loaded->store.formatId;
        doc[QStringLiteral("added")] = added;
        doc[QStringLiteral("duplicates")] = duplicates;
        if (!doc.contains(QStringLiteral("id")))
            doc[QStringLiteral("id")] = QJsonValue(QJsonValue::Null);
        if (!doc.contains(QStringLiteral("duplicate_of")))
            doc[QStringLiteral("duplicate_of")] = QJsonValue(QJsonValue::Null);
        doc[QStringLiteral("accounts")] = arr;
        printJson(doc);
    }
    out().flush();
    if (added == 0 && duplicates == 0)
        return fail(sourceArg, BadInput, QStringLiteral("no account with an auth key to import"));
    return Ok;
}

int vaultExport(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption vault = vaultOption();
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Target format id."), QStringLiteral("FORMAT"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output file or folder (string formats: stdout when absent)."), QStringLiteral("OUT"));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Overwrite an existing output."));
    const QCommandLineOption apiId(QStringLiteral("api-id"), QStringLiteral("API id for targets that need it."), QStringLiteral("N"));
    const QCommandLineOption userId(QStringLiteral("user-id"), QStringLiteral("Owner user id for targets that need it."), QStringLiteral("N"));
    const QCommandLineOption noPeers(QStringLiteral("no-peers"), QStringLiteral("Do not carry the peer cache."));
    const QCommandLineOption variant(QStringLiteral("variant"), QStringLiteral("Target variant (pyrogram-sqlite: pyrogram|kurigram|pyrofork)."), QStringLiteral("NAME"));
    const QCommandLineOption newPasscode(QStringLiteral("new-passcode-file"), QStringLiteral("Passcode for a tdata target."), QStringLiteral("F"));
    p.addOptions({vault, to, output, force, apiId, userId, noPeers, variant, newPasscode, tdesktopVersionOption()});
    addServerOptions(p); // -o URL: --session NAME names the session written into the store
    p.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("Account id (or unique prefix or label)."));
    int code = 0;
    if (!parseArgs(p, subArgs(args), &code, QStringLiteral("vault export ID --to FORMAT [-o OUT] [--force] [--vault PATH]")))
        return code;
    if (p.positionalArguments().size() != 1)
        return usage(QStringLiteral("vault export needs exactly one ID"));
    if (!p.isSet(to))
        return usage(QStringLiteral("vault export needs --to FORMAT"));
    const Format *target = Registry::instance().find(p.value(to));
    if (!target)
        return usage(QStringLiteral("unknown format id '%1' (see 'sessiondesk-cli formats')").arg(p.value(to)));
    if (const int c = checkTargetFlags(p, *target))
        return c;
    const QString outPath = p.value(output);
    if (!applyServerOptions(p, {outPath}, &code))
        return code;
    if (target->sourceKind() != SourceKind::String && outPath.isEmpty())
        return usage(QStringLiteral("%1 is a file format: give the output with -o OUT").arg(target->id()));
    ConvertRequest req;
    if (!applyWriteOptions(p, req, &code) || !applyTdesktopVersion(p, *target, req, &code))
        return code;
    req.carryPeers = !p.isSet(noPeers);
    req.write.force = p.isSet(force);
    req.write.carryPeers = req.carryPeers;
    req.write.variant = p.value(variant);
    req.write.session = sessionOption(p);
    const QString path = Vault::resolvePath(p.value(vault));
    req.inputs = {path}; // the vault itself is never an output (docs/security.md)
    if (auto st = refuseOutputIsInput(outPath, req.inputs); !st)
        return fail(outPath, st.error());
    KeychainSecretStore keychain;
    auto v = Vault::open(path, keychain, false);
    if (!v)
        return fail(path, v.error());
    const QString id = p.positionalArguments().first();
    auto result = (*v)->exportAccount(id, *target, req, outPath);
    if (!result) {
        const Error &e = result.error();
        const QString where = e.kind == ErrorKind::Output ? outPath
                              : e.kind == ErrorKind::Secret ? QStringLiteral("keychain")
                                                            : id;
        return fail(where, e);
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

int vaultRemove(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption vault = vaultOption();
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Remove the account even when the keychain cannot be reached (its entry may stay behind)."));
    p.addOptions({vault, json, force});
    p.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("Account id (or unique prefix or label)."));
    int code = 0;
    if (!parseArgs(p, subArgs(args), &code, QStringLiteral("vault remove ID [--vault PATH] [--force]")))
        return code;
    if (p.positionalArguments().size() != 1)
        return usage(QStringLiteral("vault remove needs exactly one ID"));
    const QString path = Vault::resolvePath(p.value(vault));
    KeychainSecretStore keychain;
    auto v = Vault::open(path, keychain, false);
    if (!v)
        return fail(path, v.error());
    const QString id = p.positionalArguments().first();
    auto acc = (*v)->find(id);
    if (!acc)
        return fail(id, acc.error());
    auto st = (*v)->remove(acc->id, p.isSet(force));
    if (!st)
        return fail(st.error().kind == ErrorKind::Secret ? QStringLiteral("keychain") : path, st.error());
    if (p.isSet(json)) {
        QJsonObject o;
        o[QStringLiteral("removed")] = acc->id;
        o[QStringLiteral("label")] = acc->label;
        o[QStringLiteral("auth_key_id")] = acc->authKeyId;
        printJson(o);
    } else {
        out() << "removed " << acc->id << " \"" << escapeControls(acc->label) << "\" and its keychain entry\n";
        out().flush();
    }
    return Ok;
}

} // namespace

int cmdVault(const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub.isEmpty()) {
        err() << kVaultUsage;
        return Usage;
    }
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h") || sub == QLatin1String("help")) {
        out() << kVaultUsage;
        out().flush();
        return Ok;
    }
    if (sub == QLatin1String("list"))
        return vaultList(args);
    if (sub == QLatin1String("import"))
        return vaultImport(args);
    if (sub == QLatin1String("export"))
        return vaultExport(args);
    if (sub == QLatin1String("remove"))
        return vaultRemove(args);
    return usage(QStringLiteral("unknown vault command '%1' (list, import, export, remove)").arg(sub));
}

} // namespace sd::cli
