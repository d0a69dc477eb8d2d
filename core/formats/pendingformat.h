#pragma once
// A registered format whose reader/writer has not landed yet: it is listed with honest
// read/write flags (false) and can still be detected, so the user gets "not implemented yet"
// instead of "unknown format".
#include "format/format.h"

#include <functional>

namespace sd {

class PendingFormat : public Format {
public:
    using DetectFn = std::function<int(const Probe &)>;
    PendingFormat(QString id, QString name, SourceKind kind, Capabilities caps, DetectFn detect)
        : m_id(std::move(id)), m_name(std::move(name)), m_kind(kind), m_caps(caps), m_detect(std::move(detect))
    {
    }
    QString id() const override { return m_id; }
    QString displayName() const override { return m_name; }
    SourceKind sourceKind() const override { return m_kind; }
    Capabilities capabilities() const override { return m_caps; }
    bool canRead() const override { return false; }
    bool canWrite() const override { return false; }
    int detect(const Probe &p) const override { return m_detect ? m_detect(p) : 0; }

private:
    QString m_id, m_name;
    SourceKind m_kind;
    Capabilities m_caps;
    DetectFn m_detect;
};

} // namespace sd
