// libFuzzer target for the Go encoding/gob decoder (gogram's peer cache): decode and peekTypes
// on arbitrary bytes, with the default limits and with tight ones. A stream that decodes is encoded
// again with the Encoder (same type ids) and must decode again.
#include "fuzzcommon.h"

#include "formats/gogram/gob.h"

namespace sdfuzz::t_gob {

using namespace sd;

inline int run(const uint8_t *data, size_t size)
{
    sdfuzz::tempDir();
    const QByteArray bytes = sdfuzz::bytesOf(data, size);
    (void)gob::peekTypes(bytes);
    gob::Limits tight;
    tight.maxDepth = 4;
    tight.maxElements = 64;
    tight.maxTypes = 8;
    tight.maxValues = 4;
    (void)gob::decode(bytes, tight);

    auto stream = gob::decode(bytes);
    if (!stream)
        return 0;
    gob::Encoder enc;
    for (auto it = stream->types.cbegin(); it != stream->types.cend(); ++it)
        (void)enc.define(*it);
    for (const gob::TopValue &v : stream->values)
        if (!enc.encode(v.typeId, v.value))
            return 0;
    if (!gob::decode(enc.data()).ok())
        std::abort(); // what we encode from a decoded stream must decode
    return 0;
}

} // namespace sdfuzz::t_gob

SD_FUZZ_ENTRY(t_gob)
