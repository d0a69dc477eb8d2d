// libFuzzer entry point for one format (SD_FUZZ_FORMAT): the input bytes are handed to the
// format's reader the way a user would hand them over: as a pasted string (string formats), as a
// file (file formats), or as a folder whose files are cut from the input (directory formats,
// see splitIntoFiles). Detection runs too. Any crash, hang, leak or sanitizer report is a finding.
#include "format/registry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <cstdint>
#include <cstdlib>

using namespace sd;

namespace {

QTemporaryDir *g_dir = nullptr;
const Format *g_format = nullptr;

void init()
{
    static int argc = 1;
    static char arg0[] = "fuzz";
    static char *argv[] = {arg0, nullptr};
    static QCoreApplication *app = new QCoreApplication(argc, argv);
    (void)app;
    g_dir = new QTemporaryDir(QDir::tempPath() + QStringLiteral("/sdfuzz-XXXXXX"));
    g_format = Registry::instance().find(QStringLiteral(SD_FUZZ_FORMAT));
    if (!g_format)
        std::abort();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(data);
}

// Directory formats: the input is "name\0content\0name\0content..." so the fuzzer can build
// folder layouts (tdata's key_datas + <hex>s, a GramJS store's files).
void splitIntoFiles(const QString &dir, const QByteArray &data)
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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_format)
        init();
    if (size > 4 * 1024 * 1024)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    Source source;
    switch (g_format->sourceKind()) {
    case SourceKind::String:
        source = Source::fromString(bytes);
        break;
    case SourceKind::File: {
        const QString path = g_dir->filePath(QStringLiteral("input"));
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-journal"));
        writeFile(path, bytes);
        source = Source::fromPath(path);
        break;
    }
    case SourceKind::Directory: {
        const QString dir = g_dir->filePath(QStringLiteral("folder"));
        splitIntoFiles(dir, bytes);
        source = Source::fromPath(dir);
        break;
    }
    }
    auto probe = Probe::fromSource(source);
    if (probe.ok())
        (void)g_format->detect(*probe);
    ReadOptions options;
    options.passcode = SecretBytes("fuzz", 4);
    auto store = g_format->read(source, options);
    if (store.ok() && g_format->canWrite() && !store->accounts.empty()) {
        // Whatever reads must write back without crashing.
        if (g_format->sourceKind() == SourceKind::String) {
            (void)g_format->encodeString(store->accounts.front(), {});
        } else {
            WriteOptions wo;
            wo.force = true;
            (void)g_format->write(*store, g_dir->filePath(QStringLiteral("output")), wo);
        }
    }
    return 0;
}
