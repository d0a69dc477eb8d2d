#pragma once
// Server stores as sources and targets (docs/cli.md "Server stores"):
//   postgres://USER@HOST:PORT/DB[?sslmode=...]        (postgresql:// too)
//   redis://[USER@]HOST:PORT[/DB][?prefix=mtgo]
// A password inside the URL is refused (it would stay in shell history and show in the process list);
// passwords come from libpq's own sources (PGPASSWORD, ~/.pgpass, PGPASSFILE), REDISCLI_AUTH,
// --password-file or the keychain (server/credentials.h).
#include "util/result.h"

#include <QMap>
#include <QString>

namespace sd::server {

enum class Scheme { Postgres, Redis };

struct ServerUrl {
    Scheme scheme = Scheme::Postgres;
    QString user;                  // empty: libpq's default (the login name) / Redis "default"
    QString host;
    int port = 0;
    QString database;              // PostgreSQL database name
    int redisDb = 0;               // Redis logical database
    QString prefix = QStringLiteral("mtgo"); // Redis key prefix (mtgo's default)
    QMap<QString, QString> pgOptions; // libpq connection options passed through (sslmode, sslrootcert...)

    QString schemeName() const { return scheme == Scheme::Postgres ? QStringLiteral("postgres") : QStringLiteral("redis"); }
    // The URL as the user would write it, never with a password.
    QString display() const;
    // One server account: "postgres://user@host:port" (the keychain entry is per server, not per database).
    QString serverKey() const;
};

// True for text that starts with a server scheme this build knows (postgres://, postgresql://, redis://,
// rediss://): such a SOURCE is never looked up as a file.
bool looksLikeServerUrl(const QString &text);
// Usage error (exit 2) for a password in the URL, an unknown option, a bad port or database number.
Result<ServerUrl> parseServerUrl(const QString &text);
// text with any password (user:secret@) replaced by "***", for error lines.
QString redactUrl(const QString &text);

} // namespace sd::server
