#pragma once
// One undoable edit: a pair of closures that swap a whole value in the Document (old <-> new).
// Models build these; the QUndoStack owns them.
#include "util/result.h"

#include <QUndoCommand>
#include <functional>

class QUndoStack;

namespace sd {

class EditCommand : public QUndoCommand {
public:
    using Apply = std::function<Status()>;
    EditCommand(const QString &text, Apply redo, Apply undo) : QUndoCommand(text), m_redo(std::move(redo)), m_undo(std::move(undo)) {}
    void redo() override { (void)m_redo(); }
    void undo() override { (void)m_undo(); }

private:
    Apply m_redo, m_undo;
};

// Pushes the command on stack (which runs redo), or runs redo directly when stack is null.
// Returns the status of the first redo.
Status pushEdit(QUndoStack *stack, const QString &text, EditCommand::Apply redo, EditCommand::Apply undo);

// Display helpers shared by the models.
QString formatTimestamp(const std::optional<qint64> &unixSeconds);

} // namespace sd
