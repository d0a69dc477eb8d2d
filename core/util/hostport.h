#pragma once
// "host:port" text, parsed and written in one place for every format that stores addresses as
// text (gogram, ferogram, Telethon v2, gotd, mtgo): "1.2.3.4:443", "[2001:db8::1]:443".
#include <QString>
#include <QStringView>
#include <optional>

namespace sd {

struct HostPort {
    QString host;       // without brackets
    int port = 0;       // 1..65535, 0 = none given (PortRule::Optional only)
    bool ipv6 = false;
};

enum class PortRule {
    Required,           // "host:port" / "[v6]:port" only; an unbracketed IPv6 address is ambiguous
    Optional,           // also "host", "[v6]" and a bare IPv6 address, with port 0
};

// nullopt when the text is not of that shape (empty host, port not 1..65535 digits).
std::optional<HostPort> parseHostPort(QStringView text, PortRule rule = PortRule::Required);
// The inverse; a host containing ':' (IPv6) is bracketed.
QString formatHostPort(const QString &host, int port);

} // namespace sd
