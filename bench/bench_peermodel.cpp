// bench_peermodel FILE.session: opens a (big) session file the way the app does (Document with peer
// counts only, PeerModel over the format's PeerTable in a worker thread) and prints
//   time to first rows (from the start of opening), time to jump to the last row, a search, and RSS.
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

    // A search (SQL WHERE in the worker) until its first rows show.
    QElapsedTimer search;
    search.start();
    model.setSearch(QStringLiteral("user12345"));
    waitFor([&] { return model.total() >= 0 && (model.total() == 0 || model.isRowLoaded(0)); });
    const double searchMs = static_cast<double>(search.nsecsElapsed()) / 1e6;
    const qint64 found = model.total();

    // Sort by name descending.
    QElapsedTimer sort;
    sort.start();
    model.setSearch(QString());
    model.sort(sd::PeerModel::Name, Qt::DescendingOrder);
    waitFor([&] { return model.total() >= 0 && (model.total() == 0 || model.isRowLoaded(0)); });
    const double sortMs = static_cast<double>(sort.nsecsElapsed()) / 1e6;

    std::printf("file                 %s\n", qPrintable(path));
    std::printf("peers                %d\n", rows);
    std::printf("open (counts)        %8.1f ms\n", openMs);
    std::printf("first rows           %8.1f ms after the file was opened (target <= 150)\n", firstMs - openMs);
    std::printf("first rows total     %8.1f ms from the start, reader's open included\n", firstMs);
    std::printf("jump to last row     %8.1f ms (target <= 50)\n", jumpMs);
    std::printf("scattered jump avg   %8.1f ms over %d jumps\n", scatterMs, jumps);
    std::printf("search first rows    %8.1f ms (%lld matches)\n", searchMs, static_cast<long long>(found));
    std::printf("sort by name desc    %8.1f ms\n", sortMs);
    std::printf("cached chunks        %d x %lld rows\n", model.cachedChunks(), static_cast<long long>(model.chunkSize()));
    std::printf("RSS                  %8.1f MB now, %.1f MB peak, %.1f MB at start (target <= 80)\n", rssKb("VmRSS:") / 1024.0,
                rssKb("VmHWM:") / 1024.0, rssStart / 1024.0);
    return 0;
}
