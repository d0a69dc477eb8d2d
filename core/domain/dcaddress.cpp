#include "dcaddress.h"

#include "session.h"

#include <QLatin1StringView>
#include <vector>

namespace sd {

namespace {
struct Row {
    const char *address;
    int dc;
    bool test;
    bool media;
};
// Every address of docs/formats.md 10.1-10.4, across libraries.
const Row kKnown[] = {
    {"149.154.175.53", 1, false, false}, {"149.154.175.50", 1, false, false}, {"149.154.175.52", 1, false, false},
    {"149.154.175.58", 1, false, false}, {"149.154.175.56", 1, false, false}, {"149.154.175.211", 1, false, true},
    {"149.154.167.51", 2, false, false}, {"95.161.76.100", 2, false, false},  {"149.154.167.41", 2, false, false},
    {"149.154.167.50", 2, false, false}, {"149.154.167.151", 2, false, true}, {"149.154.167.222", 2, false, true},
    {"149.154.167.35", 2, false, true},  {"149.154.175.100", 3, false, false}, {"149.154.167.92", 4, false, false},
    {"149.154.167.91", 4, false, false}, {"149.154.164.250", 4, false, true}, {"149.154.166.120", 4, false, true},
    {"149.154.167.255", 4, false, true}, {"91.108.56.190", 5, false, false},  {"91.108.56.130", 5, false, false},
    {"149.154.171.5", 5, false, false},  {"91.108.56.191", 5, false, false},  {"91.108.56.151", 5, false, false},
    {"91.108.56.179", 5, false, false},  {"149.154.171.255", 5, false, true}, {"91.105.192.100", 203, false, false},
    {"2001:b28:f23d:f001::a", 1, false, false}, {"2001:67c:4e8:f002::a", 2, false, false},
    {"2001:67c:4e8:f002::b", 2, false, true},   {"2001:b28:f23d:f003::a", 3, false, false},
    {"2001:67c:4e8:f004::a", 4, false, false},  {"2001:67c:4e8:f004::b", 4, false, true},
    {"2001:b28:f23f:f005::a", 5, false, false}, {"2a0a:f280:203:a:5000::100", 203, false, false},
    {"149.154.175.10", 1, true, false},  {"149.154.167.40", 2, true, false}, {"149.154.175.117", 3, true, false},
    {"2001:b28:f23d:f001::e", 1, true, false}, {"2001:67c:4e8:f002::e", 2, true, false},
    {"2001:b28:f23d:f003::e", 3, true, false},
    {"pluto.web.telegram.org", 1, false, false}, {"venus.web.telegram.org", 2, false, false},
    {"aurora.web.telegram.org", 3, false, false}, {"vesta.web.telegram.org", 4, false, false},
    {"flora.web.telegram.org", 5, false, false},
};
} // namespace

std::optional<DcAddress> defaultDcAddress(int dcId, bool test, bool ipv6, bool media)
{
    if (test) {
        static const char *v4[] = {"149.154.175.10", "149.154.167.40", "149.154.175.117"};
        static const char *v6[] = {"2001:b28:f23d:f001::e", "2001:67c:4e8:f002::e", "2001:b28:f23d:f003::e"};
        if (dcId < 1 || dcId > 3)
            return std::nullopt;
        return DcAddress{QString::fromLatin1(ipv6 ? v6[dcId - 1] : v4[dcId - 1]), 80};
    }
    static const char *v4[] = {"149.154.175.53", "149.154.167.51", "149.154.175.100", "149.154.167.91", "91.108.56.130"};
    static const char *v6[] = {"2001:b28:f23d:f001::a", "2001:67c:4e8:f002::a", "2001:b28:f23d:f003::a",
                               "2001:67c:4e8:f004::a", "2001:b28:f23f:f005::a"};
    if (dcId == 203)
        return DcAddress{QString::fromLatin1(ipv6 ? "2a0a:f280:203:a:5000::100" : "91.105.192.100"), 443};
    if (dcId < 1 || dcId > 5)
        return std::nullopt;
    if (media && !ipv6) {
        if (dcId == 2)
            return DcAddress{QStringLiteral("149.154.167.151"), 443};
        if (dcId == 4)
            return DcAddress{QStringLiteral("149.154.164.250"), 443};
    }
    if (media && ipv6 && (dcId == 2 || dcId == 4))
        return DcAddress{dcId == 2 ? QStringLiteral("2001:67c:4e8:f002::b") : QStringLiteral("2001:67c:4e8:f004::b"), 443};
    return DcAddress{QString::fromLatin1(ipv6 ? v6[dcId - 1] : v4[dcId - 1]), 443};
}

std::optional<KnownAddress> lookupDcAddress(const QString &address)
{
    // About fifty short addresses: a scan comparing lengths first beats hashing the text.
    static const std::vector<std::pair<QLatin1StringView, KnownAddress>> table = [] {
        std::vector<std::pair<QLatin1StringView, KnownAddress>> t;
        for (const Row &r : kKnown)
            t.emplace_back(QLatin1StringView(r.address), KnownAddress{r.dc, r.test, r.media});
        return t;
    }();
    // Addresses usually come canonical (lower case, no brackets or spaces): look them up as they
    // are, without building a normalized copy.
    bool canonical = !address.isEmpty();
    for (const QChar c : address) {
        const char16_t u = c.unicode();
        if (u > 0x7e || (u >= u'A' && u <= u'Z') || u <= u' ' || u == u'[' || u == u']')
            canonical = false;
    }
    QString a = address;
    if (!canonical) {
        a = address.trimmed().toLower();
        if (a.startsWith(QLatin1Char('[')) && a.endsWith(QLatin1Char(']')))
            a = a.mid(1, a.size() - 2);
    }
    // Same-length addresses share their start ("149.154.167.5x"): compare from the end.
    const QChar *chars = a.constData();
    for (const auto &[known, info] : table) {
        qsizetype i = known.size();
        if (i != a.size())
            continue;
        while (i > 0 && chars[i - 1].unicode() == static_cast<uchar>(known[i - 1].toLatin1()))
            --i;
        if (i == 0)
            return info;
    }
    return std::nullopt;
}

void fillMissingAddresses(Session &session)
{
    for (DcAuth &d : session.dcs) {
        if (!d.address.isEmpty())
            continue;
        const bool test = d.testMode.value_or(session.testMode.value_or(false));
        if (auto a = defaultDcAddress(d.dcId, test, d.ipv6, d.mediaOnly)) {
            d.address = a->address;
            d.port = a->port;
        }
    }
}

} // namespace sd

namespace sd {

HostPort dcEndpoint(const Session &session, const DcAuth *dc)
{
    HostPort hp;
    if (dc && !dc->address.isEmpty()) {
        hp.host = dc->address;
        hp.port = dc->port > 0 ? dc->port : 443;
        hp.ipv6 = dc->ipv6 || dc->address.contains(QLatin1Char(':'));
        return hp;
    }
    const int id = dc ? dc->dcId : session.dcId;
    const bool test = dc && dc->testMode ? *dc->testMode : session.testMode.value_or(false);
    if (auto a = defaultDcAddress(id, test, dc && dc->ipv6, dc && dc->mediaOnly)) {
        hp.host = a->address;
        hp.port = a->port;
        hp.ipv6 = a->address.contains(QLatin1Char(':'));
    }
    return hp;
}

} // namespace sd
