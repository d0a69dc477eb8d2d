#include "audit.h"

#include "audit/scanitem.h"
#include "format/registry.h"
#include "server/serverurl.h"
#include "io/inputfile.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QMap>
#include <QSet>
#include <QThread>
#include <algorithm>
#include <mutex>
#include <thread>

namespace sd {

QString severityName(Severity s)
{
    switch (s) {
    case Severity::Low: return QStringLiteral("low");
    case Severity::Medium: return QStringLiteral("medium");
    case Severity::High: return QStringLiteral("high");
    }
    return QStringLiteral("low");
}

std::optional<Severity> severityFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("low"))
        return Severity::Low;
    if (n == QLatin1String("medium"))
        return Severity::Medium;
    if (n == QLatin1String("high"))
        return Severity::High;
    return std::nullopt;
}

std::optional<Severity> AuditReport::worst() const
{
    std::optional<Severity> w;
    for (const Finding &f : findings)
        if (!w || static_cast<int>(f.severity) > static_cast<int>(*w))
            w = f.severity;
    return w;
}

namespace {

struct Item {
    QString path;
    bool isDir = false;
    QString special; // a FIFO, socket or device: reported (special-file) and never opened
};

Finding specialFinding(const QString &path, const QString &kind)
{
    return Finding{QStringLiteral("special-file"), Severity::Low, path, std::nullopt,
                   QStringLiteral("a %1, not a regular file: skipped, never opened (a session is never a %1; "
                                  "one named like a session file can block or fool the clients that open it)")
                       .arg(kind)};
}

// Special files anywhere inside a session folder (a FIFO named key_datas in a tdata folder): the
// folder is read without them (InputFile refuses them) and each is reported.
void collectSpecialInside(const QString &dir, std::vector<Item> &items)
{
    QDirIterator it(dir, QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (const QString kind = specialFileKind(path, false); !kind.isEmpty())
            items.push_back({path, false, kind});
    }
}

bool isSideFile(const QString &name)
{
    return name.endsWith(QLatin1String("-wal")) || name.endsWith(QLatin1String("-shm")) || name.endsWith(QLatin1String("-journal"));
}

bool detectedAsDir(const QString &path)
{
    auto probe = Probe::fromSource(Source::fromPath(path));
    if (!probe)
        return false;
    for (const Detection &d : Registry::instance().candidates(*probe))
        if (d.format->sourceKind() == SourceKind::Directory)
            return true;
    return false;
}

// A session folder, unless it is only detected because it holds one (a Telegram Desktop folder
// holding tdata/): then the folder is walked and the inner session folder is the place.
bool isSessionDir(const QString &path)
{
    if (!detectedAsDir(path))
        return false;
    const QDir d(path);
    for (const QString &sub : d.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden))
        if (detectedAsDir(d.filePath(sub)))
            return false;
    return true;
}

void walk(const QString &dir, bool recursive, std::vector<Item> &items, const AuditOptions &opt, int depth)
{
    if (depth > 64 || (opt.cancel && opt.cancel->load()))
        return;
    const QDir d(dir);
    const QFileInfoList entries = d.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
    for (const QFileInfo &fi : entries) {
        if (fi.isSymLink())
            continue; // never follow links out of the tree (and no loops)
        if (const QString kind = specialFileKind(fi.filePath(), false); !kind.isEmpty()) {
            items.push_back({fi.filePath(), false, kind});
            continue;
        }
        if (fi.isDir()) {
            if (isSessionDir(fi.filePath())) {
                items.push_back({fi.filePath(), true, {}});
                collectSpecialInside(fi.filePath(), items);
            } else if (recursive)
                walk(fi.filePath(), recursive, items, opt, depth + 1);
        } else if (fi.isFile() && !isSideFile(fi.fileName())) {
            items.push_back({fi.filePath(), false, {}});
        }
    }
}

