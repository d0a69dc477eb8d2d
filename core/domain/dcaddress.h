#pragma once
// One consistent DC address table (docs/formats.md section 10): Pyrogram's PROD/TEST tables, which is
// what the libraries that carry only a DC id use themselves. The auth key is bound to the DC id,
// not to the address.
#include "util/hostport.h"

#include <QString>
#include <optional>

namespace sd {

struct DcAddress {
    QString address;
    int port = 443;
};

// nullopt for an unknown DC id. test selects the test-DC table (port 80 as Pyrogram uses).
std::optional<DcAddress> defaultDcAddress(int dcId, bool test = false, bool ipv6 = false, bool media = false);
// The DC id an address belongs to, from every library's table (docs/formats.md 10.1-10.4): used by
// formats that derive the DC from the IP (gogram) and by the test-DC mismatch audit rule.
struct KnownAddress {
    int dcId = 0;
    bool test = false;
    bool media = false;
};
std::optional<KnownAddress> lookupDcAddress(const QString &address);
// Fills address/port of every DC entry (and the primary) that lacks one.
struct Session;
struct DcAuth;
void fillMissingAddresses(Session &session);
// The address to write for a DC entry: its own (port 443 when it has none), or the default
// table's for its DC id (the session's primary DC when dc is null).
HostPort dcEndpoint(const Session &session, const DcAuth *dc);

} // namespace sd
