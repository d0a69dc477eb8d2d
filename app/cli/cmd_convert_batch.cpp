// `convert FOLDER --to ID -o OUTFOLDER`: one output per input, named after the input with the
// target's usual extension; a report of successes and failures; bad inputs do not stop the batch.
#include "cli.h"

#include "convert/convert.h"
#include "format/registry.h"
#include "io/atomicfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

namespace sd::cli {

namespace {

// The usual name ending of each target: a file extension, or a folder suffix (starts with '/').
QString targetEnding(const Format &f)
{
    const QString id = f.id();
    if (f.sourceKind() == SourceKind::String)
        return QStringLiteral(".txt");
    if (id == QLatin1String("tdata"))
        return QStringLiteral("/-tdata");
    if (id == QLatin1String("gramjs-store"))
        return QStringLiteral("/");
    if (id == QLatin1String("gogram-file"))
        return QStringLiteral(".dat");
    if (id == QLatin1String("gotd-json") || id == QLatin1String("sessiondesk-json"))
        return QStringLiteral(".json");
    if (id == QLatin1String("mtgo-sqlite") || id == QLatin1String("ferogram-sqlite") || id == QLatin1String("gotd-bbolt") ||
        id == QLatin1String("gogram-cache"))
        return QStringLiteral(".db");
    return QStringLiteral(".session");
}

QString stem(const QFileInfo &fi)
{
    static const QStringList known = {QStringLiteral("session"), QStringLiteral("db"), QStringLiteral("sqlite"), QStringLiteral("sqlite3"),
                                      QStringLiteral("dat"), QStringLiteral("json"), QStringLiteral("txt"), QStringLiteral("string")};
    if (fi.isDir())
        return fi.fileName();
    return known.contains(fi.suffix().toLower()) ? fi.completeBaseName() : fi.fileName();
}

bool isSideFile(const QString &name)
{
    return name.endsWith(QLatin1String("-wal")) || name.endsWith(QLatin1String("-shm")) || name.endsWith(QLatin1String("-journal"));
}

bool isSessionFolder(const QString &path)
{
    auto probe = Probe::fromSource(Source::fromPath(path));
    if (!probe)
        return false;
    for (const Detection &d : Registry::instance().candidates(*probe))
        if (d.format->sourceKind() == SourceKind::Directory)
            return true;
    return false;
}

} // namespace

bool isBatchSource(const QString &source)
{
    const QFileInfo fi(source);
    return fi.isDir() && !isSessionFolder(source);
}

QStringList batchInputs(const QString &dir, const QString &excludeAbsPath)
{
    QStringList inputs;
    for (const QFileInfo &fi : QDir(dir).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name)) {
        if (fi.isSymLink() || isSideFile(fi.fileName()) || fi.absoluteFilePath() == excludeAbsPath)
            continue;
        if (fi.isFile() || (fi.isDir() && isSessionFolder(fi.filePath())))
            inputs << fi.filePath();
    }
    return inputs;
}

int convertBatch(const QString &sourceDir, const QString &outDir, const Format &target, const ConvertRequest &request,
                 const QString &formatId, const ReadOptions &readOptions, bool json)
{
    if (outDir.isEmpty())
        return usage(QStringLiteral("converting a folder needs an output folder: -o OUTFOLDER"));
    if (QFileInfo(outDir).exists() && !QFileInfo(outDir).isDir())
        return fail(outDir, Output, QStringLiteral("the output of a batch must be a folder"));
    if (QFileInfo(outDir).absoluteFilePath() == QFileInfo(sourceDir).absoluteFilePath())
        return usage(QStringLiteral("the output folder must differ from the source folder"));
    if (!QFileInfo(outDir).exists())
        if (auto st = makePrivateDir(outDir); !st)
            return fail(outDir, st.error());

    const QStringList inputs = batchInputs(sourceDir, QFileInfo(outDir).absoluteFilePath());

    const QString ending = targetEnding(target);
    QSet<QString> usedNames;
    QJsonArray results;
    int okCount = 0, failedCount = 0;
    for (const QString &in : inputs) {
        const QFileInfo fi(in);
        QString base = stem(fi);
        QString name = ending.startsWith(QLatin1Char('/')) ? base + ending.mid(1) : base + ending;
        for (int n = 2; usedNames.contains(name); ++n)
            name = (ending.startsWith(QLatin1Char('/')) ? base + QStringLiteral("-%1").arg(n) + ending.mid(1)
                                                          : base + QStringLiteral("-%1").arg(n) + ending);
        usedNames.insert(name);
        const QString outPath = QDir(outDir).filePath(name);

        QJsonObject item;
        item[QStringLiteral("source")] = in;
        item[QStringLiteral("output")] = QJsonValue(QJsonValue::Null);
        item[QStringLiteral("format")] = QJsonValue(QJsonValue::Null);
        auto record = [&](const Error &e) {
            item[QStringLiteral("ok")] = false;
            item[QStringLiteral("error")] = e.message;
            item[QStringLiteral("exit")] = e.exitCode();
            ++failedCount;
            if (!json)
                out() << "FAILED  " << in << ": " << e.message << '\n';
        };
        auto loaded = loadStore(in, formatId, readOptions);
        if (!loaded) {
            record(loaded.error());
            results.append(item);
            continue;
        }
        item[QStringLiteral("format")] = loaded->format->id();
        auto result = convertStore(loaded->store, target, request, outPath);
        if (result && !result->string.isEmpty()) {
            QByteArray data = result->string + '\n';
            wipe(result->string);
            const Status st = writeFileAtomic(outPath, data, request.write.force);
            wipe(data);
            if (!st) {
                record(st.error());
                results.append(item);
                continue;
            }
        }
        if (!result) {
            record(result.error());
            results.append(item);
            continue;
        }
        item[QStringLiteral("ok")] = true;
        item[QStringLiteral("error")] = QJsonValue(QJsonValue::Null);
        item[QStringLiteral("exit")] = 0;
        item[QStringLiteral("output")] = outPath;
        item[QStringLiteral("dropped")] = QJsonArray::fromStringList(result->dropped);
        ++okCount;
        if (!json)
            out() << "ok      " << in << " -> " << outPath
                  << (result->dropped.isEmpty() ? QString() : QStringLiteral("  (dropped: %1)").arg(result->dropped.join(QStringLiteral(", "))))
                  << '\n';
        results.append(item);
    }
    if (json) {
        QJsonObject o;
        o[QStringLiteral("source")] = sourceDir;
        o[QStringLiteral("output")] = outDir;
        o[QStringLiteral("target")] = target.id();
        o[QStringLiteral("converted")] = okCount;
        o[QStringLiteral("failed")] = failedCount;
        o[QStringLiteral("results")] = results;
        printJson(o);
    } else {
        out() << okCount << " converted, " << failedCount << " failed\n";
        out().flush();
    }
    return failedCount > 0 ? BadInput : Ok;
}

} // namespace sd::cli
