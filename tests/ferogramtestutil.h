#pragma once
// Shared by tst_ferogrambinary.cpp, tst_ferogramstring.cpp and tst_ferogramfixtures.cpp: test keys,
// a byte appender, and the ferogram binary session (docs/formats.md 8.1, little-endian) built field by
// field per version. No fixtures from the real ferogram exist here: every vector is built from the
// version table of docs/formats.md 8.1.
#include "format/registry.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QList>
#include <QPair>
#include <QString>
#include <QTemporaryDir>

#include <limits>

namespace ferogramtest {

inline QByteArray testKey(int seed)
{
    QByteArray k(256, '\0');
    for (int i = 0; i < 256; ++i)
        k[i] = static_cast<char>((i * 13 + seed * 101 + 5) & 0xff);
    return k;
}
inline QString keyIdHex(const QByteArray &key)
{
    return QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha1).mid(12, 8).toHex());
}

// Little-endian / big-endian appenders (independent of core's ByteWriter).
struct Buf {
    QByteArray b;
    Buf &le(quint64 v, int n)
    {
        for (int i = 0; i < n; ++i)
            b.append(static_cast<char>((v >> (8 * i)) & 0xff));
        return *this;
    }
    Buf &be(quint64 v, int n)
    {
        for (int i = n - 1; i >= 0; --i)
            b.append(static_cast<char>((v >> (8 * i)) & 0xff));
        return *this;
    }
    Buf &raw(const QByteArray &x)
    {
        b.append(x);
        return *this;
    }
};

struct TDc {
    int dc;
    QByteArray key; // empty = has_key 0
    qint64 salt;
    qint32 offset;
    QByteArray addr;
    quint8 flags;
};
struct TPeer {
    qint64 id;
    qint64 hash;
    quint8 type;
    quint8 kind;      // v6+
    quint8 community; // v8
};
struct TMin {
    qint64 user, peer;
    qint32 msg;
};
struct TSession {
    int home = 2;
    QList<TDc> dcs;
    qint32 pts = 0, qts = 0, date = 0, seq = 0;
    QList<QPair<qint64, qint32>> channels;
    QList<TPeer> peers;
    QList<TMin> mins;
    QByteArray token; // empty = none
};

// docs/formats.md 8.1, field by field, per version.
inline QByteArray buildBinary(int v, const TSession &s)
{
    Buf w;
    if (v >= 2)
        w.le(static_cast<quint64>(v), 1);
    w.le(static_cast<quint32>(s.home), 4).le(static_cast<quint64>(s.dcs.size()), 1);
    for (const TDc &d : s.dcs) {
        w.le(static_cast<quint32>(d.dc), 4);
        if (d.key.isEmpty())
            w.le(0, 1);
        else
            w.le(1, 1).raw(d.key);
        w.le(static_cast<quint64>(d.salt), 8).le(static_cast<quint32>(d.offset), 4).le(static_cast<quint64>(d.addr.size()), 1).raw(d.addr);
        if (v >= 3)
            w.le(d.flags, 1);
    }
    if (v >= 2) {
        w.le(static_cast<quint32>(s.pts), 4).le(static_cast<quint32>(s.qts), 4).le(static_cast<quint32>(s.date), 4).le(static_cast<quint32>(s.seq), 4);
        w.le(static_cast<quint64>(s.channels.size()), 2);
        for (const auto &c : s.channels)
            w.le(static_cast<quint64>(c.first), 8).le(static_cast<quint32>(c.second), 4);
        w.le(static_cast<quint64>(s.peers.size()), 2);
        for (const TPeer &p : s.peers) {
            w.le(static_cast<quint64>(p.id), 8).le(static_cast<quint64>(p.hash), 8).le(p.type, 1);
            if (v >= 6)
                w.le(p.kind, 1);
            if (v >= 8)
                w.le(p.community, 1);
        }
    }
    if (v >= 4) {
        w.le(static_cast<quint64>(s.mins.size()), 2);
        for (const TMin &m : s.mins)
            w.le(static_cast<quint64>(m.user), 8).le(static_cast<quint64>(m.peer), 8).le(static_cast<quint32>(m.msg), 4);
    }
    if (v >= 7) {
        if (s.token.isEmpty())
            w.le(0, 1);
        else
            w.le(1, 1).le(static_cast<quint64>(s.token.size()), 2).raw(s.token);
    }
    return w.b;
}

// A session that uses every field a version can carry.
inline TSession sample(int v)
{
    TSession s;
    s.home = v == 1 ? 1 : 2; // a v1 file is only recognizable with home DC 1 (8.1)
    s.dcs << TDc{s.home, testKey(v), -0x1122334455667788LL, -3, s.home == 1 ? "149.154.175.53:443" : "149.154.167.51:443", 0};
    s.dcs << TDc{4, {}, 0, 0, "[2001:67c:4e8:f004::a]:443", static_cast<quint8>(v >= 3 ? 1 : 0)};
    if (v >= 3)
        s.dcs << TDc{2, testKey(v + 100), 77, 0, "149.154.167.151:443", 2 | 16}; // media-only + static
    s.pts = 1000 + v;
    s.qts = 7;
    s.date = 1700000000;
    s.seq = 42;
    s.channels << qMakePair(qint64(1234567890), qint32(555)) << qMakePair(qint64(2222222222LL), qint32(1));
    const quint8 none = 0xFF;
    s.peers << TPeer{1001, -42, 0, none, 0} << TPeer{1234567890, 987654321987LL, 1, static_cast<quint8>(v >= 6 ? 1 : none), 0}
            << TPeer{2222222222LL, std::numeric_limits<qint64>::min(), 1, static_cast<quint8>(v >= 6 ? 0 : none), static_cast<quint8>(v >= 8 ? 1 : 0)};
    if (v >= 5)
        s.peers << TPeer{333, 0, 2, none, 0};
    if (v >= 4)
        s.mins << TMin{1001, -1001234567890LL, 99};
    if (v >= 7)
        s.token = QByteArray("future-token-bytes");
    return s;
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

} // namespace ferogramtest
