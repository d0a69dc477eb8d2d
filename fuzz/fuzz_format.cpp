// libFuzzer entry point for one format (see pickFormat): the input bytes are handed to the
// format's reader the way a user would hand them over: as a pasted string (string formats), as a
// file (file formats), or as a folder whose files are cut from the input (directory formats,
// see splitIntoFiles). Detection runs too, and whatever reads is written back.
// Any crash, hang, leak or sanitizer report is a finding.
#include "fuzzcommon.h"

namespace sdfuzz::t_format {

using namespace sd;

// Directory formats: the input is "name\0content\0name\0content..." so the fuzzer can build
// folder layouts (tdata's key_datas + <hex>s, a GramJS store's files).
inline void splitIntoFiles(const QString &dir, const QByteArray &data)
{
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    const QList<QByteArray> parts = data.split('\0');
    for (qsizetype i = 0; i + 1 < parts.size() && i < 16; i += 2) {
        QByteArray name = parts[i];
        name.replace('/', '_');
        if (name.isEmpty() || name == "." || name == "..")
            continue;
        if (name.size() > 64)
            name.truncate(64);
        writeFile(dir + QLatin1Char('/') + QString::fromLatin1(name), parts[i + 1]);
    }
}

inline int runFormat(const Format &format, const uint8_t *data, size_t size)
{
    if (size > 5 * 1024 * 1024) // run-one.sh's -max_len for size-sensitive formats (docs/security.md, "Fuzzing")
        return 0;
    const QByteArray bytes = bytesOf(data, size);
    Source source;
    switch (format.sourceKind()) {
    case SourceKind::String:
        source = Source::fromString(bytes);
        break;
    case SourceKind::File: {
        const QString path = tempDir().filePath(QStringLiteral("input"));
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-journal"));
        QFile::remove(path + QStringLiteral("-shm"));
        writeFile(path, bytes);
        source = Source::fromPath(path);
        break;
    }
    case SourceKind::Directory: {
        const QString dir = tempDir().filePath(QStringLiteral("folder"));
        splitIntoFiles(dir, bytes);
        source = Source::fromPath(dir);
        break;
    }
    }
    ReadOptions options;
    options.passcode = SecretBytes("fuzz", 4);
    readAndWrite(format, source, options);
    return 0;
}

// The format: SD_FUZZ_FORMAT when compiled in, else the binary's own name (fuzz_<id with '_'>,
// a symlink to fuzz_format), else the environment variable SD_FUZZ_FORMAT.
inline const Format *g_format = nullptr;

inline int run(const uint8_t *data, size_t size)
{
    if (!g_format)
        std::abort();
    return runFormat(*g_format, data, size);
}

inline void pickFormat(const char *argv0)
{
#ifdef SD_FUZZ_FORMAT
    (void)argv0;
    g_format = &sdfuzz::format(SD_FUZZ_FORMAT);
#else
    QByteArray id = qgetenv("SD_FUZZ_FORMAT");
    const QByteArray base = QByteArray(argv0 ? argv0 : "").split('/').last();
    if (id.isEmpty() && base.startsWith("fuzz_") && base != "fuzz_format")
        id = base.mid(5).replace('_', '-');
    g_format = &sdfuzz::format(id.constData());
#endif
}

} // namespace sdfuzz::t_format

#ifndef SD_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sdfuzz::t_format::pickFormat(*argc > 0 ? (*argv)[0] : nullptr);
    return 0;
}
SD_FUZZ_ENTRY(t_format)
#endif
