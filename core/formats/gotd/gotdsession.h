#pragma once
// gotd/td session.Data JSON (docs/formats.md 6.1): {"Version":1,"Data":{Config,DC,Addr,AuthKey,AuthKeyID,Salt}}.
// Shared by gotd-json (the session.json file) and gotd-bbolt (the same bytes in the session_ bucket).
#include "domain/session.h"
#include "io/inputfile.h"
#include "util/result.h"

#include <QByteArray>
#include <QStringList>

namespace sd::gotd {

constexpr int kSessionVersion = 1;
constexpr qint64 kMaxSessionJson = inputcap::kJsonFile;

// True when text parses as a JSON object with "Version" and "Data" (detection).
bool looksLikeSessionJson(const QByteArray &text);
// Parses the JSON. A Version other than 1 is an error unless ignoreVersion (gotd itself treats it as
// "no session"); an AuthKeyID that is not SHA1(key)[12:20] is an error (gotd: "corrupted key").
Result<Session> parseSessionJson(const QByteArray &json, bool ignoreVersion, QStringList *warnings);
// The JSON gotd's session.Loader writes. Needs a 256-byte key for the primary DC. Wipe the result.
Result<QByteArray> buildSessionJson(const Session &session);

} // namespace sd::gotd
