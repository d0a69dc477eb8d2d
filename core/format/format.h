#pragma once
// One interface per store kind. Each format family lives in core/formats/<family>/ with its reader,
// writer and detection side by side, and is listed by formats/registry.cpp.
#include "domain/session.h"
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

enum class SourceKind { String, File, Directory };

enum class Capability : quint32 {
    DcId = 1u << 0,
    Address = 1u << 1,
    TestFlag = 1u << 2,
    AuthKey = 1u << 3,
    MultiDc = 1u << 4,          // keys for other DCs
    UserId = 1u << 5,
    IsBot = 1u << 6,
    ApiId = 1u << 7,
    UpdateState = 1u << 8,
    Peers = 1u << 9,
    Conversations = 1u << 10,
    MultiAccount = 1u << 11,
    MediaDc = 1u << 12,
    ApiHash = 1u << 13,
    ChannelPts = 1u << 14,      // per-channel pts inside update state
    PeerTimestamps = 1u << 15,
    Phones = 1u << 16,
};
Q_DECLARE_FLAGS(Capabilities, Capability)
Q_DECLARE_OPERATORS_FOR_FLAGS(Capabilities)

// Stable names used in `formats --json` ("carries").
QStringList capabilityNames(Capabilities caps);

struct ReadOptions {
    bool loadPeers = true;            // false: fill Session::peerCountsOnly instead (fast inspect)
    bool loadConversations = true;
    std::optional<SecretBytes> passcode; // tdata local passcode, UTF-8
    QString tdataKeyName = QStringLiteral("data");
    bool ignoreVersion = false;       // try an unsupported version anyway
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
};

struct PeerQuery {
    std::optional<PeerKind> kind;
    QString search;                   // matches id, marked id, username, phone, name (case-insensitive)
    qint64 limit = -1;                // -1 = all
    qint64 offset = 0;
    bool matches(const Peer &peer) const;
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
    virtual QString id() const = 0;
    virtual QString displayName() const = 0;
    virtual SourceKind sourceKind() const = 0;
    virtual Capabilities capabilities() const = 0;
    virtual bool canRead() const = 0;
    virtual bool canWrite() const = 0;
    // Default: the shared prune engine (core/prune) decides by format id.
    virtual bool canPrune() const;
    // Whether the peer cache keeps peers of this kind (gogram's cache has no basic groups).
    virtual bool holdsPeerKind(PeerKind kind) const
    {
        Q_UNUSED(kind);
        return capabilities().testFlag(Capability::Peers);
    }
    // How sure this format is that probe is one of its own: 0 = no, 100 = certain.
    virtual int detect(const Probe &probe) const = 0;
    virtual Result<Store> read(const Source &source, const ReadOptions &options) const;
    // String formats: the string in the target library's exact dialect.
    virtual Result<QByteArray> encodeString(const Session &session, const WriteOptions &options) const;
    // File and directory formats: write atomically to path (0600 files, 0700 folders).
    virtual Status write(const Store &store, const QString &path, const WriteOptions &options) const;
    // Peers matching query. Default: read everything, filter in memory. SQLite formats override
    // this to filter in SQL.
    virtual Result<std::vector<Peer>> queryPeers(const Source &source, const PeerQuery &query,
                                                 const ReadOptions &options) const;
    virtual Result<PruneReport> prune(const QString &path, const PrunePolicy &policy,
                                      const PruneOptions &options) const;
    // A paged, sortable view of one account's peers (lazy GUI model). Default: read everything
    // into a MemoryPeerTable. SQLite formats override this with SQL on an open connection.
    virtual Result<std::unique_ptr<class PeerTable>> openPeerTable(const Source &source, const ReadOptions &options,
                                                                   int account = 0) const;

protected:
    Error notSupported(const QString &what) const;
};

} // namespace sd
