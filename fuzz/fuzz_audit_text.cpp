// libFuzzer target for the audit's text scanner (core/audit: the session strings embedded in .env,
// .json, .yaml files): every token extractStringTokens() reports is a run of the session alphabet
// of a plausible length that occurs in the text on the line it names, and an audit of the text as
// a file (the whole scanner: tokens, every string format's decoder, findings) returns.
#include "fuzzcommon.h"

#include "audit/audit.h"

namespace sdfuzz::t_audit_text {

using namespace sd;

inline int run(const uint8_t *data, size_t size)
{
    tempDir();
    const QByteArray text = bytesOf(data, size);
    const QList<QByteArray> lines = text.split('\n');
    for (const auto &[token, line] : extractStringTokens(text)) {
        check(token.size() >= 300 && token.size() <= 64 * 1024 + 2 && line >= 1 && line <= lines.size());
        if (line >= 1 && line <= lines.size())
            check(lines[line - 1].contains(token)); // tokens never span a line break
    }
    // The whole scanner on the text as a .env file.
    const QString path = tempDir().filePath(QStringLiteral("fuzz.env"));
    writeFile(path, text);
    AuditOptions o;
    o.threads = 1;
    o.now = 1700000000;
    const AuditReport r = runAudit({path}, o);
    check(r.scanned == 1);
    return 0;
}

} // namespace sdfuzz::t_audit_text

SD_FUZZ_ENTRY(t_audit_text)
