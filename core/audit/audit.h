#pragma once
// The audit engine: finds sessions of every format in files, folders, tdata folders and text files
// (session strings embedded in .env/.json/.yaml/.txt/.toml/.ini/shell history), and reports risks.
// Used by `sessiondesk-cli audit` and by the GUI's Audit view (progress callback + cancellation;
// runAudit() blocks, so the GUI runs it on a worker thread).
//
// Rules (rule id, severity):
//   duplicate-auth-key  high    the same auth_key_id in two or more places (each place reported)
//   world-readable      high    group/other may read a file or folder a session was found in
//   string-in-text-file high    a live session string stored in a regular text file
//   malformed-auth-key  high    an auth key that is not 256 bytes (damaged; never converted)
//   unknown-schema      medium  SQLite tables/columns no known version has, or a session-like
//                               SQLite database that matches no format
//   locked              medium  a client holds the SQLite file right now (fcntl F_GETLK)
//   test-dc-mismatch    medium  a test-DC address with a production flag, or the reverse
//   empty-auth-key      low     a session without an auth key (logged out / never logged in)
//   stale               low     no activity for --stale-days (default 90)
//   special-file        low     a FIFO, socket or device where a file was expected (skipped, never opened)
#include "util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace sd {

struct Store;

enum class Severity { Low = 0, Medium = 1, High = 2 };
QString severityName(Severity s);                       // "low" | "medium" | "high"
std::optional<Severity> severityFromName(const QString &name);

struct Finding {
    QString rule;
    Severity severity = Severity::Low;
    QString path;
    std::optional<QString> authKeyId;
    QString message;
};

// One session found somewhere (a file, a folder, or one string inside a text file).
struct AuditedSession {
    QString path;
    QString formatId;
    int account = 0;
    bool inTextFile = false;           // an embedded string (string-in-text-file)
    int line = 0;                      // text files: 1-based line of the string
    std::optional<QString> authKeyId;  // primary key; nullopt = no key
    QStringList allKeyIds;             // every permanent key it holds
    int dcId = 0;
    std::optional<qint64> userId;
    std::optional<qint64> newestTimestamp;
    std::optional<bool> isBot;         // nullopt: the format does not say
    qint64 peers = 0;                  // cached peers (counted, not loaded)
};

struct AuditOptions {
    bool recursive = false;
    int staleDays = 90;
    qint64 now = 0;                    // unix seconds; 0 = current time
    int threads = 0;                   // 0 = QThread::idealThreadCount()
    qint64 maxTextFileBytes = 16 * 1024 * 1024;
    // Called after each item (from worker threads, serialized: never concurrently).
    std::function<void(qint64 done, qint64 total, const QString &path)> progress;
    // Set to true (from any thread) to stop; runAudit returns what it has, cancelled = true.
    const std::atomic_bool *cancel = nullptr;
};

struct AuditReport {
    qint64 scanned = 0;                // files and session folders examined
    qint64 sessions = 0;               // sessions found, counted once per place
    std::vector<Finding> findings;     // sorted: severity (high first), rule, path
    std::vector<AuditedSession> found;
    QStringList errors;                // "path: problem" for unreadable inputs (the scan went on)
    bool cancelled = false;

    std::optional<Severity> worst() const;
};

AuditReport runAudit(const QStringList &paths, const AuditOptions &options);
// The audit of a server store's sessions already read (the desktop app's Connect, docs/cli.md
// "Server stores"): what runAudit({url}) reports for the same sessions, without reading them again.
// Each session is the place "URL#session=NAME"; scanned is 1.
AuditReport auditServerStore(const QString &url, const Store &store, const QString &formatId, const AuditOptions &options = {});
// The `audit --json` document of docs/cli.md (scanned, sessions, findings[]) plus "found" (every session
// with its place), "errors" (skipped inputs) and "cancelled".
QJsonObject auditReportJson(const AuditReport &report);
// The findings as CSV (docs/cli.md): severity, rule, path, auth_key_id, last_activity (UTC date and
// time, ISO 8601), message; quoted and formula-neutralised by report/csv.h.
QString auditReportCsv(const AuditReport &report);
// The newest activity of the sessions found at path (unix seconds; nullopt when none is known).
std::optional<qint64> lastActivity(const AuditReport &report, const QString &path);

// --- building blocks (exposed for tests and the GUI) ---
// Base64-ish tokens of plausible session-string length in text: [A-Za-z0-9+/_-]{300,} plus up to
// two '=' (a "1" prefix and JSON-ish alphabets included). Returns (token, 1-based line).
std::vector<std::pair<QByteArray, int>> extractStringTokens(const QByteArray &text);
// Names that are text files where users paste sessions (.env, .json, .yaml, .yml, .txt, .toml,
// .ini, shell history).
bool isTextFileName(const QString &fileName);
// Tables/columns of an SQLite schema that no known version of formatId has (empty = all known).
QStringList unknownSchemaParts(const QString &formatId, const QMap<QString, QStringList> &schema);
// True when an SQLite schema looks like a Telegram session store (used for SQLite files that no
// format claims).
bool schemaLooksLikeSession(const QMap<QString, QStringList> &schema);

} // namespace sd
