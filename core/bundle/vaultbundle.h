#pragma once
// The vault's side of moving accounts (issue 16): accounts out of the vault into a bundle, a bundle
// (or any source) into the vault with a read-back check, and the plaintext source removed only
// after that check. Shared by `sessiondesk-cli bundle create --vault` and the desktop Vault window.
#include "bundle/bundle.h"
#include "vault/vault.h"

#include <QStringList>

namespace sd::bundle {

// The accounts (ids, unique prefixes or labels) as one Store; the keys come from the vault's store.
Result<Store> loadVaultAccounts(Vault &vault, const QStringList &ids);
// Seals store for the options and writes it to path (atomic, 0600; refuses an existing path
// unless force).
Status writeBundle(const Store &store, const age::EncryptOptions &options, const QString &path, bool force);
// Reads a bundle file with keys (see bundle::Keys).
Result<Store> openBundle(const QString &path, std::shared_ptr<age::KeySource> keys);

// Imports the store's accounts, then reads every added account (and the existing account of a
// duplicate) back from the vault (keys from the
// SecretStore, rows from the file) and compares each DC key with the source's. An Error when the
// read-back differs: the source must then be kept.
Result<std::vector<VaultImportItem>> importVerified(Vault &vault, const Store &store, const VaultImportOptions &options);

// Deletes a plaintext session file and its SQLite side files (-wal, -shm, -journal). Folders are
// refused (a tdata folder holds more than sessions). The caller has verified the vault copy.
Status removePlaintextSource(const QString &path);

} // namespace sd::bundle
