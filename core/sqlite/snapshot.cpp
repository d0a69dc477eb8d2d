#include "snapshot.h"

#include <QtEndian>

#include <cstring>
#include <map>
#include <vector>

namespace sd::sqlitesnap {

namespace {

quint32 be32(const char *p) { return qFromBigEndian<quint32>(p); }

bool validPageSize(quint32 ps) { return ps >= 512 && ps <= 65536 && (ps & (ps - 1)) == 0; }

// WAL checksum (SQLite file format, "Checksum Algorithm"): 32-bit words in the byte order the
// magic names, summed pairwise into s0/s1. n is a multiple of 8.
void walChecksum(const char *data, qint64 n, bool bigEndian, quint32 &s0, quint32 &s1)
{
    for (qint64 i = 0; i + 8 <= n; i += 8) {
        const quint32 x0 = bigEndian ? qFromBigEndian<quint32>(data + i) : qFromLittleEndian<quint32>(data + i);
        const quint32 x1 = bigEndian ? qFromBigEndian<quint32>(data + i + 4) : qFromLittleEndian<quint32>(data + i + 4);
        s0 += x0 + s1;
        s1 += x1 + s0;
    }
}

void putPage(QByteArray &image, quint32 pgno, const char *page, quint32 pageSize)
{
    const qint64 off = qint64(pgno - 1) * pageSize;
    if (image.size() < off + pageSize)
        image.append(QByteArray(off + pageSize - image.size(), '\0'));
    std::memcpy(image.data() + off, page, pageSize);
}

void resizeImage(QByteArray &image, qint64 size)
{
    if (image.size() > size) {
        std::memset(image.data() + size, 0, static_cast<size_t>(image.size() - size)); // no stale key bytes
        image.truncate(size);
    } else if (image.size() < size) {
        image.append(QByteArray(size - image.size(), '\0'));
    }
}

} // namespace

int applyWal(QByteArray &image, const QByteArray &wal)
{
    constexpr qint64 kWalHeader = 32, kFrameHeader = 24;
    if (wal.size() < kWalHeader)
        return 0;
    const char *w = wal.constData();
    const quint32 magic = be32(w);
    if (magic != 0x377f0682 && magic != 0x377f0683)
        return 0;
    const bool bigEndian = magic & 1;
    const quint32 pageSize = be32(w + 8);
    if (!validPageSize(pageSize))
        return 0;
    quint32 s0 = 0, s1 = 0;
    walChecksum(w, 24, bigEndian, s0, s1);
    if (s0 != be32(w + 24) || s1 != be32(w + 28))
        return 0;
    const quint32 salt1 = be32(w + 16), salt2 = be32(w + 20);

    std::map<quint32, qint64> committed; // page -> offset of its newest committed image in the WAL
    std::vector<std::pair<quint32, qint64>> pending;
    quint32 dbPages = 0;
    int frames = 0, applied = 0;
    for (qint64 off = kWalHeader; off + kFrameHeader + pageSize <= wal.size(); off += kFrameHeader + pageSize) {
        const char *fh = w + off;
        const quint32 pgno = be32(fh), commitSize = be32(fh + 4);
        if (pgno == 0 || be32(fh + 8) != salt1 || be32(fh + 12) != salt2)
            break;
        walChecksum(fh, 8, bigEndian, s0, s1);
        walChecksum(fh + kFrameHeader, pageSize, bigEndian, s0, s1);
        if (s0 != be32(fh + 16) || s1 != be32(fh + 20))
            break;
        pending.emplace_back(pgno, off + kFrameHeader);
        ++frames;
        if (commitSize != 0) {
            for (const auto &[p, o] : pending)
                committed[p] = o;
            pending.clear();
            dbPages = commitSize;
            applied = frames;
        }
    }
    if (applied == 0)
        return 0;
    if (qint64(dbPages) * pageSize > image.size() + wal.size())
        return -1;
    for (const auto &[p, o] : committed)
        if (p <= dbPages)
            putPage(image, p, w + o, pageSize);
    resizeImage(image, qint64(dbPages) * pageSize);
    return applied;
}

int rollbackJournal(QByteArray &image, const QByteArray &journal)
{
    static const char kMagic[8] = {char(0xd9), char(0xd5), char(0x05), char(0xf9), char(0x20), char(0xa1), char(0x63), char(0xd7)};
    constexpr qint64 kHeader = 28;
    const char *j = journal.constData();
    qint64 off = 0;
    qint64 initialPages = -1;
    qint64 firstPageSize = 0;
    int restored = 0;
    bool first = true;
    while (off + kHeader <= journal.size() && std::memcmp(j + off, kMagic, 8) == 0) {
        quint32 nRec = be32(j + off + 8);
        const quint32 nonce = be32(j + off + 12);
        const quint32 sectorSize = be32(j + off + 20);
        const quint32 pageSize = be32(j + off + 24);
        if (!validPageSize(pageSize) || sectorSize < 32 || sectorSize > 65536 || (sectorSize & (sectorSize - 1)) != 0)
            break;
        if (first) {
            initialPages = be32(j + off + 16);
            firstPageSize = pageSize;
            // A size no file at hand can back is a corrupt header, not a database to build.
            if (initialPages * firstPageSize > image.size() + journal.size())
                return -1;
        }
        first = false;
        const qint64 record = 8 + qint64(pageSize);
        off += sectorSize;
        // nRec 0xffffffff: "as many records as the file holds" (no-sync mode). nRec 0 in a hot
        // journal: the header was never synced, so the database was not yet written (SQLite
        // plays nothing back either).
        if (nRec == 0xffffffffu)
            nRec = static_cast<quint32>(qMax<qint64>(0, (journal.size() - off) / record));
        bool torn = false;
        for (quint32 r = 0; r < nRec; ++r, off += record) {
            if (off + record > journal.size()) {
                torn = true;
                break;
            }
            const quint32 pgno = be32(j + off);
            const char *page = j + off + 4;
            quint32 sum = nonce;
            for (qint64 i = qint64(pageSize) - 200; i > 0; i -= 200)
                sum += static_cast<unsigned char>(page[i]);
            if (pgno == 0 || sum != be32(j + off + 4 + pageSize)) {
                torn = true;
                break;
            }
            if (pgno <= initialPages) {
                putPage(image, pgno, page, pageSize);
                ++restored;
            }
        }
        if (torn || nRec == 0)
            break;
        off = (off + sectorSize - 1) / sectorSize * sectorSize; // the next segment starts on a sector
    }
    if (initialPages < 0)
        return 0;
    // SQLite truncates to the size before the transaction whatever the records (pager playback).
    resizeImage(image, initialPages * firstPageSize);
    return restored;
}

void markRollbackMode(QByteArray &image)
{
    if (image.size() >= 20) {
        image[18] = 1;
        image[19] = 1;
    }
}

} // namespace sd::sqlitesnap
