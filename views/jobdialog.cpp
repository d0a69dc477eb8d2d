#include "jobdialog.h"

#include <QEventLoop>
#include <QFontMetrics>
#include <QProgressDialog>

namespace sd {

JobOutcome runJob(QWidget *parent, const QString &title, Task::Function fn, int minimumDurationMs)
{
    QProgressDialog dialog(title, QObject::tr("Cancel"), 0, 0, parent);
    dialog.setObjectName(QStringLiteral("jobProgress"));
    dialog.setWindowTitle(title);
    dialog.setWindowModality(Qt::WindowModal);
    dialog.setMinimumDuration(minimumDurationMs);
    dialog.setAutoClose(false);
    dialog.setAutoReset(false);

    Task task(std::move(fn));
    JobOutcome out;
    QEventLoop loop;
    QObject::connect(&dialog, &QProgressDialog::canceled, &task, [&task, &dialog] {
        task.cancel();
        dialog.setLabelText(QObject::tr("Cancelling…"));
    });
    QObject::connect(&task, &Task::progressed, &dialog, [&dialog, title](qint64 done, qint64 total, const QString &label) {
        if (total > 0 && total <= std::numeric_limits<int>::max()) {
            dialog.setMaximum(static_cast<int>(total));
            dialog.setValue(static_cast<int>(std::min(done, total)));
        }
        dialog.setLabelText(label.isEmpty() ? title : QFontMetrics(dialog.font()).elidedText(label, Qt::ElideMiddle, 420));
    });
    QObject::connect(&task, &Task::finished, &loop, [&out, &loop](const QVariant &r, bool cancelled) {
        out.result = r;
        out.cancelled = cancelled;
        loop.quit();
    });
    task.start();
    loop.exec();
    dialog.hide();
    return out;
}

} // namespace sd
