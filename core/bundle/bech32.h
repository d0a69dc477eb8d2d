#pragma once
// Bech32 (BIP 173 checksum, without BIP 173's 90-character limit), the text encoding of age
// recipients ("age1...") and identities ("AGE-SECRET-KEY-1..."), docs/formats.md 15.
// An encoding, not a cryptographic primitive.
#include <QByteArray>
#include <optional>

namespace sd::bech32 {

// hrp must be lower case; the result is lower case ("hrp1" + data + checksum).
QByteArray encode(const QByteArray &hrp, const QByteArray &data);

struct Decoded {
    QByteArray hrp;  // lower case
    QByteArray data; // 8-bit bytes
};
// Accepts all-lower or all-upper text (never mixed), verifies the checksum and the padding bits.
std::optional<Decoded> decode(const QByteArray &text);

} // namespace sd::bech32
