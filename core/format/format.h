#pragma once
// One interface per store kind. Each format family lives in core/formats/<family>/ with its reader,
// writer and detection side by side, and is listed by formats/registry.cpp.
#include "domain/session.h"
#include "format/descriptor.h"
#include "format/probe.h"
#include "util/result.h"

#include <QFlags>
#include <QString>
#include <memory>
#include <vector>

namespace sd {

namespace age {
class KeySource;
}

struct ReadOptions {
    bool loadPeers = true;            // false: fill Session::peerCountsOnly instead (fast inspect)
    // With loadPeers false: a store on a PostgreSQL server may answer a big peer table's counts from
    // the planner's statistics (PeerCounts::estimated) instead of scanning it (the desktop app's
    // Connect, which then counts in the background: Document::countEstimatedPeers).
    bool estimatePeerCounts = false;
    bool loadConversations = true;
    std::optional<SecretBytes> passcode; // tdata local passcode, UTF-8
    QString tdataKeyName = QStringLiteral("data");
    bool ignoreVersion = false;       // try an unsupported version anyway
    QString session;                  // multi-session stores (mtgo-gorm, mtgo-redis): the session name; empty = all
    // sessiondesk-bundle: where the age identities / passphrase come from (asked lazily, only for
    // what the bundle's header needs). Null: a bundle cannot be opened (exit 4).
    std::shared_ptr<age::KeySource> bundleKeys;
};

struct WriteOptions {
    bool force = false;               // overwrite an existing target
    bool carryPeers = true;
    QString variant;                  // e.g. pyrogram-sqlite: "pyrogram" (default) | "kurigram" | "pyrofork"
    std::optional<SecretBytes> passcode;
    QString tdataKeyName = QStringLiteral("data");
    QString session;                  // server stores keyed by session name: the target session (--session)
    std::optional<qint32> tdesktopVersion; // tdata: the Desktop version the files claim (4006005 = 4.6.5)
    // Folder and container formats edit in place (docs/security.md, "Writing"): what the format
    // does not own is carried from this existing target. Empty: the write path itself.
    QString carryFrom;
};

struct PeerQuery {
    std::optional<PeerKind> kind;
    QString search;                   // matches id, marked id, username, phone, name (case-insensitive)
    qint64 limit = -1;                // -1 = all
    qint64 offset = 0;
    bool matches(const Peer &peer) const;
    // The text searched for: trimmed, and ending at a NUL character (SQLite's LIKE ends a pattern
    // there, so every path, SQL or in memory, searches the same text).
    QString needle() const
    {
        const qsizetype nul = search.indexOf(QChar(0));
        return (nul < 0 ? search : search.left(nul)).trimmed();
    }
};

struct PrunePolicy {
    std::optional<int> olderThanDays;
    QList<PeerKind> types;            // empty = all kinds
    std::optional<qint64> keepNewest;
    bool dropPhones = false;          // clear phone numbers instead of removing rows
    bool clearAll = false;
    qint64 now = 0;                   // unix seconds; 0 = current time
};

struct PruneOptions {
    bool dryRun = false;
    bool backup = true;
    QString session;                  // multi-session stores: the session to prune (--session)
};

struct PruneReport {
    bool dryRun = false;
    PeerCounts removed;
    qint64 kept = 0;
    qint64 phonesCleared = 0;
    QString backup;                   // empty = no backup written
    qint64 bytesBefore = 0;
    qint64 bytesAfter = 0;
};

// A place a session is read from: a file, a directory, or a string (stdin).
struct Source {
    QString path;                     // file/dir path; "-" for stdin
    QByteArray text;                  // the string for String sources (already read from stdin/file)
    bool isString() const { return path == QLatin1String("-") || !text.isEmpty(); }
    QString display() const { return path.isEmpty() ? QStringLiteral("-") : path; }
    static Source fromPath(const QString &p) { return Source{p, {}}; }
    static Source fromString(const QByteArray &s, const QString &label = QStringLiteral("-"))
    {
        return Source{label, s};
    }
};

class Format {
public:
    virtual ~Format() = default;
    // Everything the format is (identity, capabilities, file name, SQL peer mapping).
    virtual const FormatDescriptor &descriptor() const = 0;
    QString id() const { return descriptor().id; }
    QString displayName() const { return descriptor().displayName; }
    SourceKind sourceKind() const { return descriptor().sourceKind; }
    Capabilities capabilities() const { return descriptor().capabilities; }
    bool canPrune() const { return descriptor().canPrune(); }
    // Whether reading or writing it uses ReadOptions/WriteOptions::passcode (tdata's local
    // passcode, gogram's custom file key). A passcode flag for any other format is a usage error.
    bool takesPasscode() const { return descriptor().takesPasscode; }
    // Whether the peer cache keeps peers of this kind (gogram's cache has no basic groups).
    bool holdsPeerKind(PeerKind kind) const { return descriptor().holdsPeerKind(kind); }
    // How sure this format is that probe is one of its own: 0 = no, 100 = certain.
    virtual int detect(const Probe &probe) const = 0;
    virtual Result<Store> read(const Source &source, const ReadOptions &options) const = 0;
    // String formats: the string in the target library's exact dialect.
    virtual Result<QByteArray> encodeString(const Session &session, const WriteOptions &options) const;
    // File and directory formats: write atomically to path (0600 files, 0700 folders).
    virtual Status write(const Store &store, const QString &path, const WriteOptions &options) const;
    // Peers matching query. Default: read everything, filter in memory. SQLite formats override
    // this to filter in SQL.
    virtual Result<std::vector<Peer>> queryPeers(const Source &source, const PeerQuery &query,
                                                 const ReadOptions &options) const;
    // A paged, sortable view of one account's peers (lazy GUI model). Default: read everything
    // into a MemoryPeerTable. SQLite formats override this with SQL on an open connection.
    // Stores whose descriptor sets pruneByFormat prune themselves (on their server); the shared
    // engine (core/prune) has validated the policy before this is called.
    virtual Result<PruneReport> prune(const QString &path, const PrunePolicy &policy, const PruneOptions &options) const;
    virtual Result<std::unique_ptr<class PeerTable>> openPeerTable(const Source &source, const ReadOptions &options,
                                                                   int account = 0) const;

protected:
    Error notSupported(const QString &what) const;
};

// The session string of a source: the pasted text, or the content of a small text file, normalized
// (normalizeSessionString). Bad input when the file is too large to be a string.
Result<QByteArray> readStringSource(const Source &source);

// The one answer to "the source holds no account" for every writer (exit 3: nothing usable came in).
Error nothingToWrite();
// The account a single-account writer writes: the first, or nothingToWrite().
Result<const Session *> accountToWrite(const Store &store);

} // namespace sd
