#include "overview.h"

#include <QSet>
#include <algorithm>

namespace sd {

namespace {
QMap<QString, qint64> peersByPlace(const AuditReport &r)
{
    QMap<QString, qint64> out;
    for (const AuditedSession &s : r.found)
        out[s.path] += s.peers;
    return out;
}

std::vector<std::pair<QString, qint64>> largest(const AuditReport &r)
{
    const QMap<QString, qint64> byPlace = peersByPlace(r);
    std::vector<std::pair<QString, qint64>> v;
    for (auto it = byPlace.cbegin(); it != byPlace.cend(); ++it)
        if (it.value() > 0)
            v.emplace_back(it.key(), it.value());
    std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    if (v.size() > 5)
        v.resize(5);
    return v;
}

QSet<QString> duplicatePlaceSet(const AuditReport &r)
{
    QSet<QString> out;
    for (const Finding &f : r.findings)
        if (f.rule == QLatin1String("duplicate-auth-key"))
            out.insert(f.path);
    return out;
}
} // namespace

FolderOverview folderOverview(const AuditReport &r)
{
    FolderOverview o;
    QSet<QString> places;
    for (const AuditedSession &s : r.found) {
        ++o.accounts;
        places.insert(s.path);
        o.byLibrary[s.formatId] += 1;
        o.byDc[s.dcId] += 1;
        if (!s.isBot)
            ++o.unknownKind;
        else if (*s.isBot)
            ++o.bots;
        else
            ++o.users;
        o.totalPeers += s.peers;
    }
    o.places = static_cast<int>(places.size());
    QSet<QString> keys;
    for (const Finding &f : r.findings) {
        o.findingsBySeverity[severityName(f.severity)] += 1;
        if (f.rule == QLatin1String("duplicate-auth-key") && f.authKeyId)
            keys.insert(*f.authKeyId);
    }
    o.duplicatedKeys = static_cast<int>(keys.size());
    o.duplicatePlaces = static_cast<int>(duplicatePlaceSet(r).size());
    o.largestCaches = largest(r);
    return o;
}

QStringList overviewPlaces(const AuditReport &r, const OverviewFilter &f)
{
    QStringList out;
    auto add = [&out](const QString &p) {
        if (!out.contains(p))
            out << p;
    };
    if (f.kind == OverviewFilter::Severity) {
        for (const Finding &x : r.findings)
            if (severityName(x.severity) == f.value)
                add(x.path);
        return out;
    }
    if (f.kind == OverviewFilter::Duplicates) {
        const QSet<QString> dup = duplicatePlaceSet(r);
        for (const AuditedSession &s : r.found)
            if (dup.contains(s.path))
                add(s.path);
        return out;
    }
    if (f.kind == OverviewFilter::Largest) {
        for (const auto &[place, n] : largest(r))
            if (f.value.isEmpty() || f.value == place)
                add(place);
        return out;
    }
    for (const AuditedSession &s : r.found) {
        bool match = false;
        switch (f.kind) {
        case OverviewFilter::All: match = true; break;
        case OverviewFilter::Library: match = s.formatId == f.value; break;
        case OverviewFilter::Dc: match = QString::number(s.dcId) == f.value; break;
        case OverviewFilter::Bots: match = s.isBot && *s.isBot; break;
        case OverviewFilter::Users: match = s.isBot && !*s.isBot; break;
        case OverviewFilter::UnknownKind: match = !s.isBot; break;
        default: break;
        }
        if (match)
            add(s.path);
    }
    return out;
}

} // namespace sd
