#include "bytes.h"

#include <QtEndian>
#include <cstring>

namespace sd {

bool ByteReader::need(qsizetype n)
{
    if (!m_ok || n < 0 || n > remaining()) {
        m_ok = false;
        return false;
    }
    return true;
}

bool ByteReader::seek(qsizetype p)
{
    if (p < 0 || p > m_data.size()) {
        m_ok = false;
        return false;
    }
    m_pos = p;
    return true;
}

bool ByteReader::skip(qsizetype n)
{
    if (!need(n))
        return false;
    m_pos += n;
    return true;
}

quint8 ByteReader::u8()
{
    if (!need(1))
        return 0;
    return static_cast<quint8>(m_data[m_pos++]);
}

#define SD_READ(name, type, conv)                                   \
    type ByteReader::name()                                         \
    {                                                               \
        if (!need(sizeof(type)))                                    \
            return 0;                                               \
        const type v = conv<type>(m_data.constData() + m_pos);      \
        m_pos += sizeof(type);                                      \
        return v;                                                   \
    }
SD_READ(u16le, quint16, qFromLittleEndian)
SD_READ(u16be, quint16, qFromBigEndian)
SD_READ(u32le, quint32, qFromLittleEndian)
SD_READ(u32be, quint32, qFromBigEndian)
SD_READ(u64le, quint64, qFromLittleEndian)
SD_READ(u64be, quint64, qFromBigEndian)
#undef SD_READ

double ByteReader::f64le()
{
    const quint64 bits = u64le();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

QByteArray ByteReader::bytes(qsizetype n)
{
    if (!need(n))
        return {};
    QByteArray out = m_data.mid(m_pos, n);
    m_pos += n;
    return out;
}

QByteArray ByteReader::tlBytes()
{
    qsizetype len = u8();
    qsizetype header = 1;
    if (!m_ok)
        return {};
    if (len == 254) {
        const quint8 a = u8(), b = u8(), c = u8();
        len = a | (b << 8) | (c << 16);
        header = 4;
    } else if (len == 255) {
        m_ok = false;
        return {};
    }
    QByteArray out = bytes(len);
    const qsizetype total = header + len;
    const qsizetype pad = (4 - total % 4) % 4;
    skip(pad);
    return out;
}

void ByteWriter::u16le(quint16 v)
{
    char b[2];
    qToLittleEndian(v, b);
    m_data.append(b, 2);
}
void ByteWriter::u16be(quint16 v)
{
    char b[2];
    qToBigEndian(v, b);
    m_data.append(b, 2);
}
void ByteWriter::u32le(quint32 v)
{
    char b[4];
    qToLittleEndian(v, b);
    m_data.append(b, 4);
}
void ByteWriter::u32be(quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    m_data.append(b, 4);
}
void ByteWriter::u64le(quint64 v)
{
    char b[8];
    qToLittleEndian(v, b);
    m_data.append(b, 8);
}
void ByteWriter::u64be(quint64 v)
{
    char b[8];
    qToBigEndian(v, b);
    m_data.append(b, 8);
}
void ByteWriter::f64le(double v)
{
    quint64 bits;
    std::memcpy(&bits, &v, sizeof bits);
    u64le(bits);
}

void ByteWriter::tlBytes(const QByteArray &b)
{
    qsizetype header;
    if (b.size() < 254) {
        u8(static_cast<quint8>(b.size()));
        header = 1;
    } else {
        u8(254);
        u8(static_cast<quint8>(b.size() & 0xff));
        u8(static_cast<quint8>((b.size() >> 8) & 0xff));
        u8(static_cast<quint8>((b.size() >> 16) & 0xff));
        header = 4;
    }
    m_data.append(b);
    const qsizetype pad = (4 - (header + b.size()) % 4) % 4;
    m_data.append(QByteArray(pad, '\0'));
}

} // namespace sd
