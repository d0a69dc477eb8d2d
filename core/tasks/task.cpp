#include "task.h"

#include <QEventLoop>
#include <QPointer>
#include <QThread>
#include <QTimer>

namespace sd {

class Task::Context : public TaskContext {
public:
    explicit Context(Task *task) : m_task(task), m_cancel(&task->m_cancel) {}
    bool isCancelled() const override { return m_cancel->load(); }
    void progress(qint64 done, qint64 total, const QString &label) override
    {
        QPointer<Task> t = m_task;
        QMetaObject::invokeMethod(
            m_task, [t, done, total, label] {
                if (t)
                    Q_EMIT t->progressed(done, total, label);
            },
            Qt::QueuedConnection);
    }

private:
    Task *m_task;
    std::atomic<bool> *m_cancel;
};

Task::Task(Function fn, QObject *parent) : QObject(parent), m_fn(std::move(fn)) {}

Task::~Task()
{
    if (m_thread) {
        cancel();
        m_thread->wait();
        delete m_thread;
    }
}

void Task::start()
{
    if (m_thread)
        return;
    m_thread = QThread::create([this] {
        Context ctx(this);
        QVariant r = m_fn(ctx);
        const bool cancelled = ctx.isCancelled();
        QMetaObject::invokeMethod(
            this, [this, r, cancelled] {
                m_result = r;
                m_finished = true;
                Q_EMIT finished(r, cancelled);
            },
            Qt::QueuedConnection);
    });
    m_thread->setObjectName(QStringLiteral("sd-task"));
    m_thread->start();
}

bool Task::isRunning() const { return m_thread && m_thread->isRunning(); }

bool Task::wait(int timeoutMs)
{
    if (m_finished)
        return true;
    QEventLoop loop;
    connect(this, &Task::finished, &loop, &QEventLoop::quit);
    if (timeoutMs >= 0)
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!m_finished)
        loop.exec();
    return m_finished;
}

} // namespace sd
