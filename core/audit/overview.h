#pragma once
// The folder overview (what the desktop app shows first when a folder is opened): accounts by
// library, by DC, bots vs users, duplicated keys, findings by severity, total peers and the largest
// caches, all computed from one audit report, so the numbers are those of `audit --json` on the
// same tree. Each number names the places behind it (the app filters its sidebar to them).
#include "audit/audit.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <vector>

namespace sd {

struct OverviewFilter {
    enum Kind { All, Library, Dc, Bots, Users, UnknownKind, Duplicates, Severity, Largest };
    Kind kind = All;
    QString value;                      // library id, DC number, severity name
};

struct FolderOverview {
    int accounts = 0;                   // sessions found (one per place and account)
    int places = 0;                     // distinct places holding sessions
    QMap<QString, int> byLibrary;       // format id -> accounts
    QMap<int, int> byDc;                // DC id -> accounts
    int bots = 0;
    int users = 0;
    int unknownKind = 0;                // the format does not say bot or user
    int duplicatedKeys = 0;             // auth_key_ids held in two or more places
    int duplicatePlaces = 0;            // places holding one of them
    QMap<QString, int> findingsBySeverity; // "high"/"medium"/"low" -> findings
    qint64 totalPeers = 0;
    std::vector<std::pair<QString, qint64>> largestCaches; // place -> peers, largest first (at most 5)
};

FolderOverview folderOverview(const AuditReport &report);
// The places a number of the overview stands for, in scan order.
QStringList overviewPlaces(const AuditReport &report, const OverviewFilter &filter);

} // namespace sd
