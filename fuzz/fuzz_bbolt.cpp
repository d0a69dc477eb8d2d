// libFuzzer target for the bbolt page walker (gotd/botapi state): opens arbitrary bytes as a bbolt
// file and walks the root bucket, every bucket in it and one level of nested buckets.
#include "fuzzcommon.h"

#include "formats/gotd/bbolt.h"

namespace sdfuzz::t_bbolt {

using namespace sd;

inline int run(const uint8_t *data, size_t size)
{
    sdfuzz::tempDir();
    auto reader = bbolt::Reader::open(sdfuzz::bytesOf(data, size));
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
