#pragma once
// Shared by the string-format tests (tst_strings, tst_stringmatrix, tst_interop_strings): the
// fixture cases of tests/data/strings/cases.jsonl, deterministic test keys, and a one-DC session.
#include "domain/session.h"
#include "testutil.h"

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace sdtest {

// One object per line of tests/data/strings/cases.jsonl (empty when the file is missing).
inline QList<QJsonObject> loadCases()
{
    QList<QJsonObject> out;
    QFile f(dataPath(QStringLiteral("strings/cases.jsonl")));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            out << QJsonDocument::fromJson(line).object();
    return out;
}

// A 256-byte test key, different for each seed.
inline QByteArray keyBytes(int seed)
{
    QByteArray k(256, '\0');
    for (int i = 0; i < 256; ++i)
        k[i] = static_cast<char>((i * 7 + seed * 13 + 1) & 0xff);
    return k;
}

// A session with one permanent key on dc at address:port (IPv6 when the address has a ':').
inline sd::Session sessionWith(int dc, const QString &address, int port, const QByteArray &key)
{
    sd::Session s;
    s.dcId = dc;
    sd::DcAuth &d = s.upsertDc(dc);
    d.address = address;
    d.port = port;
    d.ipv6 = address.contains(QLatin1Char(':'));
    d.authKey = sd::SecretBytes::fromByteArray(key);
    return s;
}

} // namespace sdtest
