#pragma once
#include "secrets/secretstore.h"

namespace sd {

// QtKeychain-backed SecretStore (service "sessiondesk"). Implemented with the vault work.
class KeychainSecretStore : public SecretStore {
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("sessiondesk"));
    QString backendName() const override;
    Status checkWritable() override;
    Status write(const QString &key, const SecretBytes &data) override;
    Result<SecretBytes> read(const QString &key) override;
    Status remove(const QString &key) override;

private:
    QString m_service;
};

} // namespace sd
