// Interop with the real mtcute (npm @mtcute/node, @mtcute/core, @mtcute/convert 0.29.7 in
// $SD_INTEROP_DIR): mtcute-sqlite files written by SessionDesk (from mtcute, Telethon, mtgo and
// ferogram sources) open in @mtcute/node's SqliteStorage with the same primary DC, auth key,
// current user and peers (InputPeer access hashes, username index); mtcute strings written by
// SessionDesk are parsed by mtcute's readStringSession with the same key/DC/user, re-serialized by
// mtcute's writeStringSession to the identical string, and survive @mtcute/convert's Telethon
// conversion with the same key. No network: the scripts only load storage and parse strings.
// Keys are compared inside the scripts; only auth_key_id values and match flags are printed.
#include "testutil.h"

#include "convert/convert.h"
#include "format/registry.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;

namespace {

const char *kScript = R"JS(
import path from 'node:path'
import fs from 'node:fs'
import crypto from 'node:crypto'
import { pathToFileURL } from 'node:url'
const dir = process.env.SD_INTEROP_DIR
const mod = (p) => import(pathToFileURL(path.join(dir, 'node_modules', ...p.split('/'))).href)
const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const keyId = (k) => crypto.createHash('sha1').update(Buffer.from(k)).digest().subarray(12, 20).toString('hex')
const out = { errors: [] }
const check = (what, got, want) => { if (String(got) !== String(want)) out.errors.push(`${what}: ${got} != ${want}`) }
if (job.kind === 'sqlite') {
  const { TelegramClient } = await mod('@mtcute/node/index.js')
  const tg = new TelegramClient({ apiId: 1, apiHash: 'x', storage: job.file, updates: false })
  const mt = tg.storage.mt
  await mt.load()
  const dcs = await mt.dcs.fetch()
  check('dc', dcs && dcs.main.id, job.expect.dc)
  check('address', dcs && dcs.main.ipAddress, job.expect.address)
  check('port', dcs && dcs.main.port, job.expect.port)
  check('test', dcs && dcs.main.testMode, job.expect.test)
  const key = dcs && await mt.provider.authKeys.get(dcs.main.id)
  out.authKeyId = key ? keyId(key) : null
  check('auth_key_id', out.authKeyId, job.expect.authKeyId)
  const self = await tg.storage.self.fetch()
  check('user_id', self ? self.userId : null, job.expect.userId)
  if (job.expect.userId !== null) check('is_bot', self && self.isBot, job.expect.isBot)
  let peersOk = 0
  for (const p of job.expect.peers) {
    const input = await tg.storage.peers.getById(p.id)
    if (!input) { out.errors.push(`peer ${p.id} not found`); continue }
    if (p.kind === 'chat') { check(`peer ${p.id} type`, input._, 'inputPeerChat') }
    else {
      check(`peer ${p.id} type`, input._, p.kind === 'user' ? 'inputPeerUser' : 'inputPeerChannel')
      check(`peer ${p.id} hash`, input.accessHash.toString(), p.hash)
    }
    if (p.username) {
      const dto = await mt.provider.peers.getByUsername(p.username)
      check(`peer ${p.id} by username`, dto && dto.id, p.id)
    }
    peersOk++
  }
  out.peersChecked = peersOk
  await mt.destroy?.()
} else if (job.kind === 'strings') {
  const utils = await mod('@mtcute/core/utils.js')
  const convert = await mod('@mtcute/convert/index.js')
  out.results = []
  for (const c of job.cases) {
    const r = { errors: [] }
    const chk = (what, got, want) => { if (String(got) !== String(want)) r.errors.push(`${what}: ${got} != ${want}`) }
    try {
      const s = utils.readStringSession(c.string)
      r.authKeyId = keyId(s.authKey)
      chk('auth_key_id', r.authKeyId, c.authKeyId)
      chk('dc', s.primaryDcs.main.id, c.dc)
      chk('address', s.primaryDcs.main.ipAddress, c.address)
      chk('test', !!s.primaryDcs.main.testMode, c.test)
      chk('user_id', s.self ? s.self.userId : null, c.userId)
      if (c.userId !== null) chk('is_bot', s.self.isBot, c.isBot)
      r.reencodedSame = utils.writeStringSession(s) === c.string
      const tele = convert.convertToTelethonSession(c.string)
      const back = convert.convertFromTelethonSession(tele)
      r.convertKeySame = Buffer.compare(Buffer.from(back.authKey), Buffer.from(s.authKey)) === 0
    } catch (e) { r.errors.push('exception: ' + e.message) }
    out.results.push(r)
  }
}
console.log(JSON.stringify(out))
process.exit(0)
)JS";

