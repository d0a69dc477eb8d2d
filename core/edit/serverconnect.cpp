#include "edit/serverconnect.h"

#include "format/registry.h"
#include "secrets/secretstore.h"
#include "server/credentials.h"
#include "server/pgconnection.h"

namespace sd {

QString serverSessionName(const Session &session)
{
    return session.extra.value(QStringLiteral("mtgo_session_name"), session.extra.value(QStringLiteral("mtgo_session_id"))).toString();
}

ServerFailure classifyServerError(const Error &error)
{
    switch (error.kind) {
    case ErrorKind::Usage: return ServerFailure::BadUrl;
    case ErrorKind::Secret: return ServerFailure::LoginRefused;
    default: break;
    }
    // core/server/pgconnection.cpp and redisconnection.cpp: a connection that never reached a login.
    if (error.message.startsWith(QLatin1String("cannot connect to ")))
        return ServerFailure::Unreachable;
    return ServerFailure::Other;
}

namespace {

Result<ServerConnection> connectImpl(const ServerConnectRequest &request, const server::ServerUrl &url)
{
    ServerConnection out;
    out.url = url;
    const Source source = Source::fromPath(url.display());
    if (request.password)
        server::setPassword(url.serverKey(), *request.password);
    // Detection connects (server/serverprobe.cpp): an unreachable server or a refused login fails here.
    auto format = Registry::instance().detect(source);
    if (!format && format.error().kind == ErrorKind::Secret && !request.password && request.keychain) {
        // Refused without a password of ours: the keychain's remembered one, if any (docs/cli.md).
        auto kc = request.keychain->find(server::keychainKey(url));
        if (!kc)
            return kc.error();
        if (*kc) {
            server::setPassword(url.serverKey(), **kc);
            out.passwordFromKeychain = true;
            format = Registry::instance().detect(source);
        }
    }
    if (!format) {
        if (format.error().kind == ErrorKind::Secret && (request.password || out.passwordFromKeychain))
            server::forgetPassword(url.serverKey()); // a refused password is not kept for the next try
        return format.error();
    }
    out.format = *format;
    ReadOptions ro;
    ro.loadPeers = false; // counts only: the lazy peer table pages the peers on the server
    // A big table's counts from the server's statistics: scanning a million rows would hold the
    // first rows back by ~170 ms; the exact counts follow in the background (countEstimatedPeers).
    ro.estimatePeerCounts = true;
    auto store = out.format->read(source, ro);
    if (!store)
        return store.error();
    std::vector<Session> accounts = std::move(store->accounts);
    store->accounts.clear();
    for (Session &acc : accounts) {
        ReadOptions per;
        per.session = serverSessionName(acc); // saves, prunes and the peer table address this session only
        Store one = *store;
        one.accounts.push_back(std::move(acc));
        out.documents.push_back(Document::fromStore(source, out.format, std::move(one), per));
    }
    if (out.documents.empty())
        return Error::badInput(QStringLiteral("%1 holds no session").arg(url.display()));
    if (request.remember && request.password) {
        if (auto st = request.keychain->write(server::keychainKey(url), *request.password); !st)
            return st.error();
        out.passwordRemembered = true;
    }
    return out;
}

} // namespace

Result<ServerConnection> connectServerStore(const ServerConnectRequest &request)
{
    auto url = server::parseServerUrl(request.url.trimmed());
    if (!url)
        return url.error();
    if (request.remember && !request.password)
        return Error::usage(QStringLiteral("\"Remember in the keychain\" stores the password typed in: type one"));
    if (request.remember && !request.keychain)
        return Error::secret(QStringLiteral("the keychain is not available: the password cannot be remembered"));
    auto r = connectImpl(request, *url);
    // The reads ran on this (worker) thread's connection; the peer tables open their own.
    server::closePostgres();
    return r;
}

} // namespace sd
