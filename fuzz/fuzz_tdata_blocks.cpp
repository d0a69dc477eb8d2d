// libFuzzer target for the tdata building blocks that a folder read only reaches after decryption:
// the TDF$ container, QDataStream byte arrays, key_datas, the decrypted account list, the MTP
// authorization block, and tdataDecryptLocal with a fixed key. Every parse that succeeds must
// survive its builder and parse again to the same values.
#include "fuzzcommon.h"

#include "crypto/tdatakdf.h"
#include "formats/tdata/tdatafile.h"

namespace sdfuzz::t_tdata_blocks {

using namespace sd;
using namespace sd::tdata;

namespace detail {


bool sameKeys(const std::vector<DcKey> &a, const std::vector<DcKey> &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].dcId != b[i].dcId || a[i].key != b[i].key)
            return false;
    return true;
}

} // namespace detail
using namespace detail;

inline int run(const uint8_t *data, size_t size)
{
    sdfuzz::tempDir();
    const QByteArray bytes = sdfuzz::bytesOf(data, size);

    if (auto tdf = parseTdf(bytes)) {
        check(parseTdf(buildTdf(tdf->data, tdf->version)).ok());
        (void)parseKeyData(tdf->data);
    }
    (void)hasTdfMagic(bytes);

    if (auto kd = parseKeyData(bytes)) {
        auto again = parseKeyData(buildKeyData(*kd));
        check(again.ok() && again->salt == kd->salt && again->keyEncrypted == kd->keyEncrypted
              && again->infoEncrypted == kd->infoEncrypted);
    }

    if (auto list = parseAccountList(bytes)) {
        auto again = parseAccountList(buildAccountList(*list));
        check(again.ok() && again->indexes == list->indexes && again->active == list->active);
    }

    if (auto auth = parseMtpAuthorization(bytes)) {
        auto again = parseMtpAuthorization(buildMtpAuthorization(*auth));
        check(again.ok() && again->userId == auth->userId && again->mainDcId == auth->mainDcId
              && sameKeys(again->keys, auth->keys) && sameKeys(again->keysToDestroy, auth->keysToDestroy));
    }

    ByteReader r(bytes);
    for (int i = 0; i < 8 && r.ok() && !r.atEnd(); ++i)
        (void)readQByteArray(r);

    static const QByteArray key(crypto::kTdataKeySize, '\x5a');
    if (auto plain = crypto::tdataDecryptLocal(bytes, key)) {
        auto again = crypto::tdataDecryptLocal(crypto::tdataEncryptLocal(*plain, key), key);
        check(again.ok() && *again == *plain);
    }
    return 0;
}

} // namespace sdfuzz::t_tdata_blocks

SD_FUZZ_ENTRY(t_tdata_blocks)
