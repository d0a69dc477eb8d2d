#pragma once
// The one answer to "does a process hold this file?" (docs/security.md, "Locks"). Every caller asks
// here: the audit (is a client running on this session?), the document status bar, `audit --fix`,
// prune, dedupe and every writer's target check (core/io/replacetarget). Only asks, never locks:
//  * record locks (POSIX and OFD) anywhere in the file, with F_GETLK / F_OFD_GETLK; this covers
//    SQLite's lock bytes at 1 GiB and, for WAL databases, the lock bytes of the -shm file;
//  * flock() locks, which F_GETLK cannot see: found in /proc/locks by device and inode, so the
//    holder's pid is known.
#include <QString>
#include <optional>

namespace sd {

struct LockInfo {
    bool exclusive = false;   // a writer holds PENDING/EXCLUSIVE: readers are blocked too
    qint64 pid = 0;           // the holder's pid as the kernel reports it (0 = unknown)
    QString where;            // "database file" | "WAL shared memory (-shm)"
    QString describe(const QString &path) const;
};

// Whose locks count. OtherProcesses: what a client holds (the audit, the status bar; F_GETLK
// ignores this process's own record locks). AnyDescriptor: any lock on the file, this process's
// own other descriptors included (a writer must not replace a file that another of its own
// connections still holds).
enum class LockScope { OtherProcesses, AnyDescriptor };

// Only SQLite's lock bytes, of the database file and of its -shm: the audit's cheap question.
// nullopt when nobody holds a lock (or the file cannot be opened to ask).
std::optional<LockInfo> sqliteLockHolder(const QString &path);
// The same, asked on a descriptor the caller already holds open on path (the audit's InputFile):
// no second open and close per file. fd stays open.
std::optional<LockInfo> sqliteLockHolder(int fd, const QString &path);

// Any lock on a regular file: a record lock anywhere in it, a flock(), and the lock bytes of its
// -shm when there is one. Not a regular file (or cannot be opened): nullopt.
std::optional<LockInfo> fileLockHolder(const QString &path, LockScope scope = LockScope::OtherProcesses);

} // namespace sd
