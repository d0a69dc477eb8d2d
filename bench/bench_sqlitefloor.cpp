// bench_sqlitefloor FILE...: the storage engine's own floor for the audit's per-file work. For each
// Telethon .session it does the least any reader must: sqlite3_open_v2 read-only, prepare
// "SELECT dc_id, auth_key FROM sessions", one step, close. No Qt, no checks, one thread.
// Prints "sqlite floor: N files in T ms (U us per file)".
#include <sqlite3.h>

#include <chrono>
#include <cstdio>

int main(int argc, char **argv)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    const auto t0 = std::chrono::steady_clock::now();
    int n = 0;
    long long keyBytes = 0;
    for (int i = 1; i < argc; ++i) {
        sqlite3 *db = nullptr;
        if (sqlite3_open_v2(argv[i], &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK) {
            sqlite3_stmt *st = nullptr;
            if (sqlite3_prepare_v2(db, "SELECT dc_id, auth_key FROM sessions", -1, &st, nullptr) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW) {
                keyBytes += sqlite3_column_bytes(st, 1);
                ++n;
            }
            sqlite3_finalize(st);
        }
        sqlite3_close(db);
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("sqlite floor: %d files in %.1f ms (%.1f us per file, %lld key bytes)\n", n, ms, n ? ms * 1000 / n : 0.0,
                keyBytes);
    return n == argc - 1 ? 0 : 1;
}
