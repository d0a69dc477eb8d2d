// Interop with the real Telethon (Debian's python3-telethon): a file SessionDesk writes is loaded by
// Telethon's SQLiteSession with the same key, DC and cached entities; and a file Telethon itself
// writes (entities, update state with a REAL channel date) is read correctly. Keys are compared
// inside the Python script, which prints only a match flag and the auth_key_id.
#include "format/registry.h"
#include "testutil.h"
#include "tools/sqlitebuild.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;

namespace {

QString telethonPython()
{
    QStringList candidates{QStringLiteral("/usr/bin/python3")};
    const QString inPath = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (!inPath.isEmpty())
        candidates << inPath;
    for (const QString &py : candidates) {
        if (!QFileInfo(py).isExecutable())
            continue;
        QProcess p;
        p.start(py, {QStringLiteral("-c"), QStringLiteral("import telethon.sessions")});
        if (p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return py;
    }
    return {};
}

struct PyRun {
    int exit = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

PyRun runPython(const QString &py, const QString &script, const QStringList &args, const QByteArray &stdinData)
{
    QProcess p;
    p.start(py, QStringList{QStringLiteral("-c"), script} + args);
    PyRun r;
    if (!p.waitForStarted(10000))
        return r;
    p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.exit = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Loads a session with Telethon and reports what it sees (the key only as a match flag + key id).
const char *kLoadScript = R"PY(
import sys, json, hashlib
from telethon.sessions import SQLiteSession
from telethon.tl.types import PeerUser, PeerChat, PeerChannel
expected = bytes.fromhex(sys.stdin.read().strip())
s = SQLiteSession(sys.argv[1])
key = s.auth_key.key if s.auth_key else b''
out = {
    'dc_id': s.dc_id, 'server_address': s.server_address, 'port': s.port,
    'key_match': key == expected, 'auth_key_id': hashlib.sha1(key).digest()[12:20].hex() if key else None,
    'takeout_id': s.takeout_id,
}
def peer(p):
    d = p.to_dict()
    d.pop('_', None)
    d['kind'] = type(p).__name__
    return {k: (str(v) if isinstance(v, int) else v) for k, v in d.items()}
lookups = {
    'user': PeerUser(int(sys.argv[2])), 'chat': PeerChat(int(sys.argv[3])), 'channel': PeerChannel(int(sys.argv[4])),
    'by_username': sys.argv[5], 'by_phone': '+' + sys.argv[6], 'by_marked_id': int(sys.argv[7]),
}
out['peers'] = {name: peer(s.get_input_entity(k)) for name, k in lookups.items()}
st = s.get_update_state(0)
out['state'] = None if st is None else {'pts': st.pts, 'qts': st.qts, 'date': int(st.date.timestamp()), 'seq': st.seq}
out['channel_states'] = {str(i): v.pts for i, v in s.get_update_states() if i != 0}
self_row = s._execute('select hash from entities where id = 0')
out['self_id'] = str(self_row[0]) if self_row else None
print(json.dumps(out))
)PY";

// Makes a session file with Telethon itself.
const char *kMakeScript = R"PY(
import sys, datetime
from telethon.sessions import SQLiteSession
from telethon.crypto import AuthKey
from telethon.tl import types
key = bytes.fromhex(sys.stdin.read().strip())
s = SQLiteSession(sys.argv[1])
s.set_dc(4, '149.154.167.91', 443)
s.auth_key = AuthKey(data=key)
users = [types.User(id=1001 + i, access_hash=-(10 ** 18) - i, first_name='User', last_name=str(i),
                    username=('MixedCase%d' % i) if i % 2 == 0 else None, phone=('7900%07d' % i) if i % 3 == 0 else None)
         for i in range(12)]
chats = [types.Chat(id=500, title='Basic', photo=types.ChatPhotoEmpty(), participants_count=3,
                    date=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc), version=1),
         types.Channel(id=1987654321, title='Chan', photo=types.ChatPhotoEmpty(),
                       date=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc), access_hash=9 * 10 ** 18, username='SomeChannel')]
s.process_entities(types.contacts.ResolvedPeer(peer=types.PeerUser(1001), chats=chats, users=users))
s.set_update_state(0, types.updates.State(pts=321, qts=7, date=datetime.datetime(2024, 5, 1, tzinfo=datetime.timezone.utc), seq=99, unread_count=0))
s.set_update_state(1987654321, types.updates.State(pts=4444, qts=0, date=datetime.datetime.now(), seq=0, unread_count=0))
s.save()
s.close()
print('ok')
)PY";

} // namespace

