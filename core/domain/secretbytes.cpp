#include "secretbytes.h"

#include <cstring>

#include <QtEndian>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdexcept>

namespace sd {

SecretBytes::SecretBytes(const void *data, std::size_t size)
    : m_bytes(static_cast<const std::uint8_t *>(data), static_cast<const std::uint8_t *>(data) + size)
{
}

SecretBytes SecretBytes::fromByteArray(const QByteArray &bytes)
{
    return SecretBytes(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

SecretBytes SecretBytes::zeroed(std::size_t size)
{
    SecretBytes s;
    s.m_bytes.assign(size, 0);
    return s;
}

SecretBytes SecretBytes::random(std::size_t size)
{
    SecretBytes s = zeroed(size);
    if (size > 0 && RAND_bytes(s.m_bytes.data(), static_cast<int>(size)) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return s;
}

SecretBytes::SecretBytes(const SecretBytes &other) : m_bytes(other.m_bytes) {}

SecretBytes::SecretBytes(SecretBytes &&other) noexcept : m_bytes(std::move(other.m_bytes))
{
    other.m_bytes.clear();
}

SecretBytes &SecretBytes::operator=(const SecretBytes &other)
{
    if (this != &other) {
        clear();
        m_bytes = other.m_bytes;
    }
    return *this;
}

SecretBytes &SecretBytes::operator=(SecretBytes &&other) noexcept
{
    if (this != &other) {
        clear();
        m_bytes = std::move(other.m_bytes);
        other.m_bytes.clear();
    }
    return *this;
}

SecretBytes::~SecretBytes() { clear(); }

void SecretBytes::clear()
{
    if (!m_bytes.empty())
        OPENSSL_cleanse(m_bytes.data(), m_bytes.size());
    m_bytes.clear();
    m_bytes.shrink_to_fit();
}

bool SecretBytes::isAllZero() const
{
    std::uint8_t acc = 0;
    for (std::uint8_t b : m_bytes)
        acc |= b;
    return acc == 0;
}

bool SecretBytes::operator==(const SecretBytes &other) const
{
    if (m_bytes.size() != other.m_bytes.size())
        return false;
    if (m_bytes.empty())
        return true;
    // Constant time like CRYPTO_memcmp, eight bytes a step (compareWritten checks every key).
    const size_t n = m_bytes.size();
    const unsigned char *x = m_bytes.data(), *y = other.m_bytes.data();
    quint64 acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 a, b;
        std::memcpy(&a, x + i, 8);
        std::memcpy(&b, y + i, 8);
        acc |= a ^ b;
    }
    for (; i < n; ++i)
        acc |= static_cast<quint64>(x[i] ^ y[i]);
    return acc == 0;
}

QByteArray SecretBytes::exposeUnsafe() const
{
    return QByteArray(reinterpret_cast<const char *>(m_bytes.data()), static_cast<qsizetype>(m_bytes.size()));
}

QByteArray SecretBytes::exposeUnsafeHex() const
{
    QByteArray raw = exposeUnsafe();
    QByteArray hex = raw.toHex();
    wipe(raw);
    return hex;
}

void wipe(QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    // Shared (or raw) data belongs to another owner too, who wipes it: detaching here would only
    // make one more copy of the secret to wipe.
    if (!bytes.isDetached()) {
        bytes.clear();
        return;
    }
    OPENSSL_cleanse(bytes.data(), static_cast<std::size_t>(bytes.size()));
    bytes.clear();
}

QByteArray authKeyIdBytes(const SecretBytes &key)
{
    if (key.isEmpty())
        return {};
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(key.data(), key.size(), digest);
    return QByteArray(reinterpret_cast<const char *>(digest + 12), 8);
}

QString authKeyId(const SecretBytes &key)
{
    return QString::fromLatin1(authKeyIdBytes(key).toHex());
}

qint64 authKeyIdInt(const SecretBytes &key)
{
    const QByteArray id = authKeyIdBytes(key);
    if (id.size() != 8)
        return 0;
    return qFromLittleEndian<qint64>(id.constData());
}

} // namespace sd
