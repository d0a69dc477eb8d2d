#include "mainwindow.h"
#include "sqlite/sqlitedb.h"
#include "util/hardening.h"

#include "accountview.h"
#include "bundlekeys.h"
#include "screenshotscenes.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEvent>
#include <QIcon>
#include <QTimer>
#include <cstdio>

namespace {

// SD_STARTUP_BENCHMARK=1 (bench/run, issue 19): at the window's first paint, print the time since
// main() and the wall clock (ms since the epoch; the caller subtracts its own start time to get
// the whole process, loading included), then quit.
class FirstPaint : public QObject {
public:
    explicit FirstPaint(const QElapsedTimer &since) : m_since(since) {}
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_done) {
            m_done = true;
            std::printf("startup: first paint %.1f ms after main(), at %lld ms since the epoch\n",
                        static_cast<double>(m_since.nsecsElapsed()) / 1e6,
                        static_cast<long long>(QDateTime::currentMSecsSinceEpoch()));
            std::fflush(stdout);
            QTimer::singleShot(0, qApp, [] { QApplication::exit(0); });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QElapsedTimer m_since;
    bool m_done = false;
};

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    const bool startupBenchmark = qEnvironmentVariableIntValue("SD_STARTUP_BENCHMARK") == 1;
    sd::hardenProcess(); // not dumpable, no core, umask 077, secrets out of the environment
    sd::configureSqlite(); // before any thread touches SQLite
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sessiondesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("SessionDesk"));
    QApplication::setOrganizationName(QStringLiteral("SessionDesk"));
    QApplication::setApplicationVersion(QStringLiteral(SESSIONDESK_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.sessiondesk.SessionDesk"));
    QIcon icon;
    for (int s : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/sessiondesk-%1.png").arg(s), QSize(s, s));
    QApplication::setWindowIcon(icon);
    sd::installGuiBundleKeys(); // .age bundles open like any file (machine identity or a passphrase)

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Audit, browse, migrate and prune Telegram MTProto sessions"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("Session files or folders to open."), QStringLiteral("[paths...]"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window to <file> and quit."),
                                  QStringLiteral("file"));
    QCommandLineOption tab(QStringLiteral("tab"), QStringLiteral("Account tab to show first (0-4)."), QStringLiteral("index"));
    QCommandLineOption scene(QStringLiteral("scene"), QStringLiteral("With --screenshot: what to grab (%1).").arg(sd::screenshotScenes().join(QStringLiteral(", "))),
                             QStringLiteral("name"), QStringLiteral("main"));
    QCommandLineOption palette(QStringLiteral("palette"), QStringLiteral("Use a built-in palette: dark."), QStringLiteral("name"));
    parser.addOption(screenshot);
    parser.addOption(tab);
    parser.addOption(scene);
    parser.addOption(palette);
    parser.process(app);
    if (parser.value(palette) == QLatin1String("dark"))
        sd::applyDarkPalette();

    sd::MainWindow w;
    FirstPaint firstPaint(sinceMain);
    if (startupBenchmark)
        w.installEventFilter(&firstPaint);
    w.show();
    if (!parser.positionalArguments().isEmpty())
        w.openPaths(parser.positionalArguments());
    if (parser.isSet(tab))
        w.accountView()->setCurrentIndex(parser.value(tab).toInt());
    if (parser.isSet(screenshot)) {
        const QString out = parser.value(screenshot);
        // Give the lazy peer table time to fill its first rows.
        const QString which = parser.value(scene);
        const QStringList paths = parser.positionalArguments();
        QTimer::singleShot(1500, &w, [&w, out, which, paths] {
            const bool ok = sd::grabScene(w, which, paths, out);
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
