#include "lockprobe.h"

#include <QFile>
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace sd {

namespace {
constexpr off_t kPendingByte = 0x40000000;
constexpr off_t kSharedFirst = kPendingByte + 2;
constexpr off_t kSharedSize = 510;
// WAL-index lock bytes in the -shm file (write, checkpoint, recover, 5 read marks) and the
// "dead man switch" byte every open connection holds a shared lock on.
constexpr off_t kShmLockFirst = 120;
constexpr off_t kShmLockSize = 9;

// Returns the conflicting lock over [start, start+len) (len 0: to the end of every possible offset)
// as seen by a would-be writer. F_GETLK does not see this process's own POSIX locks; F_OFD_GETLK,
// asked on a fresh open file description, sees every record lock on the file.
std::optional<struct flock> probe(int fd, off_t start, off_t len, int cmd = F_GETLK)
{
    struct flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    fl.l_pid = 0; // F_OFD_GETLK requires 0
    if (::fcntl(fd, cmd, &fl) != 0)
        return std::nullopt;
    if (fl.l_type == F_UNLCK)
        return std::nullopt;
    return fl;
}

int openForQuery(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    return ::open(native.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
}
} // namespace

QString LockInfo::describe(const QString &path) const
{
    QString who = pid > 0 ? QStringLiteral("process %1").arg(pid) : QStringLiteral("another process");
    return QStringLiteral("%1 is held by %2 (%3 lock on the %4)")
        .arg(path, who, exclusive ? QStringLiteral("exclusive/write") : QStringLiteral("shared/read"), where);
}

namespace {
std::optional<LockInfo> databaseLock(int fd)
{
    if (auto pending = probe(fd, kPendingByte, 2))
        return LockInfo{true, pending->l_pid, QStringLiteral("database file")};
    if (auto shared = probe(fd, kSharedFirst, kSharedSize))
        return LockInfo{shared->l_type == F_WRLCK, shared->l_pid, QStringLiteral("database file")};
    return std::nullopt;
}

std::optional<LockInfo> shmLock(const QString &path)
{
    const QString shm = path + QStringLiteral("-shm");
    if (!QFile::exists(shm))
        return std::nullopt;
    const int sfd = openForQuery(shm);
    if (sfd < 0)
        return std::nullopt;
    std::optional<LockInfo> out;
    if (auto l = probe(sfd, kShmLockFirst, kShmLockSize))
        out = LockInfo{false, l->l_pid, QStringLiteral("WAL shared memory (-shm)")};
    ::close(sfd);
    return out;
}
} // namespace

std::optional<LockInfo> sqliteLockHolder(const QString &path)
{
    // Opening a descriptor and closing it would drop POSIX locks this process holds on the file;
    // SessionDesk holds none outside SQLite calls on other threads, which use their own files.
    const int fd = openForQuery(path);
    if (fd >= 0) {
        std::optional<LockInfo> out = databaseLock(fd);
        ::close(fd);
        if (out)
            return out;
    }
    return shmLock(path);
}

std::optional<LockInfo> sqliteLockHolder(int fd, const QString &path)
{
    if (fd >= 0)
        if (auto out = databaseLock(fd))
            return out;
    return shmLock(path);
}

namespace {
// A flock() holder from /proc/locks ("1: FLOCK  ADVISORY  WRITE 1234 08:01:56789 0 EOF"); waiting
// requests ("1: -> FLOCK ...") are skipped. *readable is false when /proc/locks cannot be read.
std::optional<LockInfo> flockHolder(const struct stat &st, bool includeSelf, bool *readable)
{
    // procfs files report size 0: read until EOF with plain read(2) (capped).
    const int fd = ::open("/proc/locks", O_RDONLY | O_CLOEXEC);
    *readable = fd >= 0;
    if (fd < 0)
        return std::nullopt;
    QByteArray data;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0 || data.size() > 16 * 1024 * 1024)
            break;
        data.append(buf, n);
    }
    ::close(fd);
    const QByteArray want = QStringLiteral("%1:%2:%3")
                                .arg(major(st.st_dev), 2, 16, QLatin1Char('0'))
                                .arg(minor(st.st_dev), 2, 16, QLatin1Char('0'))
                                .arg(static_cast<qulonglong>(st.st_ino))
                                .toLatin1();
    const qint64 self = ::getpid();
    for (const QByteArray &line : data.split('\n')) {
        const QList<QByteArray> p = line.simplified().split(' ');
        if (p.size() < 6 || p.at(1) != "FLOCK" || p.at(5).toLower() != want)
            continue;
        const qint64 pid = p.at(4).toLongLong();
        if (pid == self && !includeSelf)
            continue;
        return LockInfo{p.at(3) == "WRITE", pid, QStringLiteral("file (flock)")};
    }
    return std::nullopt;
}

// A record lock anywhere in the file, in the scope's view.
std::optional<LockInfo> recordLock(int fd, LockScope scope, const QString &where)
{
    const auto fl = probe(fd, 0, 0, scope == LockScope::AnyDescriptor ? F_OFD_GETLK : F_GETLK);
    if (!fl)
        return std::nullopt;
    return LockInfo{fl->l_type == F_WRLCK, fl->l_pid > 0 ? qint64(fl->l_pid) : 0, where};
}

// Record locks and flock() on one regular file; nullopt for anything else.
std::optional<LockInfo> oneFile(const QString &path, LockScope scope, const QString &where)
{
    // A writer's target is replaced, never written through: a symlink there is not followed.
    const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (scope == LockScope::AnyDescriptor ? O_NOFOLLOW : 0);
    const int fd = ::open(QFile::encodeName(path).constData(), flags);
    if (fd < 0)
        return std::nullopt;
    struct stat st {};
    std::optional<LockInfo> out;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        out = recordLock(fd, scope, where);
        if (!out) {
            bool readable = true;
            out = flockHolder(st, scope == LockScope::AnyDescriptor, &readable);
            // Without /proc (a restricted container), a writer still has to know: try to take the
            // flock() without waiting on this descriptor and give it back at once.
            if (!out && !readable && scope == LockScope::AnyDescriptor) {
                if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
                    if (errno == EWOULDBLOCK)
                        out = LockInfo{true, 0, QStringLiteral("file (flock)")};
                } else {
                    ::flock(fd, LOCK_UN);
                }
            }
        }
    }
    ::close(fd);
    return out;
}
} // namespace

std::optional<LockInfo> fileLockHolder(const QString &path, LockScope scope)
{
    if (auto out = oneFile(path, scope, QStringLiteral("file (record lock)")))
        return out;
    const QString shm = path + QStringLiteral("-shm");
    if (!QFile::exists(shm))
        return std::nullopt;
    return oneFile(shm, scope, QStringLiteral("WAL shared memory (-shm)"));
}

} // namespace sd
