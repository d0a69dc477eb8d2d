#include "safefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sd {

namespace {
QString errnoText(int e) { return QString::fromLocal8Bit(std::strerror(e)); }

QString randomSuffix()
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString s;
    for (int i = 0; i < 8; ++i)
        s += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(36)]);
    return s;
}

bool lexists(const QByteArray &p)
{
    struct stat st {};
    return ::lstat(p.constData(), &st) == 0;
}

QString nextTempName(const QString &target, const char *tag)
{
    const QFileInfo fi(target);
    return fi.absolutePath() + QLatin1Char('/') + QLatin1Char('.') + fi.fileName() + QLatin1String(tag) + randomSuffix();
}
} // namespace

Result<int> createPrivateFile(const QString &path)
{
    const QByteArray p = QFile::encodeName(path);
    int fd;
    do {
        fd = ::open(p.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, S_IRUSR | S_IWUSR);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        const int e = errno;
        Error err = Error::output(QStringLiteral("cannot create %1: %2").arg(path, errnoText(e)));
        errno = e; // callers retry another name on EEXIST
        return err;
    }
    // The umask can only remove bits; fchmod makes the mode exactly 0600 on a still-empty file.
    ::fchmod(fd, S_IRUSR | S_IWUSR);
    return fd;
}

Status writeAll(int fd, const QByteArray &bytes, const QString &what)
{
    qsizetype off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + off, static_cast<size_t>(bytes.size() - off));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error::output(QStringLiteral("cannot write %1: %2").arg(what, errnoText(errno)));
        }
        off += n;
    }
    return {};
}

Status makePrivateDir(const QString &path)
{
    const QString abs = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    if (QFileInfo(abs).isDir())
        return {};
    const QString parent = QFileInfo(abs).absolutePath();
    if (parent != abs && !QFileInfo(parent).isDir())
        if (auto st = makePrivateDir(parent); !st)
            return st;
    if (::mkdir(QFile::encodeName(abs).constData(), S_IRWXU) != 0 && errno != EEXIST)
        return Error::output(QStringLiteral("cannot create folder %1: %2").arg(path, errnoText(errno)));
    if (!QFileInfo(abs).isDir())
        return Error::output(QStringLiteral("cannot create folder %1: something else is there").arg(path));
    return {};
}

Result<QString> reserveTempPath(const QString &target)
{
    const QString dir = QFileInfo(target).absolutePath();
    if (!QFileInfo(dir).isDir())
        return Error::output(QStringLiteral("folder %1 does not exist").arg(dir));
    for (int attempt = 0; attempt < 16; ++attempt) {
        const QString p = nextTempName(target, ".sdtmp-");
        if (!lexists(QFile::encodeName(p)))
            return p;
    }
    return Error::output(QStringLiteral("cannot find a temporary name next to %1").arg(target));
}

Result<QString> makePrivateTempDir(const QString &target)
{
    const QString dir = QFileInfo(target).absolutePath();
    if (!QFileInfo(dir).isDir())
        return Error::output(QStringLiteral("folder %1 does not exist").arg(dir));
    for (int attempt = 0; attempt < 16; ++attempt) {
        const QString p = nextTempName(target, ".sdstage-");
        if (::mkdir(QFile::encodeName(p).constData(), S_IRWXU) == 0)
            return p;
        if (errno != EEXIST)
            return Error::output(QStringLiteral("cannot create a folder next to %1: %2").arg(target, errnoText(errno)));
    }
    return Error::output(QStringLiteral("cannot find a temporary name next to %1").arg(target));
}

