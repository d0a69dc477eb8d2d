#include "base64.h"

#include <cstring>

namespace sd {

QByteArray base64Encode(const QByteArray &data, B64 dialect) { return base64Encode(data, dialect, {}); }

QByteArray base64Encode(const QByteArray &data, B64 dialect, QByteArrayView prefix)
{
    static const char standard[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const bool isUrl = dialect == B64::Url || dialect == B64::UrlNoPad;
    const bool pad = dialect == B64::Standard || dialect == B64::Url;
    const char *alphabet = isUrl ? url : standard;
    const qsizetype n = data.size();
    const qsizetype rest = n % 3;
    const qsizetype outLen = n / 3 * 4 + (rest == 0 ? 0 : (pad ? 4 : rest + 1));
    QByteArray out(prefix.size() + outLen, Qt::Uninitialized);
    const auto *in = reinterpret_cast<const unsigned char *>(data.constData());
    char *o = out.data();
    if (!prefix.isEmpty())
        std::memcpy(o, prefix.data(), static_cast<size_t>(prefix.size()));
    o += prefix.size();
    qsizetype i = 0;
    for (; i + 3 <= n; i += 3) {
        const unsigned w = unsigned(in[i]) << 16 | unsigned(in[i + 1]) << 8 | in[i + 2];
        o[0] = alphabet[w >> 18];
        o[1] = alphabet[(w >> 12) & 63];
        o[2] = alphabet[(w >> 6) & 63];
        o[3] = alphabet[w & 63];
        o += 4;
    }
    if (rest) {
        const unsigned w = unsigned(in[i]) << 16 | (rest == 2 ? unsigned(in[i + 1]) << 8 : 0u);
        *o++ = alphabet[w >> 18];
        *o++ = alphabet[(w >> 12) & 63];
        if (rest == 2)
            *o++ = alphabet[(w >> 6) & 63];
        if (pad) {
            *o++ = '=';
            if (rest == 1)
                *o++ = '=';
        }
    }
    return out;
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

namespace {
// 0..63 for either alphabet's characters, 64 for anything else.
struct DecodeTable {
    unsigned char v[256];
    constexpr DecodeTable() : v()
    {
        for (int i = 0; i < 256; ++i)
            v[i] = 64;
        for (int i = 0; i < 26; ++i) {
            v['A' + i] = static_cast<unsigned char>(i);
            v['a' + i] = static_cast<unsigned char>(26 + i);
        }
        for (int i = 0; i < 10; ++i)
            v['0' + i] = static_cast<unsigned char>(52 + i);
        v[static_cast<unsigned char>('+')] = v[static_cast<unsigned char>('-')] = 62;
        v[static_cast<unsigned char>('/')] = v[static_cast<unsigned char>('_')] = 63;
    }
};
constexpr DecodeTable kDecode;
} // namespace

std::optional<QByteArray> base64DecodeLenient(const QByteArray &text)
{
    // One pass over either alphabet; trailing '=' optional; any other character rejects.
    qsizetype n = text.size();
    while (n > 0 && text[n - 1] == '=')
        --n;
    if (n % 4 == 1)
        return std::nullopt;
    const auto *in = reinterpret_cast<const unsigned char *>(text.constData());
    QByteArray out(n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0), Qt::Uninitialized);
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    qsizetype i = 0;
    for (; i + 4 <= n; i += 4) {
        const unsigned a = kDecode.v[in[i]], b = kDecode.v[in[i + 1]], c = kDecode.v[in[i + 2]], d = kDecode.v[in[i + 3]];
        if ((a | b | c | d) & 64)
            return std::nullopt;
        const unsigned w = a << 18 | b << 12 | c << 6 | d;
        *o++ = static_cast<unsigned char>(w >> 16);
        *o++ = static_cast<unsigned char>(w >> 8);
        *o++ = static_cast<unsigned char>(w);
    }
    if (const qsizetype rest = n - i; rest > 0) {
        unsigned w = 0;
        for (qsizetype k = 0; k < rest; ++k) {
            const unsigned x = kDecode.v[in[i + k]];
            if (x & 64)
                return std::nullopt;
            w |= x << (18 - 6 * k);
        }
        *o++ = static_cast<unsigned char>(w >> 16);
        if (rest == 3)
            *o++ = static_cast<unsigned char>(w >> 8);
    }
    return out;
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
