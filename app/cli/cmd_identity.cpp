// sessiondesk-cli identity [--json] (docs/cli.md "Bundles"): this machine's age recipient. The
// X25519 identity is created on first use and kept in the OS keychain only; bundles addressed to
// the recipient open on this machine without any flag.
#include "cli.h"

#include "bundle/bundle.h"
#include "keychainsecretstore.h"

#include <QJsonObject>

namespace sd::cli {

int cmdIdentity(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON: {\"recipient\": \"age1...\", \"created\": bool, \"keychain\": \"...\"}."));
    p.addOption(json);
    int code = 0;
    if (!parseArgs(p, args, &code, QStringLiteral("identity [--json]")))
        return code;
    if (!p.positionalArguments().isEmpty())
        return usage(QStringLiteral("identity takes no arguments"));
    KeychainSecretStore keychain;
    auto existed = bundle::findMachineIdentity(keychain);
    if (!existed)
        return fail(QStringLiteral("keychain"), existed.error());
    auto id = bundle::machineIdentity(keychain);
    if (!id)
        return fail(QStringLiteral("keychain"), id.error());
    if (p.isSet(json)) {
        QJsonObject o;
        o[QStringLiteral("recipient")] = id->recipient();
        o[QStringLiteral("created")] = !existed->has_value();
        o[QStringLiteral("keychain")] = keychain.backendName();
        printJson(o);
        return Ok;
    }
    if (!existed->has_value())
        err() << "Created this machine's identity; its secret is in the keychain (" << keychain.backendName() << ")." << Qt::endl;
    out() << id->recipient() << '\n';
    out().flush();
    return Ok;
}

} // namespace sd::cli
