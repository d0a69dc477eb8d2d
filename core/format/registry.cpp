#include "registry.h"

#include "formats/families.h"

#include <algorithm>

namespace sd {

Registry::Registry()
{
    registerAllFormats(m_formats); // in registerall.cpp's order
}

const Registry &Registry::instance()
{
    static const Registry registry;
    return registry;
}

const Format *Registry::find(const QString &id) const
{
    for (const auto &f : m_formats)
        if (f->id() == id)
            return f.get();
    return nullptr;
}

QStringList Registry::ids() const
{
    QStringList out;
    for (const auto &f : m_formats)
        out << f->id();
    return out;
}

std::vector<Detection> Registry::candidates(const Probe &probe) const
{
    std::vector<Detection> out;
    for (const auto &f : m_formats) {
        const int c = f->detect(probe);
        if (c > 0)
            out.push_back({f.get(), c});
    }
    std::stable_sort(out.begin(), out.end(), [](const Detection &a, const Detection &b) { return a.confidence > b.confidence; });
    return out;
}

Result<const Format *> Registry::detect(const Probe &probe) const
{
    const auto c = candidates(probe);
    if (!c.empty())
        return c.front().format;
    if (!probe.serverScheme.isEmpty()) {
        const QStringList tables = probe.schema.keys();
        return Error::badInput(QStringLiteral("the PostgreSQL database holds no mtgo store (tables: %1); writing into it with "
                                              "convert --to mtgo-postgres|mtgo-gorm creates one")
                                   .arg(tables.isEmpty() ? QStringLiteral("none") : tables.join(QStringLiteral(", "))));
    }
    if (probe.isDirectory)
        return Error::badInput(QStringLiteral("folder of unknown format (not a tdata folder, a GramJS store or a "
                                              "state folder)"));
    if (probe.isSqlite) {
        QStringList tables = probe.schema.keys();
        if (probe.hasTable(QStringLiteral("mtgo_migrations")) || probe.hasTable(QStringLiteral("peer_usernames")))
            return Error::badInput(QStringLiteral("an mtgo-labs/contrib SQLite store (tables mtgo_migrations, peer_usernames; it resembles mtcute's "
                                                  "storage but is not), which SessionDesk does not read"));
        return Error::badInput(QStringLiteral("SQLite database of unknown schema (tables: %1)")
                                   .arg(tables.isEmpty() ? QStringLiteral("none") : tables.join(QStringLiteral(", "))));
    }
    if (probe.isString) {
        if (probe.text.isEmpty())
            return Error::badInput(QStringLiteral("empty input"));
        return Error::badInput(diagnoseUnknownString(probe.text));
    }
    if (probe.size == 0)
        return Error::badInput(QStringLiteral("empty file"));
    return Error::badInput(QStringLiteral("unknown format"));
}

Result<const Format *> Registry::detect(const Source &source, Probe *probeOut) const
{
    auto probe = Probe::fromSource(source);
    if (!probe)
        return probe.error();
    if (probeOut)
        *probeOut = *probe;
    return detect(*probe);
}

} // namespace sd
