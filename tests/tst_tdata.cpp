// tdata (Telegram Desktop): reading the @mtcute/convert fixtures, passcodes, writing multi-account
// folders and reading them back, version checks, corrupt input, the CLI exit codes.
#include "crypto/crypto.h"
#include "format/registry.h"
#include "formats/tdata/tdatafile.h"
#include "sessiondiff.h"
#include "testutil.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

const Format &tdataFormat()
{
    const Format *f = Registry::instance().find(QStringLiteral("tdata"));
    Q_ASSERT(f);
    return *f;
}

QJsonObject fixtureJson(const QString &name)
{
    return QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("tdata/%1.json").arg(name)))).object();
}

SecretBytes fixturePasscode()
{
    QByteArray p = readAll(dataPath(QStringLiteral("tdata/passcode.txt")));
    while (p.endsWith('\n') || p.endsWith('\r'))
        p.chop(1);
    return SecretBytes::fromByteArray(p);
}

SecretBytes randomKey() { return SecretBytes::fromByteArray(crypto::randomBytes(256)); }

Session makeAccount(qint64 userId, int mainDc, const QList<int> &otherDcs)
{
    Session s;
    s.dcId = mainDc;
    s.userId = userId;
    s.upsertDc(mainDc).authKey = randomKey();
    for (int dc : otherDcs)
        s.upsertDc(dc).authKey = randomKey();
    return s;
}

// Rewrites one TDF file with a new version (and a valid checksum).
void setVersion(const QString &path, qint32 version)
{
    auto tdf = tdata::parseTdf(readAll(path));
    QVERIFY(tdf);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(tdata::buildTdf(tdf->data, version));
}

} // namespace

