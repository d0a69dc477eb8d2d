#pragma once
// The extra keys ferogram's facts travel under, one set for the binary codec, the strings and the
// SQLite backend (docs/formats.md 8.1-8.4), so binary -> SQLite -> binary keeps all of them.
#include <QString>

namespace sd::ferogram {

inline const QString kTimeOffset = QStringLiteral("ferogram_time_offset");   // DcAuth: per-DC time offset (int)
inline const QString kFlags = QStringLiteral("ferogram_flags");              // DcAuth: flags beyond IPv6/media (int)
inline const QString kChannelKind = QStringLiteral("ferogram_channel_kind"); // Peer: 0 broadcast, 1 megagroup, 2 gigagroup; no key = unknown
inline const QString kCommunity = QStringLiteral("ferogram_community");     // Peer: is_community (bool)
inline const QString kMinPeers = QStringLiteral("ferogram_min_peers");      // Session: [[user_id, peer_id, msg_id]...]
inline const QString kToken = QStringLiteral("ferogram_future_auth_token"); // Session: future auth token (bytes)
inline const QString kSeqNo = QStringLiteral("ferogram_seq_no");
inline const QString kLayer = QStringLiteral("ferogram_layer");
inline constexpr int kNoChannelKind = 255;

} // namespace sd::ferogram
