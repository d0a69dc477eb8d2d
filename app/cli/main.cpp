#include "cli.h"
#include "sqlite/sqlitedb.h"
#include "util/hardening.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    sd::hardenProcess(); // not dumpable, no core, umask 077, secrets out of the environment
    sd::configureSqlite(); // before any thread touches SQLite
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sessiondesk"));
    QCoreApplication::setOrganizationName(QStringLiteral("SessionDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SESSIONDESK_VERSION));
    return sd::cli::run(QCoreApplication::arguments());
}
