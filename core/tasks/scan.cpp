#include "scan.h"

#include "format/registry.h"

#include <QDir>
#include <QFileInfo>

namespace sd {

namespace {

struct Walker {
    TaskContext *ctx;
    const ScanLimits &limits;
    QList<ScanHit> hits;
    int seen = 0;

    bool stop() const { return (ctx && ctx->isCancelled()) || seen >= limits.maxEntries; }

    bool detect(const QString &path)
    {
        auto f = Registry::instance().detect(Source::fromPath(path));
        if (!f)
            return false;
        hits.push_back({path, (*f)->id(), true});
        return true;
    }

    void walk(const QString &dir, int depth)
    {
        if (stop() || depth > limits.maxDepth)
            return;
        const QFileInfoList entries = QDir(dir).entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                                                              QDir::Name);
        for (const QFileInfo &fi : entries) {
            if (stop())
                return;
            ++seen;
            if (ctx && seen % 16 == 0)
                ctx->progress(seen, 0, fi.absoluteFilePath());
            if (fi.isSymLink())
                continue;
            if (fi.isDir()) {
                if (!detect(fi.absoluteFilePath()))
                    walk(fi.absoluteFilePath(), depth + 1);
            } else if (fi.isFile() && fi.size() > 0 && fi.size() <= limits.maxFileSize) {
                // Side files of SQLite databases are not stores of their own.
                const QString n = fi.fileName();
                if (n.endsWith(QLatin1String("-wal")) || n.endsWith(QLatin1String("-shm"))
                    || n.endsWith(QLatin1String("-journal")))
                    continue;
                detect(fi.absoluteFilePath());
            }
        }
    }
};

} // namespace

QList<ScanHit> scanForSessions(const QString &root, TaskContext *ctx, const ScanLimits &limits)
{
    Walker w{ctx, limits, {}};
    QFileInfo fi(root);
    if (fi.isDir()) {
        if (!w.detect(fi.absoluteFilePath()))
            w.walk(fi.absoluteFilePath(), 0);
    } else if (fi.isFile()) {
        w.detect(fi.absoluteFilePath());
    }
    if (ctx)
        ctx->progress(w.seen, w.seen, {});
    return w.hits;
}

} // namespace sd
