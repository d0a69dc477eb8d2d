// libFuzzer target: a tdata folder whose key file is valid (no passcode, a fixed local key) and
// whose decrypted contents come from the input, so the fuzzer reaches what random folders never do:
//   first byte even: the input (after it) is the decrypted MTP authorization payload of account 0;
//   first byte odd:  the input (after it) is the decrypted account list; accounts 0..2 are valid.
// The folder is read with the tdata Format (and written back when it reads).
#include "fuzzcommon.h"

#include "crypto/tdatakdf.h"
#include "formats/tdata/tdatafile.h"

namespace sdfuzz::t_tdata_mtp {

using namespace sd;
using namespace sd::tdata;

namespace detail {

const QByteArray &localKey()
{
    static const QByteArray k = [] {
        QByteArray b(crypto::kTdataKeySize, '\0');
        for (int i = 0; i < b.size(); ++i)
            b[i] = static_cast<char>(i * 7 + 3);
        return b;
    }();
    return k;
}

QByteArray encryptedFile(const QByteArray &payload)
{
    ByteWriter w;
    writeQByteArray(w, crypto::tdataEncryptLocal(payload, localKey()));
    return buildTdf(w.data());
}

QByteArray validAuth(int index)
{
    MtpAuthorization a;
    a.userId = 1000 + index;
    a.mainDcId = 2;
    a.keys.push_back(DcKey{2, SecretBytes::fromByteArray(QByteArray(256, static_cast<char>('A' + index)))});
    return buildMtpAuthorization(a);
}

void writeFolder(const QString &dir, const QByteArray &accountList, const QByteArray &firstAuth)
{
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    static const QByteArray salt(crypto::kTdataSaltSize, '\x11');
    const QByteArray passKey = crypto::tdataPasscodeKey(salt, QByteArray());
    const KeyData kd{salt, crypto::tdataEncryptLocal(localKey(), passKey), crypto::tdataEncryptLocal(accountList, localKey())};
    sdfuzz::writeFile(dir + QStringLiteral("/key_datas"), buildTdf(buildKeyData(kd)));
    for (int i = 0; i < 3; ++i) {
        const QString part = filePart(dataName(QStringLiteral("data"), i));
        sdfuzz::writeFile(dir + QLatin1Char('/') + part + QLatin1Char('s'),
                          encryptedFile(i == 0 && !firstAuth.isNull() ? firstAuth : validAuth(i)));
    }
}

} // namespace detail
using namespace detail;

inline int run(const uint8_t *data, size_t size)
{
    static const Format &tdata = sdfuzz::format("tdata");
    if (size < 1 || size > 1024 * 1024)
        return 0;
    const QByteArray rest = sdfuzz::bytesOf(data + 1, size - 1);
    const QString dir = sdfuzz::tempDir().filePath(QStringLiteral("tdata"));
    if (data[0] % 2 == 0)
        writeFolder(dir, buildAccountList(AccountList{{0}, 0}), rest.isNull() ? QByteArray("") : rest);
    else
        writeFolder(dir, rest, QByteArray());
    sdfuzz::readAndWrite(tdata, Source::fromPath(dir));
    return 0;
}

} // namespace sdfuzz::t_tdata_mtp

SD_FUZZ_ENTRY(t_tdata_mtp)
