#pragma once
// The vault's schema and its migrations. Version 0 is an empty file; each step upgrades by one
// version inside the caller's transaction, so a fresh vault and a migrated one are built by the
// same statements. The version lives in the one-row table schema_version.
#include "sqlite/sqlitedb.h"

namespace sd::vaultschema {

constexpr int kCurrentVersion = 3;

// Reads schema_version: 0 for an empty database, an Error when the file holds tables but is not a
// SessionDesk vault.
Result<int> version(SqliteDb &db);
// Runs every step from the current version up to kCurrentVersion in one transaction. Refuses a
// vault newer than this build.
Status migrate(SqliteDb &db);
// The statements of one step (from -> from + 1); exposed so that tests can build old vaults.
QStringList stepStatements(int from);

} // namespace sd::vaultschema
