#pragma once
// Field-by-field comparison of domain objects for round-trip tests. Returns the differences as
// readable lines (empty = equal), so a failing QVERIFY2 says what differs.
#include "domain/session.h"

#include <QStringList>

namespace sdtest {

struct DiffOptions {
    bool peers = true;
    bool updateState = true;
    bool conversations = true;
    bool addresses = true;
    bool extra = false;          // format-specific leftovers (session, DC and peer extra) only compare within one format
    bool salts = true;           // DC server salts (a one-key string carries none)
    bool peerRaw = false;
    bool homeDcOnly = false;     // only the home DC's entry (what a one-key string holds)
};

QStringList diffSessions(const sd::Session &a, const sd::Session &b, const DiffOptions &options = {});

} // namespace sdtest
