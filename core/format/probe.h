#pragma once
// What detection looks at, computed once per source: directory listing, the head of a file, the
// SQLite schema (opened read-only), or a normalized string.
#include "util/result.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

namespace sd {

struct Source;

struct Probe {
    QString path;
    bool isDirectory = false;
    bool isString = false;             // source is a pasted string (stdin) or a small text file
    QStringList entries;               // directory: entry names (top level, hidden included)
    QByteArray head;                   // first 64 KiB of a file
    qint64 size = 0;
    bool isSqlite = false;
    QMap<QString, QStringList> schema; // SQLite: table -> columns
    QByteArray text;                   // normalized string candidate (see normalizeSessionString)
    QString serverScheme;              // "postgres" | "redis" for a server URL (schema = its tables for PostgreSQL)

    bool hasTable(const QString &t) const { return schema.contains(t); }
    bool hasColumn(const QString &t, const QString &c) const { return schema.value(t).contains(c); }

    static Result<Probe> fromSource(const Source &source);
    // The probe of a string only (no file system access): what the string detectors see.
    static Probe fromString(const QByteArray &text);
};

// Strips surrounding whitespace, quotes (' " `), a trailing comma/semicolon and inner line breaks
// that users paste by mistake. Does not touch the alphabet or padding.
QByteArray normalizeSessionString(const QByteArray &raw);

} // namespace sd
