#pragma once
#include "format/format.h"

#include <memory>
#include <vector>

namespace sd {

struct Detection {
    const Format *format = nullptr;
    int confidence = 0;
};

class Registry {
public:
    static const Registry &instance();

    const std::vector<std::unique_ptr<Format>> &formats() const { return m_formats; }
    const Format *find(const QString &id) const;
    // Every format id, in docs/cli.md order.
    QStringList ids() const;

    // Candidates with confidence > 0, best first.
    std::vector<Detection> candidates(const Probe &probe) const;
    // The detected format, or an Error (exit 3) that explains what the input resembles.
    Result<const Format *> detect(const Source &source, Probe *probeOut = nullptr) const;
    Result<const Format *> detect(const Probe &probe) const;

private:
    Registry();
    std::vector<std::unique_ptr<Format>> m_formats;
};

// Explains why a string matched no format ("looks like a Telethon string but is 350 characters,
// 353 expected"). Implemented by the string formats family.
QString diagnoseUnknownString(const QByteArray &normalized);

} // namespace sd
