#pragma once
// Replacing a target safely (docs/security.md, "Writing"):
//  * checkTarget: before any work, refuse (exit 5) when a process holds the target (POSIX and OFD
//    locks, SQLite's byte-range locks, flock()) or, without --force, when it exists or has side
//    files (-wal, -journal, -shm) that SQLite would replay onto a new file;
//  * replaceTarget: puts a finished, read-back output in place. Without --force it uses
//    renameat2(RENAME_NOREPLACE), so a file or dangling symlink that appeared meanwhile is never
//    replaced. With --force it checks the holders again, moves stale side files aside, swaps the
//    new output in (RENAME_EXCHANGE) and only then deletes the old target and the side files; on
//    any failure the side files are put back, so an error means "unchanged".
//  * StagedOutput: a private 0700 folder next to the target holding the output under its final
//    name until it has been read back.
#include "util/result.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace sd {

enum class TargetKind { File, Folder };

// A process holding path (or its -shm), described for the error message; nullopt when none. Asks
// core/io/lockprobe with LockScope::AnyDescriptor.
std::optional<QString> targetHolder(const QString &path);
// Exit-5 error when a process holds path (or, for a folder, a file in it).
Status refuseHeldTarget(const QString &path);
// The side files next to path that exist (-wal, -journal, -shm), as full paths.
QStringList sideFilesOf(const QString &path);
// See above. An existing empty folder is not refused for TargetKind::Folder.
Status checkTarget(const QString &target, bool force, TargetKind kind);
// Moves built (a finished file or folder in the same file system) to target; see above.
Status replaceTarget(const QString &built, const QString &target, bool force);

class StagedOutput {
public:
    StagedOutput() = default;
    ~StagedOutput();
    StagedOutput(const StagedOutput &) = delete;
    StagedOutput &operator=(const StagedOutput &) = delete;

    Status begin(const QString &target);
    QString path() const { return m_staged; } // write here (same file name as the target)
    Status commit(bool force);

private:
    QString m_target;
    QString m_dir;
    QString m_staged;
};

} // namespace sd
