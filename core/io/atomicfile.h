#pragma once
// Atomic, private writes. Every file SessionDesk writes is created 0600 (folders 0700) regardless of
// the umask, built next to its final place and renamed in, so a crash leaves the old or the new
// version, never a torn file.
#include "util/result.h"

#include <QByteArray>
#include <QString>

namespace sd {

// A unique, not-yet-existing path in the same folder as target (".name.sdtmp-XXXXXX").
Result<QString> reserveTempPath(const QString &target);
// fsync(src), rename(src, target), fsync(folder).
Status renameIntoPlace(const QString &src, const QString &target);
// chmod 0600 (file) / 0700 (folder).
bool setOwnerOnly(const QString &path);
bool setOwnerOnlyDir(const QString &path);
// Writes bytes to path atomically with mode 0600. Refuses an existing target unless force.
Status writeFileAtomic(const QString &path, const QByteArray &bytes, bool force);
// Creates path (and parents) with mode 0700 for the leaf.
Status makePrivateDir(const QString &path);

// Builds a directory next to its final place and swaps it in on commit().
// Refuses an existing non-empty target folder unless force (then the old folder is replaced whole).
class AtomicDirectory {
public:
    AtomicDirectory() = default;
    ~AtomicDirectory();
    AtomicDirectory(const AtomicDirectory &) = delete;
    AtomicDirectory &operator=(const AtomicDirectory &) = delete;

    Status begin(const QString &target, bool force);
    QString path() const { return m_temp; }  // write files here
    QString filePath(const QString &name) const;
    Status writeFile(const QString &relative, const QByteArray &bytes); // 0600, parents 0700
    Status commit();

private:
    QString m_target;
    QString m_temp;
    bool m_committed = false;
};

// Reads a whole regular file with a size cap through InputFile (io/inputfile.h). Error names the problem.
Result<QByteArray> readFileLimited(const QString &path, qint64 maxBytes);

} // namespace sd
