#include "editcommand.h"

#include <QDateTime>
#include <QObject>
#include <QUndoStack>

namespace sd {

namespace {
EditCommand::FailureHandler &failureHandler()
{
    static EditCommand::FailureHandler handler;
    return handler;
}
} // namespace

void EditCommand::setFailureHandler(FailureHandler handler) { failureHandler() = std::move(handler); }

void EditCommand::report(const Status &status, bool redo)
{
    if (status)
        return;
    setObsolete(true);
    const QString message = redo ? QObject::tr("Redo of \"%1\" failed: %2").arg(text(), status.error().message)
                                 : QObject::tr("Undo of \"%1\" failed: %2").arg(text(), status.error().message);
    if (failureHandler())
        failureHandler()(message);
    else
        qWarning("%s", qPrintable(message));
}

Status pushEdit(QUndoStack *stack, const QString &text, EditCommand::Apply redo, EditCommand::Apply undo)
{
    // Validate by applying once; the stack's first redo() is then skipped.
    Status first = redo();
    if (!first)
        return first;
    if (stack)
        stack->push(new EditCommand(text, std::move(redo), std::move(undo), true));
    return first;
}

QString formatTimestamp(const std::optional<qint64> &unixSeconds)
{
    if (!unixSeconds)
        return {};
    return QDateTime::fromSecsSinceEpoch(*unixSeconds, Qt::UTC).toString(Qt::ISODate);
}

} // namespace sd
