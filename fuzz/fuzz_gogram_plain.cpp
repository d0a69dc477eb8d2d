// libFuzzer target: gogram's session.dat with a valid v2 container (default key, fixed IV) around
// a plaintext from the input, so the fuzzer reaches the JSON inside instead of stopping at the
// HMAC check. The file is read with the gogram-file Format (and written back when it reads).
#include "fuzzcommon.h"

#include "formats/gogram/gogram-crypto.h"

namespace sdfuzz::t_gogram_plain {

using namespace sd;

inline int run(const uint8_t *data, size_t size)
{
    static const Format &file = sdfuzz::format("gogram-file");
    if (size > 1024 * 1024)
        return 0;
    static const QByteArray iv(16, '\x42');
    auto container = gogram::encryptV2(sdfuzz::bytesOf(data, size), QByteArray(gogram::kDefaultAesKey), iv);
    if (!container)
        return 0;
    const QString path = sdfuzz::tempDir().filePath(QStringLiteral("session.dat"));
    sdfuzz::writeFile(path, *container);
    sdfuzz::readAndWrite(file, Source::fromPath(path));
    return 0;
}

} // namespace sdfuzz::t_gogram_plain

SD_FUZZ_ENTRY(t_gogram_plain)
