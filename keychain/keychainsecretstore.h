#pragma once
#include "secrets/secretstore.h"

namespace sd {

// QtKeychain-backed SecretStore (service "sessiondesk"). Each call runs one QKeychain job
// synchronously in a local event loop with a timeout, so a missing or stuck keychain never hangs the
// caller. Needs a QCoreApplication. QtKeychain's insecure plaintext fallback is never enabled
// (on Linux it does not cover libsecret anyway): an unusable keychain is an
// Error::secret that says what to start or unlock.
class KeychainSecretStore : public SecretStore {
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("sessiondesk"), int timeoutMs = 60000);
    QString backendName() const override;
    Status checkWritable() override;
    Status write(const QString &key, const SecretBytes &data) override;
    Result<std::optional<SecretBytes>> find(const QString &key) override;
    Status remove(const QString &key) override;

    QString service() const { return m_service; }

private:
    QString m_service;
    int m_timeoutMs;
};

// Turns a QKeychain error code and its text into the user-facing message (exposed for tests).
QString keychainErrorMessage(int code, const QString &detail, const QString &operation);

} // namespace sd
