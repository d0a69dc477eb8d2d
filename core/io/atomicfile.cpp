#include "atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sd {

namespace {
void fsyncPath(const QString &path, bool dir)
{
    const QByteArray p = QFile::encodeName(path);
    int fd = ::open(p.constData(), (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

QString randomSuffix()
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString s;
    for (int i = 0; i < 8; ++i)
        s += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(36)]);
    return s;
}

bool removeRecursively(const QString &path)
{
    QFileInfo fi(path);
    if (fi.isDir() && !fi.isSymLink())
        return QDir(path).removeRecursively();
    return QFile::remove(path);
}
} // namespace

Result<QString> reserveTempPath(const QString &target)
{
    const QFileInfo fi(target);
    const QString dir = fi.absolutePath();
    if (!QFileInfo(dir).isDir())
        return Error::output(QStringLiteral("folder %1 does not exist").arg(dir));
    for (int attempt = 0; attempt < 16; ++attempt) {
        const QString p = dir + QLatin1Char('/') + QLatin1Char('.') + fi.fileName() + QStringLiteral(".sdtmp-") + randomSuffix();
        if (!QFileInfo::exists(p))
            return p;
    }
    return Error::output(QStringLiteral("cannot find a temporary name next to %1").arg(target));
}

bool setOwnerOnly(const QString &path)
{
    return ::chmod(QFile::encodeName(path).constData(), S_IRUSR | S_IWUSR) == 0;
}

bool setOwnerOnlyDir(const QString &path)
{
    return ::chmod(QFile::encodeName(path).constData(), S_IRWXU) == 0;
}

Status renameIntoPlace(const QString &src, const QString &target)
{
    fsyncPath(src, QFileInfo(src).isDir());
    if (::rename(QFile::encodeName(src).constData(), QFile::encodeName(target).constData()) != 0)
        return Error::output(QStringLiteral("cannot rename into %1: %2").arg(target, QString::fromLocal8Bit(std::strerror(errno))));
    fsyncPath(QFileInfo(target).absolutePath(), true);
    return {};
}

Status writeFileAtomic(const QString &path, const QByteArray &bytes, bool force)
{
    if (QFileInfo::exists(path) && !force)
        return Error::output(QStringLiteral("%1 exists (use --force to overwrite)").arg(path));
    if (QFileInfo(path).isDir())
        return Error::output(QStringLiteral("%1 is a folder").arg(path));
    auto temp = reserveTempPath(path);
    if (!temp)
        return temp.error();
    const QByteArray tp = QFile::encodeName(*temp);
    int fd = ::open(tp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0)
        return Error::output(QStringLiteral("cannot create %1: %2").arg(*temp, QString::fromLocal8Bit(std::strerror(errno))));
    ::fchmod(fd, S_IRUSR | S_IWUSR);
    qsizetype off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + off, static_cast<size_t>(bytes.size() - off));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const QString err = QString::fromLocal8Bit(std::strerror(errno));
            ::close(fd);
            ::unlink(tp.constData());
            return Error::output(QStringLiteral("cannot write %1: %2").arg(path, err));
        }
        off += n;
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tp.constData());
        return Error::output(QStringLiteral("cannot write %1").arg(path));
    }
    auto st = renameIntoPlace(*temp, path);
    if (!st)
        ::unlink(tp.constData());
    return st;
}

Status makePrivateDir(const QString &path)
{
    if (!QDir().mkpath(path))
        return Error::output(QStringLiteral("cannot create folder %1").arg(path));
    setOwnerOnlyDir(path);
    return {};
}

AtomicDirectory::~AtomicDirectory()
{
    if (!m_committed && !m_temp.isEmpty())
        removeRecursively(m_temp);
}

Status AtomicDirectory::begin(const QString &target, bool force)
{
    m_target = QFileInfo(target).absoluteFilePath();
    const QFileInfo fi(m_target);
    if (fi.exists()) {
        if (!fi.isDir())
            return Error::output(QStringLiteral("%1 exists and is not a folder").arg(target));
        if (!QDir(m_target).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System) && !force)
            return Error::output(QStringLiteral("%1 exists and is not empty (use --force to replace it)").arg(target));
    }
    auto temp = reserveTempPath(m_target);
    if (!temp)
        return temp.error();
    m_temp = *temp;
    if (::mkdir(QFile::encodeName(m_temp).constData(), S_IRWXU) != 0)
        return Error::output(QStringLiteral("cannot create %1").arg(m_temp));
    setOwnerOnlyDir(m_temp);
    return {};
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
    return writeFileAtomic(full, bytes, true);
}

Status AtomicDirectory::commit()
{
    if (m_temp.isEmpty())
        return Error::output(QStringLiteral("nothing to commit"));
    const QFileInfo fi(m_target);
    if (fi.exists()) {
        // Replace: move the old folder aside, swap the new one in, then delete the old one.
        auto aside = reserveTempPath(m_target);
        if (!aside)
            return aside.error();
        if (::rename(QFile::encodeName(m_target).constData(), QFile::encodeName(*aside).constData()) != 0)
            return Error::output(QStringLiteral("cannot move the old %1 aside").arg(m_target));
        auto st = renameIntoPlace(m_temp, m_target);
        if (!st) {
            ::rename(QFile::encodeName(*aside).constData(), QFile::encodeName(m_target).constData());
            return st;
        }
        removeRecursively(*aside);
    } else {
        auto st = renameIntoPlace(m_temp, m_target);
        if (!st)
            return st;
    }
    m_committed = true;
    return {};
}

} // namespace sd
