#include "server/credentials.h"

#include "secrets/secretstore.h"

#include <QHash>
#include <QMutex>

namespace sd::server {

namespace {
struct State {
    QMutex mutex;
    QHash<QString, SecretBytes> passwords;
    SecretStore *keychain = nullptr;
    bool remember = false;
};
State &state()
{
    static State s;
    return s;
}
} // namespace

void setPassword(const QString &serverKey, const SecretBytes &password)
{
    QMutexLocker lock(&state().mutex);
    state().passwords.insert(serverKey, password);
}

void forgetPassword(const QString &serverKey)
{
    QMutexLocker lock(&state().mutex);
    state().passwords.remove(serverKey);
}

std::optional<SecretBytes> configuredPassword(const ServerUrl &url)
{
    {
        QMutexLocker lock(&state().mutex);
        const auto it = state().passwords.constFind(url.serverKey());
        if (it != state().passwords.constEnd())
            return *it;
    }
    if (url.scheme == Scheme::Redis) {
        QByteArray env = qgetenv("REDISCLI_AUTH");
        if (!env.isEmpty()) {
            SecretBytes s = SecretBytes::fromByteArray(env);
            wipe(env);
            return s;
        }
    }
    return std::nullopt;
}

void setKeychain(SecretStore *store)
{
    QMutexLocker lock(&state().mutex);
    state().keychain = store;
}

void setRememberPasswords(bool remember)
{
    QMutexLocker lock(&state().mutex);
    state().remember = remember;
}

QString keychainKey(const ServerUrl &url) { return QStringLiteral("server-password:") + url.serverKey(); }

Result<std::optional<SecretBytes>> keychainPassword(const ServerUrl &url)
{
    SecretStore *store = nullptr;
    {
        QMutexLocker lock(&state().mutex);
        store = state().keychain;
    }
    if (!store)
        return std::optional<SecretBytes>();
    return store->find(keychainKey(url));
}

Status passwordWorked(const ServerUrl &url, const SecretBytes &password)
{
    SecretStore *store = nullptr;
    {
        QMutexLocker lock(&state().mutex);
        if (!state().remember)
            return {};
        store = state().keychain;
    }
    if (!store)
        return Error::secret(QStringLiteral("--remember-password needs the keychain, which is not available"));
    return store->write(keychainKey(url), password);
}

} // namespace sd::server
