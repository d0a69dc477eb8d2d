#pragma once
// Opening inputs (docs/security.md, "Reading and process"). Every reader of a session file goes
// through InputFile: the path is stat()ed first and anything but a regular file (FIFO, socket,
// device) is refused before it is opened, so nothing can block on it; the file is then opened
// O_RDONLY|O_NONBLOCK|O_NOCTTY|O_CLOEXEC, fstat()ed again (the same inode, still regular), checked
// against the caller's size cap and refused when it is sparse (a few blocks allocated for a
// length of gigabytes). Huge containers (bbolt) are mapped read-only, never read whole.
#include "util/result.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace sd {

// The size cap of every kind of input, in one place. A file above its cap is refused (exit 3)
// before anything is read.
namespace inputcap {
inline constexpr qint64 kMiB = 1024 * 1024;
inline constexpr qint64 kStringFile = 16 * 1024;            // a file holding one session string
inline constexpr qint64 kJsonFile = 4 * kMiB;               // gotd session JSON, small plain files
inline constexpr qint64 kGogramFile = 1 * kMiB;             // gogram's plain session file
inline constexpr qint64 kGobFile = 256 * kMiB;              // gogram's gob cache
inline constexpr qint64 kFerogramBinary = 64 * kMiB;        // ferogram's binary session
inline constexpr qint64 kTdataFile = 16 * kMiB;             // one file of a tdata folder
inline constexpr qint64 kGramjsValue = 1 * kMiB;            // one value file of a GramJS store
inline constexpr qint64 kSessionDeskJson = 1024 * kMiB;     // a SessionDesk JSON bundle
inline constexpr qint64 kBboltFile = 2048 * kMiB;           // gotd's bbolt state (mapped, never read whole)
inline constexpr qint64 kSqliteFile = 4096 * kMiB;          // any SQLite session database
inline constexpr qint64 kSqliteSnapshot = 1024 * kMiB;      // a WAL database (+ its WAL) held in memory
inline constexpr qint64 kAny = kSqliteFile;                 // detection: the largest cap of all
// Sparse refusal: a file of at least kSparseMinLength whose allocated size is below
// 1/kSparseRatio of its length holds (almost) nothing but holes.
inline constexpr qint64 kSparseMinLength = 64 * kMiB;
inline constexpr qint64 kSparseRatio = 16;
} // namespace inputcap

// "FIFO", "socket", "character device", "block device" when path (not followed if it is a
// symlink: followLinks=false) is a special file; empty for regular files, folders, links and
// missing paths. Never opens the path.
QString specialFileKind(const QString &path, bool followLinks = true);

class InputFile {
public:
    InputFile(InputFile &&other) noexcept;
    InputFile &operator=(InputFile &&other) noexcept;
    InputFile(const InputFile &) = delete;
    InputFile &operator=(const InputFile &) = delete;
    ~InputFile();

    // Errors (all BadInput, exit 3): "no such file", "not a regular file (FIFO)", "file too large
    // (N bytes, limit M)", "sparse file (...)", "cannot open: ...".
    static Result<InputFile> open(const QString &path, qint64 maxBytes);

    int fd() const { return m_fd; }
    qint64 size() const { return m_size; }
    QString path() const { return m_path; }
    // Up to n bytes from offset (pread; fewer at the end of the file).
    Result<QByteArray> readAt(qint64 offset, qint64 n) const;
    // The whole file, read in chunks, refused when it grew beyond the cap meanwhile.
    Result<QByteArray> readAll() const;

private:
    InputFile() = default;
    QString m_path;
    int m_fd = -1;
    qint64 m_size = 0;
    qint64 m_cap = 0;
};

// A read-only, private mapping of a whole input file. bytes() is a raw view (QByteArray::
// fromRawData) valid while the mapping lives; copies of slices are ordinary QByteArrays.
class MappedInput {
public:
    ~MappedInput();
    MappedInput(const MappedInput &) = delete;
    MappedInput &operator=(const MappedInput &) = delete;
    static Result<std::shared_ptr<const MappedInput>> map(const QString &path, qint64 maxBytes);
    QByteArray bytes() const;

private:
    MappedInput() = default;
    void *m_addr = nullptr;
    qint64 m_size = 0;
};

} // namespace sd
