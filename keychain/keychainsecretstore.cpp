#include "keychainsecretstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace sd {

namespace {

const QString kNoService = QStringLiteral(
    "no Secret Service on the session bus: start gnome-keyring-daemon (or KeePassXC's Secret Service) and unlock it");

struct JobOutcome {
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QByteArray data; // read jobs only
};

// Runs job (heap-allocated, auto-deleting) and waits for it, at most timeoutMs.
JobOutcome runJob(QKeychain::Job *job, int timeoutMs)
{
    JobOutcome outcome;
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    QObject context;
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &context, [&outcome, &loop](QKeychain::Job *j) {
        outcome.finished = true;
        outcome.error = j->error();
        outcome.errorString = j->errorString();
        if (auto *r = qobject_cast<QKeychain::ReadPasswordJob *>(j); r && j->error() == QKeychain::NoError)
            outcome.data = r->binaryData();
        loop.quit();
    });
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    job->start();
    if (!outcome.finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    // Leaving this scope destroys context, which disconnects the lambda from a job that timed out;
    // the job still deletes itself when QtKeychain finishes it.
    return outcome;
}

Error noApplication()
{
    return Error::secret(QStringLiteral("internal error: the keychain needs a running QCoreApplication"));
}

Error timeoutError(int timeoutMs, const QString &operation)
{
    return Error::secret(QStringLiteral("the keychain did not answer within %1 s while %2: is an unlock prompt "
                                        "waiting? Unlock the keyring (gnome-keyring, KeePassXC, KWallet) and try again")
                             .arg(timeoutMs / 1000)
                             .arg(operation));
}

} // namespace

QString keychainErrorMessage(int code, const QString &detail, const QString &operation)
{
    const QString d = detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(detail);
    const QString lower = detail.toLower();
    switch (code) {
    case QKeychain::NoBackendAvailable:
        return QStringLiteral("no keychain backend is available while %1%2: install and start a Secret Service "
                              "(gnome-keyring-daemon or KeePassXC's Secret Service) or KWallet, and unlock it")
            .arg(operation, d);
    case QKeychain::AccessDenied:
        return QStringLiteral("the keychain is locked or refused access while %1%2: unlock your keyring "
                              "(GNOME Keyring's login keyring, KeePassXC's database or KWallet) and try again")
            .arg(operation, d);
    case QKeychain::AccessDeniedByUser:
        return QStringLiteral("access to the keychain was refused at the prompt while %1%2: allow SessionDesk and try again")
            .arg(operation, d);
    case QKeychain::CouldNotDeleteEntry:
        return QStringLiteral("the keychain could not delete the entry while %1%2: unlock the keyring and try again")
            .arg(operation, d);
    case QKeychain::NotImplemented:
        return QStringLiteral("the keychain backend does not support this operation (%1)%2").arg(operation, d);
    default:
        break;
    }
    if (lower.contains(QLatin1String("d-bus")) || lower.contains(QLatin1String("dbus"))
        || lower.contains(QLatin1String("org.freedesktop.secrets")) || lower.contains(QLatin1String("serviceunknown"))
        || lower.contains(QLatin1String("session bus")) || lower.contains(QLatin1String("$display"))
        || lower.contains(QLatin1String("could not connect")) || lower.contains(QLatin1String("autolaunch"))
        || lower.contains(QLatin1String("was not provided by any")))
        return kNoService + QStringLiteral(" (while %1: %2)").arg(operation, detail);
    if (lower.contains(QLatin1String("collection")) || lower.contains(QLatin1String("locked"))
        || lower.contains(QLatin1String("prompt")))
        return QStringLiteral("the Secret Service has no unlocked default keyring while %1%2: unlock (or create) "
                              "the login keyring, e.g. with gnome-keyring-daemon --unlock, or enable a default "
                              "collection in KeePassXC's Secret Service settings")
            .arg(operation, d);
    return QStringLiteral("the keychain failed while %1%2: make sure a Secret Service (gnome-keyring-daemon or "
                          "KeePassXC) is running and unlocked")
        .arg(operation, d);
}

KeychainSecretStore::KeychainSecretStore(QString service, int timeoutMs)
    : m_service(std::move(service)), m_timeoutMs(timeoutMs > 0 ? timeoutMs : 60000)
{
}

QString KeychainSecretStore::backendName() const { return QStringLiteral("the OS keychain"); }

Status KeychainSecretStore::checkWritable()
{
    const QString key = QStringLiteral("probe/") + QString::fromLatin1(SecretBytes::random(8).exposeUnsafeHex());
    const SecretBytes probe("sessiondesk-probe", 17);
    auto st = write(key, probe);
    if (!st)
        return st;
    return remove(key);
}

Status KeychainSecretStore::write(const QString &key, const SecretBytes &data)
{
    if (!QCoreApplication::instance())
        return noApplication();
    const QString op = QStringLiteral("storing '%1'").arg(key);
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    QByteArray bytes = data.exposeUnsafe();
    job->setBinaryData(bytes);
    wipe(bytes);
    const JobOutcome o = runJob(job, m_timeoutMs);
    if (!o.finished)
        return timeoutError(m_timeoutMs, op);
    if (o.error != QKeychain::NoError)
        return Error::secret(keychainErrorMessage(o.error, o.errorString, op));
    return {};
}

Result<std::optional<SecretBytes>> KeychainSecretStore::find(const QString &key)
{
    if (!QCoreApplication::instance())
        return noApplication();
    const QString op = QStringLiteral("reading '%1'").arg(key);
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    JobOutcome o = runJob(job, m_timeoutMs);
    if (!o.finished)
        return timeoutError(m_timeoutMs, op);
    if (o.error == QKeychain::EntryNotFound)
        return std::optional<SecretBytes>();
    if (o.error != QKeychain::NoError)
        return Error::secret(keychainErrorMessage(o.error, o.errorString, op));
    std::optional<SecretBytes> out(SecretBytes::fromByteArray(o.data));
    wipe(o.data);
    return out;
}

Status KeychainSecretStore::remove(const QString &key)
{
    if (!QCoreApplication::instance())
        return noApplication();
    const QString op = QStringLiteral("deleting '%1'").arg(key);
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    const JobOutcome o = runJob(job, m_timeoutMs);
    if (!o.finished)
        return timeoutError(m_timeoutMs, op);
    if (o.error == QKeychain::NoError || o.error == QKeychain::EntryNotFound)
        return {};
    return Error::secret(keychainErrorMessage(o.error, o.errorString, op));
}

} // namespace sd
