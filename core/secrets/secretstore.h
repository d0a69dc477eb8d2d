#pragma once
// Where auth keys live: the OS keychain (keychain/KeychainSecretStore) or, in unit tests, memory.
// Implementations are synchronous from the caller's point of view and report failures as Errors
// of kind Secret (exit 4) with a message that says what to start or unlock.
#include "domain/secretbytes.h"
#include "util/result.h"

#include <QString>

namespace sd {

class SecretStore {
public:
    virtual ~SecretStore() = default;
    virtual QString backendName() const = 0;
    // Proves the store can be written (writes and deletes a probe entry). A read-only check is
    // not enough: a broken keychain answers reads with "not found".
    virtual Status checkWritable() = 0;
    virtual Status write(const QString &key, const SecretBytes &data) = 0;
    virtual Result<SecretBytes> read(const QString &key) = 0;
    virtual Status remove(const QString &key) = 0;
};

} // namespace sd
