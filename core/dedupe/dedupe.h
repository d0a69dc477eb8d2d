#pragma once
// Peer-cache repair for the SQLite formats: finds
//   marked-and-bare     the same peer stored under its marked id and again under a wrong id (a
//                       channel's bare id stored as a user id, or as a basic-group id), with the
//                       same access hash (or none): the wrongly keyed row is deleted;
//   username-conflict   several ids claiming one username (case-insensitive): the newest row keeps
//                       it (the format's timestamp, then the larger id), the others lose it, as
//                       Telethon itself does on lookup (Kurigram's usernames table rows are
//                       dropped: action drop-username-row);
//   impossible-row      id 0 (other than Telethon's self row), a channel id out of range
//                       (bare id >= 10^12), or a user/channel without the access hash it needs:
//                       deleted.
// Preview by default; fix() backs the file up first and applies everything in one transaction.
#include "util/result.h"

#include <QString>
#include <optional>
#include <vector>

namespace sd {

struct DedupeIssue {
    QString kind;                   // marked-and-bare | username-conflict | impossible-row
    qint64 id = 0;                  // the stored id of the row acted on
    QString action;                 // delete | clear-username | drop-username-row
    std::optional<qint64> keptId;   // the row that stays (duplicates)
    QString username;               // username-conflict: the username in question
    QString message;
};

struct DedupeReport {
    QString formatId;
    bool fixed = false;
    std::vector<DedupeIssue> issues;
    QString backup;
    qint64 rowsBefore = 0;
    qint64 rowsAfter = 0;
};

bool dedupeSupported(const QString &formatId);
// fix = false: read-only preview. fix = true: lock check, backup (unless !backup), one transaction.
Result<DedupeReport> dedupePeerCache(const QString &formatId, const QString &path, bool fix, bool backup);

} // namespace sd
