// The vault against a real Secret Service: a private D-Bus session with an unlocked gnome-keyring
// (tests/with-keyring.sh wraps every tst_keychain_* and sets SD_KEYRING_AVAILABLE=1 inside).
// import -> list -> export round-trips the key; the vault file, its WAL and the settings file (and
// every other file in the throwaway HOME) hold no key bytes; remove deletes the keychain entry.
#include "testutil.h"
#include "vaulttestutil.h"

#include "format/registry.h"
#include "keychainsecretstore.h"
#include "vault/vault.h"

#include <QDirIterator>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <qt6keychain/keychain.h>

using namespace sd;
using namespace sdtest;
using vaulttest::HexStringFormat;

namespace {

const QString kService = QStringLiteral("sessiondesk");

struct RawRead {
    int error = -1;
    QByteArray data;
};

// A ReadPasswordJob straight through QtKeychain (not through our store), with a timeout.
RawRead rawRead(const QString &key)
{
    RawRead r;
    auto *job = new QKeychain::ReadPasswordJob(kService); // deletes itself when finished
    job->setKey(key);
    QEventLoop loop;
    QObject context;
    QObject::connect(job, &QKeychain::Job::finished, &context, [&r, &loop](QKeychain::Job *j) {
        r.error = j->error();
        r.data = static_cast<QKeychain::ReadPasswordJob *>(j)->binaryData();
        loop.quit();
    });
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    job->start();
    loop.exec();
    return r; // error stays -1 on a timeout
}

QList<QByteArray> needles(const SecretBytes &key)
{
    const QByteArray raw = key.exposeUnsafe();
    return {raw,
            raw.toHex(),
            raw.toHex().toUpper(),
            raw.toBase64(),
            raw.toBase64(QByteArray::Base64UrlEncoding),
            raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
            raw.left(64)}; // a quarter of the key is already too much
}

// Files that must not hold key material: the vault and its side files, the settings file, and -
// inside the wrapper's throwaway HOME - every file except gnome-keyring's own (encrypted) keyrings.
QStringList filesToScan(const QString &vaultPath)
{
    QStringList files;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")})
        if (QFileInfo::exists(vaultPath + suffix))
            files << vaultPath + suffix;
    const QString settings = QSettings().fileName();
    if (QFileInfo::exists(settings))
        files << settings;
    if (qgetenv("SD_IN_KEYRING") == "1") {
        const QString home = QDir::homePath();
        QDirIterator it(home, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            if (!f.contains(QLatin1String("/.local/share/keyrings/")))
                files << f;
        }
    }
    return files;
}

QString findKey(const QStringList &files, const std::vector<SecretBytes> &keys)
{
    for (const QString &f : files) {
        const QByteArray data = readAll(f);
        for (const SecretBytes &k : keys)
            for (const QByteArray &n : needles(k))
                if (data.contains(n))
                    return f;
    }
    return {};
}

Session makeSession()
{
    Session s;
    s.dcId = 2;
    s.userId = 5000000007LL;
    s.username = QStringLiteral("keyring_user");
    for (int dc : {2, 4, 5}) {
        DcAuth &d = s.upsertDc(dc);
        d.port = 443;
        d.authKey = SecretBytes::random(256);
    }
    DcAuth temp;
    temp.dcId = 2;
    temp.isTemp = true;
    temp.authKey = SecretBytes::random(256);
    s.dcs.push_back(temp);
    return s;
}

} // namespace

