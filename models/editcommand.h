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
    // alreadyApplied: the edit was made before the push; QUndoStack::push's first redo() is skipped
    // (edits such as "add a peer" are not idempotent).
    EditCommand(const QString &text, Apply redo, Apply undo, bool alreadyApplied = false)
        : QUndoCommand(text), m_redo(std::move(redo)), m_undo(std::move(undo)), m_skipRedo(alreadyApplied)
    {
    }
    void redo() override
    {
        if (m_skipRedo) {
            m_skipRedo = false;
            return;
        }
        report(m_redo(), true);
    }
    void undo() override { report(m_undo(), false); }

    // Where a failed undo or redo is reported (the main window shows a warning; default qWarning).
    // The failed command is dropped from the history (QUndoCommand::setObsolete): the document
    // keeps the state it has, and the stack never claims a state it could not reach.
    using FailureHandler = std::function<void(const QString &message)>;
    static void setFailureHandler(FailureHandler handler);

private:
    void report(const Status &status, bool redo);
    Apply m_redo, m_undo;
    bool m_skipRedo = false;
};

// Runs redo once (the validation); on success pushes the command on stack (without running redo
// again). Returns the status of that redo.
Status pushEdit(QUndoStack *stack, const QString &text, EditCommand::Apply redo, EditCommand::Apply undo);

// Display helpers shared by the models.
QString formatTimestamp(const std::optional<qint64> &unixSeconds);

} // namespace sd
