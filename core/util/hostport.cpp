#include "hostport.h"

namespace sd {

namespace {
std::optional<int> portOf(QStringView digits)
{
    if (digits.isEmpty() || digits.size() > 5)
        return std::nullopt;
    int n = 0;
    for (QChar c : digits) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
        n = n * 10 + (c.unicode() - '0');
    }
    if (n <= 0 || n > 65535)
        return std::nullopt;
    return n;
}
} // namespace

std::optional<HostPort> parseHostPort(QStringView textIn, PortRule rule)
{
    const QStringView text = textIn.trimmed();
    const bool optional = rule == PortRule::Optional;
    HostPort hp;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1Char(']'));
        if (close <= 1)
            return std::nullopt;
        hp.host = text.mid(1, close - 1).toString();
        hp.ipv6 = true;
        const QStringView rest = text.mid(close + 1);
        if (rest.isEmpty())
            return optional ? std::optional<HostPort>(hp) : std::nullopt;
        if (!rest.startsWith(QLatin1Char(':')))
            return std::nullopt;
        const auto port = portOf(rest.mid(1));
        if (!port)
            return std::nullopt;
        hp.port = *port;
        return hp;
    }
    const qsizetype colons = text.count(QLatin1Char(':'));
    if (colons == 0) {
        if (!optional || text.isEmpty())
            return std::nullopt;
        hp.host = text.toString();
        return hp;
    }
    if (colons > 1) {
        // An unbracketed IPv6 address: never split (which colon would start the port?).
        if (!optional)
            return std::nullopt;
        hp.host = text.toString();
        hp.ipv6 = true;
        return hp;
    }
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    const auto port = portOf(text.mid(colon + 1));
    if (colon == 0 || !port)
        return std::nullopt;
    hp.host = text.left(colon).toString();
    hp.port = *port;
    return hp;
}

QString formatHostPort(const QString &host, int port)
{
    if (host.contains(QLatin1Char(':')))
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

} // namespace sd
