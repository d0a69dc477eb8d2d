// `convert FOLDER --to ID -o OUTFOLDER`: one output per input, named after the input with the
// target's usual extension; a report of successes and failures; bad inputs do not stop the batch.
#include "cli.h"
#include "report/text.h"

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

// The target's usual name for an input stem (its descriptor's file name; a folder ends in '/'),
// made unique among the names already used by inserting "-2", "-3"... before the extension.
QString outputName(const Format &target, const QString &base, const Store &store, QSet<QString> &used)
{
    const std::optional<qint64> uid = store.accounts.empty() ? std::nullopt : store.accounts.front().userId;
    QString name = target.descriptor().usualFileName(base, uid);
    if (name.endsWith(QLatin1Char('/')))
        name.chop(1);
    const QString first = name;
    for (int n = 2; used.contains(name); ++n) {
        const qsizetype dot = first.lastIndexOf(QLatin1Char('.'));
        const QString suffix = QStringLiteral("-%1").arg(n);
        name = dot > 0 ? QString(first.left(dot) + suffix + first.mid(dot)) : QString(first + suffix);
    }
    used.insert(name);
    return name;
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

QList<const Format *> batchFormats(const QStringList &inputs, const QString &formatId)
{
    QList<const Format *> formats;
    const Registry &reg = Registry::instance();
    for (const QString &in : inputs) {
        if (!formatId.isEmpty()) {
            if (const Format *f = reg.find(formatId))
                formats << f;
            continue;
        }
        if (auto f = reg.detect(Source::fromPath(in)))
            formats << *f; // an input that is no session fails on its own line later
    }
    return formats;
}

int convertBatch(const QString &sourceDir, const QString &outDir, const Format &target, const ConvertRequest &request,
                 const QString &formatId, const ReadOptions &readOptions, bool json)
{
    if (outDir.isEmpty())
        return usage(QStringLiteral("converting a folder needs an output folder: -o OUTFOLDER"));
    if (QFileInfo(outDir).exists() && !QFileInfo(outDir).isDir())
        return fail(outDir, Output, QStringLiteral("the output of a batch must be a folder"));
    // The output folder may not be the source folder, whatever its spelling (./src, a symlink),
    // nor contain it: compared by device and inode, refused even with --force (docs/security.md).
    // It may lie inside the source folder: batchInputs skips it.
    if (auto st = refuseOutputIsInput(outDir, {sourceDir}, InsideInput::Allowed); !st)
        return fail(outDir, st.error());
    if (!QFileInfo(outDir).exists())
        if (auto st = makePrivateDir(outDir); !st)
            return fail(outDir, st.error());

    const QStringList inputs = batchInputs(sourceDir, QFileInfo(outDir).absoluteFilePath());

    QSet<QString> usedNames;
    QJsonArray results;
    int okCount = 0, failedCount = 0;
    for (const QString &in : inputs) {
        const QFileInfo fi(in);

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
                out() << "FAILED  " << escapeControls(in) << ": " << escapeControls(e.message) << '\n';
        };
        auto loaded = loadStore(in, formatId, readOptions);
        if (!loaded) {
            record(loaded.error());
            results.append(item);
            continue;
        }
        item[QStringLiteral("format")] = loaded->format->id();
        const QString outPath = QDir(outDir).filePath(outputName(target, stem(fi), loaded->store, usedNames));
        ConvertRequest one = request;
        // The item itself: an output that is it, contains it or lies inside it (a session folder)
        // is refused. The source folder is no item: outputs may lie inside it (see above), and an
        // output that resolves to it or above it contains the item anyway.
        one.inputs = QStringList{in};
        auto result = convertStore(loaded->store, target, one, outPath);
        if (result && !result->string.isEmpty()) {
            QByteArray data = result->string + '\n';
            wipe(result->string);
            Status st = refuseOutputIsInput(outPath, one.inputs);
            if (st)
                st = writeFileAtomic(outPath, data, request.write.force);
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
            out() << "ok      " << escapeControls(in) << " -> " << escapeControls(outPath)
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
