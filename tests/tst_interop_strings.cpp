// Interop: SessionDesk's string sessions and GramJS store folders handed to the real libraries,
// and theirs handed to SessionDesk.
//   Telethon 1.25.1 (Debian's python3-telethon): StringSession(s).dc_id/server_address/port/auth_key
//   GramJS (npm `telegram`): StringSession and StoreSession (no network)
//   @mtcute/convert 0.29.7: parseTelethonSession/parsePyrogramSession/parseGramjsSession/
//   parseMtkrutoSession and readGramjsStoreSession
// The scripts compare keys themselves and print only auth_key_id (SHA-1 bytes 12..19), never a key.
// Keys travel on stdin, never in argv.
#include "stringtestutil.h"
#include "testutil.h"

#include "convert/convert.h"
#include "format/registry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run run(const QString &program, const QStringList &args, const QByteArray &in, const QString &cwd = {})
{
    QProcess p;
    if (!cwd.isEmpty())
        p.setWorkingDirectory(cwd);
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(20000))
        return r;
    p.write(in);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString interopDir()
{
    const QString env = qEnvironmentVariable("SD_INTEROP_DIR");
    return env.isEmpty() ? QDir::homePath() + QStringLiteral("/.cache/sessiondesk-interop") : env;
}

// A python3 that has telethon (Debian's, even when another python3 comes first on PATH).
QString telethonPython()
{
    for (const QString &cand : {QStringLiteral("/usr/bin/python3"), QStandardPaths::findExecutable(QStringLiteral("python3"))}) {
        if (cand.isEmpty() || !QFile::exists(cand))
            continue;
        if (run(cand, {QStringLiteral("-c"), QStringLiteral("import telethon")}, {}).code == 0)
            return cand;
    }
    return {};
}

QString node() { return QStandardPaths::findExecutable(QStringLiteral("node")); }

bool hasPackage(const QString &pkg)
{
    return QFile::exists(interopDir() + QStringLiteral("/node_modules/") + pkg + QStringLiteral("/package.json"));
}

QByteArray convertString(const QByteArray &in, const QString &fromId, const QString &toId)
{
    const Format *from = Registry::instance().find(fromId);
    const Format *to = Registry::instance().find(toId);
    auto st = from->read(Source::fromString(in), {});
    if (!st)
        return {};
    auto c = convertStore(*st, *to, ConvertRequest{}, QString());
    return c ? c->string : QByteArray();
}

// What a library is expected to see: "dc address port keyid".
struct Expect {
    QByteArray string;
    QString line;
};

void compareLines(const QByteArray &out, const QList<Expect> &expected)
{
    const QList<QByteArray> lines = out.trimmed().split('\n');
    QCOMPARE(lines.size(), expected.size());
    for (int i = 0; i < lines.size(); ++i)
        QCOMPARE(QString::fromUtf8(lines[i].trimmed()), expected[i].line);
}

const char kTelethonRead[] = R"PY(
import sys, hashlib
from telethon.sessions import StringSession
for line in sys.stdin.read().split():
    s = StringSession(line)
    key = s.auth_key.key
    print(s.dc_id, s.server_address, s.port, hashlib.sha1(key).digest()[12:20].hex())
)PY";

const char kTelethonWrite[] = R"PY(
import sys
from telethon.sessions import StringSession
from telethon.crypto import AuthKey
for line in sys.stdin.read().strip().split('\n'):
    dc, ip, port, keyhex = line.split()
    s = StringSession()
    s.set_dc(int(dc), ip, int(port))
    s.auth_key = AuthKey(bytes.fromhex(keyhex))
    print(s.save())
)PY";

const char kGramjsRead[] = R"JS(
const dir = process.argv[1];
const { StringSession } = require(dir + '/node_modules/telegram/sessions');
const crypto = require('crypto');
(async () => {
  const input = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
  for (const line of input) {
    const s = new StringSession(line);
    await s.load();
    const key = s.authKey.getKey();
    const id = crypto.createHash('sha1').update(key).digest().subarray(12, 20).toString('hex');
    console.log(`${s.dcId} ${s.serverAddress} ${s.port} ${id}`);
  }
})().catch((e) => { console.error(String(e)); process.exit(1); });
)JS";