class TestKeychainVault : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("SessionDesk"));
        QCoreApplication::setApplicationName(QStringLiteral("sessiondesk"));
        KeychainSecretStore store(kService, 20000);
        const Status st = store.checkWritable();
        if (!st) {
            const QString msg = QStringLiteral("the keychain probe write failed: ") + st.error().message;
            if (qgetenv("SD_KEYRING_AVAILABLE") == "1")
                QFAIL(qPrintable(msg));
            QSKIP(qPrintable(msg + QStringLiteral(" (run through tests/with-keyring.sh)")));
        }
    }

    void storeRoundTripsBinary()
    {
        KeychainSecretStore store(kService, 20000);
        QByteArray all(256, 0);
        for (int i = 0; i < 256; ++i)
            all[i] = static_cast<char>(i);
        const SecretBytes value = SecretBytes::fromByteArray(all + all); // every byte value, NULs included
        const QString key = QStringLiteral("test/") + QString::fromLatin1(SecretBytes::random(6).exposeUnsafeHex());
        QVERIFY(store.write(key, value).ok());
        auto back = store.find(key);
        QVERIFY(back.ok());
        QVERIFY(back->has_value());
        QVERIFY(**back == value);
        QCOMPARE(rawRead(key).error, int(QKeychain::NoError));
        QVERIFY(store.remove(key).ok());
        auto gone = store.find(key);
        QVERIFY(gone.ok());
        QVERIFY(!gone->has_value());
        QCOMPARE(rawRead(key).error, int(QKeychain::EntryNotFound));
        QVERIFY(store.remove(key).ok()); // removing a missing entry is fine
    }

    void importListExportRemove()
    {
        KeychainSecretStore store(kService, 20000);
        const QString path = m_dir.filePath(QStringLiteral("api/vault.sqlite"));
        const Session s = makeSession();
        std::vector<SecretBytes> keys;
        for (const DcAuth &d : s.dcs)
            keys.push_back(d.authKey);
        QString id, vaultId;
        {
            auto v = Vault::open(path, store, true);
            QVERIFY2(v.ok(), qPrintable(v ? QString() : v.error().message));
            vaultId = (*v)->vaultId();
            Store st;
            st.formatId = QStringLiteral("telethon-sqlite");
            st.accounts.push_back(s);
            auto items = (*v)->importStore(st, {});
            QVERIFY2(items.ok(), qPrintable(items ? QString() : items.error().message));
            id = items->front().id;
            QVERIFY(!id.isEmpty());

            // The entry is where the issue says: service "sessiondesk", key "<vault id>/<account id>".
            const RawRead raw = rawRead(vaultId + QLatin1Char('/') + id);
            QCOMPARE(raw.error, int(QKeychain::NoError));
            QVERIFY(raw.data.contains(s.dcs[0].authKey.exposeUnsafe()));
            QVERIFY(raw.data.contains(s.dcs[3].authKey.exposeUnsafe())); // the temp key too: one entry per account

            auto list = (*v)->list();
            QVERIFY(list.ok());
            QCOMPARE(list->size(), size_t(1));
            QCOMPARE(list->front().authKeyId, s.primary()->authKeyId());

            HexStringFormat fmt;
            auto out = (*v)->exportAccount(id, fmt, ConvertRequest(), QString());
            QVERIFY2(out.ok(), qPrintable(out ? QString() : out.error().message));
            QCOMPARE(out->string, HexStringFormat::expected(s));

            // While the vault is open (its -wal exists) and after: no key bytes anywhere.
            const QStringList files = filesToScan(path);
            QVERIFY(files.contains(path));
            QCOMPARE(findKey(files, keys), QString());
        }
        QCOMPARE(findKey(filesToScan(path), keys), QString());

        auto v = Vault::open(path, store, false);
        QVERIFY(v.ok());
        QVERIFY((*v)->remove(id).ok());
        QCOMPARE(rawRead(vaultId + QLatin1Char('/') + id).error, int(QKeychain::EntryNotFound));
        QCOMPARE((*v)->list()->size(), size_t(0));
    }

    void cliRoundTrip()
    {
        const Format *telethon = Registry::instance().find(QStringLiteral("telethon-sqlite"));
        QVERIFY(telethon);
        const QJsonObject fx = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("telethon/basic.json")))).object();
        const SecretBytes key = SecretBytes::fromByteArray(hexToBytes(fx.value(QStringLiteral("authKeyHex")).toString()));
        const QString keyId = fx.value(QStringLiteral("authKeyId")).toString();
        QCOMPARE(authKeyId(key), keyId);
        const QString path = m_dir.filePath(QStringLiteral("cli/vault.sqlite"));
        const QString source = dataPath(QStringLiteral("telethon/basic.session"));
        const QByteArray sourceBefore = fileSha256(source);

        const CliRun imp = runCli({QStringLiteral("vault"), QStringLiteral("import"), source, QStringLiteral("--vault"), path,
                                   QStringLiteral("--label"), QStringLiteral("basic"), QStringLiteral("--json")});
        QVERIFY2(imp.exitCode == 0, imp.err.constData());
        const QString id = imp.json().object().value(QStringLiteral("id")).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(fileSha256(source), sourceBefore);
        QCOMPARE(fileMode(path), 0600);

        // A second import of the same key is reported, not added.
        const CliRun dup = runCli({QStringLiteral("vault"), QStringLiteral("import"), source, QStringLiteral("--vault"), path, QStringLiteral("--json")});
        QCOMPARE(dup.exitCode, 0);
        QCOMPARE(dup.json().object().value(QStringLiteral("duplicate_of")).toString(), id);
        const CliRun dupText = runCli({QStringLiteral("vault"), QStringLiteral("import"), source, QStringLiteral("--vault"), path});
        QCOMPARE(dupText.exitCode, 0);
        QVERIFY(dupText.out.contains(id.toLatin1()));
        QVERIFY(dupText.out.contains("already"));

        const CliRun list = runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--vault"), path});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray arr = list.json().array();
        QCOMPARE(arr.size(), 1);
        QCOMPARE(arr[0].toObject().value(QStringLiteral("auth_key_id")).toString(), keyId);
        QCOMPARE(arr[0].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("basic"));
        QCOMPARE(arr[0].toObject().value(QStringLiteral("dc_id")).toInt(), fx.value(QStringLiteral("dc")).toInt());

        const QString out = m_dir.filePath(QStringLiteral("cli/exported.session"));
        const CliRun exp = runCli({QStringLiteral("vault"), QStringLiteral("export"), id, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"),
                                   QStringLiteral("-o"), out, QStringLiteral("--vault"), path});
        QVERIFY2(exp.exitCode == 0, exp.err.constData());
        auto store = telethon->read(Source::fromPath(out), ReadOptions());
        QVERIFY2(store.ok(), qPrintable(store ? QString() : store.error().message));
        QVERIFY(store->accounts.front().primary());
        QVERIFY(store->accounts.front().primary()->authKey == key);
        QCOMPARE(store->accounts.front().peerCounts().total(),
                 qint64(fx.value(QStringLiteral("users")).toInt() + fx.value(QStringLiteral("chats")).toInt()
                        + fx.value(QStringLiteral("channels")).toInt()));
        // Refuses to overwrite without --force (exit 5), and the key never went to stdout.
        const CliRun again = runCli({QStringLiteral("vault"), QStringLiteral("export"), id, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"),
                                     QStringLiteral("-o"), out, QStringLiteral("--vault"), path});
        QCOMPARE(again.exitCode, 5);
        QVERIFY(!exp.out.contains(key.exposeUnsafeHex()));

        QCOMPARE(findKey(filesToScan(path), {key}), QString());

        QString vaultId;
        {
            auto db = SqliteDb::openReadOnly(path);
            QVERIFY(db.ok());
            auto q = (*db)->exec(QStringLiteral("SELECT value FROM meta WHERE key = 'vault_id'"));
            QVERIFY(q.ok() && q->next());
            vaultId = q->value(0).toString();
        }
        QCOMPARE(rawRead(vaultId + QLatin1Char('/') + id).error, int(QKeychain::NoError));
        const CliRun rm = runCli({QStringLiteral("vault"), QStringLiteral("remove"), id, QStringLiteral("--vault"), path});
        QVERIFY2(rm.exitCode == 0, rm.err.constData());
        QCOMPARE(rawRead(vaultId + QLatin1Char('/') + id).error, int(QKeychain::EntryNotFound));
        const CliRun empty = runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--vault"), path});
        QCOMPARE(empty.json().array().size(), 0);
    }

    void cliStringsAcrossFormatsAreOneAccount()
    {
        // Every string of one case holds the same key: the first import adds it, the others are
        // duplicates of it, and the account exports back to every string format.
        const QList<QByteArray> lines = readAll(dataPath(QStringLiteral("strings/cases.jsonl"))).split('\n');
        QVERIFY(lines.size() >= 2);
        int checkedCases = 0;
        for (int c = 0; c < 2; ++c) {
            const QJsonObject cs = QJsonDocument::fromJson(lines[c]).object();
            const QJsonObject strings = cs.value(QStringLiteral("strings")).toObject();
            const SecretBytes key = SecretBytes::fromByteArray(hexToBytes(cs.value(QStringLiteral("authKeyHex")).toString()));
            QVERIFY(!key.isEmpty());
            const QString path = m_dir.filePath(QStringLiteral("strings%1/vault.sqlite").arg(c));
            QString id;
            for (auto it = strings.begin(); it != strings.end(); ++it) {
                const CliRun r = runCli({QStringLiteral("vault"), QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("--vault"), path,
                                         QStringLiteral("--json")},
                                        it.value().toString().toLatin1() + '\n');
                QVERIFY2(r.exitCode == 0, qPrintable(it.key() + QStringLiteral(": ") + QString::fromUtf8(r.err)));
                const QJsonObject o = r.json().object();
                if (id.isEmpty()) {
                    id = o.value(QStringLiteral("id")).toString();
                    QVERIFY(!id.isEmpty());
                    QCOMPARE(o.value(QStringLiteral("format")).toString(), it.key());
                } else {
                    QCOMPARE(o.value(QStringLiteral("duplicate_of")).toString(), id);
                    QCOMPARE(o.value(QStringLiteral("added")).toInt(), 0);
                }
            }
            for (auto it = strings.begin(); it != strings.end(); ++it) {
                const CliRun e = runCli({QStringLiteral("vault"), QStringLiteral("export"), id, QStringLiteral("--to"), it.key(),
                                         QStringLiteral("--vault"), path});
                QVERIFY2(e.exitCode == 0, qPrintable(it.key() + QStringLiteral(": ") + QString::fromUtf8(e.err)));
                const Format *f = Registry::instance().find(it.key());
                auto back = f->read(Source::fromString(e.out.trimmed()), ReadOptions());
                QVERIFY2(back.ok(), qPrintable(it.key()));
                QVERIFY(back->accounts.front().primary()->authKey == key);
                QCOMPARE(back->accounts.front().dcId, cs.value(QStringLiteral("dc")).toInt());
            }
            const CliRun list = runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--vault"), path});
            QCOMPARE(list.json().array().size(), 1);
            QCOMPARE(findKey(filesToScan(path), {key}), QString());
            ++checkedCases;
        }
        QCOMPARE(checkedCases, 2);
    }

    void cliTdataImportsEveryAccount()
    {
        const Format *tdata = Registry::instance().find(QStringLiteral("tdata"));
        QVERIFY(tdata);
        Store st;
        st.formatId = QStringLiteral("tdata");
        for (int i = 0; i < 2; ++i) {
            Session s;
            s.dcId = 2 + i;
            s.userId = 700000001LL + i;
            DcAuth &d = s.upsertDc(2 + i);
            d.authKey = SecretBytes::random(256);
            st.accounts.push_back(s);
        }
        const QString dir = m_dir.filePath(QStringLiteral("tdata-two"));
        const Status w = tdata->write(st, dir, WriteOptions());
        QVERIFY2(w.ok(), qPrintable(w ? QString() : w.error().message));
        const QString path = m_dir.filePath(QStringLiteral("tdata/vault.sqlite"));
        const CliRun r = runCli({QStringLiteral("vault"), QStringLiteral("import"), dir, QStringLiteral("--vault"), path, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(QStringLiteral("added")).toInt(), 2);
        const QJsonArray items = r.json().object().value(QStringLiteral("accounts")).toArray();
        QCOMPARE(items.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const QString id = items[i].toObject().value(QStringLiteral("id")).toString();
            QCOMPARE(items[i].toObject().value(QStringLiteral("auth_key_id")).toString(), st.accounts[size_t(i)].primary()->authKeyId());
            const CliRun e = runCli({QStringLiteral("vault"), QStringLiteral("export"), id, QStringLiteral("--to"), QStringLiteral("telethon-string"),
                                     QStringLiteral("--vault"), path});
            QVERIFY2(e.exitCode == 0, e.err.constData());
            auto back = Registry::instance().find(QStringLiteral("telethon-string"))->read(Source::fromString(e.out.trimmed()), ReadOptions());
            QVERIFY(back.ok());
            QVERIFY(back->accounts.front().primary()->authKey == st.accounts[size_t(i)].primary()->authKey);
        }
        std::vector<SecretBytes> keys{st.accounts[0].primary()->authKey, st.accounts[1].primary()->authKey};
        QCOMPARE(findKey(filesToScan(path), keys), QString());

        // A passcode-protected tdata needs --passcode-file.
        const QJsonObject fx = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("tdata/passcode.json")))).object();
        const CliRun p = runCli({QStringLiteral("vault"), QStringLiteral("import"), dataPath(QStringLiteral("tdata/passcode")), QStringLiteral("--passcode-file"),
                                 dataPath(QStringLiteral("tdata/passcode.txt")), QStringLiteral("--vault"), path, QStringLiteral("--json")},
                                {}, 60000, {QStringLiteral("SESSIONDESK_PASSCODE")});
        QVERIFY2(p.exitCode == 0, p.err.constData());
        QCOMPARE(p.json().object().value(QStringLiteral("accounts")).toArray().first().toObject().value(QStringLiteral("auth_key_id")).toString(),
                 fx.value(QStringLiteral("authKeyId")).toString());
        const CliRun list = runCli({QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--vault"), path});
        QCOMPARE(list.json().array().size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestKeychainVault)
#include "tst_keychain_vault.moc"
