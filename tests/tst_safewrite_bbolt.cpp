// Edit in place for containers (docs/security.md, "Writing"): a gotd/botapi bbolt file with buckets
// SessionDesk does not own (botapi's userFulls_/chatFulls_, an application bucket with a value
// larger than a page) keeps every one of them, key for key and byte for byte, through prune and
// convert --force; the real go.etcd.io/bbolt writes the foreign buckets, checks the rewritten
// file (tx.Check) and dumps them, nested buckets and bucket sequences included.
#include "testutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace sdtest;

namespace {

const char *kGoSource = R"GO(package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	bolt "go.etcd.io/bbolt"
)

var owned = map[string]bool{"session_": true, "state_": true, "channel_pts_": true, "hashes_users_": true, "users_": true,
	"hashes_chats_": true, "chats_": true, "hashes_channel_": true, "channels_": true}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func rnd(n int) []byte {
	b := make([]byte, n)
	_, err := rand.Read(b)
	must(err)
	return b
}

func main() {
	mode, path := os.Args[1], os.Args[2]
	db, err := bolt.Open(path, 0600, &bolt.Options{ReadOnly: mode == "dump"})
	must(err)
	defer db.Close()
	switch mode {
	case "add", "nested":
		must(db.Update(func(tx *bolt.Tx) error {
			for _, name := range []string{"userFulls_", "chatFulls_"} {
				b, err := tx.CreateBucketIfNotExists([]byte(name))
				must(err)
				for i := 0; i < 40; i++ {
					must(b.Put(rnd(8), rnd(100+i*7)))
				}
			}
			app, err := tx.CreateBucketIfNotExists([]byte("myapp"))
			must(err)
			must(app.Put([]byte("config"), []byte(`{"theme":"dark"}`)))
			must(app.Put([]byte("blob"), rnd(9000))) // larger than a page: an overflow page
			_, err = tx.CreateBucketIfNotExists([]byte("empty_"))
			must(err)
			if mode == "nested" {
				// Buckets in buckets, inline (small) and not (200 values), with sequences
				// (NextSequence) at every level, and a key and a bucket that sort next to each other.
				for i := 0; i < 3; i++ {
					_, err = app.NextSequence()
					must(err)
				}
				inner, err := app.CreateBucketIfNotExists([]byte("inner"))
				must(err)
				must(inner.Put([]byte("a"), []byte("1")))
				_, err = inner.NextSequence()
				must(err)
				deeper, err := inner.CreateBucketIfNotExists([]byte("deeper"))
				must(err)
				for i := 0; i < 200; i++ {
					must(deeper.Put(rnd(16), rnd(50)))
				}
				for i := 0; i < 7; i++ {
					_, err = deeper.NextSequence()
					must(err)
				}
				_, err = app.CreateBucketIfNotExists([]byte("configs"))
				must(err)
			}
			return nil
		}))
		fmt.Println(`{"ok":true}`)
	case "dump":
		out := map[string]interface{}{}
		must(db.View(func(tx *bolt.Tx) error {
			n := 0
			for e := range tx.Check() {
				fmt.Fprintln(os.Stderr, "check:", e)
				n++
			}
			out["check_errors"] = n
			foreign := map[string][]string{}
			sequences := map[string]uint64{}
			// Every value below a foreign bucket as "path/key=value" (hex), nested buckets included.
			// path: the bucket's full path (for its sequence); rel: its path below the top bucket.
			var walk func(b *bolt.Bucket, path, rel string, rows *[]string)
			walk = func(b *bolt.Bucket, path, rel string, rows *[]string) {
				sequences[path] = b.Sequence()
				must(b.ForEach(func(k, v []byte) error {
					if v == nil {
						walk(b.Bucket(k), path+"/"+hex.EncodeToString(k), rel+hex.EncodeToString(k)+"/", rows)
						return nil
					}
					*rows = append(*rows, rel+hex.EncodeToString(k)+"="+hex.EncodeToString(v))
					return nil
				}))
			}
			must(tx.ForEach(func(name []byte, b *bolt.Bucket) error {
				if owned[string(name)] {
					return nil
				}
				rows := []string{}
				walk(b, string(name), "", &rows)
				sort.Strings(rows)
				foreign[string(name)] = rows
				return nil
			}))
			out["foreign"] = foreign
			out["sequences"] = sequences
			return nil
		}))
		js, _ := json.Marshal(out)
		fmt.Println(string(js))
	}
}
)GO";

const QString kGoPath = QStringLiteral("/usr/share/gocode");

QByteArray runGo(const QString &program, const QStringList &args, const QString &cache, int *code)
{
    const CliRun r = runGoOffline(program, args, cache);
    *code = r.exitCode;
    if (r.exitCode != 0)
        qWarning().noquote() << r.err;
    return r.out;
}

} // namespace

