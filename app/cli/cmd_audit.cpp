#include "cli.h"

namespace sd::cli {

int cmdAudit(const QStringList &args)
{
    Q_UNUSED(args);
    return fail(QString(), BadInput, QStringLiteral("audit is not implemented yet"));
}

} // namespace sd::cli
