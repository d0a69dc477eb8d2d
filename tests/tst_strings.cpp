// String sessions (Telethon, Pyrogram, GramJS, MTKruto; mtcute detection): every fixture string of
// tests/data/strings/cases.jsonl is detected as its own format and read with the expected key,
// DC, test flag, user id and bot flag; our formats re-encode byte for byte; pasted variants
// (quotes, whitespace, newlines, missing padding, the other alphabet) still detect; garbage and
// truncated strings give exit 3 with a one-line diagnosis naming the closest library.
#include "stringtestutil.h"
#include "testutil.h"

#include "domain/dcaddress.h"
#include "format/probe.h"
#include "format/registry.h"
#include "formats/strings/stringformat.h"
#include "util/base64.h"
#include "util/bytes.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

const QStringList kMine = {QStringLiteral("telethon-string"), QStringLiteral("pyrogram-string"),
                           QStringLiteral("gramjs-string"), QStringLiteral("mtkruto-string")};
const QStringList kAll = QStringList(kMine) << QStringLiteral("mtcute-string");

QString keyIdOfHex(const QString &hex)
{
    return authKeyId(SecretBytes::fromByteArray(hexToBytes(hex)));
}

QByteArray swapAlphabet(QByteArray s)
{
    for (char &c : s) {
        switch (c) {
        case '-': c = '+'; break;
        case '_': c = '/'; break;
        case '+': c = '-'; break;
        case '/': c = '_'; break;
        default: break;
        }
    }
    return s;
}

Result<Store> readString(const QByteArray &s, QString *detected = nullptr)
{
    auto f = Registry::instance().detect(Source::fromString(s));
    if (!f)
        return f.error();
    if (detected)
        *detected = (*f)->id();
    return (*f)->read(Source::fromString(s), ReadOptions{});
}

} // namespace