const char kGramjsWrite[] = R"JS(
const dir = process.argv[1];
const { StringSession } = require(dir + '/node_modules/telegram/sessions');
const { AuthKey } = require(dir + '/node_modules/telegram/crypto/AuthKey');
(async () => {
  const lines = require('fs').readFileSync(0, 'utf8').trim().split('\n');
  for (const line of lines) {
    const [dc, ip, port, keyhex] = line.trim().split(/\s+/);
    const s = new StringSession('');
    s.setDC(Number(dc), ip, Number(port));
    const ak = new AuthKey();
    await ak.setKey(Buffer.from(keyhex, 'hex'));
    s.authKey = ak;
    console.log(s.save());
  }
})().catch((e) => { console.error(String(e)); process.exit(1); });
)JS";

// cwd = the folder that holds the store; argv: interop dir, store name, then marked ids to look up.
const char kGramjsStoreRead[] = R"JS(
const dir = process.argv[1];
const name = process.argv[2];
const ids = process.argv.slice(3);
const { StoreSession } = require(dir + '/node_modules/telegram/sessions');
const crypto = require('crypto');
(async () => {
  const s = new StoreSession(name);
  await s.load();
  const id = crypto.createHash('sha1').update(s.authKey.getKey()).digest().subarray(12, 20).toString('hex');
  console.log(`${s.dcId} ${s.serverAddress} ${s.port} ${id}`);
  for (const m of ids) {
    const p = s.getInputEntity(Number(m));
    const bare = (p.userId ?? p.chatId ?? p.channelId).toString();
    console.log(`${p.className} ${bare} ${p.accessHash === undefined ? '-' : p.accessHash.toString()}`);
  }
})().catch((e) => { console.error(String(e)); process.exit(1); });
)JS";

// cwd = a scratch folder; writes a StoreSession named argv[2] with a key from stdin and two entities.
const char kGramjsStoreWrite[] = R"JS(
const dir = process.argv[1];
const name = process.argv[2];
const { StoreSession } = require(dir + '/node_modules/telegram/sessions');
const { AuthKey } = require(dir + '/node_modules/telegram/crypto/AuthKey');
const { Api } = require(dir + '/node_modules/telegram');
const bigInt = require(dir + '/node_modules/big-integer');
(async () => {
  const [dc, ip, port, keyhex] = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/);
  const s = new StoreSession(name);
  await s.load();
  s.setDC(Number(dc), ip, Number(port));
  const ak = new AuthKey();
  await ak.setKey(Buffer.from(keyhex, 'hex'));
  s.authKey = ak;
  s.processEntities({
    users: [new Api.User({ id: bigInt(777000), accessHash: bigInt('-9000000000000000001'), username: 'Telegram', phone: '42777', firstName: 'Tele', lastName: 'Gram' })],
    chats: [new Api.Channel({ id: bigInt(1234567890), accessHash: bigInt('8000000000000000003'), title: 'Chan', username: 'somechan', photo: new Api.ChatPhotoEmpty(), date: 0 })],
  });
  console.log('ok');
})().catch((e) => { console.error(String(e)); process.exit(1); });
)JS";

const char kMtcuteRead[] = R"JS(
const dir = process.argv[2];
const c = await import('file://' + dir + '/node_modules/@mtcute/convert/index.js');
const crypto = await import('node:crypto');
const kid = (k) => crypto.createHash('sha1').update(k).digest().subarray(12, 20).toString('hex');
const lines = (await import('node:fs')).readFileSync(0, 'utf8').trim().split('\n');
for (const line of lines) {
  const [fmt, str] = line.trim().split(/\s+/);
  if (fmt === 'telethon-string') { const s = c.parseTelethonSession(str); console.log(`${s.dcId} ${s.ipAddress} ${s.port} ${kid(s.authKey)}`); }
  else if (fmt === 'gramjs-string') { const s = c.parseGramjsSession(str); console.log(`${s.dcId} ${s.ipAddress} ${s.port} ${kid(s.authKey)}`); }
  else if (fmt === 'pyrogram-string') { const s = c.parsePyrogramSession(str); console.log(`${s.dcId} ${s.isTest} ${s.userId} ${s.isBot} ${s.apiId} ${kid(s.authKey)}`); }
  else if (fmt === 'mtkruto-string') { const s = c.parseMtkrutoSession(str); console.log(`${s.dcId} ${s.isTest} ${kid(s.authKey)}`); }
  else if (fmt === 'gramjs-store') { const s = await c.readGramjsStoreSession(str); console.log(`${s.dcId} ${s.ipAddress} ${s.port} ${kid(s.authKey)}`); }
}
)JS";

