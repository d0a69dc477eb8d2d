#include "bbolt.h"

#include <algorithm>

#include <QSet>
#include <QtEndian>

#include <cstring>

namespace sd::bbolt {

namespace {

constexpr quint16 kBranch = 0x01;
constexpr quint16 kLeaf = 0x02;
constexpr quint16 kMeta = 0x04;
constexpr quint16 kFreelist = 0x10;
constexpr quint32 kBucketLeaf = 0x01;
constexpr qint64 kHeader = 16;
constexpr qint64 kElement = 16;
constexpr qint64 kMetaChecksumOffset = 56;
constexpr int kMaxDepth = 64;
constexpr qint64 kMaxEntries = 50'000'000;

quint16 rd16(const char *p) { return qFromLittleEndian<quint16>(p); }
quint32 rd32(const char *p) { return qFromLittleEndian<quint32>(p); }
quint64 rd64(const char *p) { return qFromLittleEndian<quint64>(p); }

struct Meta {
    quint32 pageSize = 0;
    quint64 root = 0;
    quint64 highWater = 0;
    quint64 txid = 0;
};

// Validates the meta at byte offset off (page header included).
std::optional<Meta> readMeta(const QByteArray &file, qint64 off)
{
    if (off < 0 || off + kHeader + 64 > file.size())
        return std::nullopt;
    const char *page = file.constData() + off;
    if (!(rd16(page + 8) & kMeta))
        return std::nullopt;
    const char *m = page + kHeader;
    if (rd32(m) != kMagic || rd32(m + 4) != kVersion)
        return std::nullopt;
    if (fnv1a64(m, kMetaChecksumOffset) != rd64(m + kMetaChecksumOffset))
        return std::nullopt;
    Meta meta;
    meta.pageSize = rd32(m + 8);
    meta.root = rd64(m + 16);
    meta.highWater = rd64(m + 40);
    meta.txid = rd64(m + 48);
    if (meta.pageSize < 512 || meta.pageSize > 1024 * 1024 || (meta.pageSize & (meta.pageSize - 1)) != 0)
        return std::nullopt;
    return meta;
}

void put16(QByteArray &b, qint64 off, quint16 v) { qToLittleEndian<quint16>(v, b.data() + off); }
void put32(QByteArray &b, qint64 off, quint32 v) { qToLittleEndian<quint32>(v, b.data() + off); }
void put64(QByteArray &b, qint64 off, quint64 v) { qToLittleEndian<quint64>(v, b.data() + off); }

} // namespace

quint64 fnv1a64(const char *data, qsizetype size)
{
    quint64 h = 14695981039346656037ULL;
    for (qsizetype i = 0; i < size; ++i) {
        h ^= static_cast<quint8>(data[i]);
        h *= 1099511628211ULL;
    }
    return h;
}

Result<Reader> Reader::openFile(const QString &path)
{
    auto mapped = MappedInput::map(path, kMaxFileSize);
    if (!mapped)
        return mapped.error();
    auto reader = open((*mapped)->bytes());
    if (!reader)
        return reader.error();
    reader->m_mapping = std::move(*mapped);
    return reader;
}

Result<Reader> Reader::open(QByteArray file)
{
    if (file.size() < kHeader + 64)
        return Error::badInput(QStringLiteral("not a bbolt file (too small)"));
    if (file.size() > kMaxFileSize)
        return Error::badInput(QStringLiteral("bbolt file too large"));
    auto m0 = readMeta(file, 0);
    std::optional<Meta> m1;
    if (m0) {
        m1 = readMeta(file, m0->pageSize);
    } else {
        // Meta 0 is damaged: find meta 1 at the usual page sizes (bbolt does the same).
        for (qint64 ps : {4096, 8192, 16384, 32768, 65536, 1024, 2048}) {
            m1 = readMeta(file, ps);
            if (m1 && m1->pageSize == ps)
                break;
            m1.reset();
        }
    }
    if (!m0 && !m1)
        return Error::badInput(QStringLiteral("not a bbolt file (no valid meta page)"));
    const Meta meta = (m0 && (!m1 || m0->txid >= m1->txid)) ? *m0 : *m1;
    Reader r;
    r.m_file = std::move(file);
    r.m_pageSize = meta.pageSize;
    r.m_root = meta.root;
    r.m_highWater = meta.highWater;
    r.m_txid = meta.txid;
    const quint64 pagesInFile = static_cast<quint64>(r.m_file.size()) / meta.pageSize;
    if (meta.root < 2 || meta.root >= meta.highWater || meta.root >= pagesInFile)
        return Error::badInput(QStringLiteral("bbolt root page %1 is out of range").arg(meta.root));
    return r;
}

Status Reader::readLeaf(const char *page, qint64 span, std::vector<Entry> &out) const
{
    const quint16 count = rd16(page + 10);
    if (kHeader + static_cast<qint64>(count) * kElement > span)
        return Error::badInput(QStringLiteral("bbolt leaf page has more elements than fit"));
    qint64 payload = 0; // keys and values of one page never overlap: their sizes add up to < span
    for (quint16 i = 0; i < count; ++i) {
        const qint64 e = kHeader + static_cast<qint64>(i) * kElement;
        const quint32 flags = rd32(page + e);
        const qint64 pos = rd32(page + e + 4);
        const qint64 ksize = rd32(page + e + 8);
        const qint64 vsize = rd32(page + e + 12);
        const qint64 start = e + pos;
        if (start < e || start + ksize + vsize > span)
            return Error::badInput(QStringLiteral("bbolt leaf element points outside its page"));
        payload += ksize + vsize;
        if (payload > span)
            return Error::badInput(QStringLiteral("bbolt leaf elements overlap"));
        if (static_cast<qint64>(out.size()) >= kMaxEntries)
            return Error::badInput(QStringLiteral("bbolt bucket has too many entries"));
        Entry en;
        en.key = QByteArray(page + start, ksize);
        en.value = QByteArray(page + start + ksize, vsize);
        en.isBucket = flags & kBucketLeaf;
        out.push_back(std::move(en));
    }
    return {};
}

Status Reader::walkPage(quint64 pgid, int depth, QSet<quint64> &seen, std::vector<Entry> &out) const
{
    if (depth > kMaxDepth)
        return Error::badInput(QStringLiteral("bbolt tree is too deep"));
    if (pgid < 2 || pgid >= m_highWater)
        return Error::badInput(QStringLiteral("bbolt page reference %1 is invalid").arg(pgid));
    if (seen.contains(pgid))
        return Error::badInput(QStringLiteral("bbolt page %1 is referenced twice (cycle?)").arg(pgid));
    // Compare page numbers before multiplying: a huge pgid times the page size would overflow.
    if (pgid >= static_cast<quint64>(m_file.size()) / m_pageSize)
        return Error::badInput(QStringLiteral("bbolt page %1 is beyond the end of the file").arg(pgid));
    const qint64 off = static_cast<qint64>(pgid) * m_pageSize;
    if (off + m_pageSize > m_file.size())
        return Error::badInput(QStringLiteral("bbolt page %1 is beyond the end of the file").arg(pgid));
    const char *page = m_file.constData() + off;
    const quint16 flags = rd16(page + 8);
    const quint32 overflow = rd32(page + 12);
    const qint64 span = (static_cast<qint64>(overflow) + 1) * m_pageSize;
    if (overflow > static_cast<quint64>(m_file.size()) / m_pageSize || off + span > m_file.size())
        return Error::badInput(QStringLiteral("bbolt page %1 overflows the file").arg(pgid));
    if (rd64(page) != pgid)
        return Error::badInput(QStringLiteral("bbolt page %1 has a mismatched id").arg(pgid));
    // Every page (and each of its overflow pages) is read at most once per bucket walk, so the
    // bytes copied stay below the file size whatever the references say.
    for (quint64 i = 0; i <= overflow; ++i) {
        if (seen.contains(pgid + i))
            return Error::badInput(QStringLiteral("bbolt page %1 overlaps another page").arg(pgid));
        seen.insert(pgid + i);
    }
    if (flags & kLeaf)
        return readLeaf(page, span, out);
    if (!(flags & kBranch))
        return Error::badInput(QStringLiteral("bbolt page %1 is neither a branch nor a leaf").arg(pgid));
    const quint16 count = rd16(page + 10);
    if (count == 0 || kHeader + static_cast<qint64>(count) * kElement > span)
        return Error::badInput(QStringLiteral("bbolt branch page %1 has a bad element count").arg(pgid));
    for (quint16 i = 0; i < count; ++i) {
        const qint64 e = kHeader + static_cast<qint64>(i) * kElement;
        const quint64 child = rd64(page + e + 8);
        if (Status st = walkPage(child, depth + 1, seen, out); !st)
            return st;
    }
    return {};
}

Status Reader::collect(const BucketRef &b, std::vector<Entry> &out) const
{
    if (b.root == 0) {
        const QByteArray &p = b.inlinePage;
        if (p.size() < kHeader)
            return Error::badInput(QStringLiteral("bbolt inline bucket is truncated"));
        if (!(rd16(p.constData() + 8) & kLeaf))
            return Error::badInput(QStringLiteral("bbolt inline bucket is not a leaf page"));
        return readLeaf(p.constData(), p.size(), out);
    }
    QSet<quint64> seen;
    return walkPage(b.root, 0, seen, out);
}

Result<Reader::BucketRef> Reader::bucketRef(const QList<QByteArray> &path) const
{
    BucketRef ref{m_root, {}};
    for (const QByteArray &name : path) {
        std::vector<Entry> entries;
        if (Status st = collect(ref, entries); !st)
            return st.error();
        const Entry *found = nullptr;
        for (const Entry &e : entries)
            if (e.key == name) {
                found = &e;
                break;
            }
        if (!found)
            return Error::badInput(QStringLiteral("bbolt bucket \"%1\" not found").arg(QString::fromUtf8(name)));
        if (!found->isBucket || found->value.size() < 16)
            return Error::badInput(QStringLiteral("bbolt key \"%1\" is not a bucket").arg(QString::fromUtf8(name)));
        BucketRef next;
        next.root = rd64(found->value.constData());
        if (next.root == 0)
            next.inlinePage = found->value.mid(16);
        ref = std::move(next);
    }
    return ref;
}

Result<std::vector<Entry>> Reader::entries(const QList<QByteArray> &path) const
{
    auto ref = bucketRef(path);
    if (!ref)
        return ref.error();
    std::vector<Entry> out;
    if (Status st = collect(*ref, out); !st)
        return st.error();
    return out;
}

bool Reader::hasBucket(const QByteArray &name) const
{
    return bucketRef({name}).ok();
}

Result<Tree> Reader::tree(const QList<QByteArray> &path) const
{
    if (path.size() > kMaxTreeDepth)
        return Error::badInput(QStringLiteral("bbolt buckets nested deeper than %1 levels").arg(kMaxTreeDepth));
    auto list = entries(path);
    if (!list)
        return list.error();
    Tree t;
    t.name = path.isEmpty() ? QByteArray() : path.last();
    for (Entry &e : *list) {
        if (!e.isBucket) {
            t.values.insert(e.key, e.value);
            continue;
        }
        auto child = tree(path + QList<QByteArray>{e.key});
        if (!child)
            return child.error();
        child->sequence = e.value.size() >= 16 ? rd64(e.value.constData() + 8) : 0;
        t.buckets.push_back(std::move(*child));
    }
    return t;
}

// ---------------------------------------------------------------------------------------------
// Writer

namespace {

// A leaf page (with overflow as needed) holding entries, as page id pgid.
QByteArray leafPage(quint64 pgid, const std::vector<Entry> &entries, quint32 pageSize)
{
    qint64 size = kHeader + static_cast<qint64>(entries.size()) * kElement;
    for (const Entry &e : entries)
        size += e.key.size() + e.value.size();
    const qint64 pages = (size + pageSize - 1) / pageSize;
    QByteArray p(pages * pageSize, '\0');
    put64(p, 0, pgid);
    put16(p, 8, kLeaf);
    put16(p, 10, static_cast<quint16>(entries.size()));
    put32(p, 12, static_cast<quint32>(pages - 1));
    qint64 data = kHeader + static_cast<qint64>(entries.size()) * kElement;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const qint64 e = kHeader + static_cast<qint64>(i) * kElement;
        const Entry &en = entries[i];
        put32(p, e, en.isBucket ? kBucketLeaf : 0);
        put32(p, e + 4, static_cast<quint32>(data - e));
        put32(p, e + 8, static_cast<quint32>(en.key.size()));
        put32(p, e + 12, static_cast<quint32>(en.value.size()));
        std::memcpy(p.data() + data, en.key.constData(), static_cast<size_t>(en.key.size()));
        data += en.key.size();
        std::memcpy(p.data() + data, en.value.constData(), static_cast<size_t>(en.value.size()));
        data += en.value.size();
    }
    return p;
}

QByteArray metaPage(quint64 pgid, quint32 pageSize, quint64 root, quint64 freelist, quint64 highWater, quint64 txid)
{
    QByteArray p(pageSize, '\0');
    put64(p, 0, pgid);
    put16(p, 8, kMeta);
    const qint64 m = kHeader;
    put32(p, m, kMagic);
    put32(p, m + 4, kVersion);
    put32(p, m + 8, pageSize);
    put32(p, m + 12, 0);
    put64(p, m + 16, root);
    put64(p, m + 24, 0);
    put64(p, m + 32, freelist);
    put64(p, m + 40, highWater);
    put64(p, m + 48, txid);
    put64(p, m + kMetaChecksumOffset, fnv1a64(p.constData() + m, kMetaChecksumOffset));
    return p;
}

} // namespace

