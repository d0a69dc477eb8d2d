#include "inputfile.h"

#include "io/atomicfile.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sd {

namespace {

QString kindOf(mode_t mode)
{
    if (S_ISFIFO(mode))
        return QStringLiteral("FIFO");
    if (S_ISSOCK(mode))
        return QStringLiteral("socket");
    if (S_ISCHR(mode))
        return QStringLiteral("character device");
    if (S_ISBLK(mode))
        return QStringLiteral("block device");
    return {};
}

// Everything a regular input must satisfy, checked on the stat of the open descriptor.
Status checkStat(const struct stat &st, qint64 maxBytes)
{
    if (!S_ISREG(st.st_mode)) {
        const QString kind = S_ISDIR(st.st_mode) ? QStringLiteral("folder") : kindOf(st.st_mode);
        return Error::badInput(QStringLiteral("not a regular file (%1)").arg(kind.isEmpty() ? QStringLiteral("special file") : kind));
    }
    const qint64 size = st.st_size;
    if (size > maxBytes)
        return Error::badInput(QStringLiteral("file too large (%1 bytes, limit %2)").arg(size).arg(maxBytes));
    const qint64 allocated = qint64(st.st_blocks) * 512;
    if (size >= inputcap::kSparseMinLength && allocated < size / inputcap::kSparseRatio)
        return Error::badInput(QStringLiteral("sparse file (%1 bytes long, only %2 bytes stored): not a session")
                                   .arg(size)
                                   .arg(allocated));
    return {};
}

} // namespace

QString specialFileKind(const QString &path, bool followLinks)
{
    struct stat st {};
    const QByteArray n = QFile::encodeName(path);
    const int rc = followLinks ? ::stat(n.constData(), &st) : ::lstat(n.constData(), &st);
    if (rc != 0)
        return {};
    return kindOf(st.st_mode);
}

InputFile::InputFile(InputFile &&other) noexcept
    : m_path(std::move(other.m_path)), m_fd(std::exchange(other.m_fd, -1)), m_size(other.m_size), m_cap(other.m_cap)
{
}

InputFile &InputFile::operator=(InputFile &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_path = std::move(other.m_path);
        m_fd = std::exchange(other.m_fd, -1);
        m_size = other.m_size;
        m_cap = other.m_cap;
    }
    return *this;
}

InputFile::~InputFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<InputFile> InputFile::open(const QString &path, qint64 maxBytes)
{
    const QByteArray n = QFile::encodeName(path);
    struct stat before {};
    if (::stat(n.constData(), &before) != 0)
        return Error::badInput(errno == ENOENT ? QStringLiteral("no such file") : QStringLiteral("cannot open: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    // Refused before open(): opening a device can have effects of its own.
    if (auto st = checkStat(before, maxBytes); !st)
        return st.error();
    InputFile f;
    f.m_path = path;
    f.m_cap = maxBytes;
    f.m_fd = ::open(n.constData(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (f.m_fd < 0)
        return Error::badInput(QStringLiteral("cannot open: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    struct stat st {};
    if (::fstat(f.m_fd, &st) != 0)
        return Error::badInput(QStringLiteral("cannot stat: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    // The path may have been swapped between stat() and open(): the descriptor is what counts.
    if (auto ok = checkStat(st, maxBytes); !ok)
        return ok.error();
    // Back to blocking reads (regular files never block anyway; this keeps pread's semantics plain).
    const int flags = ::fcntl(f.m_fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(f.m_fd, F_SETFL, flags & ~O_NONBLOCK);
    f.m_size = st.st_size;
    return f;
}

Result<QByteArray> InputFile::readAt(qint64 offset, qint64 n) const
{
    QByteArray out;
    if (n <= 0)
        return out;
    out.resize(static_cast<qsizetype>(n));
    qint64 got = 0;
    while (got < n) {
        const ssize_t r = ::pread(m_fd, out.data() + got, static_cast<size_t>(n - got), offset + got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return Error::badInput(QStringLiteral("read error: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        }
        if (r == 0)
            break;
        got += r;
    }
    out.truncate(static_cast<qsizetype>(got));
    return out;
}

Result<QByteArray> InputFile::readAll() const
{
    // Chunks: the file may grow between fstat and the last read; never past the cap.
    QByteArray data;
    for (;;) {
        const qint64 want = qMin<qint64>(qint64(1) << 20, m_cap + 1 - data.size());
        auto chunk = readAt(data.size(), want);
        if (!chunk)
            return chunk.error();
        if (chunk->isEmpty())
            break;
        data += *chunk;
        if (data.size() > m_cap)
            return Error::badInput(QStringLiteral("file too large (limit %1 bytes)").arg(m_cap));
    }
    return data;
}

MappedInput::~MappedInput()
{
    if (m_addr)
        ::munmap(m_addr, static_cast<size_t>(m_size));
}

Result<std::shared_ptr<const MappedInput>> MappedInput::map(const QString &path, qint64 maxBytes)
{
    auto f = InputFile::open(path, maxBytes);
    if (!f)
        return f.error();
    std::shared_ptr<MappedInput> m(new MappedInput);
    m->m_size = f->size();
    if (m->m_size > 0) {
        void *addr = ::mmap(nullptr, static_cast<size_t>(m->m_size), PROT_READ, MAP_PRIVATE, f->fd(), 0);
        if (addr == MAP_FAILED)
            return Error::badInput(QStringLiteral("cannot map the file: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        m->m_addr = addr;
    }
    return std::shared_ptr<const MappedInput>(std::move(m));
}

QByteArray MappedInput::bytes() const
{
    if (!m_addr)
        return {};
    return QByteArray::fromRawData(static_cast<const char *>(m_addr), static_cast<qsizetype>(m_size));
}

Result<QByteArray> readFileLimited(const QString &path, qint64 maxBytes)
{
    auto f = InputFile::open(path, maxBytes);
    if (!f)
        return f.error();
    return f->readAll();
}

} // namespace sd
