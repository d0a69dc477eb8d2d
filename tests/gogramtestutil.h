#pragma once
// Shared by tst_gogramstring.cpp, tst_gogramfile.cpp and tst_gogramcache.cpp: test keys, key ids
// (docs/formats.md 0.1) built with Qt's own SHA-1, format lookup, detection and temporary files.
#include "format/registry.h"
#include "testutil.h"

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

// docs/formats.md 0.1: bytes 12..19 of SHA-1(key).
inline QByteArray keyIdBytes(const QByteArray &key) { return QCryptographicHash::hash(key, QCryptographicHash::Sha1).mid(12, 8); }
inline QString keyIdHex(const QByteArray &key) { return QString::fromLatin1(keyIdBytes(key).toHex()); }

inline QByteArray b64(const QByteArray &b) { return b.toBase64(); }

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

// The gob stream Go writes for gogram's InputPeerCache (struct 65 first, then map[int64]int64 = 66
// and map[string]int64 = 67): OwnerID 123456789, InputUsers {1001: -42, 555555555: MaxInt64},
// InputChannels {1234567890: 987654321987}, UsernameMap {"alice": 1001, "ghost": 42, "news": 1234567890}.
inline QByteArray cacheStream()
{
    return sdtest::hexToBytes(QStringLiteral(
        "5cff810301010e496e70757450656572436163686501ff82000104010d496e7075744368616e6e656c7301ff8400010a496e7075745573"
        "65727301ff8400010b557365726e616d654d617001ff860001074f776e657249440104000000"
        "1fff830401010f6d61705b696e7436345d696e74363401ff8400010401040000"
        "20ff85040101106d61705b737472696e675d696e74363401ff8600010c01040000"
        "47ff820101fc932c05a4fa01cbe991ee860102fe07d253fc423a35c6f8fffffffffffffffe010305616c696365fe07d20567686f7374"
        "54046e657773fc932c05a401fc0eb79a2a00"));
}

} // namespace gogramtest
