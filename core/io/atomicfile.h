#pragma once
// Atomic, private writes. Every file SessionDesk writes is created 0600 with O_EXCL|O_NOFOLLOW
// (folders 0700) regardless of the umask (io/safefile.h), built next to its final place and put
// there by replaceTarget (io/replacetarget.h): a crash leaves the old or the new version, never a
// torn file, and a target a client holds is never replaced (docs/security.md, "Writing").
#include "io/replacetarget.h"
#include "io/safefile.h"
#include "util/result.h"

#include <QByteArray>
#include <QString>
#include <functional>

namespace sd {

// chmod 0600 (file) / 0700 (folder), for files SessionDesk did not create (its own app folder).
bool setOwnerOnly(const QString &path);
bool setOwnerOnlyDir(const QString &path);
// Writes bytes to path atomically with mode 0600. Refuses an existing target unless force, and
// always a target a process holds (checkTarget/replaceTarget).
Status writeFileAtomic(const QString &path, const QByteArray &bytes, bool force);

// Builds a directory next to its final place and swaps it in on commit().
// Refuses an existing non-empty target folder unless force. A folder format edits in place:
// carry() first links in every file of the existing folder that the format does not own, so the
// swap keeps what the format does not know (docs/security.md, "Writing").
class AtomicDirectory {
public:
    AtomicDirectory() = default;
    ~AtomicDirectory();
    AtomicDirectory(const AtomicDirectory &) = delete;
    AtomicDirectory &operator=(const AtomicDirectory &) = delete;

    Status begin(const QString &target, bool force);
    // Carries the files of `existing` (the current target, or the final target when the caller
    // stages the output elsewhere) that owned() does not claim. Nothing happens when it is absent.
    Status carry(const QString &existing, const std::function<bool(const QString &relative)> &owned);
    QString path() const { return m_temp; }  // write files here
    QString filePath(const QString &name) const;
    Status writeFile(const QString &relative, const QByteArray &bytes); // 0600, parents 0700
    Status commit();

private:
    QString m_target;
    QString m_temp;
    bool m_force = false;
    bool m_committed = false;
};

// Reads a whole regular file with a size cap through InputFile (io/inputfile.h). Error names the problem.
Result<QByteArray> readFileLimited(const QString &path, qint64 maxBytes);

} // namespace sd