class TestTdata : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qunsetenv("SESSIONDESK_PASSCODE"); }

    void naming()
    {
        QCOMPARE(tdata::filePart(QStringLiteral("data")), QStringLiteral("D877F783D5D3EF8C"));
        QCOMPARE(tdata::dataName(QStringLiteral("data"), 0), QStringLiteral("data"));
        QCOMPARE(tdata::dataName(QStringLiteral("data"), 1), QStringLiteral("data#2"));
        QCOMPARE(tdata::dataName(QStringLiteral("alt"), 2), QStringLiteral("alt#3"));
    }

    void readFixtures_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << QStringLiteral("plain");
        QTest::newRow("passcode") << QStringLiteral("passcode");
    }
    void readFixtures()
    {
        QFETCH(QString, name);
        const QJsonObject expected = fixtureJson(name);
        ReadOptions ro;
        if (name == QLatin1String("passcode"))
            ro.passcode = fixturePasscode();
        const Source src = Source::fromPath(dataPath(QStringLiteral("tdata/") + name));
        auto detected = Registry::instance().detect(src);
        QVERIFY(detected);
        QCOMPARE((*detected)->id(), QStringLiteral("tdata"));
        auto store = tdataFormat().read(src, ro);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        QCOMPARE(store->formatId, QStringLiteral("tdata"));
        QCOMPARE(store->accounts.size(), std::size_t(1));
        const Session &s = store->accounts.front();
        QCOMPARE(s.dcId, expected.value(QStringLiteral("dc")).toInt());
        QVERIFY(s.userId);
        QCOMPARE(*s.userId, expected.value(QStringLiteral("userId")).toInteger());
        QVERIFY(s.primary());
        QCOMPARE(s.primary()->authKeyId(), expected.value(QStringLiteral("authKeyId")).toString());
        QByteArray hex = s.primary()->authKey.exposeUnsafeHex();
        const bool same = hex == expected.value(QStringLiteral("authKeyHex")).toString().toLatin1();
        wipe(hex);
        QVERIFY2(same, "auth key bytes differ from the fixture JSON");
    }

    void detectsTelegramDesktopFolder()
    {
        // The folder that holds tdata/ (e.g. ~/.local/share/TelegramDesktop) is accepted too.
        QTemporaryDir tmp;
        copyTo(dataPath(QStringLiteral("tdata/plain")), tmp.path());
        QVERIFY(QDir(tmp.path()).rename(QStringLiteral("plain"), QStringLiteral("tdata")));
        auto det = Registry::instance().detect(Source::fromPath(tmp.path()));
        QVERIFY(det);
        QCOMPARE((*det)->id(), QStringLiteral("tdata"));
        auto r = tdataFormat().read(Source::fromPath(tmp.path()), ReadOptions{});
        QVERIFY(r);
        QCOMPARE(r->accounts.size(), std::size_t(1));
        // A folder with a key_datas that is not a TDF file is not tdata.
        QTemporaryDir other;
        QFile f(other.filePath(QStringLiteral("key_datas")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a tdf file");
        f.close();
        auto probe = Probe::fromSource(Source::fromPath(other.path()));
        QVERIFY(probe);
        QCOMPARE(tdataFormat().detect(*probe), 0);
    }

    void passcodeErrors()
    {
        const Source src = Source::fromPath(dataPath(QStringLiteral("tdata/passcode")));
        auto none = tdataFormat().read(src, ReadOptions{});
        QVERIFY(!none);
        QCOMPARE(none.error().kind, ErrorKind::Secret);
        QVERIFY(none.error().message.contains(QStringLiteral("needs a passcode")));
        ReadOptions wrong;
        wrong.passcode = SecretBytes::fromByteArray("not the passcode");
        auto bad = tdataFormat().read(src, wrong);
        QVERIFY(!bad);
        QCOMPARE(bad.error().kind, ErrorKind::Secret);
        QCOMPARE(bad.error().message, QStringLiteral("wrong passcode"));
        // A passcode for a folder without one is not an error (with a warning).
        auto plain = tdataFormat().read(Source::fromPath(dataPath(QStringLiteral("tdata/plain"))), wrong);
        QVERIFY(plain);
        QVERIFY(!plain->warnings.isEmpty());
    }

    void cliInspectAndExitCodes()
    {
        const QJsonObject expected = fixtureJson(QStringLiteral("passcode"));
        const QString dir = dataPath(QStringLiteral("tdata/passcode"));
        CliRun r = runCli({QStringLiteral("inspect"), dir, QStringLiteral("--json"), QStringLiteral("--passcode-file"),
                           dataPath(QStringLiteral("tdata/passcode.txt"))});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject doc = r.json().object();
        QCOMPARE(doc.value(QStringLiteral("format")).toString(), QStringLiteral("tdata"));
        const QJsonObject acc = doc.value(QStringLiteral("accounts")).toArray().at(0).toObject();
        QCOMPARE(acc.value(QStringLiteral("auth_key_id")).toString(), expected.value(QStringLiteral("authKeyId")).toString());
        QCOMPARE(acc.value(QStringLiteral("user_id")).toInteger(), expected.value(QStringLiteral("userId")).toInteger());
        QVERIFY(!r.out.contains(expected.value(QStringLiteral("authKeyHex")).toString().toLatin1()));

        QTemporaryDir tmp;
        const QString wrongFile = tmp.filePath(QStringLiteral("wrong.txt"));
        QFile f(wrongFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("wrong ✓\n");
        f.close();
        r = runCli({QStringLiteral("inspect"), dir, QStringLiteral("--passcode-file"), wrongFile});
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.err.contains("wrong passcode"));
        r = runCli({QStringLiteral("inspect"), dir, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.err.contains("passcode"));
        // The environment variable works too.
        QByteArray pass = readAll(dataPath(QStringLiteral("tdata/passcode.txt"))).trimmed();
        r = runCli({QStringLiteral("inspect"), dir, QStringLiteral("--json")}, {}, 60000,
                   {QStringLiteral("SESSIONDESK_PASSCODE=") + QString::fromUtf8(pass)});
        QCOMPARE(r.exitCode, 0);
    }

    void writeTwoAccountsRoundTrip()
    {
        QTemporaryDir tmp;
        Store in;
        in.formatId = QStringLiteral("sessiondesk-json");
        in.accounts.push_back(makeAccount(123456789012LL, 2, {1, 4, 5}));
        in.accounts.push_back(makeAccount(777, 4, {2}));
        {
            QVariantMap d;
            d[QStringLiteral("dc_id")] = 3;
            d[QStringLiteral("auth_key")] = crypto::randomBytes(256);
            in.accounts[1].extra[QStringLiteral("tdata_keys_to_destroy")] = QVariantList{d};
        }
        WriteOptions wo;
        const QByteArray passUtf8 = QStringLiteral("пароль ✓ 密码").toUtf8();
        wo.passcode = SecretBytes::fromByteArray(passUtf8);
        const QString out = tmp.filePath(QStringLiteral("tdata"));
        auto st = tdataFormat().write(in, out, wo);
        QVERIFY2(st, qPrintable(st ? QString() : st.error().message));
        QCOMPARE(fileMode(out), 0700);
        QCOMPARE(fileMode(out + QStringLiteral("/key_datas")), 0600);
        QCOMPARE(fileMode(out + QStringLiteral("/D877F783D5D3EF8Cs")), 0600);
        const QString second = tdata::filePart(QStringLiteral("data#2"));
        QVERIFY(QFileInfo::exists(out + QLatin1Char('/') + second + QLatin1Char('s')));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/D877F783D5D3EF8C/maps")));
        QVERIFY(QFileInfo::exists(out + QLatin1Char('/') + second + QStringLiteral("/maps")));
        QCOMPARE(fileMode(out + QStringLiteral("/D877F783D5D3EF8C")), 0700);

        ReadOptions ro;
        ro.passcode = SecretBytes::fromByteArray(passUtf8);
        auto back = tdataFormat().read(Source::fromPath(out), ro);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(back->accounts.size(), std::size_t(2));
        // tdata keeps per account the user id, the main DC and a key per DC (docs/formats.md 5);
        // addresses come from its DC option list, which the writer does not fill.
        DiffOptions o;
        o.addresses = false;
        for (std::size_t i = 0; i < 2; ++i) {
            const QStringList diff = diffSessions(in.accounts[i], back->accounts[i], o);
            QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("account %1: %2").arg(i).arg(diff.join(QStringLiteral("; ")))));
        }
        const QVariantList destroyed = back->accounts[1].extra.value(QStringLiteral("tdata_keys_to_destroy")).toList();
        QCOMPARE(destroyed.size(), 1);
        QCOMPARE(destroyed[0].toMap().value(QStringLiteral("dc_id")).toInt(), 3);
        QCOMPARE(destroyed[0].toMap().value(QStringLiteral("auth_key")).toByteArray(),
                 in.accounts[1].extra.value(QStringLiteral("tdata_keys_to_destroy")).toList()[0].toMap().value(QStringLiteral("auth_key")).toByteArray());

        // A different Unicode normalization / wrong passcode is refused; no passcode asks for one.
        ReadOptions wrong;
        wrong.passcode = SecretBytes::fromByteArray(QStringLiteral("пароль ✓").toUtf8());
        auto bad = tdataFormat().read(Source::fromPath(out), wrong);
        QVERIFY(!bad);
        QCOMPARE(bad.error().kind, ErrorKind::Secret);
        auto none = tdataFormat().read(Source::fromPath(out), ReadOptions{});
        QVERIFY(!none);
        QCOMPARE(none.error().kind, ErrorKind::Secret);

        // An existing non-empty folder is refused unless forced.
        const QByteArray before = treeSha256(out);
        auto again = tdataFormat().write(in, out, WriteOptions{});
        QVERIFY(!again);
        QCOMPARE(again.error().kind, ErrorKind::Output);
        QCOMPARE(treeSha256(out), before);
        WriteOptions force;
        force.force = true;
        QVERIFY(tdataFormat().write(in, out, force));
        auto plainBack = tdataFormat().read(Source::fromPath(out), ReadOptions{});
        QVERIFY(plainBack);
        QCOMPARE(plainBack->accounts.size(), std::size_t(2));
    }

    void writeWithoutPasscodeIsFast()
    {
        QTemporaryDir tmp;
        Store in;
        in.accounts.push_back(makeAccount(42, 1, {}));
        QElapsedTimer t;
        t.start();
        QVERIFY(tdataFormat().write(in, tmp.filePath(QStringLiteral("t")), WriteOptions{}));
        auto back = tdataFormat().read(Source::fromPath(tmp.filePath(QStringLiteral("t"))), ReadOptions{});
        QVERIFY(back);
        QVERIFY2(t.elapsed() < 2000, "no-passcode tdata must not run 100000 PBKDF2 iterations");
    }

    void writeRefusesSessionWithoutKey()
    {
        QTemporaryDir tmp;
        Store in;
        Session s;
        s.dcId = 2;
        in.accounts.push_back(s);
        auto st = tdataFormat().write(in, tmp.filePath(QStringLiteral("t")), WriteOptions{});
        QVERIFY(!st);
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("t"))));
    }

    void customKeyName()
    {
        QTemporaryDir tmp;
        Store in;
        in.accounts.push_back(makeAccount(1, 2, {}));
        in.accounts.push_back(makeAccount(2, 3, {}));
        WriteOptions wo;
        wo.tdataKeyName = QStringLiteral("alt");
        const QString out = tmp.filePath(QStringLiteral("t"));
        QVERIFY(tdataFormat().write(in, out, wo));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/key_alts")));
        QVERIFY(QFileInfo::exists(out + QLatin1Char('/') + tdata::filePart(QStringLiteral("alt#2")) + QLatin1Char('s')));
        ReadOptions ro;
        ro.tdataKeyName = QStringLiteral("alt");
        auto back = tdataFormat().read(Source::fromPath(out), ro);
        QVERIFY(back);
        QCOMPARE(back->accounts.size(), std::size_t(2));
        QCOMPARE(back->accounts[1].dcId, 3);
        // The default name finds the only key file present.
        QVERIFY(tdataFormat().read(Source::fromPath(out), ReadOptions{}));
    }

    void unsupportedVersion()
    {
        QTemporaryDir tmp;
        const QString dir = copyTo(dataPath(QStringLiteral("tdata/plain")), tmp.path());
        setVersion(dir + QStringLiteral("/key_datas"), 9009001);
        auto r = tdataFormat().read(Source::fromPath(dir), ReadOptions{});
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::BadInput);
        QVERIFY(r.error().message.contains(QStringLiteral("9009001")));
        ReadOptions ro;
        ro.ignoreVersion = true;
        auto ok = tdataFormat().read(Source::fromPath(dir), ro);
        QVERIFY(ok);
        QCOMPARE(ok->formatVersion, std::optional<int>(9009001));
        const CliRun cli = runCli({QStringLiteral("inspect"), dir});
        QCOMPARE(cli.exitCode, 3);
        QVERIFY(cli.err.contains("9009001"));
        QCOMPARE(runCli({QStringLiteral("inspect"), dir, QStringLiteral("--ignore-version")}).exitCode, 0);
    }

    // The version stamp (docs/formats.md 9.2): 4.6.5 by default, --tdesktop-version when given, the
    // existing folder's when writing over one; nonsense and other targets are usage errors.
    void writeVersionStamp()
    {
        QTemporaryDir tmp;
        auto stamp = [](const QString &file) {
            auto tdf = tdata::parseTdf(readAll(file));
            return tdf ? tdf->version : -1;
        };
        const QString plain = dataPath(QStringLiteral("tdata/plain"));
        const QString a = tmp.filePath(QStringLiteral("a"));
        CliRun r = runCli({QStringLiteral("convert"), plain, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), a});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(tdata::kDefaultWriteVersion, 4006005);
        for (const QString &f : {QStringLiteral("/key_datas"), QStringLiteral("/D877F783D5D3EF8Cs"), QStringLiteral("/D877F783D5D3EF8C/maps")})
            QCOMPARE(stamp(a + f), 4006005);

        const QString b = tmp.filePath(QStringLiteral("b"));
        r = runCli({QStringLiteral("convert"), plain, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), b,
                    QStringLiteral("--tdesktop-version"), QStringLiteral("5.2.1")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(stamp(b + QStringLiteral("/key_datas")), 5002001);
        QCOMPARE(stamp(b + QStringLiteral("/D877F783D5D3EF8Cs")), 5002001);
        // Writing over an existing folder keeps its stamp; the flag still wins.
        r = runCli({QStringLiteral("convert"), a, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), b, QStringLiteral("--force")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(stamp(b + QStringLiteral("/key_datas")), 5002001);
        r = runCli({QStringLiteral("convert"), a, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), b, QStringLiteral("--force"),
                    QStringLiteral("--tdesktop-version"), QStringLiteral("4.9.9")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(stamp(b + QStringLiteral("/key_datas")), 4009009);
        // SessionDesk reads what it wrote under every stamp it accepts.
        QVERIFY(tdataFormat().read(Source::fromPath(b), ReadOptions{}));

        const QByteArray before = treeSha256(b);
        for (const QString &bad : {QStringLiteral("4.6"), QStringLiteral("x.y.z"), QStringLiteral("4.6.5.1"), QStringLiteral("9.0.0"),
                                   QStringLiteral("1.9.0"), QStringLiteral("4.1000.0"), QStringLiteral("")}) {
            r = runCli({QStringLiteral("convert"), plain, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), b,
                        QStringLiteral("--force"), QStringLiteral("--tdesktop-version"), bad});
            QVERIFY2(r.exitCode == 2, qPrintable(bad));
            QVERIFY(r.err.contains("--tdesktop-version"));
        }
        r = runCli({QStringLiteral("convert"), plain, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"),
                    tmp.filePath(QStringLiteral("t.session")), QStringLiteral("--tdesktop-version"), QStringLiteral("4.6.5")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--tdesktop-version applies to a tdata target"));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("t.session"))));
        QCOMPARE(treeSha256(b), before);

        QCOMPARE(tdata::parseVersion(QStringLiteral("4.6.5")).value(), 4006005);
        QCOMPARE(tdata::versionString(5008003), QStringLiteral("5.8.3"));
    }

    // Desktop treats user id 0 as logged out: a source without a user id needs --user-id (exit 2).
    void writeNeedsUserId()
    {
        QTemporaryDir tmp;
        const QString source = dataPath(QStringLiteral("telethon/basic.session"));
        const QString out = tmp.filePath(QStringLiteral("t"));
        CliRun r = runCli({QStringLiteral("convert"), source, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--user-id"), r.err.constData());
        QVERIFY(!QFileInfo::exists(out));
        r = runCli({QStringLiteral("convert"), source, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), out,
                    QStringLiteral("--user-id"), QStringLiteral("5550001234")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto back = tdataFormat().read(Source::fromPath(out), ReadOptions{});
        QVERIFY(back);
        QCOMPARE(back->accounts.front().userId, std::optional<qint64>(5550001234));

        Store in;
        in.accounts.push_back(makeAccount(7, 2, {}));
        in.accounts.push_back(makeAccount(8, 2, {}));
        in.accounts[1].userId.reset();
        auto st = tdataFormat().write(in, tmp.filePath(QStringLiteral("u")), WriteOptions{});
        QVERIFY(!st);
        QCOMPARE(st.error().kind, ErrorKind::Usage);
        QVERIFY(st.error().message.contains(QStringLiteral("--user-id")));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("u"))));
        in.accounts[1].userId = 0;
        QVERIFY(!tdataFormat().write(in, tmp.filePath(QStringLiteral("u")), WriteOptions{}));
    }

    void corruptInputIsRejected()
    {
        QTemporaryDir tmp;
        const QString dir = copyTo(dataPath(QStringLiteral("tdata/plain")), tmp.path());
        const QString key = dir + QStringLiteral("/key_datas");
        const QString acc = dir + QStringLiteral("/D877F783D5D3EF8Cs");
        const QByteArray keyBytes = readAll(key), accBytes = readAll(acc);
        auto writeFile = [](const QString &p, const QByteArray &b) {
            QFile f(p);
            if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
                f.write(b);
        };
        // A flipped byte fails the TDF checksum.
        QByteArray flipped = keyBytes;
        flipped[40] = static_cast<char>(flipped[40] ^ 1);
        writeFile(key, flipped);
        auto r = tdataFormat().read(Source::fromPath(dir), ReadOptions{});
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::BadInput);
        QVERIFY(r.error().message.contains(QStringLiteral("checksum")));
        // Every truncation of either file, and random data with valid checksums: an error, no crash.
        for (int n = 0; n < keyBytes.size(); n += 7) {
            writeFile(key, keyBytes.left(n));
            QVERIFY(!tdataFormat().read(Source::fromPath(dir), ReadOptions{}));
        }
        writeFile(key, keyBytes);
        for (int n = 0; n < accBytes.size(); n += 5) {
            writeFile(acc, accBytes.left(n));
            QVERIFY(!tdataFormat().read(Source::fromPath(dir), ReadOptions{}));
        }
        auto *rng = QRandomGenerator::global();
        const auto accTdf = tdata::parseTdf(accBytes);
        QVERIFY(accTdf);
        for (int i = 0; i < 300; ++i) {
            QByteArray data = accTdf->data;
            for (int k = 0; k < 1 + i % 4; ++k)
                data[rng->bounded(static_cast<int>(data.size()))] = static_cast<char>(rng->bounded(256));
            if (i % 3 == 0)
                data.truncate(rng->bounded(static_cast<int>(data.size())));
            writeFile(acc, tdata::buildTdf(data));
            auto res = tdataFormat().read(Source::fromPath(dir), ReadOptions{});
            QVERIFY(!res || res->accounts.size() == 1);
        }
        // MTP payload decoder on garbage (it runs after decryption, so test it directly).
        for (int i = 0; i < 2000; ++i) {
            QByteArray junk = crypto::randomBytes(4 + rng->bounded(600));
            if (i % 2 == 0) {
                junk[0] = 0;
                junk[1] = 0;
                junk[2] = 0;
                junk[3] = 0x4B;
            }
            auto m = tdata::parseMtpAuthorization(junk);
            if (m)
                QVERIFY(m->keys.size() <= 1000);
        }
    }

    void legacySuffixes()
    {
        // Legacy pairs <name>0 / <name>1: the newer one is read first, a broken one is skipped.
        QTemporaryDir tmp;
        const QString dir = copyTo(dataPath(QStringLiteral("tdata/plain")), tmp.path());
        QVERIFY(QFile::rename(dir + QStringLiteral("/key_datas"), dir + QStringLiteral("/key_data0")));
        QVERIFY(QFile::rename(dir + QStringLiteral("/D877F783D5D3EF8Cs"), dir + QStringLiteral("/D877F783D5D3EF8C1")));
        {
            QFile junk(dir + QStringLiteral("/D877F783D5D3EF8C0"));
            QVERIFY(junk.open(QIODevice::WriteOnly));
            junk.write("TDF$ not really");
        }
        auto r = tdataFormat().read(Source::fromPath(dir), ReadOptions{});
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(r->accounts.front().primary()->authKeyId(), fixtureJson(QStringLiteral("plain")).value(QStringLiteral("authKeyId")).toString());
    }

    void cliWritesPasscodeTdata()
    {
        QTemporaryDir tmp;
        const QString passFile = tmp.filePath(QStringLiteral("new.txt"));
        {
            QFile f(passFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("Ünïcödé пароль\n").toUtf8());
        }
        const QString out = tmp.filePath(QStringLiteral("out"));
        CliRun r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("tdata/plain")), QStringLiteral("--to"), QStringLiteral("tdata"),
                           QStringLiteral("-o"), out, QStringLiteral("--new-passcode-file"), passFile});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(runCli({QStringLiteral("inspect"), out}).exitCode, 4);
        r = runCli({QStringLiteral("inspect"), out, QStringLiteral("--json"), QStringLiteral("--passcode-file"), passFile});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json().object().value(QStringLiteral("accounts")).toArray().at(0).toObject().value(QStringLiteral("auth_key_id")).toString(),
                 fixtureJson(QStringLiteral("plain")).value(QStringLiteral("authKeyId")).toString());
        // The existing folder is refused without --force (exit 5), accepted with it.
        r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("tdata/plain")), QStringLiteral("--to"), QStringLiteral("tdata"),
                    QStringLiteral("-o"), out});
        QCOMPARE(r.exitCode, 5);
        r = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("tdata/plain")), QStringLiteral("--to"), QStringLiteral("tdata"),
                    QStringLiteral("-o"), out, QStringLiteral("--force")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("inspect"), out}).exitCode, 0);
    }

    void cliConvertAccountSelection()
    {
        QTemporaryDir tmp;
        Store in;
        in.accounts.push_back(makeAccount(1001, 2, {}));
        in.accounts.push_back(makeAccount(1002, 5, {1}));
        const QString out = tmp.filePath(QStringLiteral("multi"));
        QVERIFY(tdataFormat().write(in, out, WriteOptions{}));
        CliRun r = runCli({QStringLiteral("inspect"), out, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray accounts = r.json().object().value(QStringLiteral("accounts")).toArray();
        QCOMPARE(accounts.size(), 2);
        QCOMPARE(accounts.at(1).toObject().value(QStringLiteral("user_id")).toInteger(), 1002);
        QCOMPARE(accounts.at(1).toObject().value(QStringLiteral("auth_key_id")).toString(), in.accounts[1].primary()->authKeyId());
        QCOMPARE(accounts.at(1).toObject().value(QStringLiteral("dcs")).toArray().size(), 2);
        // tdata -> tdata through the CLI keeps every DC key.
        const QString copy = tmp.filePath(QStringLiteral("copy"));
        r = runCli({QStringLiteral("convert"), out, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), copy,
                    QStringLiteral("--account"), QStringLiteral("1")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto back = tdataFormat().read(Source::fromPath(copy), ReadOptions{});
        QVERIFY(back);
        QCOMPARE(back->accounts.size(), std::size_t(1));
        QCOMPARE(back->accounts[0].dcs.size(), std::size_t(2));
        QVERIFY(back->accounts[0].primary()->authKey == in.accounts[1].primary()->authKey);
    }
};

QTEST_GUILESS_MAIN(TestTdata)
#include "tst_tdata.moc"
