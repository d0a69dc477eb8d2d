#include "cli.h"

namespace sd::cli {

int cmdPrune(const QStringList &args)
{
    Q_UNUSED(args);
    return fail(QString(), BadInput, QStringLiteral("prune is not implemented yet"));
}

} // namespace sd::cli