// The items' sessions and findings in scan order, duplicate-auth-key across them, the findings
// sorted (high first). done: which items were analysed (a cancelled scan leaves some out).
void mergeResults(AuditReport &report, std::vector<ItemResult> &results, const std::vector<char> &done)
{
    QMap<QString, QStringList> placesByKey; // auth_key_id -> places, in scan order
    for (size_t i = 0; i < results.size(); ++i) {
        if (!done[i])
            continue;
        ItemResult &r = results[i];
        ++report.scanned;
        if (!r.error.isEmpty() && r.sessions.empty())
            report.errors << QStringLiteral("%1: %2").arg(r.path, r.error);
        for (AuditedSession &s : r.sessions) {
            ++report.sessions;
            for (const QString &k : s.allKeyIds)
                if (!placesByKey[k].contains(s.path))
                    placesByKey[k] << s.path;
            report.found.push_back(std::move(s));
        }
        for (Finding &f : r.findings)
            report.findings.push_back(std::move(f));
    }
    for (auto it = placesByKey.begin(); it != placesByKey.end(); ++it) {
        if (it.value().size() < 2)
            continue;
        for (const QString &place : it.value()) {
            QStringList others = it.value();
            others.removeAll(place);
            report.findings.push_back(Finding{QStringLiteral("duplicate-auth-key"), Severity::High, place, it.key(),
                                              QStringLiteral("the same auth key is also in %1; using a key from two places at once "
                                                             "gets it revoked (AUTH_KEY_DUPLICATED)")
                                                  .arg(others.join(QStringLiteral(", ")))});
        }
    }
    std::stable_sort(report.findings.begin(), report.findings.end(), [](const Finding &a, const Finding &b) {
        if (a.severity != b.severity)
            return static_cast<int>(a.severity) > static_cast<int>(b.severity);
        if (a.rule != b.rule)
            return a.rule < b.rule;
        if (a.path != b.path)
            return a.path < b.path;
        static const QString none;
        const QString &ka = a.authKeyId.has_value() ? *a.authKeyId : none;
        const QString &kb = b.authKeyId.has_value() ? *b.authKeyId : none;
        return ka < kb;
    });
}

} // namespace

AuditReport runAudit(const QStringList &paths, const AuditOptions &options)
{
    AuditReport report;
    const qint64 now = options.now > 0 ? options.now : QDateTime::currentSecsSinceEpoch();

    std::vector<Item> items;
    for (const QString &p : paths) {
        if (server::looksLikeServerUrl(p)) { // a server store: analyzeItem reads every session in it
            items.push_back({p, false, QString()});
            continue;
        }
        const QFileInfo fi(p);
        if (!fi.exists()) {
            report.errors << QStringLiteral("%1: no such file or folder").arg(p);
            continue;
        }
        if (const QString kind = specialFileKind(p); !kind.isEmpty()) {
            items.push_back({p, false, kind});
        } else if (fi.isDir()) {
            if (isSessionDir(p)) {
                items.push_back({p, true, {}});
                collectSpecialInside(p, items);
            } else {
                walk(p, options.recursive, items, options, 0);
            }
        } else {
            items.push_back({p, false, {}});
        }
    }
    // Special files are reported here and never reach a reader.
    {
        std::vector<Item> regular;
        for (Item &it : items) {
            if (it.special.isEmpty())
                regular.push_back(std::move(it));
            else
                report.findings.push_back(specialFinding(it.path, it.special));
        }
        items = std::move(regular);
    }
    // The same place named twice (overlapping arguments) is one place.
    {
        QSet<QString> seen;
        std::vector<Item> unique;
        for (Item &it : items) {
            const QString key = server::looksLikeServerUrl(it.path) ? it.path : QFileInfo(it.path).absoluteFilePath();
            if (!seen.contains(key)) {
                seen.insert(key);
                unique.push_back(std::move(it));
            }
        }
        items = std::move(unique);
    }

    std::vector<ItemResult> results(items.size());
    std::vector<char> done(items.size(), 0);
    std::atomic<size_t> next {0};
    std::atomic<qint64> finished {0};
    std::mutex progressMutex;
    const qint64 total = static_cast<qint64>(items.size());
    auto worker = [&] {
        for (;;) {
            if (options.cancel && options.cancel->load())
                return;
            const size_t i = next.fetch_add(1);
            if (i >= items.size())
                return;
            results[i] = analyzeItem(items[i].path, items[i].isDir, options, now);
            done[i] = 1;
            const qint64 n = finished.fetch_add(1) + 1;
            if (options.progress) {
                std::lock_guard<std::mutex> g(progressMutex);
                options.progress(n, total, items[i].path);
            }
        }
    };
    int threads = options.threads > 0 ? options.threads : std::max(1, QThread::idealThreadCount());
    threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(1, items.size() / 16 + 1)));
    if (threads <= 1) {
        worker();
    } else {
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back(worker);
        for (auto &t : pool)
            t.join();
    }
    report.cancelled = options.cancel && options.cancel->load();
    mergeResults(report, results, done);
    return report;
}

AuditReport auditServerStore(const QString &url, const Store &store, const QString &formatId, const AuditOptions &options)
{
    AuditReport report;
    const qint64 now = options.now > 0 ? options.now : QDateTime::currentSecsSinceEpoch();
    std::vector<ItemResult> results;
    results.push_back(serverStoreResult(url, store, formatId, options, now));
    mergeResults(report, results, std::vector<char>(1, 1));
    return report;
}

} // namespace sd
