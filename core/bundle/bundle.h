#pragma once
// SessionDesk bundles (docs/cli.md "Bundles", docs/formats.md 15): an age v1 file whose plaintext is
// a sessiondesk-json document with one or more accounts. This header holds what both the CLI and
// the desktop app need: the key source a reader asks, this machine's identity in a SecretStore,
// and sealing a Store into bundle bytes.
#include "bundle/age.h"
#include "domain/session.h"
#include "secrets/secretstore.h"

#include <functional>

namespace sd::bundle {

// The keychain entry that holds this machine's X25519 identity (32 raw bytes).
inline const QString kMachineIdentityKey = QStringLiteral("machine/age-identity");

// This machine's identity, nullopt when none was created yet. Errors are the store's (kind Secret).
Result<std::optional<age::Identity>> findMachineIdentity(SecretStore &store);
// The identity, created on first use: generated, written, read back and compared before it is
// returned, so a keychain that drops writes never hands out a recipient nobody can decrypt for.
Result<age::Identity> machineIdentity(SecretStore &store);

// A KeySource with explicit identities and/or lazily asked fallbacks. Each answer is asked once
// and kept (wiped with the object).
class Keys : public age::KeySource {
public:
    void addIdentities(std::vector<age::Identity> ids);
    void setPassphrase(SecretBytes passphrase) { m_passphrase = std::move(passphrase); }
    // Asked when no identity was added (this machine's identity, by default).
    std::function<Result<std::vector<age::Identity>>()> identityFallback;
    // Asked when a passphrase bundle is read and none was set (a prompt).
    std::function<Result<SecretBytes>()> passphraseFallback;

    Result<std::vector<age::Identity>> identities() override;
    Result<SecretBytes> passphrase() override;

private:
    std::vector<age::Identity> m_ids;
    std::optional<SecretBytes> m_passphrase;
};

// Fallback for Keys::identityFallback: this machine's identity (never created by a read: a machine
// that has none cannot be a bundle's recipient).
std::function<Result<std::vector<age::Identity>>()> machineIdentityFallback(SecretStore &store);

// The key source a bundle read uses when ReadOptions::bundleKeys is null (the desktop app installs
// one that asks the keychain and the user; the CLI passes its keys explicitly). Thread-safe.
void setDefaultKeySource(std::function<std::shared_ptr<age::KeySource>()> factory);
std::shared_ptr<age::KeySource> defaultKeySource(); // null when none was installed

// All accounts of the stores in one Store (formatId of the first store; warnings kept).
Store mergeStores(std::vector<Store> stores);
// encodes the store as sessiondesk-json and encrypts it; the plaintext is wiped.
Result<QByteArray> seal(const Store &store, const age::EncryptOptions &options);

} // namespace sd::bundle
