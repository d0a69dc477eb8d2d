#include "memorysecretstore.h"

namespace sd {

Status MemorySecretStore::checkWritable()
{
    if (!m_writeFailure.isEmpty())
        return Error::secret(m_writeFailure);
    return {};
}

Status MemorySecretStore::write(const QString &key, const SecretBytes &data)
{
    if (!m_writeFailure.isEmpty())
        return Error::secret(m_writeFailure);
    if (m_failNth > 0 && --m_failNth == 0)
        return Error::secret(QStringLiteral("injected write failure"));
    ++m_writes;
    m_entries.insert(key, data);
    return {};
}

Result<std::optional<SecretBytes>> MemorySecretStore::find(const QString &key)
{
    if (!m_readFailure.isEmpty())
        return Error::secret(m_readFailure);
    auto it = m_entries.constFind(key);
    if (it == m_entries.constEnd())
        return std::optional<SecretBytes>();
    return std::optional<SecretBytes>(*it);
}

Status MemorySecretStore::remove(const QString &key)
{
    if (!m_removeFailure.isEmpty())
        return Error::secret(m_removeFailure);
    m_entries.remove(key);
    return {};
}

} // namespace sd
