// mtgo-postgres: mtgo-labs/storage's PostgreSQL adapter (docs/formats.md 7.2): sessions, peers,
// conversations and, in newer versions, session_id plus update_state/channel_update_state. One
// session per database. Source and target are postgres:// URLs (docs/cli.md "Server stores").
#include "formats/families.h"
#include "formats/mtgo/mtgo-sqlformat.h"

namespace sd {
namespace mtgo {
namespace {

class MtgoPostgresFormat : public SqlStoreFormat {
public:
    MtgoPostgresFormat() : SqlStoreFormat(SqlLayout::Classic) {}
    QString id() const override { return QStringLiteral("mtgo-postgres"); }
    QString displayName() const override { return QStringLiteral("mtgo-labs PostgreSQL store"); }
    int detect(const Probe &p) const override
    {
        if (p.serverScheme == QLatin1String("postgres") && p.hasColumn(QStringLiteral("sessions"), QStringLiteral("dc_id"))
            && p.hasColumn(QStringLiteral("sessions"), QStringLiteral("server_address")))
            return 100;
        return 0;
    }
};

} // namespace
} // namespace mtgo

std::unique_ptr<Format> make_mtgo_postgres() { return std::make_unique<mtgo::MtgoPostgresFormat>(); }

} // namespace sd
