#pragma once
// Base64 dialects (docs/formats.md 0.3). Decoding is lenient (either alphabet, missing padding);
// encoding is strict in the target's dialect.
#include <QByteArray>
#include <QByteArrayView>
#include <optional>

namespace sd {

enum class B64 { Standard, StandardNoPad, Url, UrlNoPad };

QByteArray base64Encode(const QByteArray &data, B64 dialect);
// prefix followed by the encoding, in one allocation ("1" + base64 for the string sessions).
QByteArray base64Encode(const QByteArray &data, B64 dialect, QByteArrayView prefix);
// Accepts both alphabets and missing padding; rejects any other character. nullopt on error.
std::optional<QByteArray> base64DecodeLenient(const QByteArray &text);
// Strict: only the given dialect's alphabet; padding must match the dialect.
std::optional<QByteArray> base64DecodeStrict(const QByteArray &text, B64 dialect);
// Which alphabet characters appear: '+' or '/' (standard), '-' or '_' (URL-safe).
bool hasStandardOnlyChars(const QByteArray &text);
bool hasUrlOnlyChars(const QByteArray &text);
bool isBase64Alphabet(const QByteArray &text); // either alphabet plus '='

} // namespace sd
