#pragma once
// The vault: SessionDesk's own SQLite store of accounts (sessions, DC entries, peers, update state,
// conversations), imported from any readable format and exportable to any writable one.
//
// Auth keys never enter the vault file. Each account's keys (all DCs, temp keys) are ONE entry in
// a SecretStore (the OS keychain in the apps): key "<vault id>/<account id>", see secretblob.h. The
// vault keeps auth_key_id and metadata only.
//
// Ordering rules (so a broken keychain never leaves a half import behind):
//  * import: write the secret FIRST (the writability check: reads on a broken keychain look fine),
//    then all rows in one transaction; if the transaction fails, the secrets are deleted again.
//  * remove: the keychain must answer first (a keychain error stops here, nothing changes); then
//    the rows go in one transaction, then the secret. A crash between the two leaves an orphaned
//    keychain entry, never a listed account without its key.
//
// The file is 0600 in a 0700 folder (the default folder is created 0700), WAL, foreign keys on,
// schema versioned with migrations (vaultschema.h).
#include "convert/convert.h"
#include "domain/session.h"
#include "secrets/secretstore.h"
#include "sqlite/sqlitedb.h"

#include <memory>
#include <vector>

namespace sd {

struct VaultAccount {
    QString id;
    QString label;
    QString format;
    std::optional<int> formatVersion;
    QString variant;
    QString source;                  // where it was imported from (path or "-")
    int dcId = 0;
    std::optional<bool> testMode;
    std::optional<qint64> userId;
    std::optional<bool> isBot;
    std::optional<QString> username;
    std::optional<QString> firstName;
    std::optional<QString> lastName;
    QString authKeyId;               // the primary DC's key id ("" when none)
    qint64 importedAt = 0;           // unix seconds
    int dcCount = 0;
    qint64 peerCount = 0;
};

struct VaultImportOptions {
    QString label;                   // empty: derived from the account (username, name, user id)
    QString source;                  // shown in list (path or "-")
    int account = -1;                // -1: every account of the store; N: only account N
};

struct VaultImportItem {
    int index = 0;                   // account index in the source store
    QString id;                      // the new account id (empty when not added)
    QString label;
    QString authKeyId;
    QString duplicateOf;             // the existing account holding the same auth_key_id
    QString skipped;                 // why the account was not added (no key...)
};

class Vault {
public:
    ~Vault();
    Vault(const Vault &) = delete;
    Vault &operator=(const Vault &) = delete;

    // The platform's app-data folder + "/vault.sqlite".
    static QString defaultPath();
    // explicitPath (--vault), else $SESSIONDESK_VAULT, else defaultPath().
    static QString resolvePath(const QString &explicitPath = QString());

    // Opens (and migrates) an existing vault; with create, makes a new one when path is missing.
    // Without create a missing file is an Error::badInput ("no vault at ...").
    static Result<std::unique_ptr<Vault>> open(const QString &path, SecretStore &secrets, bool create);

    QString path() const { return m_path; }
    QString vaultId() const { return m_vaultId; }
    Result<int> schemaVersion();
    // Keychain entry name of an account: "<vault id>/<account id>".
    QString secretKey(const QString &accountId) const;

    Result<std::vector<VaultAccount>> list();
    // An exact id, a unique id prefix (4+ characters), or a unique label.
    Result<VaultAccount> find(const QString &idOrLabel);
    // The existing account whose permanent key has this auth_key_id ("" when none).
    Result<QString> findByAuthKeyId(const QString &authKeyId);

    // Imports the store's accounts; duplicates (same auth_key_id) are reported, not added.
    Result<std::vector<VaultImportItem>> importStore(const Store &store, const VaultImportOptions &options);
    // One account as a Store (format id, variant) holding one Session with its keys.
    Result<Store> load(const QString &idOrLabel);
    Result<Session> loadSession(const QString &idOrLabel);
    // Writes the account in the target format like convert (string targets: result.string).
    Result<ConvertResult> exportAccount(const QString &idOrLabel, const Format &target, ConvertRequest request,
                                        const QString &outPath);
    // ignoreKeychainErrors: drop the rows even when the keychain cannot be reached (the entry may stay).
    Status remove(const QString &idOrLabel, bool ignoreKeychainErrors = false);
    Status setLabel(const QString &idOrLabel, const QString &label);

    SqliteDb &db() { return *m_db; }
    // How long an import's keychain entries may stay pending before an open deletes them.
    static constexpr qint64 kImportGraceSecs = 3600;

private:
    Vault() = default;
    static Result<std::unique_ptr<Vault>> openExisting(const QString &path, SecretStore &secrets);
    static Status createFile(const QString &path);
    Status insertAccount(const QString &id, const QString &label, const Store &store, const Session &s,
                         const QString &source, qint64 now);
    Status loadRows(const QString &id, Session &s);
    // pending_secrets (schema 3): a keychain entry is recorded there before the keychain is
    // touched, and the record goes in the same transaction as the rows. sweepPendingSecrets()
    // deletes what a crash left behind: entries of removed accounts at once, entries of imports
    // that never committed after kImportGraceSecs (another process may still be importing).
    Status addPending(const QStringList &keys, const QString &kind, bool inTransaction);
    Status dropPending(const QStringList &keys);
    void sweepPendingSecrets();

    QString m_path;
    QString m_vaultId;
    SecretStore *m_secrets = nullptr;
    std::unique_ptr<SqliteDb> m_db;
};

// A short label for an account: "@username", "First Last", "user 123", else "account".
QString defaultAccountLabel(const Session &s);

} // namespace sd
