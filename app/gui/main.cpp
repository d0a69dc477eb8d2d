#include "mainwindow.h"

#include <QApplication>
#include <sys/resource.h>

int main(int argc, char **argv)
{
#ifdef NDEBUG
    rlimit none {0, 0};
    setrlimit(RLIMIT_CORE, &none);
#endif
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sessiondesk"));
    QApplication::setOrganizationName(QStringLiteral("SessionDesk"));
    QApplication::setApplicationVersion(QStringLiteral(SESSIONDESK_VERSION));
    sd::MainWindow w;
    w.show();
    return app.exec();
}
