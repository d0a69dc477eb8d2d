#pragma once
// Column names from the CREATE TABLE text sqlite_master keeps (ALTER TABLE ADD COLUMN rewrites that
// text, so it is current). Reading them this way costs one statement for the whole schema instead
// of a PRAGMA table_info per table.
#include <QString>
#include <QStringList>
#include <optional>

namespace sd {

// The columns, in declaration order, without quotes. nullopt when the text is not understood
// (no column list, unbalanced quotes or parentheses, comments): ask PRAGMA table_info then.
std::optional<QStringList> columnsFromCreateSql(const QString &sql);

} // namespace sd
