// Audit fixes (core/audit/fix, `audit --fix`): every action is applied to a real tree and the disk
// is checked afterwards (modes, files gone or rewritten, backups, the vault's copy of each key).
#include "testutil.h"

#include "audit/audit.h"
#include "audit/fix.h"
#include "io/lockprobe.h"
#include "domain/secretbytes.h"
#include "format/registry.h"
#include "secrets/memorysecretstore.h"
#include "vault/vault.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>

using namespace sdtest;

namespace {

sd::Session account(const sd::SecretBytes &key) { return sampleAccount(key, 777000123); }

void writeSessionFile(const QString &path, const sd::SecretBytes &key, int mode = 0600)
{
    sd::Store st;
    st.formatId = QStringLiteral("telethon-sqlite");
    st.accounts.push_back(account(key));
    const auto w = sd::Registry::instance().find(QStringLiteral("telethon-sqlite"))->write(st, path, sd::WriteOptions{});
    QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().message));
    QVERIFY(::chmod(QFile::encodeName(path).constData(), static_cast<mode_t>(mode)) == 0);
}

QByteArray sessionString(const QString &formatId, const sd::SecretBytes &key)
{
    auto r = sd::Registry::instance().find(formatId)->encodeString(account(key), sd::WriteOptions{});
    return r ? *r : QByteArray();
}

void writeText(const QString &path, const QByteArray &data, int mode = 0600)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
    f.close();
    QVERIFY(::chmod(QFile::encodeName(path).constData(), static_cast<mode_t>(mode)) == 0);
}

sd::AuditReport audit(const QString &root)
{
    sd::AuditOptions o;
    o.recursive = true;
    return sd::runAudit({root}, o);
}

// The vault's copy of the account holding keyId equals key, byte for byte.
bool vaultHolds(sd::Vault &v, const QString &keyId, const sd::SecretBytes &key)
{
    auto id = v.findByAuthKeyId(keyId);
    if (!id || id->isEmpty())
        return false;
    auto s = v.loadSession(*id);
    if (!s)
        return false;
    for (const sd::DcAuth &d : s->dcs)
        if (d.authKey == key)
            return true;
    return false;
}

} // namespace

