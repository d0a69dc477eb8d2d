// libFuzzer target for ferogram's codecs on raw bytes (no base64 or file layer in between): the
// binary session (v1-v8), the compact string payload (V1/V2) and the head sniffing used by
// detection. A decoded session is encoded again (binary v8 and compact V1/V2) and must decode.
#include "fuzzcommon.h"

#include "formats/ferogram/ferogram-codec.h"
#include "util/ipaddress.h"

namespace sdfuzz::t_ferogram_codec {

using namespace sd;
using namespace sd::ferogram;


inline int run(const uint8_t *data, size_t size)
{
    sdfuzz::tempDir();
    const QByteArray bytes = sdfuzz::bytesOf(data, size);
    (void)plausibleBinaryPrefix(bytes);
    (void)decodeBinary(bytes, false);
    if (auto d = decodeBinary(bytes, true)) {
        if (auto enc = encodeBinary(d->session))
            check(decodeBinary(*enc).ok());
    }
    if (auto c = decodeCompact(bytes)) {
        for (int version : {1, 2})
            if (auto enc = encodeCompact(c->session, version))
                check(decodeCompact(*enc).ok());
    }
    if (auto ip = ipTextToBytes(QString::fromUtf8(bytes)))
        check(ipTextToBytes(ipBytesToText(*ip)) == ip);
    return 0;
}

} // namespace sdfuzz::t_ferogram_codec

SD_FUZZ_ENTRY(t_ferogram_codec)