QString writeScript(QTemporaryDir &tmp, const QString &name, const char *text)
{
    const QString p = tmp.filePath(name);
    QFile f(p);
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return p;
}

} // namespace

class TestInteropStrings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void telethonReadsOurStrings()
    {
        const QString py = telethonPython();
        if (py.isEmpty())
            QSKIP("python3 with telethon (Debian python3-telethon) is not installed");
        QList<Expect> exp;
        int i = 0;
        for (const QJsonObject &c : loadCases()) {
            const QJsonObject st = c.value(QStringLiteral("strings")).toObject();
            // From GramJS (keeps the IP) and from Pyrogram (table address).
            for (const char *from : {"gramjs-string", "pyrogram-string"}) {
                const QByteArray out = convertString(st.value(QLatin1String(from)).toString().toLatin1(), QLatin1String(from),
                                                     QStringLiteral("telethon-string"));
                QVERIFY(!out.isEmpty());
                auto back = Registry::instance().find(QStringLiteral("telethon-string"))->read(Source::fromString(out), {});
                QVERIFY(back.ok());
                const DcAuth *p = back->accounts.front().primary();
                exp << Expect{out, QStringLiteral("%1 %2 %3 %4").arg(c.value(QStringLiteral("dc")).toInt()).arg(p->address).arg(p->port)
                                       .arg(c.value(QStringLiteral("authKeyId")).toString())};
            }
            ++i;
        }
        // IPv6.
        const Session v6 = sessionWith(2, QStringLiteral("2001:67c:4e8:f002::a"), 443, keyBytes(1));
        auto s6 = Registry::instance().find(QStringLiteral("telethon-string"))->encodeString(v6, {});
        QVERIFY(s6.ok());
        exp << Expect{*s6, QStringLiteral("2 2001:67c:4e8:f002::a 443 %1").arg(v6.primary()->authKeyId())};
        QByteArray in;
        for (const Expect &e : exp)
            in += e.string + '\n';
        const Run r = run(py, {QStringLiteral("-c"), QString::fromLatin1(kTelethonRead)}, in);
        QVERIFY2(r.code == 0, r.err.constData());
        compareLines(r.out, exp);
        qInfo("Telethon read %lld SessionDesk strings", static_cast<long long>(exp.size()));
    }

    void weReadTelethonStrings()
    {
        const QString py = telethonPython();
        if (py.isEmpty())
            QSKIP("python3 with telethon (Debian python3-telethon) is not installed");
        QByteArray in;
        QList<QJsonObject> cases = loadCases();
        for (const QJsonObject &c : cases)
            in += QStringLiteral("%1 %2 %3 %4\n").arg(c.value(QStringLiteral("dc")).toInt()).arg(c.value(QStringLiteral("ip")).toString())
                      .arg(c.value(QStringLiteral("port")).toInt()).arg(c.value(QStringLiteral("authKeyHex")).toString()).toLatin1();
        in += "4 2001:67c:4e8:f004::a 443 " + keyBytes(2).toHex() + '\n';
        const Run r = run(py, {QStringLiteral("-c"), QString::fromLatin1(kTelethonWrite)}, in);
        QVERIFY2(r.code == 0, r.err.constData());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), cases.size() + 1);
        for (int i = 0; i < lines.size(); ++i) {
            QString detected;
            auto f = Registry::instance().detect(Source::fromString(lines[i]));
            QVERIFY(f.ok());
            QCOMPARE((*f)->id(), QStringLiteral("telethon-string"));
            auto st = (*f)->read(Source::fromString(lines[i]), {});
            QVERIFY(st.ok());
            const Session &s = st->accounts.front();
            // Exact re-encoding of Telethon's own output.
            QCOMPARE(*(*f)->encodeString(s, {}), lines[i].trimmed());
            if (i < cases.size()) {
                QCOMPARE(s.primary()->authKeyId(), cases[i].value(QStringLiteral("authKeyId")).toString());
                QCOMPARE(s.primary()->address, cases[i].value(QStringLiteral("ip")).toString());
            } else {
                QCOMPARE(st->variant, QStringLiteral("ipv6"));
                QCOMPARE(s.primary()->address, QStringLiteral("2001:67c:4e8:f004::a"));
                QCOMPARE(s.dcId, 4);
            }
        }
    }

    void gramjsReadsOurStrings()
    {
        if (node().isEmpty() || !hasPackage(QStringLiteral("telegram")))
            QSKIP("node or the npm package 'telegram' is missing (run scripts/install-deps.sh --test)");
        QList<Expect> exp;
        for (const QJsonObject &c : loadCases()) {
            const QJsonObject st = c.value(QStringLiteral("strings")).toObject();
            for (const char *from : {"telethon-string", "mtkruto-string"}) {
                const QByteArray out = convertString(st.value(QLatin1String(from)).toString().toLatin1(), QLatin1String(from),
                                                     QStringLiteral("gramjs-string"));
                QVERIFY(!out.isEmpty());
                auto back = Registry::instance().find(QStringLiteral("gramjs-string"))->read(Source::fromString(out), {});
                QVERIFY(back.ok());
                const DcAuth *p = back->accounts.front().primary();
                exp << Expect{out, QStringLiteral("%1 %2 %3 %4").arg(c.value(QStringLiteral("dc")).toInt()).arg(p->address).arg(p->port)
                                       .arg(c.value(QStringLiteral("authKeyId")).toString())};
            }
        }
        for (const auto &[addr, dc] : {std::pair<QString, int>{QStringLiteral("vesta.web.telegram.org"), 4},
                                       std::pair<QString, int>{QStringLiteral("2001:b28:f23d:f001::a"), 1}}) {
            const Session s = sessionWith(dc, addr, 443, keyBytes(dc));
            auto str = Registry::instance().find(QStringLiteral("gramjs-string"))->encodeString(s, {});
            QVERIFY(str.ok());
            exp << Expect{*str, QStringLiteral("%1 %2 443 %3").arg(dc).arg(addr, s.primary()->authKeyId())};
        }
        QByteArray in;
        for (const Expect &e : exp)
            in += e.string + '\n';
        const Run r = run(node(), {QStringLiteral("-e"), QString::fromLatin1(kGramjsRead), interopDir()}, in);
        QVERIFY2(r.code == 0, r.err.constData());
        compareLines(r.out, exp);
    }

    void weReadGramjsStrings()
    {
        if (node().isEmpty() || !hasPackage(QStringLiteral("telegram")))
            QSKIP("node or the npm package 'telegram' is missing (run scripts/install-deps.sh --test)");
        const QList<QJsonObject> cases = loadCases();
        QByteArray in;
        for (const QJsonObject &c : cases)
            in += QStringLiteral("%1 %2 %3 %4\n").arg(c.value(QStringLiteral("dc")).toInt()).arg(c.value(QStringLiteral("ip")).toString())
                      .arg(c.value(QStringLiteral("port")).toInt()).arg(c.value(QStringLiteral("authKeyHex")).toString()).toLatin1();
        in += "2 venus.web.telegram.org 443 " + keyBytes(4).toHex() + '\n';
        const Run r = run(node(), {QStringLiteral("-e"), QString::fromLatin1(kGramjsWrite), interopDir()}, in);
        QVERIFY2(r.code == 0, r.err.constData());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), cases.size() + 1);
        for (int i = 0; i < lines.size(); ++i) {
            auto f = Registry::instance().detect(Source::fromString(lines[i]));
            QVERIFY(f.ok());
            QCOMPARE((*f)->id(), QStringLiteral("gramjs-string"));
            auto st = (*f)->read(Source::fromString(lines[i]), {});
            QVERIFY(st.ok());
            QCOMPARE(*(*f)->encodeString(st->accounts.front(), {}), lines[i].trimmed());
            if (i < cases.size())
                QCOMPARE(st->accounts.front().primary()->authKeyId(), cases[i].value(QStringLiteral("authKeyId")).toString());
            else
                QCOMPARE(st->accounts.front().primary()->address, QStringLiteral("venus.web.telegram.org"));
        }
    }

    void mtcuteParsesOurStrings()
    {
        if (node().isEmpty() || !hasPackage(QStringLiteral("@mtcute/convert")))
            QSKIP("node or @mtcute/convert is missing (run scripts/install-deps.sh --test)");
        QList<Expect> exp;
        for (const QJsonObject &c : loadCases()) {
            const QJsonObject st = c.value(QStringLiteral("strings")).toObject();
            const QString kid = c.value(QStringLiteral("authKeyId")).toString();
            const int dc = c.value(QStringLiteral("dc")).toInt();
            const bool test = c.value(QStringLiteral("test")).toBool();
            // Our encoders fed from another library's string (not an identity copy of the fixture).
            const QByteArray tl = convertString(st.value(QStringLiteral("gramjs-string")).toString().toLatin1(),
                                                QStringLiteral("gramjs-string"), QStringLiteral("telethon-string"));
            exp << Expect{"telethon-string " + tl, QStringLiteral("%1 %2 %3 %4").arg(dc).arg(c.value(QStringLiteral("ip")).toString())
                                                      .arg(c.value(QStringLiteral("port")).toInt()).arg(kid)};
            const QByteArray gj = convertString(st.value(QStringLiteral("telethon-string")).toString().toLatin1(),
                                                QStringLiteral("telethon-string"), QStringLiteral("gramjs-string"));
            exp << Expect{"gramjs-string " + gj, QStringLiteral("%1 %2 %3 %4").arg(dc).arg(c.value(QStringLiteral("ip")).toString())
                                                    .arg(c.value(QStringLiteral("port")).toInt()).arg(kid)};
            const QByteArray py = convertString(st.value(QStringLiteral("mtcute-string")).toString().toLatin1(),
                                                QStringLiteral("mtcute-string"), QStringLiteral("pyrogram-string"));
            if (!py.isEmpty())
                exp << Expect{"pyrogram-string " + py,
                              QStringLiteral("%1 %2 %3 %4 undefined %5").arg(dc).arg(test ? "true" : "false")
                                  .arg(c.value(QStringLiteral("userId")).toInteger())
                                  .arg(c.value(QStringLiteral("isBot")).toBool() ? "true" : "false", kid)};
            const QByteArray py2 = convertString(st.value(QStringLiteral("pyrogram-string")).toString().toLatin1(),
                                                 QStringLiteral("pyrogram-string"), QStringLiteral("mtkruto-string"));
            exp << Expect{"mtkruto-string " + py2, QStringLiteral("%1 %2 %3").arg(dc).arg(test ? "true" : "false", kid)};
        }
        QTemporaryDir tmp;
        const QString script = writeScript(tmp, QStringLiteral("read.mjs"), kMtcuteRead);
        QByteArray in;
        for (const Expect &e : exp)
            in += e.string + '\n';
        const Run r = run(node(), {script, interopDir()}, in);
        QVERIFY2(r.code == 0, r.err.constData());
        // mtcute 0.29.7's parsePyrogramSession returns apiId only for... whatever it parses: accept any apiId
        // text, compare the rest.
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), exp.size());
        for (int i = 0; i < lines.size(); ++i) {
            QString got = QString::fromUtf8(lines[i].trimmed());
            QString want = exp[i].line;
            if (exp[i].string.startsWith("pyrogram-string")) {
                QStringList g = got.split(QLatin1Char(' ')), w = want.split(QLatin1Char(' '));
                QCOMPARE(g.size(), 6);
                g.removeAt(4);
                w.removeAt(4);
                got = g.join(QLatin1Char(' '));
                want = w.join(QLatin1Char(' '));
            }
            QCOMPARE(got, want);
        }
    }

    void gramjsStoreInterop()
    {
        if (node().isEmpty() || !hasPackage(QStringLiteral("telegram")))
            QSKIP("node or the npm package 'telegram' is missing (run scripts/install-deps.sh --test)");
        QTemporaryDir tmp;
        const Format *fmt = Registry::instance().find(QStringLiteral("gramjs-store"));
        // 1. SessionDesk writes, GramJS's StoreSession reads (key, DC, address, entities).
        Session s = sessionWith(5, QStringLiteral("91.108.56.130"), 443, keyBytes(8));
        Peer u;
        u.id = 777000;
        u.type = PeerType::User;
        u.accessHash = -9000000000000000001LL;
        u.usernames << QStringLiteral("telegram");
        s.peers.push_back(u);
        Peer ch;
        ch.id = 1234567890;
        ch.type = PeerType::Channel;
        ch.accessHash = 8000000000000000003LL;
        s.peers.push_back(ch);
        Store st;
        st.accounts.push_back(s);
        QVERIFY(fmt->write(st, tmp.filePath(QStringLiteral("sdstore")), {}).ok());
        const Run r = run(node(), {QStringLiteral("-e"), QString::fromLatin1(kGramjsStoreRead), interopDir(), QStringLiteral("sdstore"),
                                   QStringLiteral("777000"), QStringLiteral("-1001234567890")},
                          {}, tmp.path());
        QVERIFY2(r.code == 0, r.err.constData());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(QString::fromUtf8(lines[0]), QStringLiteral("5 91.108.56.130 443 %1").arg(s.primary()->authKeyId()));
        QCOMPARE(lines[1], QByteArray("InputPeerUser 777000 -9000000000000000001"));
        QCOMPARE(lines[2], QByteArray("InputPeerChannel 1234567890 8000000000000000003"));

        // 2. GramJS writes a store with entities, SessionDesk reads it.
        const QString work = tmp.filePath(QStringLiteral("work"));
        QVERIFY(QDir().mkpath(work));
        const QByteArray key = keyBytes(12);
        const Run w = run(node(), {QStringLiteral("-e"), QString::fromLatin1(kGramjsStoreWrite), interopDir(), QStringLiteral("jsstore")},
                          "3 149.154.175.100 443 " + key.toHex() + "\n", work);
        QVERIFY2(w.code == 0, w.err.constData());
        const QString jsStore = work + QStringLiteral("/jsstore");
        auto f = Registry::instance().detect(Source::fromPath(jsStore));
        QVERIFY(f.ok());
        QCOMPARE((*f)->id(), QStringLiteral("gramjs-store"));
        auto back = (*f)->read(Source::fromPath(jsStore), {});
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        const Session &b = back->accounts.front();
        QCOMPARE(b.dcId, 3);
        QCOMPARE(b.primary()->address, QStringLiteral("149.154.175.100"));
        QCOMPARE(b.primary()->authKey.exposeUnsafe(), key);
        QCOMPARE(b.peers.size(), size_t(2));
        for (const Peer &p : b.peers) {
            if (p.kind() == PeerKind::User) {
                QCOMPARE(p.id, 777000);
                QCOMPARE(p.accessHash, std::optional<qint64>(-9000000000000000001LL));
                QCOMPARE(p.username(), std::optional<QString>(QStringLiteral("telegram")));
                QCOMPARE(p.phone, std::optional<QString>(QStringLiteral("42777")));
                QCOMPARE(p.name, std::optional<QString>(QStringLiteral("Tele Gram")));
                QVERIFY(p.updated.has_value());
            } else {
                QCOMPARE(p.kind(), PeerKind::Channel);
                QCOMPARE(p.id, 1234567890);
                QCOMPARE(p.accessHash, std::optional<qint64>(8000000000000000003LL));
                QCOMPARE(p.name, std::optional<QString>(QStringLiteral("Chan")));
            }
        }
        // 3. @mtcute/convert's independent store reader agrees with both folders.
        if (!hasPackage(QStringLiteral("@mtcute/convert")))
            return;
        QTemporaryDir scripts;
        const QString script = writeScript(scripts, QStringLiteral("read.mjs"), kMtcuteRead);
        const QByteArray in = "gramjs-store " + tmp.filePath(QStringLiteral("sdstore")).toUtf8() + '\n';
        const Run m = run(node(), {script, interopDir()}, in);
        QVERIFY2(m.code == 0, m.err.constData());
        QCOMPARE(QString::fromUtf8(m.out.trimmed()), QStringLiteral("5 91.108.56.130 443 %1").arg(s.primary()->authKeyId()));
    }
};

QTEST_GUILESS_MAIN(TestInteropStrings)
#include "tst_interop_strings.moc"
