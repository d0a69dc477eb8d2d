#include "replacetarget.h"

#include "io/lockprobe.h"
#include "io/safefile.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <functional>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sd {

namespace {
QString errnoText(int e) { return QString::fromLocal8Bit(std::strerror(e)); }

const char *const kSideSuffixes[] = {"-wal", "-journal", "-shm"};

int renameFlags(const QByteArray &from, const QByteArray &to, unsigned flags)
{
    return ::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), flags);
}

void fsyncDirOf(const QString &path)
{
    const int fd = ::open(QFile::encodeName(QFileInfo(path).absolutePath()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void fsyncPath(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

QStringList sideFilesOf(const QString &path)
{
    QStringList out;
    for (const char *suffix : kSideSuffixes) {
        const QString side = path + QLatin1String(suffix);
        struct stat st {};
        if (::lstat(QFile::encodeName(side).constData(), &st) == 0)
            out << side;
    }
    return out;
}

std::optional<QString> targetHolder(const QString &path)
{
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return std::nullopt;
    auto held = [](const QString &file) -> std::optional<QString> {
        if (auto lock = fileLockHolder(file, LockScope::AnyDescriptor))
            return lock->describe(file);
        return std::nullopt;
    };
    if (S_ISDIR(st.st_mode)) {
        // A folder format: any file a client keeps locked in it (two levels deep, bounded).
        int budget = 2000;
        std::function<std::optional<QString>(const QString &, int)> walk = [&](const QString &dir, int depth) -> std::optional<QString> {
            DIR *d = ::opendir(QFile::encodeName(dir).constData());
            if (!d)
                return std::nullopt;
            std::optional<QString> found;
            while (dirent *e = ::readdir(d)) {
                if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
                    continue;
                if (--budget < 0)
                    break;
                const QString child = dir + QLatin1Char('/') + QFile::decodeName(e->d_name);
                struct stat cs {};
                if (::lstat(QFile::encodeName(child).constData(), &cs) != 0)
                    continue;
                if (S_ISDIR(cs.st_mode) && depth < 1)
                    found = walk(child, depth + 1);
                else if (S_ISREG(cs.st_mode))
                    found = held(child);
                if (found)
                    break;
            }
            ::closedir(d);
            return found;
        };
        return walk(path, 0);
    }
    return held(path);
}

Status refuseHeldTarget(const QString &path)
{
    if (auto h = targetHolder(path))
        return Error::output(QStringLiteral("%1; close the client first (nothing was changed)").arg(*h));
    return {};
}

Status checkTarget(const QString &target, bool force, TargetKind kind)
{
    if (auto st = refuseHeldTarget(target); !st)
        return st;
    const QByteArray t = QFile::encodeName(target);
    struct stat st {};
    if (::lstat(t.constData(), &st) == 0) {
        const bool isDir = S_ISDIR(st.st_mode);
        if (kind == TargetKind::File && isDir)
            return Error::output(QStringLiteral("%1 is a folder").arg(target));
        if (kind == TargetKind::Folder && !isDir && !(force && S_ISLNK(st.st_mode)))
            return Error::output(QStringLiteral("%1 exists and is not a folder").arg(target));
        bool emptyDir = false;
        if (isDir) {
            emptyDir = true;
            if (DIR *d = ::opendir(t.constData())) {
                while (dirent *e = ::readdir(d))
                    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
                        emptyDir = false;
                        break;
                    }
                ::closedir(d);
            }
        }
        if (!force && !emptyDir)
            return Error::output(S_ISLNK(st.st_mode) ? QStringLiteral("%1 exists as a symlink (use --force to replace the link)").arg(target)
                                                     : QStringLiteral("%1 exists (use --force to overwrite)").arg(target));
    }
    if (kind == TargetKind::File) {
        const QStringList side = sideFilesOf(target);
        if (!side.isEmpty() && !force)
            return Error::output(QStringLiteral("%1 has side files of an SQLite client (%2) that would be replayed onto a new file; "
                                                "close the client, or use --force to remove them")
                                     .arg(target, side.join(QStringLiteral(", "))));
    }
    return {};
}

Status replaceTarget(const QString &built, const QString &target, bool force)
{
    if (auto st = refuseHeldTarget(target); !st)
        return st;
    const QByteArray b = QFile::encodeName(built), t = QFile::encodeName(target);
    fsyncPath(built);
    struct stat bst {};
    const bool builtIsDir = ::lstat(b.constData(), &bst) == 0 && S_ISDIR(bst.st_mode);

    if (!force) {
        if (renameFlags(b, t, RENAME_NOREPLACE) == 0) {
            fsyncDirOf(target);
            return {};
        }
        const int e = errno;
        struct stat tst {};
        if (e == EEXIST && builtIsDir && ::lstat(t.constData(), &tst) == 0 && S_ISDIR(tst.st_mode)) {
            // An empty folder may be replaced without --force; rename() fails if it is not empty.
            if (::rename(b.constData(), t.constData()) == 0) {
                fsyncDirOf(target);
                return {};
            }
            return Error::output(QStringLiteral("%1 is no longer empty (use --force to replace it)").arg(target));
        }
        if (e == EEXIST)
            return Error::output(QStringLiteral("%1 appeared while the output was written (use --force to overwrite)").arg(target));
        if ((e == EINVAL || e == ENOSYS) && !builtIsDir) {
            // No renameat2 on this file system: link() fails as well when the target exists.
            if (::link(b.constData(), t.constData()) == 0) {
                ::unlink(b.constData());
                fsyncDirOf(target);
                return {};
            }
            if (errno == EEXIST)
                return Error::output(QStringLiteral("%1 appeared while the output was written (use --force to overwrite)").arg(target));
        }
        return Error::output(QStringLiteral("cannot move the output to %1: %2").arg(target, errnoText(e)));
    }

    // --force: move stale side files aside first, so that SQLite can never replay them onto the
    // new file; they come back if the swap fails.
    QList<QPair<QByteArray, QByteArray>> aside;
    auto restoreSides = [&] {
        for (const auto &a : aside)
            ::rename(a.second.constData(), a.first.constData());
    };
    for (const QString &side : sideFilesOf(target)) {
        auto tmp = reserveTempPath(side);
        if (!tmp) {
            restoreSides();
            return tmp.error();
        }
        const QByteArray s = QFile::encodeName(side), a = QFile::encodeName(*tmp);
        if (::rename(s.constData(), a.constData()) != 0) {
            const int e = errno;
            restoreSides();
            return Error::output(QStringLiteral("cannot move the stale %1 aside: %2").arg(side, errnoText(e)));
        }
        aside.append({s, a});
    }
    struct stat tst {};
    const bool targetExists = ::lstat(t.constData(), &tst) == 0;
    int rc = targetExists ? renameFlags(b, t, RENAME_EXCHANGE) : renameFlags(b, t, RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS) && !(builtIsDir && targetExists))
        rc = ::rename(b.constData(), t.constData()); // file systems without renameat2: rename() is atomic too
    if (rc != 0) {
        const int e = errno;
        restoreSides();
        return Error::output(QStringLiteral("cannot move the output to %1: %2").arg(target, errnoText(e)));
    }
    fsyncDirOf(target);
    if (targetExists)
        removeTree(built); // after RENAME_EXCHANGE, built holds the old target
    for (const auto &a : aside)
        ::unlink(a.second.constData());
    return {};
}

StagedOutput::~StagedOutput()
{
    if (!m_dir.isEmpty())
        removeTree(m_dir);
}

Status StagedOutput::begin(const QString &target)
{
    m_target = target;
    auto dir = makePrivateTempDir(target);
    if (!dir)
        return dir.error();
    m_dir = *dir;
    m_staged = m_dir + QLatin1Char('/') + QFileInfo(target).fileName();
    return {};
}

Status StagedOutput::commit(bool force)
{
    if (m_staged.isEmpty())
        return Error::output(QStringLiteral("nothing to commit"));
    return replaceTarget(m_staged, m_target, force);
}

} // namespace sd
