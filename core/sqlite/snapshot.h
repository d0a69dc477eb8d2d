#pragma once
// In-memory snapshots of SQLite databases (docs/security.md, "Reading and process"): the committed
// state of a database whose latest transactions sit in a WAL, or whose writer died and left a hot
// rollback journal, is computed from the bytes alone, so no copy is ever written to disk. Pure
// functions of bytes (fuzz/fuzz_sqlite_snapshot.cpp).
#include <QByteArray>

namespace sd::sqlitesnap {

// Applies the WAL's committed frames (salts and cumulative checksums valid, up to the last commit
// frame) to image and sizes it to the committed page count. A WAL with a bad header or no commit
// changes nothing. Returns the number of frames applied, -1 (image unchanged) when the WAL
// claims a database larger than the image and the WAL together.
int applyWal(QByteArray &image, const QByteArray &wal);

// Puts back the original pages a hot rollback journal holds (records with a valid checksum, every
// segment) and truncates image to the size before the transaction. A journal whose header is
// zeroed or invalid is not hot and changes nothing. Returns the number of pages restored, -1
// (image unchanged) when the header claims more pages than the files can hold.
int rollbackJournal(QByteArray &image, const QByteArray &journal);

// Makes a (WAL-mode) image openable from memory: file format bytes 18/19 set to 1 (legacy).
void markRollbackMode(QByteArray &image);

} // namespace sd::sqlitesnap
