// bench_peermodel FILE.session: opens a (big) session file the way the app does (Document with peer
// counts only, PeerModel over the format's PeerTable in a worker thread) and prints
//   time to first rows (from the start of opening), time to jump to the last row, when the
//   in-memory peer index is ready, search latency after the last keystroke (a rare and a common
//   term), sort time per column, and RSS (issue 19's targets).
// Make a 1M-peer file with: python3 bench/gen_telethon.py /tmp/1m.session --entities 1000000
#include "edit/document.h"
#include "peermodel.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QTimer>
#include <cstdio>

namespace {

qint64 rssKb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(static_cast<int>(qstrlen(field))).trimmed().split(' ').first().toLongLong();
    return -1;
}

// Runs the event loop until pred() or timeout; returns elapsed ms or -1.
template <typename Pred>
double waitFor(Pred pred, int timeoutMs = 60000)
{
    QElapsedTimer t;
    t.start();
    while (!pred()) {
        if (t.elapsed() > timeoutMs)
            return -1;
        QEventLoop loop;
        QTimer::singleShot(1, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_peermodel FILE.session\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    const qint64 rssStart = rssKb("VmRSS:");

    QElapsedTimer total;
    total.start();
    auto doc = sd::Document::open(sd::Source::fromPath(path));
    if (!doc) {
        std::fprintf(stderr, "open: %s\n", qPrintable(doc.error().message));
        return 3;
    }
    const double openMs = static_cast<double>(total.nsecsElapsed()) / 1e6;
    sd::PeerModel model;
    model.sort(sd::PeerModel::MarkedId, Qt::AscendingOrder); // what the view's sort indicator does
    model.setDocument(doc->get(), 0, nullptr);
    const double firstWait = waitFor([&] { return model.total() >= 0 && (model.total() == 0 || model.isRowLoaded(0)); });
    const double firstMs = static_cast<double>(total.nsecsElapsed()) / 1e6;
    if (firstWait < 0 || !model.lastError().isEmpty()) {
        std::fprintf(stderr, "first rows: %s\n", qPrintable(model.lastError().isEmpty() ? QStringLiteral("timeout") : model.lastError()));
        return 1;
    }
    const int rows = model.rowCount();

    // Jump to the last row, as a scroll-bar drag to the end does (data() of the visible rows).
    QElapsedTimer jump;
    jump.start();
    const int last = rows - 1;
    for (int r = std::max(0, last - 40); r <= last; ++r)
        (void)model.data(model.index(r, 0));
    waitFor([&] { return model.isRowLoaded(last); });
    const double jumpMs = static_cast<double>(jump.nsecsElapsed()) / 1e6;

    // Back to the top and a few scattered jumps (cache eviction keeps memory flat).
    QElapsedTimer scatter;
    scatter.start();
    int jumps = 0;
    for (int r = 0; r < rows; r += std::max(1, rows / 50), ++jumps) {
        (void)model.data(model.index(r, 0));
        waitFor([&] { return model.isRowLoaded(r); });
    }
    const double scatterMs = jumps ? static_cast<double>(scatter.nsecsElapsed()) / 1e6 / jumps : 0;

    // The in-memory index (issue 19): built in the background after the first rows.
    const double indexWait = waitFor([&] { return model.indexReady(); }, 120000);
    const double indexMs = static_cast<double>(total.nsecsElapsed()) / 1e6 - openMs;
    const qint64 rssIndexReady = rssKb("VmHWM:");
    if (indexWait < 0) {
        std::fprintf(stderr, "the peer index was not built\n");
        return 1;
    }

    auto shown = [&](const QString &text) {
        return model.search() == text && model.total() >= 0 && (model.total() == 0 || model.isRowLoaded(0));
    };
    // Typing: one keystroke every 120 ms into a search box debounced as PeersPanel's; the figure
    // is the time from the last keystroke until the count and the first rows are in.
    QTimer debounce;
    debounce.setSingleShot(true);
    QString typed;
    QObject::connect(&debounce, &QTimer::timeout, [&] { model.setSearch(typed); });
    auto type = [&](const QString &term) {
        typed.clear();
        model.setSearch(QString());
        waitFor([&] { return shown(QString()); });
        QElapsedTimer sinceLast;
        for (qsizetype i = 0; i < term.size(); ++i) {
            typed = term.left(i + 1);
            debounce.setInterval(model.searchDebounceMs());
            debounce.start();
            sinceLast.start();
            if (i + 1 < term.size())
                waitFor([] { return false; }, 120);
        }
        waitFor([&] { return shown(term); });
        return std::make_pair(static_cast<double>(sinceLast.nsecsElapsed()) / 1e6, model.total());
    };
    const QString rareTerm = qEnvironmentVariable("SD_BENCH_RARE", QStringLiteral("user12345"));
    const QString commonTerm = qEnvironmentVariable("SD_BENCH_COMMON", QStringLiteral("user1"));
    const auto rare = type(rareTerm);
    const auto common = type(commonTerm);
    // Search while sorted by name (the filter then walks the cached name order).
    model.sort(sd::PeerModel::Name, Qt::AscendingOrder);
    waitFor([&] { return shown(QString()); });
    const auto commonByName = type(commonTerm);
    model.setSearch(QString());
    const qint64 rssSearched = rssKb("VmHWM:");

    // Sort by every column, ascending then descending, until the first rows show.
    struct SortFigure {
        int column;
        double asc, desc;
    };
    std::vector<SortFigure> sorts;
    for (int c = sd::PeerModel::MarkedId; c <= sd::PeerModel::Updated; ++c) {
        SortFigure f{c, 0, 0};
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            QElapsedTimer t;
            t.start();
            model.sort(c, order);
            waitFor([&] { return shown(QString()); });
            (order == Qt::AscendingOrder ? f.asc : f.desc) = static_cast<double>(t.nsecsElapsed()) / 1e6;
        }
        sorts.push_back(f);
    }

    std::printf("file                 %s\n", qPrintable(path));
    std::printf("peers                %d\n", rows);
    std::printf("open (counts)        %8.1f ms\n", openMs);
    std::printf("first rows           %8.1f ms after the file was opened (target <= 150)\n", firstMs - openMs);
    std::printf("first rows total     %8.1f ms from the start, reader's open included\n", firstMs);
    std::printf("jump to last row     %8.1f ms (target <= 50)\n", jumpMs);
    std::printf("scattered jump avg   %8.1f ms over %d jumps\n", scatterMs, jumps);
    std::printf("index ready          %8.1f ms after the file was opened (target <= 2000); the pass alone %.1f ms, %.1f MB\n",
                indexMs, model.indexBuildMs(), static_cast<double>(model.indexMemoryBytes()) / (1024.0 * 1024.0));
    std::printf("search rare          %8.1f ms after the last keystroke (target <= 50): \"%s\", %lld matches\n", rare.first,
                qPrintable(rareTerm), static_cast<long long>(rare.second));
    std::printf("search common        %8.1f ms after the last keystroke (target <= 50): \"%s\", %lld matches\n", common.first,
                qPrintable(commonTerm), static_cast<long long>(common.second));
    std::printf("search common name   %8.1f ms after the last keystroke, sorted by name (target <= 50)\n", commonByName.first);
    for (const SortFigure &f : sorts)
        std::printf("sort %-15s %8.1f ms ascending, %.1f ms descending (target <= 300)\n",
                    qPrintable(model.headerData(f.column, Qt::Horizontal).toString().section(QLatin1Char(' '), 0, 0).toLower()),
                    f.asc, f.desc);
    std::printf("cached chunks        %d x %lld rows\n", model.cachedChunks(), static_cast<long long>(model.chunkSize()));
    std::printf("peak RSS by stage    %.1f MB when the index was ready, %.1f MB after the searches\n", rssIndexReady / 1024.0,
                rssSearched / 1024.0);
    std::printf("RSS                  %8.1f MB now, %.1f MB peak, %.1f MB at start (target <= 80)\n", rssKb("VmRSS:") / 1024.0,
                rssKb("VmHWM:") / 1024.0, rssStart / 1024.0);
    return 0;
}
