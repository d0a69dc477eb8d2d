#pragma once
// Runs a core Task off the GUI thread behind a progress dialog with Cancel. run() spins a local
// event loop, so the window keeps repainting while the job works.
#include "tasks/task.h"

#include <QString>
#include <QVariant>

class QWidget;

namespace sd {

struct JobOutcome {
    QVariant result;
    bool cancelled = false;
};

// minimumDurationMs: the dialog appears only if the job takes longer (0 = at once).
JobOutcome runJob(QWidget *parent, const QString &title, Task::Function fn, int minimumDurationMs = 300);

} // namespace sd
