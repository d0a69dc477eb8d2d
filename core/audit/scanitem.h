#pragma once
// Internal to the audit engine: the analysis of one file or session folder.
#include "audit/audit.h"
#include "domain/session.h"

namespace sd {

struct ItemResult {
    QString path;
    QString formatId;                    // detected format, if any
    std::vector<AuditedSession> sessions;
    std::vector<Finding> findings;       // local findings (everything but duplicate-auth-key)
    QString error;                       // unreadable: the scan goes on
};

ItemResult analyzeItem(const QString &path, bool isDir, const AuditOptions &options, qint64 now);
// The sessions of a server store read at url (docs/cli.md "Server stores"): each one a place of its
// own, "URL#session=NAME".
ItemResult serverStoreResult(const QString &url, const Store &store, const QString &formatId, const AuditOptions &options, qint64 now);

} // namespace sd
