// Interop: gotd-bbolt files against the real go.etcd.io/bbolt (Debian's golang-github-coreos-bbolt-dev,
// built offline with Debian's golang-go in GOPATH mode). A small Go program writes a gotd/botapi
// state file with real bbolt (session JSON marshalled from structs with gotd's field names) and
// SessionDesk reads it; SessionDesk writes one and real bbolt opens it, runs tx.Check(), checks
// the session the way gotd does (Version 1, AuthKeyID = SHA1(key)[12:20]), then modifies it.
// The Go program compares keys itself and prints only match flags and the auth_key_id.
#include "crypto/crypto.h"
#include "format/registry.h"
#include "testutil.h"

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

const char *kGoSource = R"GO(package main

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// Mirrors gotd/td session.Data / jsonData field names (encoding/json, no tags).
type dcOption struct {
	Flags             uint32
	Ipv6              bool
	MediaOnly         bool
	TCPObfuscatedOnly bool
	CDN               bool
	Static            bool
	ThisPortOnly      bool
	ID                int
	IPAddress         string
	Port              int
	Secret            []byte
}
type config struct {
	BlockedMode     bool
	ForceTryIpv6    bool
	Date            int
	Expires         int
	TestMode        bool
	ThisDC          int
	DCOptions       []dcOption
	DCTxtDomainName string
	TmpSessions     int
	WebfileDCID     int
}
type data struct {
	Config    config
	DC        int
	Addr      string
	AuthKey   []byte
	AuthKeyID []byte
	Salt      int64
}
type jsonData struct {
	Version int
	Data    data
}

type peer struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Hash string `json:"hash"`
}
type spec struct {
	KeyHex string `json:"key_hex"`
	DC     int    `json:"dc"`
	Salt   string `json:"salt"`
	Pts    int64  `json:"pts"`
	Peers  []peer `json:"peers"`
}

func i64(v int64) []byte {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(v))
	return b[:]
}

func bucketOf(kind string) string {
	switch kind {
	case "user":
		return "hashes_users_"
	case "chat":
		return "hashes_chats_"
	}
	return "hashes_channel_"
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	mode, path, specFile := os.Args[1], os.Args[2], os.Args[3]
	raw, err := os.ReadFile(specFile)
	must(err)
	var s spec
	must(json.Unmarshal(raw, &s))
	key, err := hex.DecodeString(s.KeyHex)
	must(err)
	sum := sha1.Sum(key)
	switch mode {
	case "write":
		db, err := bolt.Open(path, 0600, nil)
		must(err)
		salt, _ := strconv.ParseInt(s.Salt, 10, 64)
		js, err := json.Marshal(jsonData{Version: 1, Data: data{Config: config{ThisDC: s.DC}, DC: s.DC, Addr: "149.154.167.50:443",
			AuthKey: key, AuthKeyID: sum[12:20], Salt: salt}})
		must(err)
		must(db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("session_"))
			must(err)
			must(b.Put([]byte("session"), js))
			st, err := tx.CreateBucketIfNotExists([]byte("state_"))
			must(err)
			for _, k := range []string{"pts", "qts", "date", "seq"} {
				must(st.Put([]byte(k), i64(s.Pts)))
			}
			for _, p := range s.Peers {
				pb, err := tx.CreateBucketIfNotExists([]byte(bucketOf(p.Kind)))
				must(err)
				id, _ := strconv.ParseInt(p.ID, 10, 64)
				h, _ := strconv.ParseInt(p.Hash, 10, 64)
				must(pb.Put(i64(id), i64(h)))
			}
			return nil
		}))
		must(db.Close())
		fmt.Println(`{"written":true}`)
	case "read", "modify":
		db, err := bolt.Open(path, 0600, &bolt.Options{ReadOnly: mode == "read"})
		must(err)
		out := map[string]interface{}{}
		must(db.View(func(tx *bolt.Tx) error {
			nerr := 0
			for e := range tx.Check() {
				fmt.Fprintln(os.Stderr, "check:", e)
				nerr++
			}
			out["check_errors"] = nerr
			var jd jsonData
			sb := tx.Bucket([]byte("session_"))
			out["session_ok"] = false
			if sb != nil && json.Unmarshal(sb.Get([]byte("session")), &jd) == nil {
				ks := sha1.Sum(jd.Data.AuthKey)
				// gotd restoreConnection: the stored id must be SHA1(key)[12:20].
				out["session_ok"] = jd.Version == 1 && string(ks[12:20]) == string(jd.Data.AuthKeyID) &&
					hex.EncodeToString(jd.Data.AuthKey) == s.KeyHex && jd.Data.DC == s.DC && strconv.FormatInt(jd.Data.Salt, 10) == s.Salt
				out["auth_key_id"] = hex.EncodeToString(ks[12:20])
			}
			match := true
			for _, p := range s.Peers {
				pb := tx.Bucket([]byte(bucketOf(p.Kind)))
				id, _ := strconv.ParseInt(p.ID, 10, 64)
				if pb == nil || len(pb.Get(i64(id))) != 8 || strconv.FormatInt(int64(binary.LittleEndian.Uint64(pb.Get(i64(id)))), 10) != p.Hash {
					match = false
				}
			}
			out["peers_match"] = match
			if st := tx.Bucket([]byte("state_")); st != nil && len(st.Get([]byte("pts"))) == 8 {
				out["pts"] = int64(binary.LittleEndian.Uint64(st.Get([]byte("pts"))))
			}
			return nil
		}))
		if mode == "modify" {
			// Real bbolt writes into our file: a new peer and a new bucket.
			must(db.Update(func(tx *bolt.Tx) error {
				b, err := tx.CreateBucketIfNotExists([]byte("hashes_users_"))
				must(err)
				must(b.Put(i64(999999999), i64(-77)))
				_, err = tx.CreateBucketIfNotExists([]byte("userFulls_"))
				return err
			}))
		}
		must(db.Close())
		js, _ := json.Marshal(out)
		fmt.Println(string(js))
	}
}
)GO";

