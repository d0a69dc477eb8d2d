#include "atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sd {

bool setOwnerOnly(const QString &path)
{
    return ::chmod(QFile::encodeName(path).constData(), S_IRUSR | S_IWUSR) == 0;
}

bool setOwnerOnlyDir(const QString &path)
{
    return ::chmod(QFile::encodeName(path).constData(), S_IRWXU) == 0;
}

namespace {
// A new private temporary file next to target holding bytes, fsynced; returns its path.
Result<QString> writePrivateTemp(const QString &target, const QByteArray &bytes)
{
    for (int attempt = 0; attempt < 8; ++attempt) {
        auto temp = reserveTempPath(target);
        if (!temp)
            return temp.error();
        auto fd = createPrivateFile(*temp);
        if (!fd) {
            if (errno == EEXIST)
                continue; // lost a race for the name
            return fd.error();
        }
        Status st = writeAll(*fd, bytes, target);
        if (st && ::fsync(*fd) != 0)
            st = Error::output(QStringLiteral("cannot write %1: %2").arg(target, QString::fromLocal8Bit(std::strerror(errno))));
        if (::close(*fd) != 0 && st)
            st = Error::output(QStringLiteral("cannot write %1").arg(target));
        if (!st) {
            ::unlink(QFile::encodeName(*temp).constData());
            return st.error();
        }
        return *temp;
    }
    return Error::output(QStringLiteral("cannot create a temporary file next to %1").arg(target));
}
} // namespace

Status writeFileAtomic(const QString &path, const QByteArray &bytes, bool force)
{
    if (auto st = checkTarget(path, force, TargetKind::File); !st)
        return st;
    auto temp = writePrivateTemp(path, bytes);
    if (!temp)
        return temp.error();
    auto st = replaceTarget(*temp, path, force);
    if (!st)
        ::unlink(QFile::encodeName(*temp).constData());
    return st;
}

AtomicDirectory::~AtomicDirectory()
{
    if (!m_committed && !m_temp.isEmpty())
        removeTree(m_temp);
}

Status AtomicDirectory::begin(const QString &target, bool force)
{
    m_target = QFileInfo(target).absoluteFilePath();
    m_force = force;
    if (auto st = checkTarget(m_target, force, TargetKind::Folder); !st)
        return st;
    auto temp = reserveTempPath(m_target);
    if (!temp)
        return temp.error();
    if (::mkdir(QFile::encodeName(*temp).constData(), S_IRWXU) != 0)
        return Error::output(QStringLiteral("cannot create %1: %2").arg(*temp, QString::fromLocal8Bit(std::strerror(errno))));
    m_temp = *temp;
    return {};
}

Status AtomicDirectory::carry(const QString &existing, const std::function<bool(const QString &)> &owned)
{
    if (m_temp.isEmpty())
        return Error::output(QStringLiteral("carry() before begin()"));
    struct stat st {};
    if (existing.isEmpty() || ::stat(QFile::encodeName(existing).constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        return {};
    return carryForeignFiles(existing, m_temp, owned);
}

QString AtomicDirectory::filePath(const QString &name) const { return m_temp + QLatin1Char('/') + name; }

Status AtomicDirectory::writeFile(const QString &relative, const QByteArray &bytes)
{
    const QString full = filePath(relative);
    const QString parent = QFileInfo(full).absolutePath();
    if (!QFileInfo(parent).isDir()) {
        auto st = makePrivateDir(parent);
        if (!st)
            return st;
    }
    // A carried file of the same name is only a link in this private folder: drop the link, never
    // write through it into the old folder's file.
    const QByteArray f = QFile::encodeName(full);
    struct stat st {};
    if (::lstat(f.constData(), &st) == 0 && !S_ISDIR(st.st_mode))
        ::unlink(f.constData());
    auto fd = createPrivateFile(full);
    if (!fd)
        return fd.error();
    Status result = writeAll(*fd, bytes, full);
    if (result && ::fsync(*fd) != 0)
        result = Error::output(QStringLiteral("cannot write %1").arg(full));
    ::close(*fd);
    return result;
}

Status AtomicDirectory::commit()
{
    if (m_temp.isEmpty())
        return Error::output(QStringLiteral("nothing to commit"));
    auto st = replaceTarget(m_temp, m_target, m_force);
    if (!st)
        return st;
    m_committed = true;
    return {};
}

} // namespace sd
