// Interop: tdata folders written by SessionDesk are read by the real @mtcute/convert 0.29.7 Tdata
// reader (and the other way round: a multi-DC folder written by mtcute's Tdata writer is read by
// SessionDesk). The node scripts compare keys themselves and print only auth_key_ids and match flags.
#include "crypto/crypto.h"
#include "format/registry.h"
#include "sessiondiff.h"
#include "testutil.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

QString interopDir()
{
    const QString env = qEnvironmentVariable("SD_INTEROP_DIR");
    return env.isEmpty() ? QDir::homePath() + QStringLiteral("/.cache/sessiondesk-interop") : env;
}

// node with its working directory in the interop folder (where node_modules is), two minutes at most.
CliRun runNode(const QString &script, const QStringList &args, const QStringList &env)
{
    return runProgram(QStringLiteral("node"), QStringList{script} + args, env, interopDir(), 120000);
}

// Reads every account listed in a tdata folder with mtcute's reader and compares the keys with the
// expected hex file; prints one JSON document without key material.
const char *kReadScript = R"JS(
const path = require('path');
const fs = require('fs');
const crypto = require('crypto');
const { Tdata, convertFromTdata } = require(path.join(process.cwd(), 'node_modules/@mtcute/convert'));
(async () => {
  const [dir, expectedFile] = process.argv.slice(2);
  const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8'));
  const td = await Tdata.open({ path: dir, passcode: process.env.SD_TDATA_PASSCODE || '' });
  const out = { count: td.keyData.count, order: td.keyData.order, accounts: [] };
  for (let i = 0; i < td.keyData.count; i++) {
    const auth = await td.readMtpAuthorization(td.keyData.order[i]);
    const exp = expected[i];
    const keys = auth.authKeys.map(k => ({ dc: k.dcId, hex: Buffer.from(k.key).toString('hex') }));
    const allMatch = exp.keys.length === keys.length && exp.keys.every(e => keys.some(k => k.dc === e.dc && k.hex === e.hex));
    const conv = await convertFromTdata(td, td.keyData.order[i]);
    const main = Buffer.from(conv.authKey);
    out.accounts.push({
      user_id: auth.userId.toString(),
      main_dc: auth.mainDcId,
      dcs: keys.length,
      keys_match: allMatch,
      convert_main_matches: main.toString('hex') === exp.keys.find(k => k.dc === exp.main_dc).hex,
      auth_key_id: crypto.createHash('sha1').update(main).digest().subarray(12, 20).toString('hex'),
    });
  }
  console.log(JSON.stringify(out));
})().catch(e => { console.error(String(e && e.message || e)); process.exit(1); });
)JS";

// Writes a two-DC, two-account folder with mtcute's Tdata writer; keys come from a hex file.
const char *kWriteScript = R"JS(
const path = require('path');
const fs = require('fs');
const { Tdata } = require(path.join(process.cwd(), 'node_modules/@mtcute/convert'));
const { Long } = require(path.join(process.cwd(), 'node_modules/@mtcute/core'));
(async () => {
  const [dir, keysFile] = process.argv.slice(2);
  const accounts = JSON.parse(fs.readFileSync(keysFile, 'utf8'));
  const td = await Tdata.create({ path: dir, passcode: process.env.SD_TDATA_PASSCODE || '',
    keyData: { count: accounts.length, order: accounts.map((_, i) => i), active: 0 } });
  for (let i = 0; i < accounts.length; i++) {
    const a = accounts[i];
    await td.writeMtpAuthorization({ userId: Long.fromString(a.user_id), mainDcId: a.main_dc,
      authKeys: a.keys.map(k => ({ dcId: k.dc, key: Buffer.from(k.hex, 'hex') })), authKeysToDestroy: [] }, i);
    await td.writeEmptyMapFile(i);
  }
  console.log('ok');
})().catch(e => { console.error(String(e && e.message || e)); process.exit(1); });
)JS";

void writePrivate(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(data);
}

Session account(qint64 userId, int mainDc, const QList<int> &dcs)
{
    Session s;
    s.dcId = mainDc;
    s.userId = userId;
    for (int dc : dcs)
        s.upsertDc(dc).authKey = SecretBytes::fromByteArray(crypto::randomBytes(256));
    return s;
}

QJsonArray expectedJson(const Store &store)
{
    QJsonArray arr;
    for (const Session &s : store.accounts) {
        QJsonArray keys;
        for (const DcAuth &d : s.dcs) {
            QByteArray hex = d.authKey.exposeUnsafeHex();
            keys.append(QJsonObject{{QStringLiteral("dc"), d.dcId}, {QStringLiteral("hex"), QString::fromLatin1(hex)}});
            wipe(hex);
        }
        arr.append(QJsonObject{{QStringLiteral("main_dc"), s.dcId},
                               {QStringLiteral("user_id"), QString::number(*s.userId)},
                               {QStringLiteral("keys"), keys}});
    }
    return arr;
}

} // namespace