class TstSafewriteBbolt : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_tool;

    QJsonObject dump(const QString &db)
    {
        int code = -1;
        const QByteArray out = runGo(m_tool, {QStringLiteral("dump"), db}, m_dir.filePath(QStringLiteral("cache")), &code);
        if (code != 0)
            return {};
        return QJsonDocument::fromJson(out).object();
    }

    QString fileWithForeignBuckets(const QString &name, const QString &mode)
    {
        const QString db = m_dir.filePath(name);
        const CliRun c = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"),
                                 QStringLiteral("gotd-bbolt"), QStringLiteral("-o"), db});
        if (c.exitCode != 0)
            qWarning() << c.err;
        int code = -1;
        runGo(m_tool, {mode, db}, m_dir.filePath(QStringLiteral("cache")), &code);
        return code == 0 ? db : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString go = QStandardPaths::findExecutable(QStringLiteral("go"));
        if (go.isEmpty())
            QSKIP("go is not installed (apt-get install golang-go golang-github-coreos-bbolt-dev)");
        if (!QFileInfo::exists(kGoPath + QStringLiteral("/src/go.etcd.io/bbolt/db.go")))
            QSKIP("go.etcd.io/bbolt sources are not installed (apt-get install golang-github-coreos-bbolt-dev)");
        const QString src = m_dir.filePath(QStringLiteral("foreign.go"));
        QFile f(src);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kGoSource);
        f.close();
        m_tool = m_dir.filePath(QStringLiteral("bbolt-foreign"));
        int code = -1;
        runGo(go, {QStringLiteral("build"), QStringLiteral("-o"), m_tool, src}, m_dir.filePath(QStringLiteral("cache")), &code);
        QCOMPARE(code, 0);
    }

    void pruneAndConvertKeepForeignBuckets()
    {
        const QString db = fileWithForeignBuckets(QStringLiteral("a.db"), QStringLiteral("add"));
        QVERIFY(!db.isEmpty());
        const QJsonObject before = dump(db);
        QCOMPARE(before.value(QStringLiteral("check_errors")).toInt(-1), 0);
        const QJsonObject foreign = before.value(QStringLiteral("foreign")).toObject();
        QCOMPARE(foreign.value(QStringLiteral("userFulls_")).toArray().size(), 40);
        QCOMPARE(foreign.value(QStringLiteral("myapp")).toArray().size(), 2);
        QVERIFY(foreign.contains(QStringLiteral("empty_")));

        const CliRun p = runCli({QStringLiteral("prune"), db, QStringLiteral("--clear")});
        QVERIFY2(p.exitCode == 0, p.err.constData());
        const QJsonObject afterPrune = dump(db);
        QCOMPARE(afterPrune.value(QStringLiteral("check_errors")).toInt(-1), 0);
        QCOMPARE(afterPrune.value(QStringLiteral("foreign")).toObject(), foreign);
        // The backup prune made is the untouched original.
        const QStringList backups = QDir(m_dir.path()).entryList({QStringLiteral("a.db.bak-*")});
        QCOMPARE(backups.size(), 1);
        QCOMPARE(dump(m_dir.filePath(backups.first())).value(QStringLiteral("foreign")).toObject(), foreign);

        const CliRun c = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("gramjs/store")), QStringLiteral("--to"), QStringLiteral("gotd-bbolt"),
                                 QStringLiteral("-o"), db, QStringLiteral("--force")});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        const QJsonObject afterConvert = dump(db);
        QCOMPARE(afterConvert.value(QStringLiteral("check_errors")).toInt(-1), 0);
        QCOMPARE(afterConvert.value(QStringLiteral("foreign")).toObject(), foreign);
        // auth_key_id = SHA1(key)[12:20]: the new key is in place.
        const QByteArray key = hexToBytes(QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("gramjs/store.json")))).object().value(QStringLiteral("authKeyHex")).toString());
        QCOMPARE(key.size(), 256);
        const QByteArray storeId = QCryptographicHash::hash(key, QCryptographicHash::Sha1).mid(12, 8).toHex();
        const CliRun i = runCli({QStringLiteral("inspect"), db, QStringLiteral("--json")});
        QVERIFY2(i.out.contains(storeId), i.out.constData());
    }

    void nestedForeignBucketsSurvive()
    {
        const QString db = fileWithForeignBuckets(QStringLiteral("n.db"), QStringLiteral("nested"));
        QVERIFY(!db.isEmpty());
        const QJsonObject before = dump(db);
        QCOMPARE(before.value(QStringLiteral("check_errors")).toInt(-1), 0);
        const QJsonObject foreign = before.value(QStringLiteral("foreign")).toObject();
        const QJsonObject sequences = before.value(QStringLiteral("sequences")).toObject();
        // myapp: 2 values, inner's 1, deeper's 200; sequences 3 / 1 / 7 as bbolt counted them.
        QCOMPARE(foreign.value(QStringLiteral("myapp")).toArray().size(), 203);
        QCOMPARE(sequences.value(QStringLiteral("myapp")).toInt(), 3);
        QCOMPARE(sequences.value(QStringLiteral("myapp/696e6e6572")).toInt(), 1);
        QCOMPARE(sequences.value(QStringLiteral("myapp/696e6e6572/646565706572")).toInt(), 7);
        QVERIFY(sequences.contains(QStringLiteral("myapp/636f6e66696773"))); // the empty nested bucket

        const CliRun p = runCli({QStringLiteral("prune"), db, QStringLiteral("--clear"), QStringLiteral("--no-backup")});
        QVERIFY2(p.exitCode == 0, p.err.constData());
        QJsonObject after = dump(db);
        QCOMPARE(after.value(QStringLiteral("check_errors")).toInt(-1), 0);
        QCOMPARE(after.value(QStringLiteral("foreign")).toObject(), foreign);
        QCOMPARE(after.value(QStringLiteral("sequences")).toObject(), sequences);
        QCOMPARE(runCli({QStringLiteral("peers"), db, QStringLiteral("--json")}).json().array().size(), 0);

        const CliRun c = runCli({QStringLiteral("convert"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--to"),
                                 QStringLiteral("gotd-bbolt"), QStringLiteral("-o"), db, QStringLiteral("--force")});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        after = dump(db);
        QCOMPARE(after.value(QStringLiteral("check_errors")).toInt(-1), 0);
        QCOMPARE(after.value(QStringLiteral("foreign")).toObject(), foreign);
        QCOMPARE(after.value(QStringLiteral("sequences")).toObject(), sequences);
    }
};

QTEST_GUILESS_MAIN(TstSafewriteBbolt)
#include "tst_safewrite_bbolt.moc"
