#include "editcommand.h"

#include <QDateTime>
#include <QUndoStack>

namespace sd {

Status pushEdit(QUndoStack *stack, const QString &text, EditCommand::Apply redo, EditCommand::Apply undo)
{
    // Validate by applying once; the command's first redo() then re-applies the same value.
    Status first = redo();
    if (!first)
        return first;
    if (stack)
        stack->push(new EditCommand(text, std::move(redo), std::move(undo)));
    return first;
}

QString formatTimestamp(const std::optional<qint64> &unixSeconds)
{
    if (!unixSeconds)
        return {};
    return QDateTime::fromSecsSinceEpoch(*unixSeconds, Qt::UTC).toString(Qt::ISODate);
}

} // namespace sd