class TestInteropTdata : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
            QSKIP("node is not installed (scripts/install-deps.sh --test)");
        if (!QFileInfo::exists(interopDir() + QStringLiteral("/node_modules/@mtcute/convert/package.json")))
            QSKIP("@mtcute/convert is not installed in $SD_INTEROP_DIR (run scripts/install-deps.sh --test)");
    }

    void mtcuteReadsOurFolder()
    {
        QTemporaryDir tmp;
        Store store;
        store.accounts.push_back(account(5000000001LL, 2, {2, 1, 4}));
        store.accounts.push_back(account(987654321, 5, {5, 3}));
        const QString passcode = QStringLiteral("Пароль ✓ 密码 ñ");
        WriteOptions wo;
        wo.passcode = SecretBytes::fromByteArray(passcode.toUtf8());
        const QString dir = tmp.filePath(QStringLiteral("tdata"));
        const Format *f = Registry::instance().find(QStringLiteral("tdata"));
        auto st = f->write(store, dir, wo);
        QVERIFY2(st, qPrintable(st ? QString() : st.error().message));

        const QString expected = tmp.filePath(QStringLiteral("expected.json"));
        writePrivate(expected, QJsonDocument(expectedJson(store)).toJson(QJsonDocument::Compact));
        const QString script = tmp.filePath(QStringLiteral("read.cjs"));
        writePrivate(script, kReadScript);
        const CliRun r = runNode(script, {dir, expected}, {QStringLiteral("SD_TDATA_PASSCODE=") + passcode});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc.value(QStringLiteral("count")).toInt(), 2);
        const QJsonArray accounts = doc.value(QStringLiteral("accounts")).toArray();
        QCOMPARE(accounts.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const QJsonObject a = accounts.at(i).toObject();
            const Session &s = store.accounts[static_cast<std::size_t>(i)];
            QVERIFY(a.value(QStringLiteral("keys_match")).toBool());
            QVERIFY(a.value(QStringLiteral("convert_main_matches")).toBool());
            QCOMPARE(a.value(QStringLiteral("dcs")).toInt(), static_cast<int>(s.dcs.size()));
            QCOMPARE(a.value(QStringLiteral("main_dc")).toInt(), s.dcId);
            QCOMPARE(a.value(QStringLiteral("user_id")).toString(), QString::number(*s.userId));
            QCOMPARE(a.value(QStringLiteral("auth_key_id")).toString(), s.primary()->authKeyId());
        }
        // And mtcute refuses a wrong passcode on the same folder.
        const CliRun bad = runNode(script, {dir, expected}, {QStringLiteral("SD_TDATA_PASSCODE=wrong")});
        QVERIFY(bad.exitCode != 0);
    }

    void weReadMtcuteMultiDcFolder()
    {
        QTemporaryDir tmp;
        Store store;
        store.accounts.push_back(account(123, 4, {4, 2}));
        store.accounts.push_back(account(7777777777LL, 1, {1, 2, 3, 5}));
        const QString keys = tmp.filePath(QStringLiteral("keys.json"));
        writePrivate(keys, QJsonDocument(expectedJson(store)).toJson(QJsonDocument::Compact));
        const QString script = tmp.filePath(QStringLiteral("write.cjs"));
        writePrivate(script, kWriteScript);
        const QString dir = tmp.filePath(QStringLiteral("tdata"));
        const QString passcode = QStringLiteral("ключ ✓");
        const CliRun r = runNode(script, {dir, keys}, {QStringLiteral("SD_TDATA_PASSCODE=") + passcode});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        ReadOptions ro;
        ro.passcode = SecretBytes::fromByteArray(passcode.toUtf8());
        const Format *f = Registry::instance().find(QStringLiteral("tdata"));
        auto back = f->read(Source::fromPath(dir), ro);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(back->accounts.size(), std::size_t(2));
        // tdata keeps per account the user id, the main DC and a key per DC (docs/formats.md 5);
        // addresses come from its DC option list, which the writer does not fill.
        DiffOptions o;
        o.addresses = false;
        for (std::size_t i = 0; i < 2; ++i) {
            const QStringList diff = diffSessions(store.accounts[i], back->accounts[i], o);
            QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("account %1: %2").arg(i).arg(diff.join(QStringLiteral("; ")))));
        }
    }
};

QTEST_GUILESS_MAIN(TestInteropTdata)
#include "tst_interop_tdata.moc"
