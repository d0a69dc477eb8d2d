#include "ipaddress.h"

namespace sd {

namespace {

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

bool isSpace(char16_t c) { return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u'\v' || c == u'\f'; }

template<typename Char>
std::optional<QByteArray> parseV4(const Char *s, qsizetype n)
{
    unsigned char out[4];
    int part = 0;
    qsizetype i = 0;
    while (part < 4) {
        const qsizetype start = i;
        int v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3)
            v = v * 10 + (s[i++] - '0');
        const qsizetype digits = i - start;
        if (digits == 0 || v > 255 || (digits > 1 && s[start] == '0'))
            return std::nullopt;
        out[part++] = static_cast<unsigned char>(v);
        if (part < 4) {
            if (i >= n || s[i] != '.')
                return std::nullopt;
            ++i;
        }
    }
    if (i != n)
        return std::nullopt;
    return QByteArray(reinterpret_cast<const char *>(out), 4);
}

// Hex groups separated by ':' in s[from, to); false on anything else. An empty range is no groups.
template<typename Char>
bool parseGroups(const Char *s, qsizetype from, qsizetype to, quint16 *groups, int &count, int max)
{
    if (from == to)
        return true;
    qsizetype i = from;
    for (;;) {
        const qsizetype start = i;
        unsigned v = 0;
        while (i < to && i - start < 5) {
            const int h = hexValue(static_cast<char16_t>(s[i]));
            if (h < 0)
                break;
            v = v * 16 + static_cast<unsigned>(h);
            ++i;
        }
        const qsizetype digits = i - start;
        if (digits == 0 || digits > 4 || count >= max)
            return false;
        groups[count++] = static_cast<quint16>(v);
        if (i == to)
            return true;
        if (s[i] != ':')
            return false;
        ++i;
        if (i == to)
            return false; // a trailing single ':'
    }
}

template<typename Char>
std::optional<QByteArray> parseV6(const Char *s, qsizetype n)
{
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
        ++s;
        n -= 2;
    }
    qsizetype dbl = -1;
    for (qsizetype i = 0; i + 1 < n; ++i) {
        if (s[i] == ':' && s[i + 1] == ':') {
            if (dbl >= 0)
                return std::nullopt;
            dbl = i;
            ++i;
        }
    }
    quint16 head[8], tail[8];
    int nh = 0, nt = 0;
    if (dbl >= 0) {
        if (!parseGroups(s, 0, dbl, head, nh, 7) || !parseGroups(s, dbl + 2, n, tail, nt, 7) || nh + nt > 7)
            return std::nullopt;
    } else if (!parseGroups(s, 0, n, head, nh, 8) || nh != 8) {
        return std::nullopt;
    }
    unsigned char out[16] = {};
    for (int i = 0; i < nh; ++i) {
        out[2 * i] = static_cast<unsigned char>(head[i] >> 8);
        out[2 * i + 1] = static_cast<unsigned char>(head[i] & 0xff);
    }
    for (int i = 0; i < nt; ++i) {
        const int g = 8 - nt + i;
        out[2 * g] = static_cast<unsigned char>(tail[i] >> 8);
        out[2 * g + 1] = static_cast<unsigned char>(tail[i] & 0xff);
    }
    return QByteArray(reinterpret_cast<const char *>(out), 16);
}

template<typename Char>
std::optional<QByteArray> parse(const Char *s, qsizetype n)
{
    while (n > 0 && isSpace(static_cast<char16_t>(s[0]))) {
        ++s;
        --n;
    }
    while (n > 0 && isSpace(static_cast<char16_t>(s[n - 1])))
        --n;
    if (n == 0 || n > 64)
        return std::nullopt;
    for (qsizetype i = 0; i < n; ++i)
        if (s[i] == ':')
            return parseV6(s, n);
    return parseV4(s, n);
}

} // namespace

std::optional<QByteArray> ipTextToBytes(QStringView text) { return parse(text.utf16(), text.size()); }

std::optional<QByteArray> ipTextToBytes(QByteArrayView latin1)
{
    return parse(reinterpret_cast<const unsigned char *>(latin1.data()), latin1.size());
}

bool isIpv6Text(QStringView text) { return text.contains(u':'); }

QString ipBytesToText(QByteArrayView b)
{
    char buf[48];
    int len = 0;
    auto putDec = [&](unsigned v) {
        if (v >= 100)
            buf[len++] = static_cast<char>('0' + v / 100);
        if (v >= 10)
            buf[len++] = static_cast<char>('0' + v / 10 % 10);
        buf[len++] = static_cast<char>('0' + v % 10);
    };
    if (b.size() == 4) {
        for (int i = 0; i < 4; ++i) {
            if (i)
                buf[len++] = '.';
            putDec(static_cast<quint8>(b[i]));
        }
        return QString::fromLatin1(buf, len);
    }
    if (b.size() != 16)
        return {};
    quint16 g[8];
    for (int i = 0; i < 8; ++i)
        g[i] = static_cast<quint16>((static_cast<quint8>(b[2 * i]) << 8) | static_cast<quint8>(b[2 * i + 1]));
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0)
            ++j;
        if (j - i > bestLen) {
            bestStart = i;
            bestLen = j - i;
        }
        i = j;
    }
    if (bestLen < 2)
        bestStart = -1;
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; ++i) {
        if (i == bestStart) {
            buf[len++] = ':';
            buf[len++] = ':';
            i += bestLen - 1;
            continue;
        }
        if (len > 0 && buf[len - 1] != ':')
            buf[len++] = ':';
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            const int d = (g[i] >> shift) & 0xf;
            if (d || started || shift == 0) {
                buf[len++] = hex[d];
                started = true;
            }
        }
    }
    return QString::fromLatin1(buf, len);
}

} // namespace sd
