#pragma once
// Shared by tst_telethonsqliteread.cpp, tst_telethonsqlitewrite.cpp and tst_telethonsqlitepeers.cpp:
// format lookup, the JSON that describes the real fixture tests/data/telethon/basic.session, and
// reading a session file with or without its peers.
#include "format/registry.h"
#include "testutil.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace telethontest {

inline QJsonObject fixtureJson()
{
    return QJsonDocument::fromJson(sdtest::readAll(sdtest::dataPath(QStringLiteral("telethon/basic.json")))).object();
}

inline sd::Store storeOf(const sd::Session &s)
{
    sd::Store st;
    st.accounts.push_back(s);
    return st;
}

inline sd::Result<sd::Store> readFile(const char *format, const QString &path, bool loadPeers = true)
{
    sd::ReadOptions o;
    o.loadPeers = loadPeers;
    return sdtest::format(format).read(sd::Source::fromPath(path), o);
}

} // namespace telethontest