class TstInteropTelethon : public QObject {
    Q_OBJECT

private:
    QString m_py;

private Q_SLOTS:
    void initTestCase()
    {
        m_py = telethonPython();
        if (m_py.isEmpty())
            QSKIP("python3 with telethon (Debian python3-telethon) is not installed");
    }

    void telethonLoadsWhatSessionDeskWrites()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sd.session"));
        Session s;
        s.dcId = 4;
        s.userId = Q_INT64_C(7123456789);
        DcAuth &d = s.upsertDc(4);
        d.address = QStringLiteral("149.154.167.91");
        d.port = 443;
        const QByteArray key = sdtest::testKey(42);
        d.authKey = SecretBytes::fromByteArray(key);
        UpdateState u;
        u.pts = 100;
        u.qts = 5;
        u.date = 1714521600;
        u.seq = 9;
        u.channelPts.insert(Q_INT64_C(1234567890), 77);
        s.updateState = u;
        Peer user;
        user.id = Q_INT64_C(5000000001);
        user.accessHash = Q_INT64_C(-9000000000000000001);
        user.usernames << QStringLiteral("Some_User");
        user.phone = QStringLiteral("15551234567");
        user.name = QStringLiteral("Some User");
        user.updated = 1714521600;
        Peer chat;
        chat.id = 55;
        chat.type = PeerType::Chat;
        chat.accessHash = 0;
        chat.name = QStringLiteral("Group");
        Peer channel;
        channel.id = Q_INT64_C(1234567890);
        channel.type = PeerType::Channel;
        channel.accessHash = Q_INT64_C(8000000000000000009);
        channel.usernames << QStringLiteral("news");
        s.peers = {user, chat, channel};
        Store st;
        st.accounts.push_back(s);
        QVERIFY(Registry::instance().find(QStringLiteral("telethon-sqlite"))->write(st, path, {}).ok());

