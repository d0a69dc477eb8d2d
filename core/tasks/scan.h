#pragma once
// Finds session stores below a folder (recursively): a folder that is itself a store (tdata, GramJS
// store) is reported whole and not descended into; files are detected one by one. Cancellable.
#include "tasks/task.h"

#include <QList>
#include <QString>

namespace sd {

struct ScanHit {
    QString path;
    QString formatId;
    bool readable = false;     // the format has a reader
};

struct ScanLimits {
    int maxDepth = 12;
    int maxEntries = 200000;   // files and folders looked at
    qint64 maxFileSize = 512LL * 1024 * 1024;
};

// ctx may be null (no progress, no cancel).
QList<ScanHit> scanForSessions(const QString &root, TaskContext *ctx = nullptr, const ScanLimits &limits = {});

} // namespace sd

Q_DECLARE_METATYPE(sd::ScanHit)