const QString kGoPath = QStringLiteral("/usr/share/gocode");

const Format &bboltFormat() { return *Registry::instance().find(QStringLiteral("gotd-bbolt")); }

using Run = CliRun;

void writePrivate(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(data);
}

struct Spec {
    QByteArray key;
    int dc = 2;
    qint64 salt = -8000000000000000001LL;
    qint64 pts = 4242;
    std::vector<Peer> peers;
};

Spec makeSpec()
{
    Spec s;
    s.key = crypto::randomBytes(256);
    // Enough users for branch pages; a few chats and channels with extreme hashes.
    for (int i = 1; i <= 3000; ++i) {
        Peer p;
        p.id = 5000000000LL + i * 7;
        p.type = PeerType::User;
        p.accessHash = (i % 2 ? -1 : 1) * (qint64(i) * 1000000007LL + 3);
        s.peers.push_back(p);
    }
    for (int i = 1; i <= 40; ++i) {
        Peer c;
        c.id = i * 11;
        c.type = PeerType::Chat;
        c.accessHash = i;
        s.peers.push_back(c);
        Peer ch;
        ch.id = 1000000000LL + i;
        ch.type = PeerType::Channel;
        ch.accessHash = i == 1 ? std::numeric_limits<qint64>::min() : std::numeric_limits<qint64>::max() - i;
        s.peers.push_back(ch);
    }
    return s;
}

