#pragma once
// An in-memory SecretStore for unit tests (and for callers that explicitly want nothing to persist).
// Failures can be injected to test the vault's "secret first, then rows" ordering.
#include "secrets/secretstore.h"

#include <QMap>

namespace sd {

class MemorySecretStore : public SecretStore {
public:
    QString backendName() const override { return QStringLiteral("in-memory secret store"); }
    Status checkWritable() override;
    Status write(const QString &key, const SecretBytes &data) override;
    Result<std::optional<SecretBytes>> find(const QString &key) override;
    Status remove(const QString &key) override;

    // Test hooks: make the next operations fail with Error::secret(message) (empty = succeed).
    void setWriteFailure(const QString &message) { m_writeFailure = message; }
    void setReadFailure(const QString &message) { m_readFailure = message; }
    void setRemoveFailure(const QString &message) { m_removeFailure = message; }
    // Fail only the n-th write from now on (1 = the next one); 0 disables.
    void failNthWrite(int n) { m_failNth = n; }

    bool contains(const QString &key) const { return m_entries.contains(key); }
    QStringList keys() const { return m_entries.keys(); }
    int size() const { return static_cast<int>(m_entries.size()); }
    int writeCount() const { return m_writes; }

private:
    QMap<QString, SecretBytes> m_entries;
    QString m_writeFailure, m_readFailure, m_removeFailure;
    int m_failNth = 0;
    int m_writes = 0;
};

} // namespace sd
