// Options shared by every command that takes a SOURCE or a target that may be a server URL
// (docs/cli.md "Server stores"): --session NAME, --password-file F, --remember-password.
#include "cli.h"

#include "format/registry.h"
#include "keychainsecretstore.h"
#include "server/credentials.h"
#include "server/serverurl.h"

#include <QFileInfo>

namespace sd::cli {

namespace {
constexpr int kKeychainTimeoutMs = 5000;

// Whether one of the places (files) is a store whose format keys sessions by name (a GORM SQLite
// file). A place that cannot be detected counts as one: the command itself then reports why.
bool takesSessionNames(const QStringList &places)
{
    for (const QString &place : places) {
        if (place == QLatin1String("-") || !QFileInfo::exists(place))
            continue;
        auto f = Registry::instance().detect(Source::fromPath(place));
        if (!f || (*f)->descriptor().namedSessions)
            return true;
    }
    return false;
}
} // namespace

void addServerOptions(QCommandLineParser &p)
{
    p.addOption(QCommandLineOption(QStringLiteral("session"),
                                   QStringLiteral("Server stores with several sessions (mtgo-gorm, mtgo-redis): the session name."),
                                   QStringLiteral("NAME")));
    p.addOption(QCommandLineOption(QStringLiteral("password-file"),
                                   QStringLiteral("Password of the server given by URL (else PGPASSWORD/~/.pgpass, REDISCLI_AUTH, keychain)."),
                                   QStringLiteral("F")));
    p.addOption(QCommandLineOption(QStringLiteral("remember-password"),
                                   QStringLiteral("Store the --password-file password in the keychain for this server.")));
}

QString sessionOption(const QCommandLineParser &p)
{
    return p.optionNames().contains(QStringLiteral("session")) ? p.value(QStringLiteral("session")) : QString();
}

bool applyServerOptions(const QCommandLineParser &p, const QStringList &places, int *exitCode)
{
    QList<server::ServerUrl> urls;
    for (const QString &place : places) {
        if (!server::looksLikeServerUrl(place))
            continue;
        auto u = server::parseServerUrl(place);
        if (!u) {
            *exitCode = fail(server::redactUrl(place), u.error());
            return false;
        }
        urls << *u;
    }
    const bool pwFile = p.isSet(QStringLiteral("password-file"));
    const bool remember = p.isSet(QStringLiteral("remember-password"));
    if (urls.isEmpty()) {
        if (pwFile || remember) {
            *exitCode = usage(QStringLiteral("%1 applies to server URLs (postgres://, redis://) only")
                                  .arg(pwFile ? QStringLiteral("--password-file") : QStringLiteral("--remember-password")));
            return false;
        }
        if (!sessionOption(p).isEmpty() && !takesSessionNames(places)) {
            *exitCode = usage(QStringLiteral("--session applies to stores that keep several sessions by name (server URLs, GORM SQLite files) only"));
            return false;
        }
        return true;
    }
    if (remember && !pwFile) {
        *exitCode = usage(QStringLiteral("--remember-password stores the password of --password-file F: give both"));
        return false;
    }
    if (pwFile) {
        auto pw = readSecretFile(p.value(QStringLiteral("password-file")));
        if (!pw) {
            *exitCode = fail(QString(), pw.error());
            return false;
        }
        for (const server::ServerUrl &u : urls)
            server::setPassword(u.serverKey(), *pw);
    }
    // The keychain is asked only after a server refused a login without a password of ours, and
    // only where a keychain can answer (a session bus on Linux), so a missing one never delays.
#if defined(Q_OS_LINUX)
    const bool keychainReachable = !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS");
#else
    const bool keychainReachable = true;
#endif
    if (keychainReachable || remember) {
        static KeychainSecretStore keychain(QStringLiteral("sessiondesk"), kKeychainTimeoutMs);
        server::setKeychain(&keychain);
    }
    server::setRememberPasswords(remember);
    return true;
}

} // namespace sd::cli
