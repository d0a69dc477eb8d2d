#pragma once
// ferogram session codecs (docs/formats.md 8.1-8.3), pure functions from bytes to Result:
//  * the binary session (BinaryFileBackend; versions 1-8 read, 8 written), little-endian;
//  * the compact string payload (string_session.rs V1 "full" / V2 "minimal"), big-endian.
// Fields the domain model has no slot for are kept in extra maps so that a ferogram -> ferogram
// round trip is lossless:
//   DcAuth::extra   ferogram_time_offset (int), ferogram_flags (int, v3+, only when set: 4 TCPO-only, 8 CDN, 16 static)
//   Peer::extra     ferogram_channel_kind (int: 0 broadcast, 1 megagroup, 2 gigagroup, 255 absent; v6+),
//                   ferogram_community (bool, v8)
//   Session::extra  ferogram_min_peers (list of [user_id, peer_id, msg_id]; v4+),
//                   ferogram_future_auth_token (bytes; v7+), ferogram_seq_no / ferogram_layer (compact V1)
#include "domain/session.h"
#include "io/inputfile.h"
#include "util/result.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace sd::ferogram {

inline constexpr int kCurrentBinaryVersion = 8;
inline constexpr qsizetype kMaxBinary = inputcap::kFerogramBinary;

struct Decoded {
    Session session;
    int version = 0;
};

// The whole buffer must be one binary session (trailing bytes are an error). loadPeers=false
// fills Session::peerCountsOnly instead of Session::peers.
Result<Decoded> decodeBinary(const QByteArray &data, bool loadPeers = true);
// Always version 8. Errors when counts exceed the format's u8/u16 fields.
Result<QByteArray> encodeBinary(const Session &session);
// For detection from a file head that may be cut: the version byte, home DC and the whole DC table
// parse and look sane.
bool plausibleBinaryPrefix(const QByteArray &head);

// Compact string payload (after base64url decoding). version is 1 or 2.
Result<Decoded> decodeCompact(const QByteArray &bytes);
Result<QByteArray> encodeCompact(const Session &session, int version);

} // namespace sd::ferogram