bool removeTree(const QString &path)
{
    const QByteArray p = QFile::encodeName(path);
    struct stat st {};
    if (::lstat(p.constData(), &st) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return ::unlink(p.constData()) == 0;
    bool ok = true;
    if (DIR *d = ::opendir(p.constData())) {
        while (dirent *e = ::readdir(d)) {
            if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
                continue;
            ok = removeTree(path + QLatin1Char('/') + QFile::decodeName(e->d_name)) && ok;
        }
        ::closedir(d);
    }
    return ::rmdir(p.constData()) == 0 && ok;
}

Status copyFilePrivate(const QString &src, const QString &dst)
{
    const QByteArray s = QFile::encodeName(src);
    // The source may be a symlink (a session the user links to); fstat below refuses anything that
    // is not a regular file, and O_NONBLOCK keeps a FIFO from hanging the open.
    const int in = ::open(s.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (in < 0)
        return Error::output(QStringLiteral("cannot read %1: %2").arg(src, errnoText(errno)));
    struct stat st {};
    if (::fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(in);
        return Error::output(QStringLiteral("%1 is not a regular file").arg(src));
    }
    auto out = createPrivateFile(dst);
    if (!out) {
        ::close(in);
        return out.error();
    }
    QByteArray buf(1 << 20, Qt::Uninitialized);
    Status result;
    for (;;) {
        const ssize_t n = ::read(in, buf.data(), static_cast<size_t>(buf.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            result = Error::output(QStringLiteral("cannot read %1: %2").arg(src, errnoText(errno)));
            break;
        }
        if (n == 0)
            break;
        if (auto w = writeAll(*out, QByteArray::fromRawData(buf.constData(), n), dst); !w) {
            result = w;
            break;
        }
    }
    buf.fill('\0');
    ::close(in);
    if (result && ::fsync(*out) != 0)
        result = Error::output(QStringLiteral("cannot write %1: %2").arg(dst, errnoText(errno)));
    ::close(*out);
    if (!result)
        ::unlink(QFile::encodeName(dst).constData());
    return result;
}

std::optional<FileIdentity> identityOf(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return std::nullopt;
    return FileIdentity{st.st_dev, st.st_ino};
}

namespace {
// The real folders above path, nearest first, up to the root: the folder the entry path names
// lives in (symlinks in it resolved; the nearest existing one when path or its parents do not
// exist yet) and, when path itself resolves (a symlink to elsewhere), the folders above what it
// resolves to.
QList<FileIdentity> realParents(const QString &path)
{
    QList<FileIdentity> out;
    auto walkUp = [&](QString dir) {
        for (int depth = 0; depth < 256 && !dir.isEmpty(); ++depth) {
            if (const auto id = identityOf(dir); id && !out.contains(*id))
                out << *id;
            const QString up = QFileInfo(dir).absolutePath();
            if (up == dir)
                break;
            dir = up;
        }
    };
    // Strip components textually (no ".." folding: "link/.." is the kernel's business) until an
    // existing folder is left, then resolve it.
    QString abs = QDir::isAbsolutePath(path) ? path : QDir::currentPath() + QLatin1Char('/') + path;
    while (abs.size() > 1 && abs.endsWith(QLatin1Char('/')))
        abs.chop(1);
    for (int depth = 0; depth < 4096; ++depth) {
        const qsizetype slash = abs.lastIndexOf(QLatin1Char('/'));
        if (slash < 0)
            break;
        abs = slash == 0 ? QStringLiteral("/") : abs.left(slash);
        const QString real = QFileInfo(abs).canonicalFilePath();
        if (!real.isEmpty()) {
            walkUp(real);
            break;
        }
        if (abs == QLatin1String("/"))
            break;
    }
    if (const QString real = QFileInfo(path).canonicalFilePath(); !real.isEmpty())
        walkUp(QFileInfo(real).absolutePath());
    return out;
}
} // namespace

Status refuseOutputIsInput(const QString &output, const QStringList &inputs, InsideInput inside)
{
    if (output.isEmpty() || output == QLatin1String("-"))
        return {};
    const auto out = identityOf(output);
    struct stat ost {};
    const bool outIsDir = out && ::stat(QFile::encodeName(output).constData(), &ost) == 0 && S_ISDIR(ost.st_mode);
    // An output inside an input folder (TDATA/key_datas, STORE/<key>, or a new name there) would
    // replace or add a file of that input: walk the output's real parents (docs/security.md).
    QList<FileIdentity> outParents;
    if (inside == InsideInput::Refused)
        outParents = realParents(output);
    for (const QString &in : inputs) {
        if (in.isEmpty() || in == QLatin1String("-"))
            continue;
        const auto id = identityOf(in);
        if (!id)
            continue;
        if (out && *id == *out)
            return Error::output(QStringLiteral("the output is the input %1 (refused even with --force)").arg(in));
        if (outParents.contains(*id))
            return Error::output(QStringLiteral("the output lies inside the input folder %1 (refused even with --force)").arg(in));
        if (!outIsDir)
            continue;
        // Walk the input's real parents up to the root: an output folder that contains the input
        // would be replaced together with it.
        QString parent = QFileInfo(QFileInfo(in).canonicalFilePath()).absolutePath();
        for (int depth = 0; depth < 256 && !parent.isEmpty(); ++depth) {
            if (const auto pid = identityOf(parent); pid && *pid == *out)
                return Error::output(QStringLiteral("the output folder contains the input %1 (refused even with --force)").arg(in));
            const QString up = QFileInfo(parent).absolutePath();
            if (up == parent)
                break;
            parent = up;
        }
    }
    return {};
}

Status carryForeignFiles(const QString &from, const QString &to, const std::function<bool(const QString &)> &owned)
{
    std::function<Status(const QString &)> walk = [&](const QString &rel) -> Status {
        const QString srcDir = rel.isEmpty() ? from : from + QLatin1Char('/') + rel;
        DIR *d = ::opendir(QFile::encodeName(srcDir).constData());
        if (!d)
            return Error::output(QStringLiteral("cannot list %1: %2").arg(srcDir, errnoText(errno)));
        QStringList names;
        while (dirent *e = ::readdir(d))
            if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
                names << QFile::decodeName(e->d_name);
        ::closedir(d);
        for (const QString &name : names) {
            const QString r = rel.isEmpty() ? name : rel + QLatin1Char('/') + name;
            if (owned(r))
                continue;
            const QString src = from + QLatin1Char('/') + r, dst = to + QLatin1Char('/') + r;
            const QByteArray s = QFile::encodeName(src), t = QFile::encodeName(dst);
            struct stat st {};
            if (::lstat(s.constData(), &st) != 0)
                continue; // vanished meanwhile
            if (lexists(t))
                continue; // the new output already has its own version of this file
            if (S_ISDIR(st.st_mode)) {
                if (::mkdir(t.constData(), S_IRWXU) != 0)
                    return Error::output(QStringLiteral("cannot create %1: %2").arg(dst, errnoText(errno)));
                if (auto sub = walk(r); !sub)
                    return sub;
            } else if (S_ISLNK(st.st_mode)) {
                QByteArray link(static_cast<qsizetype>(st.st_size) + 1, '\0');
                const ssize_t n = ::readlink(s.constData(), link.data(), static_cast<size_t>(link.size()));
                if (n < 0 || ::symlink(link.left(n).constData(), t.constData()) != 0)
                    return Error::output(QStringLiteral("cannot carry the link %1").arg(src));
            } else if (S_ISREG(st.st_mode)) {
                if (::link(s.constData(), t.constData()) != 0)
                    if (auto c = copyFilePrivate(src, dst); !c)
                        return c;
            } else if (S_ISFIFO(st.st_mode)) {
                if (::mkfifo(t.constData(), st.st_mode & 0777) != 0)
                    return Error::output(QStringLiteral("cannot carry the FIFO %1").arg(src));
            }
            // Sockets and devices are not carried: they belong to a running process or the system.
        }
        return {};
    };
    return walk(QString());
}

} // namespace sd