QByteArray specJson(const Spec &s)
{
    QJsonArray peers;
    for (const Peer &p : s.peers)
        peers.append(QJsonObject{{QStringLiteral("kind"), peerKindName(p.kind())},
                                 {QStringLiteral("id"), QString::number(p.id)},
                                 {QStringLiteral("hash"), QString::number(*p.accessHash)}});
    return QJsonDocument(QJsonObject{{QStringLiteral("key_hex"), QString::fromLatin1(s.key.toHex())},
                                     {QStringLiteral("dc"), s.dc},
                                     {QStringLiteral("salt"), QString::number(s.salt)},
                                     {QStringLiteral("pts"), s.pts},
                                     {QStringLiteral("peers"), peers}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestInteropGotd : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        const QString go = QStandardPaths::findExecutable(QStringLiteral("go"));
        if (go.isEmpty())
            QSKIP("go is not installed (apt-get install golang-go golang-github-coreos-bbolt-dev)");
        if (!QFileInfo::exists(kGoPath + QStringLiteral("/src/go.etcd.io/bbolt/db.go")))
            QSKIP("go.etcd.io/bbolt sources are not installed (apt-get install golang-github-coreos-bbolt-dev)");
        QVERIFY(m_dir.isValid());
        const QString src = m_dir.filePath(QStringLiteral("main.go"));
        writePrivate(src, kGoSource);
        m_tool = m_dir.filePath(QStringLiteral("bbolt-tool"));
        const Run b = runGoOffline(go, {QStringLiteral("build"), QStringLiteral("-o"), m_tool, src}, m_dir.filePath(QStringLiteral("gocache")));
        if (b.exitCode != 0)
            QSKIP(qPrintable(QStringLiteral("the Go helper does not build offline: ") + QString::fromUtf8(b.err.left(300))));
    }

    void realBboltWritesWeRead()
    {
        const Spec spec = makeSpec();
        const QString specFile = m_dir.filePath(QStringLiteral("spec1.json"));
        writePrivate(specFile, specJson(spec));
        const QString db = m_dir.filePath(QStringLiteral("go.bbolt"));
        const Run w = runGoOffline(m_tool, {QStringLiteral("write"), db, specFile}, m_dir.filePath(QStringLiteral("gocache")));
        QVERIFY2(w.exitCode == 0, w.err.constData());

        auto det = Registry::instance().detect(Source::fromPath(db));
        QVERIFY(det);
        QCOMPARE((*det)->id(), QStringLiteral("gotd-bbolt"));
        auto store = bboltFormat().read(Source::fromPath(db), ReadOptions{});
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        const Session &s = store->accounts.front();
        QCOMPARE(s.dcId, spec.dc);
        QVERIFY(s.primary()->authKey == SecretBytes::fromByteArray(spec.key));
        QCOMPARE(s.primary()->salt, std::optional<qint64>(spec.salt));
        QVERIFY(s.updateState);
        QCOMPARE(s.updateState->pts, std::optional<qint64>(spec.pts));
        QCOMPARE(s.peers.size(), spec.peers.size());
        QMap<qint64, qint64> got;
        for (const Peer &p : s.peers)
            got.insert(p.markedId(), *p.accessHash);
        for (const Peer &p : spec.peers)
            QCOMPARE(got.value(p.markedId(), 0), *p.accessHash);
    }

    void weWriteRealBboltReads()
    {
        const Spec spec = makeSpec();
        Store in;
        Session s;
        s.dcId = spec.dc;
        DcAuth &d = s.upsertDc(spec.dc);
        d.authKey = SecretBytes::fromByteArray(spec.key);
        d.salt = spec.salt;
        UpdateState us;
        us.pts = spec.pts;
        s.updateState = us;
        s.peers = spec.peers;
        in.accounts.push_back(s);
        const QString db = m_dir.filePath(QStringLiteral("ours.bbolt"));
        QVERIFY(bboltFormat().write(in, db, WriteOptions{}));
        const QString specFile = m_dir.filePath(QStringLiteral("spec2.json"));
        writePrivate(specFile, specJson(spec));

        Run r = runGoOffline(m_tool, {QStringLiteral("read"), db, specFile}, m_dir.filePath(QStringLiteral("gocache")));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("check_errors")).toInt(-1), 0);
        QVERIFY(o.value(QStringLiteral("session_ok")).toBool());
        QVERIFY(o.value(QStringLiteral("peers_match")).toBool());
        QCOMPARE(o.value(QStringLiteral("pts")).toInteger(), spec.pts);
        QCOMPARE(o.value(QStringLiteral("auth_key_id")).toString(), d.authKeyId());

        // Real bbolt modifies our file (read-write open, new key, new bucket); we read the result.
        r = runGoOffline(m_tool, {QStringLiteral("modify"), db, specFile}, m_dir.filePath(QStringLiteral("gocache")));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("check_errors")).toInt(-1), 0);
        auto back = bboltFormat().read(Source::fromPath(db), ReadOptions{});
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(back->accounts.front().peers.size(), spec.peers.size() + 1);
        bool found = false;
        for (const Peer &p : back->accounts.front().peers)
            if (p.id == 999999999 && p.kind() == PeerKind::User)
                found = p.accessHash == std::optional<qint64>(-77);
        QVERIFY(found);
        QVERIFY(back->accounts.front().primary()->authKey == d.authKey);
    }

private:
    QTemporaryDir m_dir;
    QString m_tool;
};

QTEST_GUILESS_MAIN(TestInteropGotd)
#include "tst_interop_gotd.moc"