namespace {

QByteArray branchPage(quint64 pgid, const std::vector<std::pair<QByteArray, quint64>> &children, quint32 pageSize)
{
    qint64 size = kHeader + static_cast<qint64>(children.size()) * kElement;
    for (const auto &c : children)
        size += c.first.size();
    const qint64 pages = (size + pageSize - 1) / pageSize;
    QByteArray p(pages * pageSize, '\0');
    put64(p, 0, pgid);
    put16(p, 8, kBranch);
    put16(p, 10, static_cast<quint16>(children.size()));
    put32(p, 12, static_cast<quint32>(pages - 1));
    qint64 data = kHeader + static_cast<qint64>(children.size()) * kElement;
    for (std::size_t i = 0; i < children.size(); ++i) {
        const qint64 e = kHeader + static_cast<qint64>(i) * kElement;
        put32(p, e, static_cast<quint32>(data - e));
        put32(p, e + 4, static_cast<quint32>(children[i].first.size()));
        put64(p, e + 8, children[i].second);
        std::memcpy(p.data() + data, children[i].first.constData(), static_cast<size_t>(children[i].first.size()));
        data += children[i].first.size();
    }
    return p;
}

// Writes entries as a tree of leaf pages (each about one page, at most 1000 elements) under
// branch pages; appends the pages to out and returns the root page id.
quint64 buildTree(const std::vector<Entry> &entries, quint64 &next, QByteArray &out, quint32 pageSize)
{
    std::vector<std::pair<QByteArray, quint64>> level;
    std::size_t i = 0;
    do {
        std::vector<Entry> chunk;
        qint64 size = kHeader;
        while (i < entries.size() && chunk.size() < 1000) {
            const qint64 add = kElement + entries[i].key.size() + entries[i].value.size();
            if (!chunk.empty() && size + add > pageSize)
                break;
            chunk.push_back(entries[i++]);
            size += add;
        }
        const quint64 id = next;
        const QByteArray page = leafPage(id, chunk, pageSize);
        next += static_cast<quint64>(page.size() / pageSize);
        out += page;
        level.emplace_back(chunk.empty() ? QByteArray() : chunk.front().key, id);
    } while (i < entries.size());
    while (level.size() > 1) {
        std::vector<std::pair<QByteArray, quint64>> up;
        for (std::size_t j = 0; j < level.size(); j += 500) {
            std::vector<std::pair<QByteArray, quint64>> children(level.begin() + static_cast<qsizetype>(j),
                                                                 level.begin() + static_cast<qsizetype>(std::min(level.size(), j + 500)));
            const quint64 id = next;
            const QByteArray page = branchPage(id, children, pageSize);
            next += static_cast<quint64>(page.size() / pageSize);
            out += page;
            up.emplace_back(children.front().first, id);
        }
        level = std::move(up);
    }
    return level.front().second;
}

} // namespace

