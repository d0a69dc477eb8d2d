// libFuzzer target for mtcute's small binary encodings: BasicDcOption, current_user, the fast
// access-hash text, int32 values and the peers.complete TL blob summary. Whatever parses must
// serialize and parse again to the same values.
#include "fuzzcommon.h"

#include "formats/mtcute/mtcute-tl.h"

#include <QtEndian>

namespace sdfuzz::t_mtcute_tl {

using namespace sd;
using namespace sd::mtcute;


inline int run(const uint8_t *data, size_t size)
{
    sdfuzz::tempDir();
    const QByteArray bytes = sdfuzz::bytesOf(data, size);

    if (auto o = parseDcOption(bytes)) {
        // Invalid UTF-8 in the address grows to U+FFFD on the way back and may pass the reader's
        // 512-byte bound; everything below it must survive.
        const QByteArray out = serializeDcOption(*o);
        auto again = parseDcOption(out);
        check(out.size() > 512
              || (again && again->id == o->id && again->ip == o->ip && again->port == o->port && again->flags == o->flags));
        DcAuth dc;
        applyDcOption(dc, *o);
        (void)dcOptionFor(dc, o->id, o->testMode(), o->mediaOnly());
    }

    bool corrupt = false;
    if (auto u = parseCurrentUser(bytes, &corrupt)) {
        auto again = parseCurrentUser(serializeCurrentUser(*u));
        check(again && again->userId == u->userId && again->isBot == u->isBot && again->usernames == u->usernames);
    }

    const QString text = QString::fromUtf8(bytes);
    if (auto h = parseFastHash(text))
        check(parseFastHash(toFastHash(*h)) == h);
    (void)parseInt32Le(bytes, false);
    (void)parseInt32Le(bytes, true);

    // peers.complete: the last 8 bytes choose the row id the blob is verified against.
    if (bytes.size() >= 8) {
        const qint64 bareId = qFromLittleEndian<qint64>(bytes.constData() + bytes.size() - 8);
        const QByteArray blob = bytes.chopped(8);
        for (PeerKind kind : {PeerKind::User, PeerKind::Chat, PeerKind::Channel})
            (void)parseComplete(blob, bareId, kind);
    }
    return 0;
}

} // namespace sdfuzz::t_mtcute_tl

SD_FUZZ_ENTRY(t_mtcute_tl)