QString interopDir()
{
    const QString env = qEnvironmentVariable("SD_INTEROP_DIR");
    return env.isEmpty() ? QDir::homePath() + QStringLiteral("/.cache/sessiondesk-interop") : env;
}


} // namespace

class TestInteropMtcute : public QObject {
    Q_OBJECT
    QString m_node;
    QTemporaryDir m_dir;

    QJsonObject runJob(const QJsonObject &job)
    {
        const QString jobPath = m_dir.filePath(QStringLiteral("job-%1.json").arg(QDateTime::currentMSecsSinceEpoch()));
        QFile jf(jobPath);
        if (!jf.open(QIODevice::WriteOnly))
            return {};
        jf.write(QJsonDocument(job).toJson());
        jf.close();
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SD_INTEROP_DIR"), interopDir());
        p.setProcessEnvironment(env);
        p.start(m_node, {m_dir.filePath(QStringLiteral("check.mjs")), jobPath});
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            qWarning("node timed out");
            return {};
        }
        const QByteArray out = p.readAllStandardOutput();
        if (p.exitCode() != 0)
            qWarning("node failed: %s", p.readAllStandardError().constData());
        QFile::remove(jobPath);
        return QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    }

    // Writes src (read by its own format) as mtcute-sqlite and checks it in @mtcute/node.
    void checkSqliteFrom(const QString &src, const QString &srcFormat)
    {
        auto store = sdtest::format(srcFormat).read(Source::fromPath(src), ReadOptions{});
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        const QString out = m_dir.filePath(srcFormat + QStringLiteral(".session"));
        auto conv = convertStore(*store, sdtest::format(QStringLiteral("mtcute-sqlite")), ConvertRequest{}, out);
        QVERIFY2(conv.ok(), qPrintable(conv.ok() ? QString() : conv.error().message));
        auto mine = sdtest::format(QStringLiteral("mtcute-sqlite")).read(Source::fromPath(out), ReadOptions{});
        QVERIFY(mine.ok());
        const Session &s = mine->accounts.front();
        QJsonObject expect;
        expect.insert(QStringLiteral("dc"), s.dcId);
        expect.insert(QStringLiteral("address"), s.primary()->address);
        expect.insert(QStringLiteral("port"), s.primary()->port);
        expect.insert(QStringLiteral("test"), s.testMode.value_or(false));
        expect.insert(QStringLiteral("authKeyId"), s.primary()->authKeyId());
        QCOMPARE(s.primary()->authKeyId(), store->accounts.front().primary()->authKeyId());
        expect.insert(QStringLiteral("userId"), s.userId ? QJsonValue(*s.userId) : QJsonValue());
        expect.insert(QStringLiteral("isBot"), s.isBot.value_or(false));
        QJsonArray peers;
        int users = 0, chats = 0, channels = 0;
        for (const Peer &p : s.peers) {
            int &n = p.kind() == PeerKind::User ? users : p.kind() == PeerKind::Chat ? chats : channels;
            if (n >= 4 || p.isMin)
                continue;
            ++n;
            QJsonObject o;
            o.insert(QStringLiteral("id"), p.markedId());
            o.insert(QStringLiteral("kind"), peerKindName(p.kind()));
            o.insert(QStringLiteral("hash"), QString::number(p.accessHash.value_or(0)));
            if (p.username())
                o.insert(QStringLiteral("username"), *p.username());
            peers.append(o);
        }
        QVERIFY(!peers.isEmpty());
        expect.insert(QStringLiteral("peers"), peers);
        // mtcute migrates/opens in WAL mode: hand it a copy.
        const QString copyDir = QDir(m_dir.path()).filePath(QStringLiteral("copy-") + srcFormat);
        QVERIFY(QDir().mkpath(copyDir));
        const QString copy = copyTo(out, copyDir);
        QJsonObject job{{QStringLiteral("kind"), QStringLiteral("sqlite")}, {QStringLiteral("file"), copy}, {QStringLiteral("expect"), expect}};
        const QJsonObject r = runJob(job);
        QVERIFY2(!r.isEmpty(), "the node script produced no result");
        QVERIFY2(r.value(QStringLiteral("errors")).toArray().isEmpty(),
                 qPrintable(QJsonDocument(r.value(QStringLiteral("errors")).toArray()).toJson(QJsonDocument::Compact)));
        QCOMPARE(r.value(QStringLiteral("authKeyId")).toString(), s.primary()->authKeyId());
        QCOMPARE(r.value(QStringLiteral("peersChecked")).toInt(), peers.size());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
        if (m_node.isEmpty())
            QSKIP("node is not installed (scripts/install-deps.sh --test)");
        for (const char *pkg : {"@mtcute/node", "@mtcute/core", "@mtcute/convert"})
            if (!QFileInfo::exists(interopDir() + QStringLiteral("/node_modules/") + QString::fromLatin1(pkg) + QStringLiteral("/package.json")))
                QSKIP(qPrintable(QStringLiteral("%1 is missing in %2 (run scripts/install-deps.sh --test)").arg(QString::fromLatin1(pkg), interopDir())));
        QVERIFY(m_dir.isValid());
        QFile f(m_dir.filePath(QStringLiteral("check.mjs")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kScript);
    }
    void sqliteFromMtcute() { checkSqliteFrom(dataPath(QStringLiteral("mtcute/basic.sqlite")), QStringLiteral("mtcute-sqlite")); }
    void sqliteFromTelethon() { checkSqliteFrom(dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("telethon-sqlite")); }
    void sqliteFromMtgo() { checkSqliteFrom(dataPath(QStringLiteral("mtgo/basic.db")), QStringLiteral("mtgo-sqlite")); }
    void sqliteFromFerogram() { checkSqliteFrom(dataPath(QStringLiteral("ferogram-sqlite/basic.db")), QStringLiteral("ferogram-sqlite")); }
    void stringsWrittenBySessionDesk()
    {
        const Format &str = sdtest::format(QStringLiteral("mtcute-string"));
        QJsonArray cases;
        auto add = [&cases, &str](const Session &s) {
            auto enc = str.encodeString(s, WriteOptions{});
            QVERIFY2(enc.ok(), qPrintable(enc.ok() ? QString() : enc.error().message));
            auto back = str.read(Source::fromString(*enc), ReadOptions{});
            QVERIFY(back.ok());
            const Session &b = back->accounts.front();
            QJsonObject c;
            c.insert(QStringLiteral("string"), QString::fromLatin1(*enc));
            c.insert(QStringLiteral("authKeyId"), s.primary()->authKeyId());
            c.insert(QStringLiteral("dc"), s.dcId);
            c.insert(QStringLiteral("address"), b.primary()->address);
            c.insert(QStringLiteral("test"), s.testMode.value_or(false));
            c.insert(QStringLiteral("userId"), s.userId ? QJsonValue(*s.userId) : QJsonValue());
            c.insert(QStringLiteral("isBot"), s.isBot.value_or(false));
            cases.append(c);
        };
        // Synthetic sessions: with and without self, test mode, media DC.
        for (int i = 0; i < 4; ++i) {
            Session s;
            s.dcId = 1 + i;
            s.testMode = i == 1;
            if (i != 2) {
                s.userId = Q_INT64_C(5000000000) + i;
                s.isBot = i == 3;
            }
            s.upsertDc(s.dcId).authKey = SecretBytes::random(256);
            if (i == 3) {
                DcAuth &m = s.upsertDc(s.dcId, true);
                m.address = QStringLiteral("149.154.167.255");
                m.port = 443;
                s.mediaDcId = s.dcId;
            }
            add(s);
        }
        // Converted from the file formats.
        for (const auto &[path, id] : {std::pair{dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("telethon-sqlite")},
                                       std::pair{dataPath(QStringLiteral("mtgo/basic.db")), QStringLiteral("mtgo-sqlite")},
                                       std::pair{dataPath(QStringLiteral("ferogram-sqlite/basic.db")), QStringLiteral("ferogram-sqlite")},
                                       std::pair{dataPath(QStringLiteral("mtcute/basic.sqlite")), QStringLiteral("mtcute-sqlite")}}) {
            auto st = sdtest::format(id).read(Source::fromPath(path), ReadOptions{});
            QVERIFY(st.ok());
            add(st->accounts.front());
        }
        const QJsonObject r = runJob({{QStringLiteral("kind"), QStringLiteral("strings")}, {QStringLiteral("cases"), cases}});
        const QJsonArray results = r.value(QStringLiteral("results")).toArray();
        QCOMPARE(results.size(), cases.size());
        for (int i = 0; i < results.size(); ++i) {
            const QJsonObject o = results[i].toObject();
            QVERIFY2(o.value(QStringLiteral("errors")).toArray().isEmpty(),
                     qPrintable(QStringLiteral("case %1: ").arg(i) + QString::fromUtf8(QJsonDocument(o.value(QStringLiteral("errors")).toArray()).toJson(QJsonDocument::Compact))));
            QCOMPARE(o.value(QStringLiteral("authKeyId")).toString(), cases[i].toObject().value(QStringLiteral("authKeyId")).toString());
            QVERIFY2(o.value(QStringLiteral("reencodedSame")).toBool(), qPrintable(QStringLiteral("case %1 re-encodes differently in mtcute").arg(i)));
            QVERIFY(o.value(QStringLiteral("convertKeySame")).toBool());
        }
    }
};

QTEST_GUILESS_MAIN(TestInteropMtcute)
#include "tst_interop_mtcute.moc"
