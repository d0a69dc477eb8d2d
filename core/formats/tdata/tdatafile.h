#pragma once
// Telegram Desktop tdata building blocks (formats.md 9.1, 9.2, 9.5): file naming, the TDF$
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
constexpr qint32 kWriteVersion = 5008003;
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
QByteArray buildTdf(const QByteArray &data, qint32 version = kWriteVersion);
bool hasTdfMagic(const QByteArray &head);

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
