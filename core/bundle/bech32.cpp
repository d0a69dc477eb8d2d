#include "bech32.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace sd::bech32 {

namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

std::uint32_t polymod(const std::vector<std::uint8_t> &values)
{
    static const std::uint32_t gen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    std::uint32_t chk = 1;
    for (std::uint8_t v : values) {
        const std::uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (int i = 0; i < 5; ++i)
            if ((top >> i) & 1)
                chk ^= gen[i];
    }
    return chk;
}

std::vector<std::uint8_t> hrpExpand(const QByteArray &hrp)
{
    std::vector<std::uint8_t> out;
    for (char c : hrp)
        out.push_back(static_cast<std::uint8_t>(static_cast<std::uint8_t>(c) >> 5));
    out.push_back(0);
    for (char c : hrp)
        out.push_back(static_cast<std::uint8_t>(c & 31));
    return out;
}

// Regroups bits; pad = true when encoding. On decoding, leftover bits must be fewer than
// `from` and zero.
std::optional<std::vector<std::uint8_t>> convertBits(const std::uint8_t *in, std::size_t n, int from, int to, bool pad)
{
    std::uint32_t acc = 0;
    int bits = 0;
    const std::uint32_t maxv = (1u << to) - 1;
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < n; ++i) {
        acc = (acc << from) | in[i];
        bits += from;
        while (bits >= to) {
            bits -= to;
            out.push_back(static_cast<std::uint8_t>((acc >> bits) & maxv));
        }
    }
    if (pad) {
        if (bits > 0)
            out.push_back(static_cast<std::uint8_t>((acc << (to - bits)) & maxv));
    } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
        return std::nullopt;
    }
    return out;
}

} // namespace

QByteArray encode(const QByteArray &hrp, const QByteArray &data)
{
    auto five = convertBits(reinterpret_cast<const std::uint8_t *>(data.constData()), static_cast<std::size_t>(data.size()), 8, 5, true);
    std::vector<std::uint8_t> values = hrpExpand(hrp);
    values.insert(values.end(), five->begin(), five->end());
    values.insert(values.end(), 6, 0);
    const std::uint32_t mod = polymod(values) ^ 1;
    QByteArray out = hrp;
    out.append('1');
    for (std::uint8_t v : *five)
        out.append(kCharset[v]);
    for (int i = 0; i < 6; ++i)
        out.append(kCharset[(mod >> (5 * (5 - i))) & 31]);
    return out;
}

std::optional<Decoded> decode(const QByteArray &text)
{
    bool lower = false, upper = false;
    for (char c : text) {
        if (c < 33 || c > 126)
            return std::nullopt;
        lower |= (c >= 'a' && c <= 'z');
        upper |= (c >= 'A' && c <= 'Z');
    }
    if (lower && upper)
        return std::nullopt;
    const QByteArray s = text.toLower();
    const qsizetype sep = s.lastIndexOf('1');
    if (sep < 1 || sep + 7 > s.size())
        return std::nullopt;
    Decoded d;
    d.hrp = s.left(sep);
    std::vector<std::uint8_t> values = hrpExpand(d.hrp);
    std::vector<std::uint8_t> five;
    for (qsizetype i = sep + 1; i < s.size(); ++i) {
        const char *p = static_cast<const char *>(std::memchr(kCharset, s[i], 32));
        if (!p)
            return std::nullopt;
        values.push_back(static_cast<std::uint8_t>(p - kCharset));
        five.push_back(static_cast<std::uint8_t>(p - kCharset));
    }
    if (polymod(values) != 1)
        return std::nullopt;
    five.resize(five.size() - 6);
    auto eight = convertBits(five.data(), five.size(), 5, 8, false);
    if (!eight)
        return std::nullopt;
    d.data = QByteArray(reinterpret_cast<const char *>(eight->data()), static_cast<qsizetype>(eight->size()));
    std::fill(eight->begin(), eight->end(), std::uint8_t(0));
    return d;
}

} // namespace sd::bech32
