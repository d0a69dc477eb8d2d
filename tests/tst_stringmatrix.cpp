// The N x N string conversion matrix: every registered string format that reads and writes
// (taken from the registry, so formats that land later join automatically), every fixture case,
// every (source, target) pair through sd::convertStore, and the output read back: same auth key
// and DC, and where both formats carry them the same user id, test flag and bot flag. A few
// conversions also run through the CLI (`convert - --to X`, string on stdin).
#include "stringtestutil.h"
#include "testutil.h"

#include "convert/convert.h"
#include "format/registry.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

std::vector<const Format *> stringFormats()
{
    std::vector<const Format *> out;
    for (const auto &f : Registry::instance().formats())
        if (f->sourceKind() == SourceKind::String)
            out.push_back(f.get());
    return out;
}

// The case as a domain session (everything the fixture knows).
Session caseSession(const QJsonObject &c)
{
    Session s;
    s.dcId = c.value(QStringLiteral("dc")).toInt();
    s.testMode = c.value(QStringLiteral("test")).toBool();
    s.userId = c.value(QStringLiteral("userId")).toInteger();
    s.isBot = c.value(QStringLiteral("isBot")).toBool();
    s.apiId = c.value(QStringLiteral("apiId")).toInt();
    DcAuth &d = s.upsertDc(s.dcId);
    d.address = c.value(QStringLiteral("ip")).toString();
    d.port = c.value(QStringLiteral("port")).toInt();
    d.testMode = s.testMode;
    d.authKey = SecretBytes::fromByteArray(hexToBytes(c.value(QStringLiteral("authKeyHex")).toString()));
    return s;
}

bool carries(const Format *f, Capability c) { return f->capabilities().testFlag(c); }

} // namespace

