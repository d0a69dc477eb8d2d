#pragma once
// SecretBytes: key material (auth keys, local keys, passcodes). The buffer is wiped with
// OPENSSL_cleanse on destruction and on every reassignment; it never converts to text implicitly.
// The only ways out are the explicitly named exposeUnsafe*() calls, which exist for writers that
// must put the key into a target format and for the "reveal key" action in the GUI.
#include <QByteArray>
#include <QString>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sd {

class SecretBytes {
public:
    SecretBytes() = default;
    SecretBytes(const void *data, std::size_t size);
    // Copies the bytes of a QByteArray. The caller remains responsible for wiping its own copy
    // (see wipe(QByteArray&)).
    static SecretBytes fromByteArray(const QByteArray &bytes);
    static SecretBytes zeroed(std::size_t size);
    static SecretBytes random(std::size_t size);

    SecretBytes(const SecretBytes &other);
    SecretBytes(SecretBytes &&other) noexcept;
    SecretBytes &operator=(const SecretBytes &other);
    SecretBytes &operator=(SecretBytes &&other) noexcept;
    ~SecretBytes();

    std::size_t size() const { return m_bytes.size(); }
    bool isEmpty() const { return m_bytes.empty(); }
    // True when the buffer is empty or holds only zero bytes (an "empty auth key").
    bool isAllZero() const;
    const std::uint8_t *data() const { return m_bytes.data(); }
    std::uint8_t *data() { return m_bytes.data(); }
    void clear();

    bool operator==(const SecretBytes &other) const; // constant-time for equal sizes
    bool operator!=(const SecretBytes &other) const { return !(*this == other); }

    // Explicit escapes. Callers must wipe the returned QByteArray when done with it.
    QByteArray exposeUnsafe() const;
    QByteArray exposeUnsafeHex() const;

private:
    std::vector<std::uint8_t> m_bytes;
};

// Overwrites and clears a QByteArray that held secret material. Bytes shared with another
// QByteArray (or raw data) are only released here: their last owner wipes them.
void wipe(QByteArray &bytes);

// MTProto auth_key_id: bytes 12..19 of SHA-1(key), as 16 lowercase hex characters in digest order.
// Empty string for an empty key.
QString authKeyId(const SecretBytes &key);
// The same 8 bytes read as a little-endian signed 64-bit integer (gotd/Telethon style key id).
qint64 authKeyIdInt(const SecretBytes &key);
QByteArray authKeyIdBytes(const SecretBytes &key);

} // namespace sd
