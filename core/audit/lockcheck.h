#pragma once
// Is a client holding an SQLite session right now? Tested with fcntl(F_GETLK) on SQLite's lock
// bytes (PENDING/RESERVED/SHARED range at offset 0x40000000) of the database file and, for WAL
// databases, on the lock bytes of the -shm file. F_GETLK only asks: this never takes a lock.
#include <QString>
#include <optional>

namespace sd {

struct LockInfo {
    bool exclusive = false;   // a writer holds PENDING/EXCLUSIVE: readers are blocked too
    qint64 pid = 0;           // the holder's pid as the kernel reports it (0 = unknown)
    QString where;            // "database file" | "WAL shared memory (-shm)"
    QString describe(const QString &path) const;
};

// nullopt when nobody holds a lock (or the file cannot be opened to ask).
std::optional<LockInfo> sqliteLockHolder(const QString &path);
// The same, asked on a descriptor the caller already holds open on path (the audit's InputFile):
// no second open and close per file. fd stays open.
std::optional<LockInfo> sqliteLockHolder(int fd, const QString &path);

// Any lock another process holds on a file: a POSIX/OFD record lock anywhere in it (F_GETLK) or a
// flock() (found in /proc/locks by device and inode, so the holder's pid is known). For SQLite files
// the SQLite lock bytes are covered too. Only asks, never locks.
std::optional<LockInfo> fileLockHolder(const QString &path);

} // namespace sd