class TestStringMatrix : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formatsPresent()
    {
        QStringList ids;
        for (const Format *f : stringFormats())
            ids << f->id();
        qInfo("string formats in the matrix: %s", qPrintable(ids.join(QStringLiteral(", "))));
        for (const char *mine : {"telethon-string", "pyrogram-string", "gramjs-string", "mtkruto-string"})
            QVERIFY2(ids.contains(QLatin1String(mine)), mine);
    }

    void matrix()
    {
        const auto formats = stringFormats();
        const auto cases = loadCases();
        QVERIFY(cases.size() >= 10);
        int conversions = 0;
        for (int ci = 0; ci < cases.size(); ++ci) {
            const QJsonObject &c = cases[ci];
            const QJsonObject fixtures = c.value(QStringLiteral("strings")).toObject();
            const QString keyId = c.value(QStringLiteral("authKeyId")).toString();
            const int dc = c.value(QStringLiteral("dc")).toInt();
            const Session base = caseSession(c);
            for (const Format *src : formats) {
                // The fixture string where the case has one, else SessionDesk's own encoding.
                QByteArray srcString = fixtures.value(src->id()).toString().toLatin1();
                if (srcString.isEmpty()) {
                    auto enc = src->encodeString(base, {});
                    QVERIFY2(enc.ok(), qPrintable(src->id() + QStringLiteral(": ") + (enc.ok() ? QString() : enc.error().message)));
                    srcString = *enc;
                }
                auto srcStore = src->read(Source::fromString(srcString), {});
                QVERIFY2(srcStore.ok(), qPrintable(QStringLiteral("case %1 read %2: %3").arg(ci).arg(src->id(),
                                                   srcStore.ok() ? QString() : srcStore.error().message)));
                const Session &in = srcStore->accounts.front();
                for (const Format *dst : formats) {
                    const QString where = QStringLiteral("case %1 %2 -> %3").arg(ci).arg(src->id(), dst->id());
                    auto conv = convertStore(*srcStore, *dst, ConvertRequest{}, QString());
                    QVERIFY2(conv.ok(), qPrintable(where + QStringLiteral(": ") + (conv.ok() ? QString() : conv.error().message)));
                    QVERIFY2(!conv->string.isEmpty(), qPrintable(where));
                    // The registry must pick the target format for the output.
                    auto detected = Registry::instance().detect(Source::fromString(conv->string));
                    QVERIFY2(detected.ok() && *detected == dst,
                             qPrintable(where + QStringLiteral(": output detected as ")
                                        + (detected.ok() ? (*detected)->id() : detected.error().message)));
                    auto back = dst->read(Source::fromString(conv->string), {});
                    QVERIFY2(back.ok(), qPrintable(where + QStringLiteral(": ") + (back.ok() ? QString() : back.error().message)));
                    const Session &out = back->accounts.front();
                    QVERIFY2(out.primary(), qPrintable(where));
                    QCOMPARE(out.primary()->authKeyId(), keyId);
                    QCOMPARE(out.dcId, dc);
                    if (carries(src, Capability::TestFlag) && carries(dst, Capability::TestFlag)) {
                        QVERIFY2(out.testMode.has_value(), qPrintable(where));
                        QCOMPARE(out.testMode.value_or(false), in.testMode.value_or(false));
                    }
                    if (carries(src, Capability::UserId) && carries(dst, Capability::UserId) && in.userId)
                        QCOMPARE(out.userId, in.userId);
                    if (carries(src, Capability::IsBot) && carries(dst, Capability::IsBot) && in.isBot)
                        QCOMPARE(out.isBot.value_or(false), *in.isBot);
                    if (carries(src, Capability::Address) && carries(dst, Capability::Address)) {
                        QCOMPARE(out.primary()->address, in.primary()->address);
                        QCOMPARE(out.primary()->port, in.primary()->port);
                    }
                    // What the target cannot hold is reported, never silently lost.
                    if (in.userId && !carries(dst, Capability::UserId))
                        QVERIFY2(conv->dropped.contains(QStringLiteral("user id")), qPrintable(where));
                    ++conversions;
                }
            }
        }
        const qsizetype n = static_cast<qsizetype>(formats.size());
        QCOMPARE(conversions, cases.size() * n * n);
        qInfo("%d conversions (%lld formats x %lld formats x %lld cases)", conversions, static_cast<long long>(n),
              static_cast<long long>(n), static_cast<long long>(cases.size()));
    }

    void throughCli_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("dropped");
        QTest::newRow("pyrogram->telethon") << "pyrogram-string" << "telethon-string" << "user id";
        QTest::newRow("telethon->gramjs") << "telethon-string" << "gramjs-string" << QString();
        QTest::newRow("gramjs->mtkruto") << "gramjs-string" << "mtkruto-string" << QString();
        QTest::newRow("mtkruto->pyrogram") << "mtkruto-string" << "pyrogram-string" << QString();
        QTest::newRow("pyrogram->gramjs") << "pyrogram-string" << "gramjs-string" << "bot flag";
    }
    void throughCli()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, dropped);
        const auto cases = loadCases();
        const QJsonObject c = cases.at(1);
        const QByteArray in = c.value(QStringLiteral("strings")).toObject().value(from).toString().toLatin1();
        const CliRun r = runCli({QStringLiteral("convert"), QStringLiteral("-"), QStringLiteral("--to"), to}, "\n " + in + " \n");
        QCOMPARE(r.exitCode, 0);
        const QByteArray out = r.out.trimmed();
        QCOMPARE(r.out.count('\n'), 1);
        const Format *dst = Registry::instance().find(to);
        auto back = dst->read(Source::fromString(out), {});
        QVERIFY(back.ok());
        QCOMPARE(back->accounts.front().primary()->authKeyId(), c.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(back->accounts.front().dcId, c.value(QStringLiteral("dc")).toInt());
        if (dropped.isEmpty()) {
            QVERIFY2(!r.err.contains("dropped:"), r.err.constData());
        } else {
            QVERIFY2(r.err.startsWith("dropped: "), r.err.constData());
            QVERIFY2(r.err.contains(dropped.toUtf8()), r.err.constData());
            QCOMPARE(r.err.count('\n'), 1);
        }
        // The output of a string target is itself readable by the CLI.
        const CliRun again = runCli({QStringLiteral("inspect"), QStringLiteral("-"), QStringLiteral("--json")}, out);
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.json().object().value(QStringLiteral("format")).toString(), to);
    }

    void fileTargetNeedsOutput()
    {
        const auto cases = loadCases();
        const QByteArray in = cases.first().value(QStringLiteral("strings")).toObject().value(QStringLiteral("telethon-string")).toString().toLatin1();
        const CliRun r = runCli({QStringLiteral("convert"), QStringLiteral("-"), QStringLiteral("--to"), QStringLiteral("gramjs-store")}, in);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStringMatrix)
#include "tst_stringmatrix.moc"
