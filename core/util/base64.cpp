#include "base64.h"

namespace sd {

QByteArray base64Encode(const QByteArray &data, B64 dialect)
{
    switch (dialect) {
    case B64::Standard:
        return data.toBase64();
    case B64::StandardNoPad:
        return data.toBase64(QByteArray::OmitTrailingEquals);
    case B64::Url:
        return data.toBase64(QByteArray::Base64UrlEncoding);
    case B64::UrlNoPad:
        return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    }
    return {};
}

bool hasStandardOnlyChars(const QByteArray &t) { return t.contains('+') || t.contains('/'); }
bool hasUrlOnlyChars(const QByteArray &t) { return t.contains('-') || t.contains('_'); }

bool isBase64Alphabet(const QByteArray &t)
{
    for (char c : t) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
            || c == '/' || c == '-' || c == '_' || c == '=';
        if (!ok)
            return false;
    }
    return true;
}

std::optional<QByteArray> base64DecodeLenient(const QByteArray &text)
{
    QByteArray t = text;
    while (t.endsWith('='))
        t.chop(1);
    if (t.contains('='))
        return std::nullopt;
    if (!isBase64Alphabet(t))
        return std::nullopt;
    if (t.size() % 4 == 1)
        return std::nullopt;
    t.replace('-', '+');
    t.replace('_', '/');
    auto r = QByteArray::fromBase64Encoding(t, QByteArray::AbortOnBase64DecodingErrors | QByteArray::OmitTrailingEquals);
    if (!r)
        return std::nullopt;
    return r.decoded;
}

std::optional<QByteArray> base64DecodeStrict(const QByteArray &text, B64 dialect)
{
    const bool url = dialect == B64::Url || dialect == B64::UrlNoPad;
    const bool pad = dialect == B64::Standard || dialect == B64::Url;
    if (url ? hasStandardOnlyChars(text) : hasUrlOnlyChars(text))
        return std::nullopt;
    if (pad && text.size() % 4 != 0)
        return std::nullopt;
    if (!pad && text.contains('='))
        return std::nullopt;
    return base64DecodeLenient(text);
}

} // namespace sd
