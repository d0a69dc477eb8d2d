#pragma once
// A bounded, read-only walker and a small writer for bbolt (go.etcd.io/bbolt) database files.
//
// Layout (little-endian, as bbolt writes it on every supported platform):
//   page header (16 bytes): id u64, flags u16 (0x01 branch, 0x02 leaf, 0x04 meta, 0x10 freelist),
//     count u16, overflow u32; a page spans (overflow + 1) * pageSize bytes.
//   meta (at page offset 16, pages 0 and 1): magic u32 0xED0CDAED, version u32 (2), pageSize u32,
//     flags u32, root bucket {root pgid u64, sequence u64}, freelist pgid u64, pgid (high-water
//     mark) u64, txid u64, checksum u64 = FNV-1a 64 of the 56 bytes before it. The valid meta with
//     the higher txid wins.
//   branch element (16 bytes): pos u32, ksize u32, pgid u64; key at element + pos.
//   leaf element (16 bytes): flags u32 (0x01 = bucket), pos u32, ksize u32, vsize u32; key at
//     element + pos, value right after the key.
//   bucket value: {root pgid u64, sequence u64}; root 0 = inline bucket, whose leaf page follows
//     the 16-byte header inside the value.
// Every offset is bounds-checked; a bucket walk reads each page at most once (cycles and shared
// pages are errors), the depth is limited and the elements of one page may not overlap, so corrupt
// or hostile files give an error, never a crash, a hang or a memory blow-up.
#include "util/result.h"
#include "io/inputfile.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QSet>
#include <memory>
#include <vector>

namespace sd::bbolt {

constexpr quint32 kMagic = 0xED0CDAED;
constexpr quint32 kVersion = 2;
constexpr qint64 kMaxFileSize = inputcap::kBboltFile;

struct Entry {
    QByteArray key;
    QByteArray value;     // for buckets: the raw 16-byte header (+ inline page)
    bool isBucket = false;
};

class Reader {
public:
    // Takes the whole file's bytes. Validates the meta pages.
    static Result<Reader> open(QByteArray file);
    // Maps the file read-only (io/inputfile.h): pages are read where they are, never copied whole.
    static Result<Reader> openFile(const QString &path);

    quint32 pageSize() const { return m_pageSize; }
    quint64 txid() const { return m_txid; }

    // All entries of the bucket at path (empty path = the root bucket), in key order.
    Result<std::vector<Entry>> entries(const QList<QByteArray> &path) const;
    // Whether a top-level bucket exists.
    bool hasBucket(const QByteArray &name) const;
    // The bucket at path with everything below it: values, nested buckets and their sequences
    // (what an application keeps in a bucket SessionDesk does not own). At most kMaxTreeDepth
    // levels of nesting.
    Result<struct Tree> tree(const QList<QByteArray> &path) const;

private:
    Reader() = default;
    struct BucketRef {
        quint64 root = 0;
        QByteArray inlinePage; // when root == 0
    };
    Result<BucketRef> bucketRef(const QList<QByteArray> &path) const;
    Status collect(const BucketRef &b, std::vector<Entry> &out) const;
    Status walkPage(quint64 pgid, int depth, QSet<quint64> &seen, std::vector<Entry> &out) const;
    Status readLeaf(const char *page, qint64 span, std::vector<Entry> &out) const;

    QByteArray m_file;
    std::shared_ptr<const MappedInput> m_mapping; // owns m_file's bytes when opened by openFile
    quint32 m_pageSize = 4096;
    quint64 m_root = 0;
    quint64 m_highWater = 0;
    quint64 m_txid = 0;
};

constexpr int kMaxTreeDepth = 32;

// A bucket and all below it: its name, its sequence (bbolt's NextSequence counter, kept in the
// bucket's header), its key/value pairs and its nested buckets.
struct Tree {
    QByteArray name;
    quint64 sequence = 0;
    QMap<QByteArray, QByteArray> values;
    std::vector<Tree> buckets;
};

// Builds a fresh bbolt file: two meta pages, an empty freelist and the pages of every bucket
// (leaves with overflow when large, branches above them). Keys are sorted byte-wise as bbolt
// requires. `buckets` are top-level buckets of plain key/value pairs (what gotd/botapi writes);
// `trees` are further top-level buckets carried whole, nested buckets and sequences included.
using Bucket = QMap<QByteArray, QByteArray>; // QMap keeps QByteArray keys in byte order
QByteArray write(const QMap<QByteArray, Bucket> &buckets, const std::vector<Tree> &trees = {}, quint32 pageSize = 4096);

// FNV-1a 64 (bbolt's meta checksum).
quint64 fnv1a64(const char *data, qsizetype size);

} // namespace sd::bbolt
