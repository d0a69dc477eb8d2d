#pragma once
// Shared by tst_gogramstring.cpp, tst_gogramfile.cpp and tst_gogramcache.cpp: test keys, key ids
// (formats.md 0.1) built with Qt's own SHA-1, format lookup, detection and temporary files.
#include "format/registry.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

namespace gogramtest {

inline QByteArray testKey(int seed)
{
    QByteArray k(256, '\0');
    for (int i = 0; i < 256; ++i)
        k[i] = static_cast<char>((i * 31 + seed * 7 + 1) & 0xff);
    return k;
}

// formats.md 0.1: bytes 12..19 of SHA-1(key).
inline QByteArray keyIdBytes(const QByteArray &key) { return QCryptographicHash::hash(key, QCryptographicHash::Sha1).mid(12, 8); }
inline QString keyIdHex(const QByteArray &key) { return QString::fromLatin1(keyIdBytes(key).toHex()); }

inline QByteArray b64(const QByteArray &b) { return b.toBase64(); }

inline const sd::Format &fmt(const char *id)
{
    const sd::Format *f = sd::Registry::instance().find(QString::fromLatin1(id));
    Q_ASSERT(f);
    return *f;
}

inline QString writeTemp(const QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    const QString p = dir.filePath(name);
    QFile f(p);
    if (f.open(QIODevice::WriteOnly))
        f.write(data);
    return p;
}

inline QString detectedId(const sd::Source &src)
{
    auto d = sd::Registry::instance().detect(src);
    return d ? (*d)->id() : QStringLiteral("error: ") + d.error().message;
}

} // namespace gogramtest
