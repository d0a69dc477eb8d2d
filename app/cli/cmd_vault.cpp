#include "cli.h"

namespace sd::cli {

int cmdVault(const QStringList &args)
{
    Q_UNUSED(args);
    return fail(QString(), BadInput, QStringLiteral("vault is not implemented yet"));
}

} // namespace sd::cli
