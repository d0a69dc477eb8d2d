// IPv4/IPv6 text <-> bytes for the ferogram compact string (no QtNetwork in core).
#include "ferogram-codec.h"

#include <QStringList>

namespace sd::ferogram {

namespace {
std::optional<QByteArray> parseV4(const QString &ip)
{
    const QStringList parts = ip.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return std::nullopt;
    QByteArray out;
    for (const QString &p : parts) {
        if (p.isEmpty() || p.size() > 3)
            return std::nullopt;
        for (QChar c : p)
            if (c < QLatin1Char('0') || c > QLatin1Char('9'))
                return std::nullopt;
        const int v = p.toInt();
        if (v > 255 || (p.size() > 1 && p.startsWith(QLatin1Char('0'))))
            return std::nullopt;
        out.append(static_cast<char>(v));
    }
    return out;
}

bool parseGroups(const QString &text, QList<quint16> &out)
{
    if (text.isEmpty())
        return true;
    for (const QString &g : text.split(QLatin1Char(':'))) {
        if (g.isEmpty() || g.size() > 4)
            return false;
        bool ok = false;
        const uint v = g.toUInt(&ok, 16);
        if (!ok)
            return false;
        out << static_cast<quint16>(v);
    }
    return true;
}

std::optional<QByteArray> parseV6(const QString &ip)
{
    if (ip.count(QLatin1String("::")) > 1)
        return std::nullopt;
    QList<quint16> head, tail;
    const qsizetype dc = ip.indexOf(QLatin1String("::"));
    if (dc >= 0) {
        if (!parseGroups(ip.left(dc), head) || !parseGroups(ip.mid(dc + 2), tail) || head.size() + tail.size() > 7)
            return std::nullopt;
    } else {
        if (!parseGroups(ip, head) || head.size() != 8)
            return std::nullopt;
    }
    QList<quint16> all = head;
    while (all.size() + tail.size() < 8)
        all << 0;
    all << tail;
    QByteArray out;
    for (quint16 g : all) {
        out.append(static_cast<char>(g >> 8));
        out.append(static_cast<char>(g & 0xff));
    }
    return out;
}
} // namespace

std::optional<QByteArray> ipToBytes(const QString &ip)
{
    if (ip.contains(QLatin1Char(':')))
        return parseV6(ip);
    return parseV4(ip);
}

QString ipFromBytes(const QByteArray &b)
{
    if (b.size() == 4)
        return QStringLiteral("%1.%2.%3.%4")
            .arg(static_cast<quint8>(b[0]))
            .arg(static_cast<quint8>(b[1]))
            .arg(static_cast<quint8>(b[2]))
            .arg(static_cast<quint8>(b[3]));
    if (b.size() != 16)
        return {};
    quint16 g[8];
    for (int i = 0; i < 8; ++i)
        g[i] = static_cast<quint16>((static_cast<quint8>(b[2 * i]) << 8) | static_cast<quint8>(b[2 * i + 1]));
    // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on a tie.
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0)
            ++j;
        if (j - i > bestLen && j - i >= 2) {
            bestStart = i;
            bestLen = j - i;
        }
        i = j;
    }
    QString out;
    for (int i = 0; i < 8; ++i) {
        if (i == bestStart) {
            out += QLatin1String("::");
            i += bestLen - 1;
            continue;
        }
        if (!out.isEmpty() && !out.endsWith(QLatin1Char(':')))
            out += QLatin1Char(':');
        out += QString::number(g[i], 16);
    }
    return out;
}

} // namespace sd::ferogram
