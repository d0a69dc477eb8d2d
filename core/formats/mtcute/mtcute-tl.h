#pragma once
// mtcute's small binary encodings (docs/formats.md 4.2/4.3): BasicDcOption, current_user, the "low|high"
// access-hash text, update-state integers, and a best-effort summary of the peers.complete TL blob.
// Pure functions from bytes to values; nothing here touches files.
#include "domain/session.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace sd::mtcute {

// BasicDcOption v1/v2: u8 version, u8 dcId, u8 flags (1 ipv6, 2 media only, 4 test), TL string ip, int32 port.
struct DcOption {
    int version = 2;
    int id = 0;
    int flags = 0;
    QString ip;
    qint32 port = 0;
    bool ipv6() const { return flags & 1; }
    bool mediaOnly() const { return flags & 2; }
    bool testMode() const { return version == 2 && (flags & 4); }
};
std::optional<DcOption> parseDcOption(const QByteArray &data);
QByteArray serializeDcOption(const DcOption &option);

// The DcAuth extra keys that keep an option byte-exact across a round trip.
inline constexpr const char *kExtraDcFlags = "mtcute_dc_flags";
inline constexpr const char *kExtraDcVersion = "mtcute_dc_version";
// Fills address/port/ipv6/test from an option and remembers its exact flags and version.
void applyDcOption(DcAuth &dc, const DcOption &option);
// The option for a DC entry: the remembered flags when they still agree with the entry, otherwise
// computed from ipv6/mediaOnly/test.
DcOption dcOptionFor(const DcAuth &dc, int dcId, bool testMode, bool mediaSlot);

// The option for a DC slot, with an address from the shared table when the entry has none.
DcOption optionFor(const DcAuth *dc, int dcId, bool testMode, bool mediaSlot);
// The entries that become dc_main and dc_media (media: a mediaOnly entry with an address).
struct DcEntries {
    const DcAuth *main = nullptr;
    const DcAuth *media = nullptr;
    int mediaDcId = 0;
};
DcEntries pickDcEntries(const Session &session, int dcId);

// current_user: int32 1, int32 flags (1 bot, 2 usernames, 4 premium), int53 user id, [usernames].
struct CurrentUser {
    qint64 userId = 0;
    bool isBot = false;
    bool isPremium = false;
    QStringList usernames;
};
// nullopt for an empty value (no user) or an unknown version; error flag set for a corrupt value.
std::optional<CurrentUser> parseCurrentUser(const QByteArray &data, bool *corrupt = nullptr);
QByteArray serializeCurrentUser(const CurrentUser &user);

// "low|high" signed 32-bit halves (mtcute longToFastString). nullopt for "" or garbage.
std::optional<qint64> parseFastHash(const QString &text);
QString toFastHash(qint64 value);

QByteArray int32Le(qint32 v);
std::optional<qint64> parseInt32Le(const QByteArray &v, bool isUnsigned);

// What a peers.complete blob (boxed User/Chat/Channel in mtcute's layer) tells beyond the columns.
// Decoding is best effort and verified against the row's id; unknown layouts leave fields empty.
struct CompleteInfo {
    std::optional<QString> name;
    std::optional<PeerType> type;     // Bot / Supergroup refinements
    QString channelKind;              // "broadcast" | "megagroup" | "gigagroup" | empty
};
CompleteInfo parseComplete(const QByteArray &blob, qint64 bareId, PeerKind kind);

} // namespace sd::mtcute
