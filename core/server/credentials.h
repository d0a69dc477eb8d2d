#pragma once
// Server passwords (docs/cli.md "Server stores"). Sources, in order:
//   1. a password registered for the server by the front end (--password-file F, a GUI prompt);
//   2. REDISCLI_AUTH for Redis; for PostgreSQL nothing is passed, so libpq applies its own rules
//      (PGPASSWORD, PGPASSFILE, ~/.pgpass);
//   3. the keychain entry remembered for that server (opt-in, --remember-password), consulted only
//      when the server refused the connection without it.
// Passwords never travel in argv and are never printed.
#include "domain/secretbytes.h"
#include "server/serverurl.h"

#include <optional>

namespace sd {
class SecretStore;
}

namespace sd::server {

// Registers the password to use for every URL of this server (ServerUrl::serverKey()).
void setPassword(const QString &serverKey, const SecretBytes &password);
// Drops the password registered for this server (a refused one, so the next attempt starts afresh).
void forgetPassword(const QString &serverKey);
// The password registered for this server, else (Redis) REDISCLI_AUTH; nullopt when none.
std::optional<SecretBytes> configuredPassword(const ServerUrl &url);

// The keychain consulted after an authentication failure, and where --remember-password stores a
// password that worked. nullptr (the default) disables both.
void setKeychain(SecretStore *store);
// Asks that a password that authenticates be stored in the keychain (per server).
void setRememberPasswords(bool remember);
QString keychainKey(const ServerUrl &url);

// Used by the connection code: the keychain's password for url (nullopt when none or no keychain).
Result<std::optional<SecretBytes>> keychainPassword(const ServerUrl &url);
// Called after a successful login with an explicit password: stores it when remembering is on.
Status passwordWorked(const ServerUrl &url, const SecretBytes &password);

} // namespace sd::server
