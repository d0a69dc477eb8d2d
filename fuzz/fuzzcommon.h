#pragma once
// Shared by the libFuzzer targets: one QCoreApplication, one private temporary folder, and helpers
// to hand bytes to a format's reader (and its writer when the read succeeds).
//
// Each target's body is sdfuzz::<target>::run(data, size) in fuzz_<target>.cpp; the libFuzzer entry
// point is only defined without SD_FUZZ_NO_MAIN, so tests/tst_fuzzregressions.cpp includes the same
// files and replays the kept inputs through the same code in the normal build.
#include "format/registry.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <cstdlib>

namespace sdfuzz {

// A property a target asserts (round trips). The fuzzer aborts; the regression test counts.
inline int &checkFailures()
{
    static int n = 0;
    return n;
}
inline void check(bool condition)
{
    if (condition)
        return;
#ifdef SD_FUZZ_NO_MAIN
    ++checkFailures();
#else
    std::abort();
#endif
}

inline QTemporaryDir &tempDir()
{
    static int argc = 1;
    static char arg0[] = "fuzz";
    static char *argv[] = {arg0, nullptr};
    static QCoreApplication *app = QCoreApplication::instance() ? nullptr : new QCoreApplication(argc, argv);
    (void)app;
    static QTemporaryDir *dir = new QTemporaryDir(QDir::tempPath() + QStringLiteral("/sdfuzz-XXXXXX"));
    return *dir;
}

inline const sd::Format &format(const char *id)
{
    tempDir();
    const sd::Format *f = sd::Registry::instance().find(QString::fromLatin1(id));
    if (!f)
        std::abort();
    return *f;
}

inline void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(data);
}

// Reads source with format; whatever reads must also write back (string or file/folder) without
// crashing.
inline void readAndWrite(const sd::Format &format, const sd::Source &source, const sd::ReadOptions &options = {})
{
    auto probe = sd::Probe::fromSource(source);
    if (probe.ok())
        (void)format.detect(*probe);
    auto store = format.read(source, options);
    if (!store.ok() || store->accounts.empty())
        return;
    if (format.sourceKind() == sd::SourceKind::String) {
        (void)format.encodeString(store->accounts.front(), {});
    } else {
        sd::WriteOptions wo;
        wo.force = true;
        (void)format.write(*store, tempDir().filePath(QStringLiteral("output")), wo);
    }
}

inline QByteArray bytesOf(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
}

} // namespace sdfuzz

#ifdef SD_FUZZ_NO_MAIN
#define SD_FUZZ_ENTRY(ns)
#else
#define SD_FUZZ_ENTRY(ns)                                                                          \
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return sdfuzz::ns::run(data, size); }
#endif
