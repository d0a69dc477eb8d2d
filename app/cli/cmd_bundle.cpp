// sessiondesk-cli bundle create (docs/cli.md "Bundles"): many accounts from files, folders, strings
// on stdin or the vault, sealed into one age v1 file (docs/formats.md 15) for X25519 recipients or
// a passphrase. The output is written atomically, 0600, and never over an existing file without
// --force, nor ever over one of the inputs.
#include "cli.h"

#include "bundle/vaultbundle.h"
#include "io/atomicfile.h"
#include "io/safefile.h"
#include "keychainsecretstore.h"
#include "vault/vault.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace sd::cli {

namespace {

const QString kBundleUsage = QStringLiteral(
    "usage: sessiondesk-cli bundle create SOURCE... -o OUT [--recipient AGE1]... [--recipients-file F] [--passphrase-file F] [--force] [--json]\n"
    "       sessiondesk-cli bundle create --vault (--all | ID...) -o OUT [same options]\n\n"
    "Seals accounts into an age-encrypted bundle for another machine. Get its recipient there with\n"
    "'sessiondesk-cli identity'; there, 'sessiondesk-cli vault import BUNDLE' opens it without flags.\n"
    "Without recipients the bundle is passphrase-protected (--passphrase-file F, $SESSIONDESK_PASSPHRASE\n"
    "or a terminal prompt). Other commands read bundles like any SOURCE.\n");

QJsonObject accountJson(const Session &s, const QString &source, const QString &format)
{
    QJsonObject o;
    o[QStringLiteral("source")] = source;
    o[QStringLiteral("format")] = format;
    o[QStringLiteral("dc_id")] = s.dcId;
    o[QStringLiteral("auth_key_id")] = s.primary() ? s.primary()->authKeyId() : QString();
    o[QStringLiteral("user_id")] = s.userId ? QJsonValue(*s.userId) : QJsonValue(QJsonValue::Null);
    o[QStringLiteral("peers")] = s.peerCounts().total();
    return o;
}

int bundleCreate(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("The bundle to write."), QStringLiteral("OUT"));
    const QCommandLineOption recipient(QStringLiteral("recipient"), QStringLiteral("An age X25519 recipient (age1...); repeatable."), QStringLiteral("AGE1"));
    const QCommandLineOption recipientsFile(QStringLiteral("recipients-file"), QStringLiteral("A file of recipients, one per line ('#' comments)."), QStringLiteral("F"));
    const QCommandLineOption workFactor(QStringLiteral("work-factor"), QStringLiteral("scrypt log2(N) for a passphrase bundle (default 18)."), QStringLiteral("N"));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Overwrite an existing output."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption vault(QStringLiteral("vault"), QStringLiteral("Take the accounts from the vault (--all or IDs)."));
    const QCommandLineOption vaultFile(QStringLiteral("vault-file"), QStringLiteral("Vault file (default: $SESSIONDESK_VAULT, else the app-data folder)."), QStringLiteral("PATH"));
    const QCommandLineOption all(QStringLiteral("all"), QStringLiteral("With --vault: every account."));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("Force the sources' format id."), QStringLiteral("ID"));
    const QCommandLineOption passcode(QStringLiteral("passcode-file"), QStringLiteral("Passcode of a tdata source."), QStringLiteral("F"));
    p.addOptions({output, recipient, recipientsFile, workFactor, force, json, vault, vaultFile, all, format, passcode});
    p.addOptions(bundleReadOptions()); // --identity for bundle sources; --passphrase-file is the new bundle's
    p.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("Files, folders, - (a string on stdin), or vault IDs with --vault."), QStringLiteral("SOURCE..."));
    QStringList sub = args.mid(1);
    sub[0] = QStringLiteral("bundle create");
    int code = 0;
    if (!parseArgs(p, sub, &code, QStringLiteral("bundle create SOURCE... -o OUT [--recipient AGE1]... [--recipients-file F] [--passphrase-file F] [--force] [--json]")))
        return code;
    const QStringList sources = p.positionalArguments();
    const QString outPath = p.value(output);
    if (outPath.isEmpty())
        return usage(QStringLiteral("bundle create needs -o OUT"));
    if (p.isSet(vault)) {
        if (p.isSet(all) == !sources.isEmpty())
            return usage(QStringLiteral("bundle create --vault needs either --all or account IDs"));
        if (p.isSet(format) || p.isSet(passcode) || p.isSet(QStringLiteral("identity")))
            return usage(QStringLiteral("--format, --passcode-file and --identity apply to SOURCE files, not to --vault"));
    } else {
        if (p.isSet(all) || p.isSet(vaultFile))
            return usage(QStringLiteral("--all and --vault-file go with --vault"));
        if (sources.isEmpty())
            return usage(QStringLiteral("bundle create needs a SOURCE (or --vault)"));
    }

    // Who can open it: recipients, or a passphrase (alone, as the format requires).
    age::EncryptOptions enc;
    for (const QString &r : p.values(recipient)) {
        auto key = age::parseRecipient(r);
        if (!key)
            return fail(QString(), key.error());
        enc.recipients.push_back(*key);
    }
    for (const QString &f : p.values(recipientsFile)) {
        auto text = readFileLimited(f, 1024 * 1024);
        if (!text)
            return fail(f, text.error());
        auto keys = age::parseRecipientsFile(*text);
        if (!keys)
            return fail(f, Usage, keys.error().message);
        enc.recipients.insert(enc.recipients.end(), keys->begin(), keys->end());
    }
    if (p.isSet(workFactor)) {
        bool ok = false;
        enc.workFactor = p.value(workFactor).toInt(&ok);
        if (!ok || enc.workFactor < 1 || enc.workFactor > age::kMaxWorkFactor)
            return usage(QStringLiteral("--work-factor needs a number from 1 to %1").arg(age::kMaxWorkFactor));
        if (!enc.recipients.empty())
            return usage(QStringLiteral("--work-factor applies to a passphrase bundle, not to recipients"));
    }
    if (!enc.recipients.empty() && p.isSet(QStringLiteral("passphrase-file")))
        return usage(QStringLiteral("a bundle has either recipients or a passphrase, not both (the age format allows a passphrase alone)"));
    if (QFileInfo::exists(outPath) && !p.isSet(force))
        return fail(outPath, Output, QStringLiteral("exists (use --force to overwrite)"));
    if (enc.recipients.empty()) {
        auto pass = newPassphrase(p);
        if (!pass)
            return fail(QString(), pass.error());
        if (!*pass)
            return usage(QStringLiteral("give --recipient AGE1, --recipients-file F, or a passphrase (--passphrase-file F, $SESSIONDESK_PASSPHRASE, a terminal)"));
        enc.passphrase = std::move(**pass);
    }

    // What goes in.
    std::vector<Store> stores;
    QJsonArray accounts, skipped;
    QStringList inputFiles;
    auto take = [&](Store st, const QString &source) {
        for (const Session &s : st.accounts)
            accounts.append(accountJson(s, source, st.formatId));
        stores.push_back(std::move(st));
    };
    if (p.isSet(vault)) {
        const QString path = Vault::resolvePath(p.value(vaultFile));
        inputFiles << path;
        KeychainSecretStore keychain;
        auto v = Vault::open(path, keychain, false);
        if (!v)
            return fail(path, v.error());
        QStringList ids = sources;
        if (p.isSet(all)) {
            auto l = (*v)->list();
            if (!l)
                return fail(path, l.error());
            for (const VaultAccount &a : *l)
                ids << a.id;
            if (ids.isEmpty())
                return fail(path, BadInput, QStringLiteral("the vault is empty"));
        }
        auto st = bundle::loadVaultAccounts(**v, ids);
        if (!st)
            return fail(st.error().kind == ErrorKind::Secret ? QStringLiteral("keychain") : path, st.error());
        take(std::move(*st), QStringLiteral("vault"));
    } else {
        ReadOptions ro;
        auto pc = readPasscode(p, false);
        if (!pc)
            return fail(QString(), pc.error());
        ro.passcode = *pc;
        if (auto st = applyBundleReadOptions(p, ro, false); !st)
            return fail(QString(), st.error());
        for (const QString &src : sources) {
            if (src != QLatin1String("-") && isBatchSource(src)) {
                const QStringList files = batchInputs(src, QFileInfo(outPath).absoluteFilePath());
                int before = static_cast<int>(stores.size());
                for (const QString &f : files) {
                    auto loaded = loadStore(f, p.value(format), ro);
                    if (!loaded) {
                        QJsonObject o;
                        o[QStringLiteral("source")] = f;
                        o[QStringLiteral("error")] = loaded.error().message;
                        skipped.append(o);
                        if (!p.isSet(json))
                            err() << "sessiondesk-cli: " << f << ": skipped: " << loaded.error().message << Qt::endl;
                        continue;
                    }
                    inputFiles << f;
                    take(std::move(loaded->store), f);
                }
                if (static_cast<int>(stores.size()) == before)
                    return fail(src, BadInput, QStringLiteral("no readable session in this folder"));
                continue;
            }
            auto loaded = loadStore(src, p.value(format), ro);
            if (!loaded)
                return fail(src, loaded.error());
            if (src != QLatin1String("-"))
                inputFiles << src;
            take(std::move(loaded->store), src);
        }
    }
    // The same check as convert's (docs/security.md, "Never an input"): the output may not be an
    // input, whatever its spelling, nor lie inside an input folder (a tdata or store SOURCE).
    if (auto st = refuseOutputIsInput(outPath, inputFiles); !st)
        return fail(outPath, st.error());
    Store merged = bundle::mergeStores(std::move(stores));

    if (auto st = bundle::writeBundle(merged, enc, outPath, p.isSet(force)); !st)
        return fail(st.error().kind == ErrorKind::Output ? outPath : QString(), st.error());

    const int recipients = static_cast<int>(enc.recipients.size());
    if (p.isSet(json)) {
        QJsonObject o;
        o[QStringLiteral("output")] = outPath;
        o[QStringLiteral("format")] = QStringLiteral("sessiondesk-bundle");
        o[QStringLiteral("recipients")] = recipients;
        o[QStringLiteral("passphrase")] = recipients == 0;
        o[QStringLiteral("accounts")] = accounts;
        o[QStringLiteral("skipped")] = skipped;
        printJson(o);
    } else {
        out() << "Wrote " << outPath << ": " << accounts.size() << (accounts.size() == 1 ? " account" : " accounts") << " for "
              << (recipients == 0 ? QStringLiteral("a passphrase")
                                  : QStringLiteral("%1 recipient%2").arg(recipients).arg(recipients == 1 ? "" : "s"))
              << ".\n";
        out().flush();
        err() << "Use each account on one machine only: Telegram revokes a key used from two places at once "
                 "(AUTH_KEY_DUPLICATED). Once the other machine has imported the bundle, remove the accounts here."
              << Qt::endl;
    }
    return Ok;
}

} // namespace

int cmdBundle(const QStringList &args)
{
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")) {
        (args.size() < 2 ? err() : out()) << kBundleUsage;
        return args.size() < 2 ? Usage : Ok;
    }
    if (args[1] == QLatin1String("create"))
        return bundleCreate(args);
    return usage(QStringLiteral("unknown bundle command '%1'").arg(args[1]));
}

} // namespace sd::cli
