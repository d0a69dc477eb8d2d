#pragma once
// IP address text <-> network-order bytes, shared by every format that stores addresses packed
// (Telethon and Pyrogram strings, the ferogram compact string). No QtNetwork in core.
#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>
#include <optional>

namespace sd {

// Dotted-quad IPv4 or RFC 4291 IPv6 text (hex groups, at most one "::", optionally in [brackets],
// surrounding white space ignored) as 4 or 16 bytes. Host names, embedded IPv4 in IPv6 and IPv4
// parts with leading zeros ("010" means 8 to inet_aton but 10 to others) give nullopt.
std::optional<QByteArray> ipTextToBytes(QStringView text);
std::optional<QByteArray> ipTextToBytes(QByteArrayView latin1);
// Python ipaddress style text: dotted quad, or RFC 5952 compressed lower-case IPv6 (the longest
// run of two or more zero groups, the first on a tie, becomes "::"). Empty unless 4 or 16 bytes.
QString ipBytesToText(QByteArrayView bytes);
// True when the text names an IPv6 address (has a ':').
bool isIpv6Text(QStringView text);

} // namespace sd
