#pragma once
// Conversion between formats: pick the account, apply --user-id/--api-id, strip what the target
// cannot hold and say so ("dropped: update state, 12 basic groups"), never silently.
#include "format/format.h"

namespace sd {

struct ConvertRequest {
    int account = 0;
    std::optional<qint64> userId;
    std::optional<qint32> apiId;
    bool carryPeers = true;
    WriteOptions write;
    // Every path the conversion reads (source file or folder, vault). convertStore refuses an
    // output that is one of them, or a folder containing one, even with --force (exit 5).
    QStringList inputs;
};

struct Prepared {
    Store store;          // what the target writer receives (one account unless the target holds many)
    QStringList dropped;  // human-readable list of what the target cannot carry
};

// The fields of session that a format with caps cannot hold, as short phrases.
QStringList droppedFields(const Session &session, Capabilities caps, bool carryPeers);
// The size of every MTProto auth key (docs/formats.md). A key of another size is damaged: it is
// never written (BadInput, exit 3), whatever the target (convert, batch, vault export, GUI save).
inline constexpr std::size_t kAuthKeySize = 256;
Status checkWritableKeys(const Store &store);
Result<Prepared> prepareConversion(const Store &source, const Format &target, const ConvertRequest &request);

// Converts a string source or file into the target. For string targets, *stringOut receives the
// string; for file targets the output is built under its final name in a private folder next to
// outPath, read back, and only then put in place (replaceTarget): the old target is kept until the
// new one has been read back, so any error means the target is unchanged (docs/security.md).
struct ConvertResult {
    QByteArray string;    // string targets
    QStringList dropped;
};
Result<ConvertResult> convertStore(const Store &source, const Format &target, const ConvertRequest &request,
                                   const QString &outPath);

} // namespace sd
