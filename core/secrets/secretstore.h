#pragma once
// Where auth keys live: the OS keychain (keychain/KeychainSecretStore) or, in unit tests, memory.
// Implementations are synchronous from the caller's point of view and report failures as Errors
// of kind Secret (exit 4) with a message that says what to start or unlock.
#include "domain/secretbytes.h"
#include "util/result.h"

#include <QString>
#include <optional>

namespace sd {

class SecretStore {
public:
    virtual ~SecretStore() = default;
    virtual QString backendName() const = 0;
    // Proves the store can be written (writes and deletes a probe entry). A read-only check is
    // not enough: a broken keychain answers reads with "not found".
    virtual Status checkWritable() = 0;
    virtual Status write(const QString &key, const SecretBytes &data) = 0;
    // The entry, nullopt when there is none, or an Error (keychain unavailable, locked, denied).
    virtual Result<std::optional<SecretBytes>> find(const QString &key) = 0;
    // Like find(), but a missing entry is an Error too (kind Secret).
    virtual Result<SecretBytes> read(const QString &key);
    // Removing a missing entry succeeds.
    virtual Status remove(const QString &key) = 0;
};

} // namespace sd
