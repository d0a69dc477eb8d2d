// libFuzzer target for the bbolt page walker (gotd/botapi state): opens arbitrary bytes as a bbolt
// file and walks the root bucket, every bucket in it and one level of nested buckets. For inputs of
// odd length the harness first repairs the meta checksums (pages 0 and 1 at the meta's own page
// size), so the fuzzer can mutate the meta fields (root, high-water mark, page size) too.
#include "fuzzcommon.h"

#include "formats/gotd/bbolt.h"

#include <QtEndian>

namespace sdfuzz::t_bbolt {

using namespace sd;

namespace detail {
void repairMetaChecksums(QByteArray &file)
{
    qint64 off = 0;
    for (int i = 0; i < 2; ++i) {
        if (off < 0 || off + 16 + 64 > file.size())
            return;
        char *m = file.data() + off + 16;
        qToLittleEndian<quint64>(bbolt::fnv1a64(m, 56), m + 56);
        off = qFromLittleEndian<quint32>(m + 8); // meta 1 sits at the page size
    }
}
} // namespace detail

inline int run(const uint8_t *data, size_t size)
{
    sdfuzz::tempDir();
    QByteArray file = sdfuzz::bytesOf(data, size);
    if (size % 2 == 1)
        detail::repairMetaChecksums(file);
    auto reader = bbolt::Reader::open(file);
    if (!reader)
        return 0;
    auto root = reader->entries({});
    if (!root)
        return 0;
    int walked = 0;
    for (const bbolt::Entry &e : *root) {
        if (!e.isBucket || ++walked > 16)
            continue;
        (void)reader->hasBucket(e.key);
        auto inner = reader->entries({e.key});
        if (!inner)
            continue;
        int nested = 0;
        for (const bbolt::Entry &n : *inner)
            if (n.isBucket && ++nested <= 4)
                (void)reader->entries({e.key, n.key});
    }
    return 0;
}

} // namespace sdfuzz::t_bbolt

SD_FUZZ_ENTRY(t_bbolt)
