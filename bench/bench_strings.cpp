// bench_strings FROM TO FILE: converts every line of FILE (one string session per line) from
// format FROM to format TO in one process and prints "converted N strings in T ms".
// The Node reference doing the same with @mtcute/convert is bench/strings-node.mjs.
#include "convert/convert.h"
#include "format/registry.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <cstdio>

using namespace sd;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: bench_strings FROM TO FILE\n");
        return 2;
    }
    const Format *from = Registry::instance().find(QString::fromLatin1(argv[1]));
    const Format *to = Registry::instance().find(QString::fromLatin1(argv[2]));
    if (!from || !to) {
        std::fprintf(stderr, "bench_strings: unknown or unsupported format\n");
        return 2;
    }
    QFile f(QString::fromLocal8Bit(argv[3]));
    if (!f.open(QIODevice::ReadOnly))
        return 3;
    // Mapped, not copied: the lines are views into the file.
    const uchar *mapped = f.size() > 0 ? f.map(0, f.size()) : nullptr;
    const QByteArray all = mapped ? QByteArray::fromRawData(reinterpret_cast<const char *>(mapped), f.size()) : f.readAll();
    QElapsedTimer t;
    t.start();
    qint64 n = 0, bytes = 0;
    ConvertRequest req;
    for (qsizetype pos = 0; pos < all.size();) {
        qsizetype end = all.indexOf('\n', pos);
        if (end < 0)
            end = all.size();
        const QByteArray line = QByteArray::fromRawData(all.constData() + pos, end - pos); // a view, no copy
        pos = end + 1;
        if (line.isEmpty())
            continue;
        auto store = from->read(Source::fromString(line), {});
        if (!store) {
            std::fprintf(stderr, "bench_strings: line %lld: %s\n", static_cast<long long>(n), qPrintable(store.error().message));
            return 3;
        }
        auto out = convertStore(*store, *to, req, QString());
        if (!out)
            return 3;
        bytes += out->string.size();
        ++n;
    }
    std::printf("converted %lld strings in %.1f ms (%lld output bytes)\n", static_cast<long long>(n), t.nsecsElapsed() / 1e6,
                static_cast<long long>(bytes));
    return 0;
}
