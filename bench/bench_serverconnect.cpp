// bench_serverconnect URL: the desktop app's "Connect to server…" path, timed the way a user sees it.
// A main window (offscreen) opens the Connect dialog from its File menu action, the URL and the password
// (SD_PG_PASSWORD / SD_REDIS_PASSWORD, typed into the masked field) are filled in and Connect is
// pressed; the clock runs from that press until the peer table of the first session shows its first
// row: connect and detect (core/server), the session's counts, the sidebar entry, the lazy PeerModel's
// first chunk fetched from the server in its worker thread. Prints
//   first rows after connecting   MS (target <= 200)
// plus the split (dialog accepted / first chunk). Run inside tests/with-servers.sh (bench/server_bench.py).
#include "accountview.h"
#include "connectdialog.h"
#include "mainwindow.h"
#include "peermodel.h"
#include "peerspanel.h"
#include "uifacade.h"
#include "edit/workspace.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTimer>
#include <cstdio>

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // no settings of the user's app are read or written
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_serverconnect URL (password from SD_PG_PASSWORD or SD_REDIS_PASSWORD)\n");
        return 2;
    }
    const QString url = QString::fromLocal8Bit(argv[1]);
    const QString password = qEnvironmentVariable(url.startsWith(QLatin1String("redis")) ? "SD_REDIS_PASSWORD" : "SD_PG_PASSWORD");
    // Only the typed password counts (no PGPASSWORD, ~/.pgpass or REDISCLI_AUTH behind the dialog's back).
    qunsetenv("PGPASSWORD");
    qunsetenv("REDISCLI_AUTH");
    qputenv("PGPASSFILE", "/nonexistent");
    sd::ScriptedUi ui;
    sd::UiFacade::install(&ui);

    sd::MainWindow w;
    w.setServerSecretStore(nullptr);
    w.show();
    w.accountView()->setCurrentIndex(sd::AccountView::PeersTab);
    QElapsedTimer clock;
    double acceptedMs = -1;
    QString failure;
    QTimer::singleShot(0, &w, [&] {
        auto *d = w.findChild<sd::ConnectDialog *>();
        if (!d) {
            failure = QStringLiteral("the dialog did not open");
            return;
        }
        d->urlField()->setText(url);
        d->passwordField()->setText(password);
        clock.start();
        d->connectButton()->click();
        acceptedMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        if (d->isVisible()) {
            failure = d->statusText();
            d->reject();
        }
    });
    w.action(QStringLiteral("connectServer"))->trigger();
    if (!failure.isEmpty() || acceptedMs < 0) {
        std::fprintf(stderr, "connect: %s\n", qPrintable(failure));
        return 1;
    }
    sd::PeerModel *model = w.accountView()->peers()->model();
    while (!(model->total() >= 0 && (model->total() == 0 || model->isRowLoaded(0))) && model->lastError().isEmpty()) {
        if (clock.elapsed() > 60000) {
            std::fprintf(stderr, "first rows: timeout\n");
            return 1;
        }
        QEventLoop loop;
        QTimer::singleShot(1, &loop, &QEventLoop::quit);
        loop.exec();
    }
    const double firstMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    if (!model->lastError().isEmpty()) {
        std::fprintf(stderr, "first rows: %s\n", qPrintable(model->lastError()));
        return 1;
    }
    std::printf("url                          %s\n", qPrintable(url));
    std::printf("sessions in the sidebar      %d\n", w.workspace()->count());
    std::printf("peers (first session)        %lld\n", static_cast<long long>(model->total()));
    std::printf("connect dialog accepted      %8.1f ms (connect, detect, session counts)\n", acceptedMs);
    std::printf("first rows after connecting  %8.1f ms (target <= 200)\n", firstMs);
    return 0;
}
