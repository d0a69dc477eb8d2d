// libFuzzer target for the in-memory SQLite snapshots (core/sqlite/snapshot): the input is a
// database image, a WAL and a rollback journal (split by two length bytes each). Applying the WAL
// or rolling the journal back never crashes and never grows the image beyond what the files can
// back; the result handed to SQLite (deserialized read-only, as SqliteDb::openReadOnly does)
// answers a schema query and an integrity check without crashing.
#include "fuzzcommon.h"

#include "sqlite/snapshot.h"

#include <sqlite3.h>

namespace sdfuzz::t_sqlite_snapshot {

using namespace sd;

inline void openImage(QByteArray image)
{
    sqlitesnap::markRollbackMode(image);
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return;
    }
    image.detach();
    if (sqlite3_deserialize(db, "main", reinterpret_cast<unsigned char *>(image.data()), image.size(), image.size(),
                            SQLITE_DESERIALIZE_READONLY) == SQLITE_OK) {
        for (const char *sql : {"SELECT count(*) FROM sqlite_master", "PRAGMA quick_check"}) {
            sqlite3_stmt *st = nullptr;
            if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK)
                for (int i = 0; i < 1000 && sqlite3_step(st) == SQLITE_ROW; ++i) {
                }
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(db);
}

inline int run(const uint8_t *data, size_t size)
{
    tempDir();
    if (size < 4)
        return 0;
    const size_t imageLen = std::min<size_t>(size - 4, (size_t(data[0]) << 8 | data[1]) * 64);
    const size_t walLen = std::min<size_t>(size - 4 - imageLen, (size_t(data[2]) << 8 | data[3]) * 64);
    const QByteArray image = bytesOf(data + 4, imageLen);
    const QByteArray side = bytesOf(data + 4 + imageLen, walLen);
    const QByteArray rest = bytesOf(data + 4 + imageLen + walLen, size - 4 - imageLen - walLen);
    QByteArray a = image;
    if (sqlitesnap::applyWal(a, side.isEmpty() ? rest : side) < 0)
        check(a == image);
    check(a.size() <= image.size() + std::max(side.size(), rest.size()));
    openImage(a);
    QByteArray b = image;
    if (sqlitesnap::rollbackJournal(b, rest) < 0)
        check(b == image);
    check(b.size() <= image.size() + rest.size());
    openImage(b);
    return 0;
}

} // namespace sdfuzz::t_sqlite_snapshot

SD_FUZZ_ENTRY(t_sqlite_snapshot)
