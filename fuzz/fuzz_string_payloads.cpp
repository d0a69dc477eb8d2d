// libFuzzer target for the string decoders below their base64 layer: the input is the decoded
// payload, wrapped the way each library writes it (Telethon/GramJS: "1" + base64; Pyrogram and
// MTKruto: base64url), so the fuzzer mutates structure instead of base64 text. Also the MTKruto
// zero-run RLE and the IP packers. Decoded sessions go through every string encoder.
#include "fuzzcommon.h"

#include "formats/strings/stringformat.h"
#include "util/base64.h"
#include "util/ipaddress.h"

namespace sdfuzz::t_string_payloads {

using namespace sd;
using namespace sd::strings;


inline int run(const uint8_t *data, size_t size)
{
    static const char *const ids[] = {"telethon-string", "pyrogram-string", "gramjs-string", "mtkruto-string"};
    static const Format *formats[4] = {&sdfuzz::format(ids[0]), &sdfuzz::format(ids[1]), &sdfuzz::format(ids[2]),
                                       &sdfuzz::format(ids[3])};
    const QByteArray payload = sdfuzz::bytesOf(data, size);
    const QByteArray std64 = base64Encode(payload, B64::Standard);
    const QByteArray url64 = base64Encode(payload, B64::UrlNoPad);

    std::vector<Result<Decoded>> results;
    results.push_back(decodeTelethon("1" + std64));
    results.push_back(decodePyrogram(url64));
    results.push_back(decodeGramjs("1" + std64, false));
    results.push_back(decodeGramjs("1" + std64, true));
    results.push_back(decodeMtkruto(url64));
    (void)gramjsTextLayoutPlausible(payload);
    for (const auto &r : results) {
        if (!r)
            continue;
        for (const Format *f : formats)
            (void)f->encodeString(r->session, {});
    }

    if (auto plain = rleDecode(payload, 1 << 20))
        check(rleDecode(rleEncode(*plain), 1 << 20) == plain);
    const QString text = QString::fromUtf8(payload);
    if (auto ip = ipTextToBytes(text))
        check(ipTextToBytes(ipBytesToText(*ip)) == ip && ipTextToBytes(QByteArrayView(payload)) == ip);
    (void)isIpv6Text(text);
    return 0;
}

} // namespace sdfuzz::t_string_payloads

SD_FUZZ_ENTRY(t_string_payloads)
