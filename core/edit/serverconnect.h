#pragma once
// "Connect to server…" of the desktop app (docs/cli.md "Server stores"): opens a PostgreSQL or Redis
// store given by URL as one Document per session, so the sidebar lists a multi-session store like a
// folder of files. Password order as in the CLI: the password typed in (registered for the server,
// like --password-file), else libpq's own sources / REDISCLI_AUTH, else the keychain entry remembered
// for the server, asked only after the server refused the login. QtCore only; blocking (run it in a
// worker thread: the documents are created there and must be moved to the GUI thread).
#include "edit/document.h"
#include "server/serverurl.h"

#include <optional>
#include <vector>

namespace sd {

class SecretStore;

struct ServerConnectRequest {
    QString url;                          // postgres://USER@HOST:PORT/DB or redis://HOST:PORT[/DB][?prefix=P]
    std::optional<SecretBytes> password;  // typed in; nullopt = none given
    bool remember = false;                // store a password that worked in the keychain (per server)
    SecretStore *keychain = nullptr;      // null: no keychain (not consulted, remember refused)
};

enum class ServerFailure { None, BadUrl, LoginRefused, Unreachable, Other };

struct ServerConnection {
    server::ServerUrl url;
    const Format *format = nullptr;
    std::vector<std::unique_ptr<Document>> documents; // one per session, in the store's order
    bool passwordFromKeychain = false;
    bool passwordRemembered = false;
};

// The URL is parsed first: a password in it is refused with the CLI's message (usage error).
Result<ServerConnection> connectServerStore(const ServerConnectRequest &request);
// What went wrong, for the message shown: a refused login (kind Secret, exit 4), a server that could
// not be reached (core/server's "cannot connect to" errors, exit 3), a bad URL (exit 2) or other.
ServerFailure classifyServerError(const Error &error);
// The session name a server store's reader put in a Session (mtgo_session_name / mtgo_session_id).
QString serverSessionName(const Session &session);

} // namespace sd
