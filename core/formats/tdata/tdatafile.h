#pragma once
// Telegram Desktop tdata building blocks (docs/formats.md 9.1, 9.2, 9.5): file naming, the TDF$
// container, Qt QDataStream byte arrays and the MTP authorization block. Pure functions from bytes
// to results; the folder walking lives in tdata.cpp.
#include "domain/secretbytes.h"
#include "io/inputfile.h"
#include "util/bytes.h"
#include "util/result.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <vector>

namespace sd::tdata {

constexpr qint32 kNewestKnownVersion = 5008003; // newest TDF version whose layout is known (5.8.3)
// The version a new folder claims (docs/formats.md 9.2): Telegram Desktop refuses a file whose
// header is newer than itself ("version too big") and then starts over, overwriting key_datas.
// 4.6.5 (Debian 12's build) is old enough for current distribution builds and has the layout
// SessionDesk writes (64-bit user ids, keys to destroy).
constexpr qint32 kDefaultWriteVersion = 4006005;
constexpr qint32 kOldestWriteVersion = 2001014; // 2.1.14: the first release that reads key_datas
constexpr qint32 kMtpAuthorizationBlock = 0x4B;
constexpr qint64 kMaxFileSize = inputcap::kTdataFile;
constexpr int kMaxAccounts = 100;   // tdesktop allows a handful; anything above is a corrupt list
constexpr int kMaxKeys = 1000;      // DC keys in one MTP block

// "data" -> "data", index 1 -> "data#2" (9.1).
QString dataName(const QString &keyName, int index);
// The file part: first 8 bytes of MD5(dataName), each byte low nibble first, uppercase hex.
QString filePart(const QString &dataName);

struct TdfFile {
    qint32 version = 0;
    QByteArray data;
};
// Parses a TDF$ container: magic, int32 LE version, data, MD5 check.
Result<TdfFile> parseTdf(const QByteArray &bytes);
QByteArray buildTdf(const QByteArray &data, qint32 version = kDefaultWriteVersion);
bool hasTdfMagic(const QByteArray &head);

// "4.6.5" <-> 4006005 (major * 1000000 + minor * 1000 + patch). parseVersion accepts X.Y.Z with
// minor and patch below 1000 and a result between kOldestWriteVersion and kNewestKnownVersion.
Result<qint32> parseVersion(const QString &text);
QString versionString(qint32 version);

// QDataStream QByteArray: uint32 BE length (0xFFFFFFFF = null) + bytes.
std::optional<QByteArray> readQByteArray(ByteReader &r);
void writeQByteArray(ByteWriter &w, const QByteArray &bytes);

struct DcKey {
    int dcId = 0;
    SecretBytes key; // 256 bytes
};
struct MtpAuthorization {
    qint64 userId = 0;
    qint32 mainDcId = 0;
    std::vector<DcKey> keys;
    std::vector<DcKey> keysToDestroy;
};
// The decrypted payload of an account's "<filePart>s" file.
Result<MtpAuthorization> parseMtpAuthorization(const QByteArray &payload);
QByteArray buildMtpAuthorization(const MtpAuthorization &auth); // wipe the result after use

// key_datas: salt, encrypted local key, encrypted account list.
struct KeyData {
    QByteArray salt;
    QByteArray keyEncrypted;
    QByteArray infoEncrypted;
};
Result<KeyData> parseKeyData(const QByteArray &tdfData);
QByteArray buildKeyData(const KeyData &kd);

// Decrypted account list: count, indexes, active index.
struct AccountList {
    std::vector<int> indexes;
    int active = 0;
};
Result<AccountList> parseAccountList(const QByteArray &info);
QByteArray buildAccountList(const AccountList &list);

} // namespace sd::tdata
