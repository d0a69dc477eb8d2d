#include "cli.h"
#include "sqlite/sqlitedb.h"

#include <QCoreApplication>
#include <sys/resource.h>

int main(int argc, char **argv)
{
#ifdef NDEBUG
    // Key material must never end up in a core dump.
    rlimit none {0, 0};
    setrlimit(RLIMIT_CORE, &none);
#endif
    sd::configureSqlite(); // before any thread touches SQLite
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sessiondesk"));
    QCoreApplication::setOrganizationName(QStringLiteral("SessionDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SESSIONDESK_VERSION));
    return sd::cli::run(QCoreApplication::arguments());
}
