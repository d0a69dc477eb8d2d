#pragma once
// Bounds-checked binary reading and writing shared by every decoder (strings, TL, gob, tdata, bbolt).
// A reader never reads past its buffer: every getter reports failure through ok(), so decoders stay
// pure functions from bytes to a result or an error.
#include <QByteArray>
#include <QString>
#include <cstdint>

namespace sd {

class ByteReader {
public:
    explicit ByteReader(const QByteArray &data) : m_data(data) {}
    qsizetype pos() const { return m_pos; }
    qsizetype remaining() const { return m_data.size() - m_pos; }
    bool atEnd() const { return m_pos >= m_data.size(); }
    bool ok() const { return m_ok; }
    void fail() { m_ok = false; }
    bool seek(qsizetype p);
    bool skip(qsizetype n);

    quint8 u8();
    quint16 u16le();
    quint16 u16be();
    quint32 u32le();
    quint32 u32be();
    qint32 i32le() { return static_cast<qint32>(u32le()); }
    qint32 i32be() { return static_cast<qint32>(u32be()); }
    quint64 u64le();
    quint64 u64be();
    qint64 i64le() { return static_cast<qint64>(u64le()); }
    qint64 i64be() { return static_cast<qint64>(u64be()); }
    double f64le();
    QByteArray bytes(qsizetype n);
    // MTProto TL "bytes"/"string": 1-byte length (<254) or 0xfe + 3-byte length, padded to 4.
    QByteArray tlBytes();
    QString tlString() { return QString::fromUtf8(tlBytes()); }

private:
    bool need(qsizetype n);
    const QByteArray &m_data;
    qsizetype m_pos = 0;
    bool m_ok = true;
};

class ByteWriter {
public:
    QByteArray &data() { return m_data; }
    const QByteArray &data() const { return m_data; }
    void u8(quint8 v) { m_data.append(static_cast<char>(v)); }
    void u16le(quint16 v);
    void u16be(quint16 v);
    void u32le(quint32 v);
    void u32be(quint32 v);
    void i32le(qint32 v) { u32le(static_cast<quint32>(v)); }
    void i32be(qint32 v) { u32be(static_cast<quint32>(v)); }
    void u64le(quint64 v);
    void u64be(quint64 v);
    void i64le(qint64 v) { u64le(static_cast<quint64>(v)); }
    void i64be(qint64 v) { u64be(static_cast<quint64>(v)); }
    void f64le(double v);
    void bytes(const QByteArray &b) { m_data.append(b); }
    void bytes(const void *p, qsizetype n) { m_data.append(static_cast<const char *>(p), n); }
    void tlBytes(const QByteArray &b);
    void tlString(const QString &s) { tlBytes(s.toUtf8()); }

private:
    QByteArray m_data;
};

} // namespace sd