namespace {
// One bucket's pages (its nested buckets' first), returning its root page id.
quint64 buildBucket(const QMap<QByteArray, QByteArray> &values, const std::vector<Tree> &children, quint64 &next, QByteArray &body,
                    quint32 pageSize)
{
    std::vector<Entry> entries;
    entries.reserve(static_cast<size_t>(values.size()) + children.size());
    for (auto kv = values.cbegin(); kv != values.cend(); ++kv)
        entries.push_back(Entry{kv.key(), kv.value(), false});
    for (const Tree &child : children) {
        const quint64 root = buildBucket(child.values, child.buckets, next, body, pageSize);
        QByteArray header(16, '\0');
        put64(header, 0, root);
        put64(header, 8, child.sequence);
        entries.push_back(Entry{child.name, header, true});
    }
    // Values and buckets share one key space, in byte order (QByteArray's operator< compares bytes).
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) { return a.key < b.key; });
    return buildTree(entries, next, body, pageSize);
}
} // namespace

QByteArray write(const QMap<QByteArray, Bucket> &buckets, const std::vector<Tree> &trees, quint32 pageSize)
{
    // Pages: 0, 1 meta; 2 freelist (empty); then every bucket's tree; then the root bucket's tree.
    QByteArray body;
    quint64 next = 3;
    std::vector<Tree> top;
    top.reserve(static_cast<size_t>(buckets.size()) + trees.size());
    for (auto it = buckets.cbegin(); it != buckets.cend(); ++it)
        top.push_back(Tree{it.key(), 0, *it, {}});
    for (const Tree &t : trees)
        top.push_back(t);
    const quint64 root = buildBucket({}, top, next, body, pageSize);
    QByteArray freelist(pageSize, '\0');
    put64(freelist, 0, 2);
    put16(freelist, 8, kFreelist);
    QByteArray out;
    out += metaPage(0, pageSize, root, 2, next, 0);
    out += metaPage(1, pageSize, root, 2, next, 1);
    out += freelist;
    out += body;
    return out;
}

} // namespace sd::bbolt
