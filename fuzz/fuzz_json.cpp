// libFuzzer target for the JSON session documents: gotd's session.Data (session.json and the bbolt
// session_ value) and the sessiondesk-json export. What decodes must encode, and the encoding must
// decode again to the same number of accounts (sessiondesk-json) or the same primary DC (gotd).
#include "fuzzcommon.h"

#include "formats/gotd/gotdsession.h"
#include "formats/sessiondesk/sdjsoncodec.h"

namespace sdfuzz::t_json {

using namespace sd;


inline int run(const uint8_t *data, size_t size)
{
    sdfuzz::tempDir();
    const QByteArray bytes = sdfuzz::bytesOf(data, size);

    (void)gotd::looksLikeSessionJson(bytes);
    for (bool ignoreVersion : {false, true}) {
        QStringList warnings;
        auto s = gotd::parseSessionJson(bytes, ignoreVersion, &warnings);
        if (!s)
            continue;
        if (auto json = gotd::buildSessionJson(*s)) {
            auto again = gotd::parseSessionJson(*json, false, &warnings);
            check(again.ok() && again->dcId == s->dcId);
            wipe(json.value());
        }
    }

    if (auto store = decodeSessiondeskJson(bytes)) {
        const QByteArray out = encodeSessiondeskJson(*store, 1700000000);
        auto again = decodeSessiondeskJson(out);
        check(again.ok() && again->accounts.size() == store->accounts.size());
    }
    return 0;
}

} // namespace sdfuzz::t_json

SD_FUZZ_ENTRY(t_json)
