#pragma once
// The primitives every writer goes through (docs/security.md, "Writing"):
//  * createPrivateFile: open(O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0600) before the first byte, so no
//    file that may hold a key is ever readable by another user, not even for a moment;
//  * makePrivateDir: mkdir(0700) for every folder it creates;
//  * refuseOutputIsInput: an output (file or folder, symlinks resolved, compared by st_dev/st_ino)
//    that is an input, a folder that contains one, or a path inside an input folder is refused
//    even with --force.
#include "util/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>
#include <sys/types.h>

namespace sd {

// Creates path exclusively (never follows a symlink, never opens an existing file), mode 0600
// whatever the umask. Returns the open descriptor (O_WRONLY); the caller closes it.
Result<int> createPrivateFile(const QString &path);
// Writes every byte to fd (EINTR-safe); the error names `what`.
Status writeAll(int fd, const QByteArray &bytes, const QString &what);
// Creates path and its missing parents with mkdir(0700). An existing folder is left as it is.
Status makePrivateDir(const QString &path);
// A unique, not-yet-existing path in the same folder as target (".name.sdtmp-XXXXXXXX").
Result<QString> reserveTempPath(const QString &target);
// Creates a private (0700) folder next to target; returns its path.
Result<QString> makePrivateTempDir(const QString &target);
// Removes path without following symlinks (a folder with everything in it).
bool removeTree(const QString &path);
// Copies one file's bytes into a new private file (createPrivateFile), fsynced.
Status copyFilePrivate(const QString &src, const QString &dst);

struct FileIdentity {
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const FileIdentity &o) const { return dev == o.dev && ino == o.ino; }
};
// stat() identity (symlinks resolved); nullopt when path does not exist.
std::optional<FileIdentity> identityOf(const QString &path);
// Refuses (exit 5, even with --force) when output is one of inputs, or a folder that is or
// contains one of them (an input's parent chain reaches the output), or lies inside an input
// folder (the output's real parent chain, existing or not, reaches an input), whatever the path
// spelling (./x, symlink, hard link). Allowed lets the output lie inside an input: only a batch's
// -o folder inside the source folder it is skipped from (docs/security.md, "Never an input").
enum class InsideInput { Refused, Allowed };
Status refuseOutputIsInput(const QString &output, const QStringList &inputs, InsideInput inside = InsideInput::Refused);

// Mirrors the files of `from` into the folder `to` (which exists), skipping what `owned` claims
// (relative paths with '/'). Files are hard-linked when possible (same bytes, same inode, no
// copy of a large user_data/), else copied privately; folders are created 0700, symlinks are
// recreated as symlinks. Used to edit folder formats in place (docs/security.md).
Status carryForeignFiles(const QString &from, const QString &to, const std::function<bool(const QString &)> &owned);

} // namespace sd
