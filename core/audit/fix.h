#pragma once
// Acting on audit findings (docs/cli.md, `audit --fix`): every change the CLI and the GUI make to an
// audited place goes through here, so both say and do exactly the same thing.
//
//   RestrictMode   chmod a session file to 0600, a session folder to 0700 (world-readable)
//   MoveToVault    import the session (or the strings of a text file holding one key) into the vault,
//                  read the vault's copy back and compare every auth key byte for byte, and only then
//                  remove the plaintext: a file is deleted (with its SQLite side files), a text file is
//                  rewritten atomically without those lines after a 0600 backup created O_EXCL.
//                  Session folders are imported but kept (they hold more than the session).
//   RemoveDuplicate remove one copy of a duplicated key after checking that the kept place still
//                  holds it (no vault copy; the GUI and the CLI ask for confirmation first).
//
// Nothing is written to a place a running client holds (POSIX or flock lock): Error::output, unchanged.
#include "audit/audit.h"
#include "util/result.h"

#include <QString>
#include <optional>
#include <vector>

namespace sd {

class Vault;

enum class FixKind { RestrictMode, MoveToVault, RemoveDuplicate };
QString fixKindName(FixKind kind); // "restrict-permissions" | "move-to-vault" | "remove-duplicate"

struct FixAction {
    FixKind kind = FixKind::RestrictMode;
    QString rule;                     // the finding rule it answers
    QString path;
    bool isDir = false;
    bool inTextFile = false;          // the session is a string inside a text file
    QList<int> lines;                 // text files: the lines (1-based) as the audit saw them
    std::optional<QString> authKeyId; // the key concerned (text files: the strings that go)
    QString formatId;
    int modeBefore = -1;              // RestrictMode
    int modeAfter = -1;
    QString keptPlace;                // RemoveDuplicate (and MoveToVault of a duplicate): who keeps the key

    // One line naming exactly what changes (the dry run and the confirmation text).
    QString describe(const QString &vaultPath = QString()) const;
};

struct FixOutcome {
    FixAction action;
    QString summary;                  // what was done
    QStringList removed;              // files deleted
    QString backup;                   // text files: the backup written (0600)
    QStringList vaultIds;             // vault accounts holding the imported keys
};

struct FixPlanOptions {
    QStringList rules;                // world-readable, string-in-text-file, duplicate-auth-key; "all"
    QString keep;                     // duplicates: the place to keep (default: the first session file)
    bool deleteDuplicates = false;    // duplicates: delete the other copies instead of moving them to the vault
};

// The rules `--fix` accepts.
QStringList fixableRules();
// The actions answering one finding (the GUI's per-finding buttons): restrict permissions for
// world-readable, move to the vault for a session place or a string, and for a duplicate key
// "keep this one" (the other places are moved to the vault).
std::vector<FixAction> fixesForFinding(const Finding &finding, const AuditReport &report);
// Every place holding the key of a duplicate-auth-key finding, in scan order.
std::vector<AuditedSession> placesHoldingKey(const AuditReport &report, const QString &authKeyId);
// The actions that keep `keep` and deal with every other place holding authKeyId.
std::vector<FixAction> keepOnlyPlan(const AuditReport &report, const QString &authKeyId, const QString &keep,
                                    bool deleteOthers);
// The plan for `audit --fix RULE...`. Error::usage for an unknown rule or a --keep that holds no
// duplicated key.
Result<std::vector<FixAction>> planFixes(const AuditReport &report, const FixPlanOptions &options);

struct FixContext {
    Vault *vault = nullptr;           // needed by MoveToVault
    qint64 now = 0;                   // unix seconds for backup names; 0 = current time
};

// Applies one action. On error nothing was removed or rewritten (a vault import may have happened:
// the vault then holds a copy, which is never a loss).
Result<FixOutcome> applyFix(const FixAction &action, FixContext &context);

// Building blocks (tests, GUI).
// "<path>.sessiondesk-backup-YYYYMMDD-HHMMSS" (UTC).
QString textBackupPath(const QString &path, qint64 now);
// Rewrites a text file without the given lines (1-based), atomically; the original is first copied
// to backupPath, created 0600 with O_EXCL|O_NOFOLLOW. The file ends 0600.
Status rewriteWithoutLines(const QString &path, const QList<int> &lines, const QString &backupPath);

} // namespace sd