class TestStrings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fixtureCases_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QByteArray>("string");
        QTest::addColumn<QJsonObject>("expected");
        const auto cases = loadCases();
        QVERIFY(cases.size() >= 10);
        int i = 0;
        for (const QJsonObject &c : cases) {
            const QJsonObject strings = c.value(QStringLiteral("strings")).toObject();
            for (const QString &fmt : kAll) {
                QVERIFY2(strings.contains(fmt), qPrintable(fmt));
                QTest::addRow("%d-%s", i, qPrintable(fmt)) << fmt << strings.value(fmt).toString().toLatin1() << c;
            }
            ++i;
        }
    }
    void fixtureCases()
    {
        QFETCH(QString, format);
        QFETCH(QByteArray, string);
        QFETCH(QJsonObject, expected);
        const Format *f = Registry::instance().find(format);
        QVERIFY(f);
        QString detected;
        auto store = readString(string, &detected);
        QCOMPARE(detected, format);
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        QCOMPARE(store->accounts.size(), size_t(1));
        const Session &s = store->accounts.front();
        QVERIFY(s.primary());
        QCOMPARE(s.primary()->authKeyId(), expected.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(s.primary()->authKeyId(), keyIdOfHex(expected.value(QStringLiteral("authKeyHex")).toString()));
        QCOMPARE(s.primary()->authKey.exposeUnsafeHex(), expected.value(QStringLiteral("authKeyHex")).toString().toLatin1());
        QCOMPARE(s.dcId, expected.value(QStringLiteral("dc")).toInt());
        const Capabilities caps = f->capabilities();
        const bool test = expected.value(QStringLiteral("test")).toBool();
        if (caps.testFlag(Capability::TestFlag)) {
            QVERIFY(s.testMode.has_value());
            QCOMPARE(*s.testMode, test);
        }
        if (caps.testFlag(Capability::Address)) {
            QCOMPARE(s.primary()->address, expected.value(QStringLiteral("ip")).toString());
            QCOMPARE(s.primary()->port, expected.value(QStringLiteral("port")).toInt());
        } else {
            // Pyrogram/MTKruto: the one DC table fills the address.
            const auto a = defaultDcAddress(s.dcId, test);
            QVERIFY(a);
            QCOMPARE(s.primary()->address, a->address);
        }
        const bool shortMtkruto = format == QLatin1String("mtkruto-string") && store->variant == QLatin1String("short");
        if (shortMtkruto)
            QVERIFY(store->warnings.join(QLatin1Char(' ')).contains(QStringLiteral("--api-id")));
        if (caps.testFlag(Capability::UserId) && !shortMtkruto) {
            QVERIFY(s.userId.has_value());
            QCOMPARE(*s.userId, expected.value(QStringLiteral("userId")).toInteger());
        }
        if (caps.testFlag(Capability::IsBot) && !shortMtkruto) {
            QVERIFY(s.isBot.has_value());
            QCOMPARE(*s.isBot, expected.value(QStringLiteral("isBot")).toBool());
        }
        if (caps.testFlag(Capability::ApiId) && format == QLatin1String("pyrogram-string")) {
            QVERIFY(s.apiId.has_value());
            QCOMPARE(*s.apiId, expected.value(QStringLiteral("apiId")).toInt());
        }
        if (!kMine.contains(format))
            return;
        auto again = f->encodeString(s, WriteOptions{});
        QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error().message));
        QCOMPARE(*again, string);
    }

    // Strings written by Telethon and GramJS themselves (IPv6, host names, test DCs).
    void libraryFixtures()
    {
        QFile f(dataPath(QStringLiteral("strings/libraries.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        int n = 0;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            const QByteArray s = o.value(QStringLiteral("string")).toString().toLatin1();
            const QString fmt = o.value(QStringLiteral("format")).toString();
            QString detected;
            auto store = readString(s, &detected);
            QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
            QCOMPARE(detected, fmt);
            const Session &ses = store->accounts.front();
            QCOMPARE(ses.primary()->authKeyId(), o.value(QStringLiteral("authKeyId")).toString());
            QCOMPARE(ses.dcId, o.value(QStringLiteral("dc")).toInt());
            QCOMPARE(ses.primary()->address, o.value(QStringLiteral("ip")).toString());
            QCOMPARE(ses.primary()->port, o.value(QStringLiteral("port")).toInt());
            if (ses.primary()->address == QLatin1String("149.154.167.40") || ses.primary()->address == QLatin1String("149.154.175.117"))
                QCOMPARE(ses.testMode, std::optional<bool>(true)); // inferred from the test-DC address
            QCOMPARE(*Registry::instance().find(fmt)->encodeString(ses, {}), s);
            ++n;
        }
        QVERIFY(n >= 8);
    }

    void pastedVariants_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QByteArray>("pasted");
        QTest::addColumn<QString>("keyId");
        int i = 0;
        for (const QJsonObject &c : loadCases()) {
            const QJsonObject strings = c.value(QStringLiteral("strings")).toObject();
            const QString keyId = c.value(QStringLiteral("authKeyId")).toString();
            for (const QString &fmt : kMine) {
                const QByteArray s = strings.value(fmt).toString().toLatin1();
                QByteArray wrapped;
                for (qsizetype p = 0; p < s.size(); p += 64)
                    wrapped += s.mid(p, 64) + "\r\n";
                QByteArray unpadded = s;
                while (unpadded.endsWith('='))
                    unpadded.chop(1);
                QByteArray padded = s;
                while (padded.size() % 4)
                    padded += '=';
                const QList<std::pair<const char *, QByteArray>> variants = {
                    {"dquote", '"' + s + '"'},
                    {"squote", '\'' + s + "'\n"},
                    {"spaces", "  \t" + s + "  \n\n"},
                    {"wrapped", wrapped},
                    {"nopad", unpadded},
                    {"padded", padded},
                    {"alphabet", swapAlphabet(s)},
                    {"alphabet-quoted-nopad", "`" + swapAlphabet(unpadded) + "`,"},
                };
                for (const auto &[name, v] : variants)
                    QTest::addRow("%d-%s-%s", i, qPrintable(fmt), name) << fmt << v << keyId;
            }
            ++i;
        }
    }
    void pastedVariants()
    {
        QFETCH(QString, format);
        QFETCH(QByteArray, pasted);
        QFETCH(QString, keyId);
        QString detected;
        auto store = readString(pasted, &detected);
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        QCOMPARE(detected, format);
        QCOMPARE(store->accounts.front().primary()->authKeyId(), keyId);
    }

    // docs/formats.md test vectors (key = bytes 0..255).
    void referenceVectors()
    {
        QByteArray key(256, '\0');
        for (int i = 0; i < 256; ++i)
            key[i] = static_cast<char>(i);
        Session s = sessionWith(2, QStringLiteral("149.154.167.51"), 443, key);
        const Registry &reg = Registry::instance();
        auto tl = reg.find(QStringLiteral("telethon-string"))->encodeString(s, {});
        QVERIFY(tl.ok());
        QCOMPARE(tl->size(), 353);
        QVERIFY(tl->startsWith("1ApWapzMBuwABAgMEBQYHCAk"));
        QVERIFY(tl->endsWith("z9_v8="));
        auto gj = reg.find(QStringLiteral("gramjs-string"))->encodeString(s, {});
        QVERIFY(gj.ok());
        QCOMPARE(gj->size(), 369);
        QVERIFY(gj->startsWith("1AgAOMTQ5LjE1NC4xNjcuNTE"));
        s.apiId = 12345;
        s.testMode = false;
        s.userId = 123456789;
        s.isBot = false;
        auto py = reg.find(QStringLiteral("pyrogram-string"))->encodeString(s, {});
        QVERIFY(py.ok());
        QCOMPARE(py->size(), 362);
        QVERIFY(py->startsWith("AgAAMDkAAAECAwQF"));
        QVERIFY(!py->contains('='));
    }

    void pyrogramOldLayouts()
    {
        const QByteArray key = keyBytes(3);
        for (const bool wide : {false, true}) {
            ByteWriter w;
            w.u8(4);
            w.u8(1); // test
            w.bytes(key);
            if (wide)
                w.u64be(5000000123ULL);
            else
                w.u32be(777000u);
            w.u8(1); // bot
            const QByteArray s = base64Encode(w.data(), B64::UrlNoPad);
            QCOMPARE(s.size(), wide ? 356 : 351);
            QString detected;
            auto store = readString(s, &detected);
            QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
            QCOMPARE(detected, QStringLiteral("pyrogram-string"));
            QCOMPARE(store->variant, wide ? QStringLiteral("old64") : QStringLiteral("old32"));
            QCOMPARE(store->warnings.size(), 1);
            const Session &ses = store->accounts.front();
            QCOMPARE(ses.dcId, 4);
            QCOMPARE(ses.testMode, std::optional<bool>(true));
            QCOMPARE(ses.userId, std::optional<qint64>(wide ? 5000000123LL : 777000LL));
            QCOMPARE(ses.isBot, std::optional<bool>(true));
            QVERIFY(!ses.apiId);
            QCOMPARE(ses.primary()->authKey.exposeUnsafe(), key);
            // Written back in the current layout (362 characters) with the same fields.
            auto cur = Registry::instance().find(QStringLiteral("pyrogram-string"))->encodeString(ses, {});
            QVERIFY(cur.ok());
            QCOMPARE(cur->size(), 362);
            auto back = readString(*cur);
            QVERIFY(back.ok());
            QCOMPARE(back->variant, QStringLiteral("current"));
            QCOMPARE(back->accounts.front().userId, ses.userId);
        }
        // A Telethon IPv4 payload is 263 bytes too: without its "1" it must not pass as OLD32.
        auto tl = Registry::instance().find(QStringLiteral("telethon-string"))
                      ->encodeString(sessionWith(2, QStringLiteral("149.154.167.51"), 443, keyBytes(1)), {});
        QVERIFY(tl.ok());
        QByteArray stripped = tl->mid(1);
        while (stripped.endsWith('='))
            stripped.chop(1);
        QCOMPARE(stripped.size(), 351);
        QVERIFY(!strings::decodePyrogram(stripped).ok());
    }

    void telethonIpv6()
    {
        const QByteArray key = keyBytes(9);
        const Format *tl = Registry::instance().find(QStringLiteral("telethon-string"));
        auto s = tl->encodeString(sessionWith(2, QStringLiteral("2001:67c:4e8:f002::a"), 443, key), {});
        QVERIFY(s.ok());
        QCOMPARE(s->size(), 369); // same length as a GramJS string with a 13-15 character IPv4
        QString detected;
        auto store = readString(*s, &detected);
        QVERIFY(store.ok());
        QCOMPARE(detected, QStringLiteral("telethon-string"));
        QCOMPARE(store->variant, QStringLiteral("ipv6"));
        QCOMPARE(store->accounts.front().primary()->address, QStringLiteral("2001:67c:4e8:f002::a"));
        QVERIFY(store->accounts.front().primary()->ipv6);
        QCOMPARE(*tl->encodeString(store->accounts.front(), {}), *s);
        // GramJS writes the IPv6 text; GramJS's own loader would also accept the Telethon string,
        // which a forced --format gramjs-string read does too.
        auto forced = Registry::instance().find(QStringLiteral("gramjs-string"))->read(Source::fromString(*s), {});
        QVERIFY(forced.ok());
        QCOMPARE(forced->variant, QStringLiteral("telethon-ipv6"));
        auto gj = Registry::instance().find(QStringLiteral("gramjs-string"))->encodeString(store->accounts.front(), {});
        QVERIFY(gj.ok());
        auto gjStore = readString(*gj, &detected);
        QVERIFY(gjStore.ok());
        QCOMPARE(detected, QStringLiteral("gramjs-string"));
        QCOMPARE(gjStore->accounts.front().primary()->address, QStringLiteral("2001:67c:4e8:f002::a"));
    }

    void normalizeFindsWhiteSpaceAnywhere()
    {
        const QByteArray clean = QByteArray("1") + QByteArray(40, 'A') + QByteArray("xyz_-09");
        QCOMPARE(normalizeSessionString(clean), clean);
        QVERIFY(normalizeSessionString(clean).isSharedWith(clean)); // a clean string is not copied
        // One white space character at every position (the 8-byte scan and its tail), and the usual
        // wrappers: quotes, a trailing comma, surrounding new lines.
        for (qsizetype i = 0; i <= clean.size(); ++i) {
            for (const char ws : {' ', '\n', '\r', '\t'}) {
                QByteArray t = clean;
                t.insert(i, ws);
                QCOMPARE(normalizeSessionString(t), clean);
            }
        }
        QCOMPARE(normalizeSessionString("\n  \"" + clean + "\",\n"), clean);
        QCOMPARE(normalizeSessionString("'" + clean.left(20) + "\n" + clean.mid(20) + "';"), clean);
        QCOMPARE(normalizeSessionString(" \t\r\n"), QByteArray());
    }

    void gramjsHostname()
    {
        const Format *gj = Registry::instance().find(QStringLiteral("gramjs-string"));
        auto s = gj->encodeString(sessionWith(4, QStringLiteral("vesta.web.telegram.org"), 443, keyBytes(5)), {});
        QVERIFY(s.ok());
        QCOMPARE(s->size(), 381);
        QString detected;
        auto store = readString(*s, &detected);
        QVERIFY(store.ok());
        QCOMPARE(detected, QStringLiteral("gramjs-string"));
        QCOMPARE(store->variant, QStringLiteral("hostname"));
        QCOMPARE(store->accounts.front().primary()->address, QStringLiteral("vesta.web.telegram.org"));
        // Telethon needs an IP: it falls back to the DC table for DC 4.
        auto tl = Registry::instance().find(QStringLiteral("telethon-string"))->encodeString(store->accounts.front(), {});
        QVERIFY(tl.ok());
        auto back = readString(*tl);
        QVERIFY(back.ok());
        QCOMPARE(back->accounts.front().primary()->address, defaultDcAddress(4)->address);
    }

    void mtkrutoFullLayoutAndRle()
    {
        QByteArray zeros(600, '\0');
        const QByteArray enc = strings::rleEncode(zeros);
        QCOMPARE(enc, QByteArray::fromHex("00ff00ff005a"));
        QCOMPARE(*strings::rleDecode(enc, 1000), zeros);
        QVERIFY(!strings::rleDecode(QByteArray::fromHex("0100"), 1000));   // dangling marker
        QVERIFY(!strings::rleDecode(QByteArray::fromHex("000001"), 1000)); // zero count
        QVERIFY(!strings::rleDecode(enc, 500));                          // output cap

        QByteArray key = keyBytes(11);
        key.replace(10, 40, QByteArray(40, '\0'));
        Session s = sessionWith(3, QString(), 0, key);
        s.testMode = true;
        s.apiId = 611335;
        s.userId = 6000000001LL;
        s.isBot = true;
        const Format *mk = Registry::instance().find(QStringLiteral("mtkruto-string"));
        auto str = mk->encodeString(s, {});
        QVERIFY(str.ok());
        QVERIFY(!str->contains('=') && !str->contains('+') && !str->contains('/'));
        QString detected;
        auto store = readString(*str, &detected);
        QVERIFY(store.ok());
        QCOMPARE(detected, QStringLiteral("mtkruto-string"));
        QCOMPARE(store->variant, QStringLiteral("full"));
        const Session &r = store->accounts.front();
        QCOMPARE(r.dcId, 3);
        QCOMPARE(r.testMode, std::optional<bool>(true));
        QCOMPARE(r.apiId, std::optional<qint32>(611335));
        QCOMPARE(r.userId, std::optional<qint64>(6000000001LL));
        QCOMPARE(r.isBot, std::optional<bool>(true));
        QCOMPARE(r.primary()->authKey.exposeUnsafe(), key);
        QCOMPARE(*mk->encodeString(r, {}), *str);
        // MTKruto has no test DC 4.
        s.dcId = 4;
        s.dcs.front().dcId = 4;
        QVERIFY(!mk->encodeString(s, {}).ok());
    }

    void badStringsDiagnosed_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("library");
        QTest::addColumn<QString>("reason");
        const auto cases = loadCases();
        QVERIFY(!cases.isEmpty());
        const QJsonObject st = cases.first().value(QStringLiteral("strings")).toObject();
        auto get = [&](const char *f) { return st.value(QLatin1String(f)).toString().toLatin1(); };
        QTest::newRow("garbage") << QByteArray("hello world, not a session\n") << QString() << QStringLiteral("','");
        QTest::newRow("short-garbage") << QByteArray("AAAA") << QString() << QStringLiteral("4 characters");
        QTest::newRow("telethon-truncated") << get("telethon-string").left(300) << QStringLiteral("Telethon")
                                            << QStringLiteral("300 characters");
        QTest::newRow("telethon-extra") << get("telethon-string") + "AAAA" << QStringLiteral("Telethon")
                                        << QStringLiteral("357 characters");
        QTest::newRow("pyrogram-truncated") << get("pyrogram-string").left(340) << QStringLiteral("Pyrogram")
                                            << QStringLiteral("340 characters");
        QTest::newRow("pyrogram-cut-by-one") << get("pyrogram-string").chopped(1) << QStringLiteral("Pyrogram")
                                             << QStringLiteral("1 short");
        QTest::newRow("gramjs-truncated") << get("gramjs-string").left(320) << QStringLiteral("GramJS")
                                          << QStringLiteral("320 characters");
        QTest::newRow("mtkruto-truncated") << get("mtkruto-string").left(300) << QStringLiteral("MTKruto")
                                           << QStringLiteral("300 characters");
        QTest::newRow("telethon-without-1") << get("telethon-string").mid(1) << QStringLiteral("Telethon")
                                            << QStringLiteral("version character '1'");
        QTest::newRow("gramjs-without-1") << get("gramjs-string").mid(1) << QStringLiteral("GramJS")
                                          << QStringLiteral("version character '1'");
        QByteArray zeroKey = QByteArray::fromBase64(get("telethon-string").mid(1), QByteArray::Base64UrlEncoding);
        zeroKey.replace(7, 256, QByteArray(256, '\0'));
        QTest::newRow("telethon-zero-key") << "1" + zeroKey.toBase64(QByteArray::Base64UrlEncoding)
                                           << QStringLiteral("Telethon") << QStringLiteral("all zeros");
        QByteArray badDc = QByteArray::fromBase64(get("pyrogram-string"), QByteArray::Base64UrlEncoding);
        badDc[0] = 9;
        QTest::newRow("pyrogram-dc9") << badDc.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
                                      << QStringLiteral("Pyrogram") << QStringLiteral("DC id 9");
    }
    void badStringsDiagnosed()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, library);
        QFETCH(QString, reason);
        const CliRun r = runCli({QStringLiteral("inspect"), QStringLiteral("-")}, input);
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("sessiondesk-cli: -: "), r.err.constData());
        QVERIFY2(r.err.contains("closest"), r.err.constData());
        if (!library.isEmpty())
            QVERIFY2(r.err.contains(library.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains(reason.toUtf8()), r.err.constData());
        QVERIFY(!r.err.contains(input.trimmed().left(40)) || input.size() < 40); // never echoes a key
    }

    void cliInspectsPastedString()
    {
        const auto cases = loadCases();
        const QJsonObject c = cases.at(3);
        const QByteArray s = c.value(QStringLiteral("strings")).toObject().value(QStringLiteral("pyrogram-string")).toString().toLatin1();
        const CliRun r = runCli({QStringLiteral("inspect"), QStringLiteral("-"), QStringLiteral("--json")}, "  \"" + s + "\"\n");
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("pyrogram-string"));
        const QJsonObject a = o.value(QStringLiteral("accounts")).toArray().first().toObject();
        QCOMPARE(a.value(QStringLiteral("auth_key_id")).toString(), c.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(a.value(QStringLiteral("dc_id")).toInt(), c.value(QStringLiteral("dc")).toInt());
        QCOMPARE(a.value(QStringLiteral("test_mode")).toBool(), c.value(QStringLiteral("test")).toBool());
        QCOMPARE(a.value(QStringLiteral("user_id")).toInteger(), c.value(QStringLiteral("userId")).toInteger());
        QVERIFY(!r.out.contains(c.value(QStringLiteral("authKeyHex")).toString().left(32).toLatin1()));
    }

    // Mutated and truncated strings never crash or hang a decoder: every outcome is a session or
    // a bad-input error.
    void mutationsAreSafe()
    {
        QRandomGenerator rng(1234);
        int ok = 0, bad = 0;
        for (const QJsonObject &c : loadCases()) {
            const QJsonObject st = c.value(QStringLiteral("strings")).toObject();
            for (const QString &fmt : kMine) {
                const QByteArray s = st.value(fmt).toString().toLatin1();
                for (int i = 0; i < 40; ++i) {
                    QByteArray m = s;
                    const int op = rng.bounded(3);
                    const int pos = rng.bounded(static_cast<int>(m.size()));
                    if (op == 0)
                        m[pos] = "AZaz09-_+/=!"[rng.bounded(12)];
                    else if (op == 1)
                        m.truncate(pos);
                    else
                        m.insert(pos, "A");
                    const Probe p = Probe::fromString(m);
                    auto f = Registry::instance().detect(p);
                    if (!f) {
                        QCOMPARE(f.error().kind, ErrorKind::BadInput);
                        QVERIFY(!f.error().message.isEmpty());
                        QVERIFY(!f.error().message.contains(QLatin1Char('\n')));
                        ++bad;
                        continue;
                    }
                    auto r = (*f)->read(Source::fromString(m), {});
                    if (r)
                        ++ok;
                    else
                        ++bad;
                }
            }
        }
        QVERIFY(bad > 0);
        qInfo("mutations: %d still read, %d rejected", ok, bad);
    }
};

QTEST_GUILESS_MAIN(TestStrings)
#include "tst_strings.moc"
