#include "lockcheck.h"

#include <QFile>
#include <fcntl.h>
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

// Returns the conflicting lock over [start, start+len) as seen by a would-be writer.
std::optional<flock> probe(int fd, off_t start, off_t len)
{
    flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    if (::fcntl(fd, F_GETLK, &fl) != 0)
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

std::optional<LockInfo> sqliteLockHolder(const QString &path)
{
    // Opening a descriptor and closing it would drop POSIX locks this process holds on the file;
    // SessionDesk holds none outside SQLite calls on other threads, which use their own files.
    const int fd = openForQuery(path);
    if (fd >= 0) {
        std::optional<LockInfo> out;
        if (auto pending = probe(fd, kPendingByte, 2)) {
            out = LockInfo{true, pending->l_pid, QStringLiteral("database file")};
        } else if (auto shared = probe(fd, kSharedFirst, kSharedSize)) {
            out = LockInfo{shared->l_type == F_WRLCK, shared->l_pid, QStringLiteral("database file")};
        }
        ::close(fd);
        if (out)
            return out;
    }
    const QString shm = path + QStringLiteral("-shm");
    if (QFile::exists(shm)) {
        const int sfd = openForQuery(shm);
        if (sfd >= 0) {
            std::optional<LockInfo> out;
            if (auto l = probe(sfd, kShmLockFirst, kShmLockSize))
                out = LockInfo{false, l->l_pid, QStringLiteral("WAL shared memory (-shm)")};
            ::close(sfd);
            if (out)
                return out;
        }
    }
    return std::nullopt;
}

} // namespace sd