class TestAuditFix : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_root;
    std::unique_ptr<sd::MemorySecretStore> m_secrets;
    std::unique_ptr<sd::Vault> m_vault;

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_tmp.isValid());
        m_root = m_tmp.path() + QStringLiteral("/") + QString::fromLatin1(QTest::currentTestFunction());
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/tree")));
        m_secrets = std::make_unique<sd::MemorySecretStore>();
        auto v = sd::Vault::open(m_root + QStringLiteral("/vault.sqlite"), *m_secrets, true);
        QVERIFY2(v.ok(), v.ok() ? "" : qPrintable(v.error().message));
        m_vault = std::move(*v);
    }
    void cleanup()
    {
        m_vault.reset();
        m_secrets.reset();
    }

    void restrictPermissions()
    {
        const QString tree = m_root + QStringLiteral("/tree");
        const QString file = tree + QStringLiteral("/open.session");
        writeSessionFile(file, sd::SecretBytes::random(256), 0644);
        const QByteArray before = fileSha256(file);
        const sd::AuditReport r = audit(tree);
        sd::FixPlanOptions fo;
        fo.rules = {QStringLiteral("world-readable")};
        auto plan = sd::planFixes(r, fo);
        QVERIFY(plan.ok());
        QCOMPARE(plan->size(), size_t(1));
        QCOMPARE(plan->front().kind, sd::FixKind::RestrictMode);
        QVERIFY(plan->front().describe().contains(QStringLiteral("0644 -> 0600")));
        sd::FixContext ctx;
        auto res = sd::applyFix(plan->front(), ctx);
        QVERIFY2(res.ok(), res.ok() ? "" : qPrintable(res.error().message));
        QCOMPARE(fileMode(file), 0600);
        QCOMPARE(fileSha256(file), before); // content untouched
        // Audited again: nothing left to restrict.
        QVERIFY(sd::planFixes(audit(tree), fo)->empty());
    }

    void restrictFolderPermissions()
    {
        const QString store = copyTo(dataPath(QStringLiteral("gramjs/store")), m_root + QStringLiteral("/tree"));
        QVERIFY(::chmod(QFile::encodeName(store).constData(), 0755) == 0);
        const sd::AuditReport r = audit(m_root + QStringLiteral("/tree"));
        sd::FixPlanOptions fo;
        fo.rules = {QStringLiteral("world-readable")};
        auto plan = sd::planFixes(r, fo);
        QVERIFY(plan.ok());
        QCOMPARE(plan->size(), size_t(1));
        QVERIFY(plan->front().isDir);
        sd::FixContext ctx;
        QVERIFY(sd::applyFix(plan->front(), ctx).ok());
        QCOMPARE(fileMode(store), 0700);
    }

    void moveSessionFileToVault()
    {
        const QString file = m_root + QStringLiteral("/tree/bot.session");
        const auto key = sd::SecretBytes::random(256);
        writeSessionFile(file, key, 0644);
        writeText(file + QStringLiteral("-journal"), QByteArray()); // a side file goes with it
        const sd::AuditReport r = audit(m_root + QStringLiteral("/tree"));
        QVERIFY(!r.findings.empty());
        const auto actions = sd::fixesForFinding(r.findings.front(), r);
        const sd::FixAction *move = nullptr;
        for (const auto &a : actions)
            if (a.kind == sd::FixKind::MoveToVault)
                move = &a;
        QVERIFY(move);
        QVERIFY(move->describe().contains(QStringLiteral("then delete")));
        sd::FixContext ctx;
        ctx.vault = m_vault.get();
        auto res = sd::applyFix(*move, ctx);
        QVERIFY2(res.ok(), res.ok() ? "" : qPrintable(res.error().message));
        QVERIFY(!QFile::exists(file));
        QVERIFY(!QFile::exists(file + QStringLiteral("-journal")));
        QCOMPARE(res->vaultIds.size(), 1);
        QVERIFY(vaultHolds(*m_vault, sd::authKeyId(key), key));
    }

    void vaultFailureKeepsTheFile()
    {
        const QString file = m_root + QStringLiteral("/tree/keep.session");
        const auto key = sd::SecretBytes::random(256);
        writeSessionFile(file, key, 0644);
        const QByteArray before = fileSha256(file);
        const sd::AuditReport r = audit(m_root + QStringLiteral("/tree"));
        sd::FixAction move;
        for (const auto &a : sd::fixesForFinding(r.findings.front(), r))
            if (a.kind == sd::FixKind::MoveToVault)
                move = a;
        QCOMPARE(move.kind, sd::FixKind::MoveToVault);
        m_secrets->setWriteFailure(QStringLiteral("keychain locked"));
        sd::FixContext ctx;
        ctx.vault = m_vault.get();
        auto res = sd::applyFix(move, ctx);
        QVERIFY(!res.ok());
        QCOMPARE(fileSha256(file), before);
        QVERIFY(m_vault->list()->empty());
        // Without a vault at all the action refuses too.
        sd::FixContext none;
        QCOMPARE(sd::applyFix(move, none).error().kind, sd::ErrorKind::Secret);
        QCOMPARE(fileSha256(file), before);
    }

    void stringInTextFileIsMovedAndTheLineRemoved()
    {
        const QString env = m_root + QStringLiteral("/tree/.env");
        const auto key = sd::SecretBytes::random(256);
        const QByteArray str = sessionString(QStringLiteral("telethon-string"), key);
        QVERIFY(!str.isEmpty());
        const QByteArray original = "API_ID=12345\r\nSESSION=" + str + "\r\nDEBUG=1\n";
        writeText(env, original, 0644);
        const sd::AuditReport r = audit(m_root + QStringLiteral("/tree"));
        sd::FixPlanOptions fo;
        fo.rules = {QStringLiteral("string-in-text-file")};
        auto plan = sd::planFixes(r, fo);
        QVERIFY(plan.ok());
        QCOMPARE(plan->size(), size_t(1));
        QCOMPARE(plan->front().lines, QList<int>{2});
        QVERIFY(plan->front().describe().contains(QStringLiteral("line 2")));
        sd::FixContext ctx;
        ctx.vault = m_vault.get();
        ctx.now = 1700000000;
        auto res = sd::applyFix(plan->front(), ctx);
        QVERIFY2(res.ok(), res.ok() ? "" : qPrintable(res.error().message));
        QCOMPARE(readAll(env), QByteArray("API_ID=12345\r\nDEBUG=1\n"));
        QCOMPARE(fileMode(env), 0600);
        QCOMPARE(res->backup, env + QStringLiteral(".sessiondesk-backup-20231114-221320"));
        QCOMPARE(readAll(res->backup), original);
        QCOMPARE(fileMode(res->backup), 0600);
        QVERIFY(vaultHolds(*m_vault, sd::authKeyId(key), key));
        // The same fix again: the string is gone, so it refuses and changes nothing.
        QVERIFY(!sd::applyFix(plan->front(), ctx).ok());
        QCOMPARE(readAll(env), QByteArray("API_ID=12345\r\nDEBUG=1\n"));
    }

    void backupIsNeverOverwritten()
    {
        const QString txt = m_root + QStringLiteral("/tree/a.txt");
        writeText(txt, "one\ntwo\nthree");
        const QString backup = sd::textBackupPath(txt, 1700000000);
        writeText(backup, "older backup");
        QVERIFY(!sd::rewriteWithoutLines(txt, {2}, backup).ok());
        QCOMPARE(readAll(txt), QByteArray("one\ntwo\nthree"));
        QCOMPARE(readAll(backup), QByteArray("older backup"));
        QVERIFY(sd::rewriteWithoutLines(txt, {3}, backup + QStringLiteral("x")).ok());
        QCOMPARE(readAll(txt), QByteArray("one\ntwo\n"));
        QVERIFY(!sd::rewriteWithoutLines(txt, {9}, backup + QStringLiteral("y")).ok());
        QVERIFY(!QFile::exists(backup + QStringLiteral("y")));
    }

    void heldFileIsNotTouched()
    {
        const QString file = m_root + QStringLiteral("/tree/held.session");
        const auto key = sd::SecretBytes::random(256);
        writeSessionFile(file, key, 0644);
        const QByteArray before = fileSha256(file);
        // A client holding flock(LOCK_EX) on the file, in another process.
        QProcess holder;
        holder.start(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral(
            "import fcntl,sys\nf=open(sys.argv[1],'rb')\nfcntl.flock(f,fcntl.LOCK_EX)\nprint('held',flush=True)\nsys.stdin.read()\n"), file});
        QVERIFY(holder.waitForStarted());
        QVERIFY(holder.waitForReadyRead(10000));
        QCOMPARE(holder.readLine().trimmed(), QByteArray("held"));
        const qint64 holderPid = holder.processId();
        const auto lock = sd::fileLockHolder(file);
        QVERIFY(lock.has_value());
        QCOMPARE(lock->pid, holderPid);

        const sd::AuditReport r = audit(m_root + QStringLiteral("/tree"));
        sd::FixAction move;
        for (const auto &a : sd::fixesForFinding(r.findings.front(), r))
            if (a.kind == sd::FixKind::MoveToVault)
                move = a;
        sd::FixContext ctx;
        ctx.vault = m_vault.get();
        auto res = sd::applyFix(move, ctx);
        holder.closeWriteChannel();
        QVERIFY(holder.waitForFinished(10000));
        QVERIFY(!res.ok());
        QCOMPARE(res.error().kind, sd::ErrorKind::Output);
        QVERIFY2(res.error().message.contains(QStringLiteral("process %1").arg(holderPid)), qPrintable(res.error().message));
        QCOMPARE(fileSha256(file), before);
        QVERIFY(m_vault->list()->empty());
        QVERIFY(!sd::fileLockHolder(file).has_value());
    }

    void duplicatesKeepOne()
    {
        const QString tree = m_root + QStringLiteral("/tree");
        const auto key = sd::SecretBytes::random(256);
        const QString id = sd::authKeyId(key);
        writeSessionFile(tree + QStringLiteral("/a.session"), key);
        writeSessionFile(tree + QStringLiteral("/b.session"), key);
        writeText(tree + QStringLiteral("/config.yaml"), "name: bot\nsession: " + sessionString(QStringLiteral("pyrogram-string"), key) + "\nlog: info\n");
        const sd::AuditReport r = audit(tree);
        const auto places = sd::placesHoldingKey(r, id);
        QCOMPARE(places.size(), size_t(3));

        sd::FixPlanOptions fo;
        fo.rules = {QStringLiteral("duplicate-auth-key")};
        fo.keep = tree + QStringLiteral("/b.session");
        auto plan = sd::planFixes(r, fo);
        QVERIFY(plan.ok());
        QCOMPARE(plan->size(), size_t(2));
        for (const auto &a : *plan) {
            QCOMPARE(a.kind, sd::FixKind::MoveToVault);
            QCOMPARE(a.keptPlace, fo.keep);
        }
        sd::FixContext ctx;
        ctx.vault = m_vault.get();
        for (const auto &a : *plan) {
            auto res = sd::applyFix(a, ctx);
            QVERIFY2(res.ok(), res.ok() ? "" : qPrintable(res.error().message));
        }
        QVERIFY(!QFile::exists(tree + QStringLiteral("/a.session")));
        QVERIFY(QFile::exists(tree + QStringLiteral("/b.session")));
        QCOMPARE(readAll(tree + QStringLiteral("/config.yaml")), QByteArray("name: bot\nlog: info\n"));
        QVERIFY(vaultHolds(*m_vault, id, key));
        QCOMPARE(m_vault->list()->size(), size_t(1)); // one key, one vault account
        // Only the 0600 backup of config.yaml still holds the string (kept on purpose, and reported).
        const sd::AuditReport after = audit(tree);
        QStringList dupPlaces;
        for (const sd::Finding &f : after.findings)
            if (f.rule == QLatin1String("duplicate-auth-key"))
                dupPlaces << QFileInfo(f.path).fileName();
        dupPlaces.sort();
        QCOMPARE(dupPlaces.size(), 2);
        QCOMPARE(dupPlaces.at(0), QStringLiteral("b.session"));
        QVERIFY(dupPlaces.at(1).startsWith(QStringLiteral("config.yaml.sessiondesk-backup-")));
        QCOMPARE(fileMode(tree + QLatin1Char('/') + dupPlaces.at(1)), 0600);

        // A --keep that holds no duplicate is a usage error.
        fo.keep = tree + QStringLiteral("/nothing.session");
        QCOMPARE(sd::planFixes(r, fo).error().kind, sd::ErrorKind::Usage);
        fo.rules = {QStringLiteral("stale")};
        fo.keep.clear();
        QCOMPARE(sd::planFixes(r, fo).error().kind, sd::ErrorKind::Usage);
    }

    void duplicatesDeletedOnlyWhileTheKeptPlaceHoldsTheKey()
    {
        const QString tree = m_root + QStringLiteral("/tree");
        const auto key = sd::SecretBytes::random(256);
        writeSessionFile(tree + QStringLiteral("/a.session"), key);
        writeSessionFile(tree + QStringLiteral("/b.session"), key);
        const sd::AuditReport r = audit(tree);
        sd::FixPlanOptions fo;
        fo.rules = {QStringLiteral("duplicate-auth-key")};
        fo.deleteDuplicates = true;
        auto plan = sd::planFixes(r, fo);
        QVERIFY(plan.ok());
        QCOMPARE(plan->size(), size_t(1));
        QCOMPARE(plan->front().kind, sd::FixKind::RemoveDuplicate);
        QCOMPARE(plan->front().keptPlace, tree + QStringLiteral("/a.session")); // the first file is kept by default
        // The kept copy disappeared since the audit: the other copy must stay.
        QVERIFY(QFile::rename(tree + QStringLiteral("/a.session"), m_root + QStringLiteral("/moved.session")));
        sd::FixContext ctx;
        QVERIFY(!sd::applyFix(plan->front(), ctx).ok());
        QVERIFY(QFile::exists(tree + QStringLiteral("/b.session")));
        QVERIFY(QFile::rename(m_root + QStringLiteral("/moved.session"), tree + QStringLiteral("/a.session")));
        QVERIFY(sd::applyFix(plan->front(), ctx).ok());
        QVERIFY(!QFile::exists(tree + QStringLiteral("/b.session")));
        QVERIFY(QFile::exists(tree + QStringLiteral("/a.session")));
    }

    void cliDryRunThenFix()
    {
        const QString tree = m_root + QStringLiteral("/tree");
        const QString file = tree + QStringLiteral("/open.session");
        writeSessionFile(file, sd::SecretBytes::random(256), 0644);
        const QString env = tree + QStringLiteral("/.env");
        const QByteArray envText = "S=" + sessionString(QStringLiteral("telethon-string"), sd::SecretBytes::random(256)) + "\n";
        writeText(env, envText);
        const QByteArray before = treeSha256(tree);
        const QString vault = m_root + QStringLiteral("/cli-vault.sqlite");

        CliRun dry = runCli({QStringLiteral("audit"), tree, QStringLiteral("--fix"), QStringLiteral("all"), QStringLiteral("--dry-run"),
                             QStringLiteral("--vault"), vault, QStringLiteral("--json")});
        QVERIFY2(dry.exitCode == 0, dry.err.constData());
        const QJsonObject doc = dry.json().object();
        QCOMPARE(doc.value(QStringLiteral("dry_run")).toBool(), true);
        const QJsonArray fixes = doc.value(QStringLiteral("fixes")).toArray();
        QCOMPARE(fixes.size(), 2);
        QCOMPARE(fixes.at(0).toObject().value(QStringLiteral("action")).toString(), QStringLiteral("restrict-permissions"));
        QCOMPARE(fixes.at(1).toObject().value(QStringLiteral("action")).toString(), QStringLiteral("move-to-vault"));
        QVERIFY(fixes.at(1).toObject().value(QStringLiteral("description")).toString().contains(vault));
        // Each entry has exactly the keys docs/cli.md ("audit") lists for a planned change.
        const QList<QSet<QString>> planned = documentedJsonKeys(QStringLiteral("docs/cli.md"), QStringLiteral("one entry a change:"),
                                                                QStringLiteral("a change that was"));
        QCOMPARE(planned.size(), 1);
        QVERIFY(planned.front().contains(QStringLiteral("kept_place")));
        for (const QJsonValue &f : fixes)
            QCOMPARE(keySet(f.toObject()), planned.front());
        QCOMPARE(treeSha256(tree), before);
        QCOMPARE(fileMode(file), 0644);
        QVERIFY(!QFile::exists(vault));

        // Human dry run says the same.
        CliRun text = runCli({QStringLiteral("audit"), tree, QStringLiteral("--fix"), QStringLiteral("world-readable"), QStringLiteral("--dry-run")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(QByteArray("would chmod " + file.toUtf8() + ": mode 0644 -> 0600")), text.out.constData());

        // Removing plaintext without --yes and without a terminal: usage error, nothing changed.
        CliRun noYes = runCli({QStringLiteral("audit"), tree, QStringLiteral("--fix"), QStringLiteral("string-in-text-file"),
                               QStringLiteral("--vault"), vault});
        QCOMPARE(noYes.exitCode, 2);
        QCOMPARE(readAll(env), envText);

        // Flags that only apply with --fix, and unknown rules.
        QCOMPARE(runCli({QStringLiteral("audit"), tree, QStringLiteral("--dry-run")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("audit"), tree, QStringLiteral("--fix"), QStringLiteral("stale")}).exitCode, 2);

        // Permissions need no vault and no confirmation.
        CliRun fix = runCli({QStringLiteral("audit"), tree, QStringLiteral("--fix"), QStringLiteral("world-readable"), QStringLiteral("--json")});
        QVERIFY2(fix.exitCode == 0, fix.err.constData());
        QCOMPARE(fix.json().object().value(QStringLiteral("fixes")).toArray().at(0).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("done"));
        // A change that was made: the planned keys and those docs/cli.md lists for a made one.
        const QList<QSet<QString>> made = documentedJsonKeys(QStringLiteral("docs/cli.md"), QStringLiteral("made adds"),
                                                             QStringLiteral("one that failed"));
        QCOMPARE(made.size(), 1);
        QVERIFY(made.front().contains(QStringLiteral("vault_ids")));
        QCOMPARE(keySet(fix.json().object().value(QStringLiteral("fixes")).toArray().at(0).toObject()), planned.front() | made.front());
        QCOMPARE(fileMode(file), 0600);
        QCOMPARE(readAll(env), envText);
    }
};

QTEST_GUILESS_MAIN(TestAuditFix)
#include "tst_auditfix.moc"
