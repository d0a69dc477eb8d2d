#pragma once
// Carrying what a SQLite format does not own (docs/security.md, "Edit in place"): when a SQLite
// session is written over an existing file of the same format (convert --force, the GUI's Save),
// the tables the format does not know (an application's own table, mtgo's device store) are copied
// from the old file into the new one, rows and schema, with their indexes and triggers. Tables the
// format knows (FormatDescriptor::knownSchema) are the writer's: they are never carried, so a
// deleted peer or conversation cannot come back from the old file.
#include "util/result.h"

#include <QString>
#include <QStringList>

namespace sd {

class Format;

// Copies from `from` into the database at `to` (already written by format's writer) every table
// of `from` that format does not know and `to` does not have. Nothing happens when `from` does
// not exist, is not a file of this format, or the format has no known schema. A virtual table
// (FTS and the like) cannot be carried table by table: the write is refused (exit 5) instead of
// dropping it. Returns the names of the tables carried.
Result<QStringList> carryUnknownSqliteTables(const Format &format, const QString &from, const QString &to);

} // namespace sd
