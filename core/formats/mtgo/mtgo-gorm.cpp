// mtgo-gorm: mtgo-labs/storage's GORM adapter (docs/formats.md 7.2): the mtgo_* tables, several
// sessions keyed by session_id, in any GORM database. Read from a postgres:// URL or a SQLite file;
// written into a postgres:// URL (one session, --session NAME) or a new SQLite file.
#include "formats/families.h"
#include "formats/mtgo/mtgo-sqlformat.h"

namespace sd {
namespace mtgo {
namespace {

class MtgoGormFormat : public SqlStoreFormat {
public:
    MtgoGormFormat() : SqlStoreFormat(SqlLayout::Gorm) {}
    QString id() const override { return QStringLiteral("mtgo-gorm"); }
    QString displayName() const override { return QStringLiteral("mtgo-labs GORM store (PostgreSQL or SQLite)"); }
    int detect(const Probe &p) const override
    {
        const bool tables = p.hasColumn(QStringLiteral("mtgo_sessions"), QStringLiteral("session_id"))
            && p.hasColumn(QStringLiteral("mtgo_sessions"), QStringLiteral("addr"));
        if (!tables)
            return 0;
        return p.serverScheme == QLatin1String("postgres") ? 95 : p.isSqlite ? 90 : 0;
    }
};

} // namespace
} // namespace mtgo

std::unique_ptr<Format> make_mtgo_gorm() { return std::make_unique<mtgo::MtgoGormFormat>(); }

} // namespace sd
