#pragma once
// Cancellable background jobs (QtCore only). A Task runs a function on its own QThread; the function
// reports progress and polls isCancelled() between steps. Signals reach the owner's thread queued,
// so a GUI can show a progress dialog with Cancel and never freeze.
#include <QObject>
#include <QString>
#include <QVariant>
#include <atomic>
#include <functional>

class QThread;

namespace sd {

class TaskContext {
public:
    virtual ~TaskContext() = default;
    virtual bool isCancelled() const = 0;
    // Thread-safe; delivered queued to the Task's owner thread.
    virtual void progress(qint64 done, qint64 total, const QString &label = {}) = 0;
};

class Task : public QObject {
    Q_OBJECT
public:
    using Function = std::function<QVariant(TaskContext &)>;
    explicit Task(Function fn, QObject *parent = nullptr);
    ~Task() override; // cancels and waits for the thread

    void start();
    void cancel() { m_cancel.store(true); }
    bool isCancelled() const { return m_cancel.load(); }
    bool isRunning() const;
    // Blocks (with a local event loop) until finished; for tests and command-line paths.
    bool wait(int timeoutMs = -1);
    QVariant result() const { return m_result; }
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void progressed(qint64 done, qint64 total, const QString &label);
    // cancelled = the function saw the cancel flag (its result may be partial).
    void finished(const QVariant &result, bool cancelled);

private:
    class Context;
    Function m_fn;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_cancel{false};
    QVariant m_result;
    bool m_finished = false;
};

} // namespace sd
