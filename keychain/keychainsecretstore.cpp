#include "keychainsecretstore.h"

namespace sd {

KeychainSecretStore::KeychainSecretStore(QString service) : m_service(std::move(service)) {}
QString KeychainSecretStore::backendName() const { return QStringLiteral("OS keychain"); }
Status KeychainSecretStore::checkWritable() { return Error::secret(QStringLiteral("keychain support is not implemented yet")); }
Status KeychainSecretStore::write(const QString &, const SecretBytes &) { return checkWritable(); }
Result<SecretBytes> KeychainSecretStore::read(const QString &) { return checkWritable().error(); }
Status KeychainSecretStore::remove(const QString &) { return checkWritable(); }

} // namespace sd