        const PyRun r = runPython(m_py, QString::fromLatin1(kLoadScript),
                                  {path, QStringLiteral("5000000001"), QStringLiteral("55"), QStringLiteral("1234567890"), QStringLiteral("some_user"),
                                   QStringLiteral("15551234567"), QStringLiteral("-1001234567890")},
                                  key.toHex());
        QVERIFY2(r.exit == 0, r.err.constData());
        QVERIFY(!r.out.contains(key.toHex().left(32)));
        const QJsonObject j = r.json();
        QCOMPARE(j.value(QStringLiteral("dc_id")).toInt(), 4);
        QCOMPARE(j.value(QStringLiteral("server_address")).toString(), QStringLiteral("149.154.167.91"));
        QCOMPARE(j.value(QStringLiteral("port")).toInt(), 443);
        QVERIFY(j.value(QStringLiteral("key_match")).toBool());
        QCOMPARE(j.value(QStringLiteral("auth_key_id")).toString(), s.primary()->authKeyId());
        QCOMPARE(j.value(QStringLiteral("self_id")).toString(), QStringLiteral("7123456789"));
        const QJsonObject peers = j.value(QStringLiteral("peers")).toObject();
        const QJsonObject pu = peers.value(QStringLiteral("user")).toObject();
        QCOMPARE(pu.value(QStringLiteral("kind")).toString(), QStringLiteral("InputPeerUser"));
        QCOMPARE(pu.value(QStringLiteral("user_id")).toString(), QStringLiteral("5000000001"));
        QCOMPARE(pu.value(QStringLiteral("access_hash")).toString(), QStringLiteral("-9000000000000000001"));
        QCOMPARE(peers.value(QStringLiteral("chat")).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("InputPeerChat"));
        QCOMPARE(peers.value(QStringLiteral("chat")).toObject().value(QStringLiteral("chat_id")).toString(), QStringLiteral("55"));
        const QJsonObject pc = peers.value(QStringLiteral("channel")).toObject();
        QCOMPARE(pc.value(QStringLiteral("kind")).toString(), QStringLiteral("InputPeerChannel"));
        QCOMPARE(pc.value(QStringLiteral("access_hash")).toString(), QStringLiteral("8000000000000000009"));
        QCOMPARE(peers.value(QStringLiteral("by_username")).toObject().value(QStringLiteral("user_id")).toString(), QStringLiteral("5000000001"));
        QCOMPARE(peers.value(QStringLiteral("by_phone")).toObject().value(QStringLiteral("user_id")).toString(), QStringLiteral("5000000001"));
        QCOMPARE(peers.value(QStringLiteral("by_marked_id")).toObject().value(QStringLiteral("channel_id")).toString(), QStringLiteral("1234567890"));
        const QJsonObject state = j.value(QStringLiteral("state")).toObject();
        QCOMPARE(state.value(QStringLiteral("pts")).toInt(), 100);
        QCOMPARE(state.value(QStringLiteral("qts")).toInt(), 5);
        QCOMPARE(state.value(QStringLiteral("seq")).toInt(), 9);
        QCOMPARE(state.value(QStringLiteral("date")).toInteger(), qint64(1714521600));
        QCOMPARE(j.value(QStringLiteral("channel_states")).toObject().value(QStringLiteral("1234567890")).toInt(), 77);
    }

    void sessionDeskReadsWhatTelethonWrites()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("real.session"));
        const QByteArray key = sdtest::testKey(7);
        const PyRun r = runPython(m_py, QString::fromLatin1(kMakeScript), {path}, key.toHex());
        QVERIFY2(r.exit == 0, r.err.constData());
        const QByteArray before = sdtest::fileSha256(path);
        auto det = Registry::instance().detect(Source::fromPath(path));
        QVERIFY(det.ok());
        QCOMPARE((*det)->id(), QStringLiteral("telethon-sqlite"));
        auto st = (*det)->read(Source::fromPath(path), {});
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QCOMPARE(sdtest::fileSha256(path), before);
        QCOMPARE(st->formatVersion.value_or(0), 7);
        const Session &s = st->accounts.front();
        QCOMPARE(s.dcId, 4);
        QCOMPARE(s.primary()->address, QStringLiteral("149.154.167.91"));
        QCOMPARE(s.primary()->port, 443);
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(key));
        const PeerCounts c = s.peerCounts();
        QCOMPARE(c.users, qint64(12));
        QCOMPARE(c.chats, qint64(1));
        QCOMPARE(c.channels, qint64(1));
        std::map<qint64, const Peer *> by;
        for (const Peer &p : s.peers)
            by[p.markedId()] = &p;
        QVERIFY(by.count(1001) && by.count(1004) && by.count(-500) && by.count(Q_INT64_C(-1001987654321)));
        QCOMPARE(by[1001]->accessHash.value_or(0), Q_INT64_C(-1000000000000000000));
        QCOMPARE(by[1001]->username().value_or(QString()), QStringLiteral("mixedcase0")); // Telethon lower-cases
        QCOMPARE(by[1001]->phone.value_or(QString()), QStringLiteral("79000000000"));    // INTEGER affinity
        QCOMPARE(by[1001]->name.value_or(QString()), QStringLiteral("User 0"));
        QVERIFY(by[1001]->updated.has_value());
        QCOMPARE(by[1004]->phone.value_or(QString()), QStringLiteral("79000000003"));
        QVERIFY(!by[1002]->phone.has_value());
        QCOMPARE(by[-500]->type, PeerType::Chat);
        QCOMPARE(by[-500]->accessHash.value_or(-1), qint64(0));
        QCOMPARE(by[Q_INT64_C(-1001987654321)]->accessHash.value_or(0), Q_INT64_C(9000000000000000000));
        QCOMPARE(by[Q_INT64_C(-1001987654321)]->username().value_or(QString()), QStringLiteral("somechannel"));
        QVERIFY(s.updateState.has_value());
        QCOMPARE(s.updateState->pts.value_or(0), qint64(321));
        QCOMPARE(s.updateState->qts.value_or(0), qint64(7));
        QCOMPARE(s.updateState->seq.value_or(0), qint64(99));
        QCOMPARE(s.updateState->date.value_or(0), qint64(1714521600));
        QCOMPARE(s.updateState->channelPts.value(Q_INT64_C(1987654321)), qint64(4444)); // bare id, REAL date row
        {
            sdtest::SqlFile f(path);
            QCOMPARE(f.scalar(QStringLiteral("select typeof(date) from update_state where id = 1987654321")).toString(), QStringLiteral("real"));
        }

        // And the CLI peers search over the real file.
        auto cli = sdtest::runCli({QStringLiteral("peers"), path, QStringLiteral("--search"), QStringLiteral("MIXEDCASE1"), QStringLiteral("--json")});
        QCOMPARE(cli.exitCode, 0);
        QCOMPARE(cli.json().array().size(), 1); // only mixedcase10 (odd users have no username)
    }
};

QTEST_GUILESS_MAIN(TstInteropTelethon)
#include "tst_interop_telethon.moc"
