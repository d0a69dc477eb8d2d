// Truthful answers, through the CLI (docs/security.md, "Reading and process"): a key that is not
// 256 bytes is never written and is a high audit finding; a flag that does not apply is a usage
// error naming the flag meant; an audit of nothing exits 3; names from files reach the terminal
// with their control characters escaped and CSV cells are neutralised.
#include "testutil.h"

#include "format/registry.h"
#include "prune/prune.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sdtest;

namespace {

// Runs statements on a copy of a fixture (a test-side edit, the way a damaged or hostile file
// would look).
void execOn(const QString &path, const QList<QPair<QString, QVariantList>> &statements)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("edit"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        for (const auto &[sql, binds] : statements) {
            QSqlQuery q(db);
            QVERIFY(q.prepare(sql));
            for (const QVariant &b : binds)
                q.addBindValue(b);
            QVERIFY2(q.exec(), qPrintable(sql));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("edit"));
}

// The first writable format whose "carries" lacks capability (formats --json).
QString targetWithout(const QString &capability)
{
    const auto r = runCli({QStringLiteral("formats"), QStringLiteral("--json")});
    for (const QJsonValue &v : r.json().array()) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("write")).toBool() && !o.value(QStringLiteral("carries")).toArray().contains(capability)
            && o.value(QStringLiteral("id")).toString() != QLatin1String("tdata"))
            return o.value(QStringLiteral("id")).toString();
    }
    return {};
}

// A format that reads and writes as `inner` does, but (ShortKeyFormat) hands out every key one
// byte short, the way a lenient reader of a damaged store would; `wrote` says whether its writer ran.
class PassThroughFormat : public sd::Format {
public:
    explicit PassThroughFormat(const sd::Format &inner) : m_inner(inner) {}
    const sd::FormatDescriptor &descriptor() const override { return m_inner.descriptor(); }
    int detect(const sd::Probe &probe) const override { return m_inner.detect(probe); }
    sd::Result<sd::Store> read(const sd::Source &source, const sd::ReadOptions &options) const override { return m_inner.read(source, options); }
    sd::Status write(const sd::Store &store, const QString &path, const sd::WriteOptions &options) const override
    {
        wrote = true;
        return m_inner.write(store, path, options);
    }
    mutable bool wrote = false;

protected:
    const sd::Format &m_inner;
};

class ShortKeyFormat : public PassThroughFormat {
public:
    using PassThroughFormat::PassThroughFormat;
    sd::Result<sd::Store> read(const sd::Source &source, const sd::ReadOptions &options) const override
    {
        auto store = m_inner.read(source, options);
        if (store)
            for (sd::Session &s : store->accounts)
                for (sd::DcAuth &d : s.dcs)
                    if (!d.authKey.isEmpty())
                        d.authKey = sd::SecretBytes::fromByteArray(QByteArray(255, '\x5a'));
        return store;
    }
};

} // namespace

class TestTruthful : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void malformedKeyNeverWritten()
    {
        QTemporaryDir dir;
        const QString path = copyTo(dataPath(QStringLiteral("telethon/basic.session")), dir.path());
        execOn(path, {{QStringLiteral("UPDATE sessions SET auth_key = ?"), {QByteArray(255, '\x5a')}}});
        for (const QString &to : {QStringLiteral("telethon-sqlite"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("gotd-json")}) {
            const QString out = dir.filePath(QStringLiteral("out-") + to);
            auto r = runCli({QStringLiteral("convert"), path, QStringLiteral("--to"), to, QStringLiteral("-o"), out});
            QVERIFY2(r.exitCode == 3, qPrintable(to + QLatin1String(": ") + QString::fromUtf8(r.err)));
            QVERIFY2(r.err.contains("255 bytes, not 256"), r.err.constData());
            QVERIFY(!QFileInfo::exists(out));
        }
        auto s = runCli({QStringLiteral("convert"), path, QStringLiteral("--to"), QStringLiteral("telethon-string")});
        QCOMPARE(s.exitCode, 3);
        QVERIFY(s.out.trimmed().isEmpty());
        // A 257-byte key too; a 256-byte key converts.
        execOn(path, {{QStringLiteral("UPDATE sessions SET auth_key = ?"), {QByteArray(257, '\x5a')}}});
        QCOMPARE(runCli({QStringLiteral("convert"), path, QStringLiteral("--to"), QStringLiteral("telethon-string")}).exitCode, 3);
        execOn(path, {{QStringLiteral("UPDATE sessions SET auth_key = ?"), {QByteArray(256, '\x5a')}}});
        QCOMPARE(runCli({QStringLiteral("convert"), path, QStringLiteral("--to"), QStringLiteral("telethon-string")}).exitCode, 0);

        // Prune through the CLI: no reader of a store pruned in memory yields such a key (GramJS,
        // gotd and ferogram refuse it when reading), so it ends in exit 3 with the store unchanged
        // and no backup, dry run included.
        QTemporaryDir pdir;
        const QString store = copyTo(dataPath(QStringLiteral("gramjs/peers")), pdir.path());
        auto setKey = [&](int size) {
            QStringList bytes;
            for (int i = 0; i < size; ++i)
                bytes << QStringLiteral("90");
            QFile f(store + QStringLiteral("/peers%3AauthKey"));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QStringLiteral("{\"type\":\"Buffer\",\"data\":[%1]}").arg(bytes.join(QLatin1Char(','))).toUtf8());
        };
        setKey(255);
        const QByteArray before = treeSha256(store);
        for (const QStringList &extra : {QStringList{}, QStringList{QStringLiteral("--dry-run")}}) {
            auto pr = runCli(QStringList{QStringLiteral("prune"), store, QStringLiteral("--clear"), QStringLiteral("--format"), QStringLiteral("gramjs-store")}
                             + extra);
            QVERIFY2(pr.exitCode == 3, pr.err.constData());
            QVERIFY2(pr.err.contains("255 bytes"), pr.err.constData());
            QCOMPARE(treeSha256(store), before);
            QCOMPARE(QDir(pdir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{QStringLiteral("peers")});
        }

        // The prune engine's own check (pruneInMemory -> checkWritableKeys), for a reader that lets
        // such a key through: refused before the backup and before the writer runs.
        setKey(256);
        const QByteArray good = treeSha256(store);
        const sd::Format *gramjs = sd::Registry::instance().find(QStringLiteral("gramjs-store"));
        QVERIFY(gramjs);
        for (const bool dryRun : {false, true}) {
            const ShortKeyFormat shortKey(*gramjs);
            sd::PrunePolicy clear;
            clear.clearAll = true;
            sd::PruneOptions po;
            po.dryRun = dryRun;
            auto pr = sd::pruneInMemory(shortKey, store, clear, po);
            QVERIFY(!pr);
            QCOMPARE(pr.error().exitCode(), 3);
            QVERIFY2(pr.error().message.contains(QLatin1String("255 bytes, not 256")), qPrintable(pr.error().message));
            QVERIFY(!shortKey.wrote);
            QCOMPARE(treeSha256(store), good);
            QCOMPARE(QDir(pdir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{QStringLiteral("peers")});
        }
        // Control: with the key left as read, the same call prunes (and writes a backup).
        const PassThroughFormat same(*gramjs);
        sd::PrunePolicy clear;
        clear.clearAll = true;
        auto pok = sd::pruneInMemory(same, store, clear, {});
        QVERIFY2(pok, pok ? "" : qPrintable(pok.error().message));
        QVERIFY(!pok->backup.isEmpty() && QFileInfo::exists(pok->backup));
        QVERIFY(!QFileInfo::exists(store + QStringLiteral("/peers%3A12345")));
    }

    void auditFindsMalformedKey()
    {
        QTemporaryDir dir;
        const QString path = copyTo(dataPath(QStringLiteral("telethon/basic.session")), dir.path());
        execOn(path, {{QStringLiteral("UPDATE sessions SET auth_key = ?"), {QByteArray(200, '\x33')}}});
        auto r = runCli({QStringLiteral("audit"), path, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1); // --fail-on high by default
        bool found = false;
        for (const QJsonValue &f : r.json().object().value(QStringLiteral("findings")).toArray()) {
            const QJsonObject o = f.toObject();
            if (o.value(QStringLiteral("rule")).toString() == QLatin1String("malformed-auth-key")) {
                found = true;
                QCOMPARE(o.value(QStringLiteral("severity")).toString(), QStringLiteral("high"));
                QVERIFY(o.value(QStringLiteral("message")).toString().contains(QLatin1String("200 bytes")));
            }
        }
        QVERIFY2(found, r.out.constData());
        // The untouched fixture has no such finding.
        auto clean = runCli({QStringLiteral("audit"), dataPath(QStringLiteral("telethon/basic.session")), QStringLiteral("--json")});
        QVERIFY(!clean.out.contains("malformed-auth-key"));
    }

    void flagsThatDoNotApplyAreUsageErrors()
    {
        QTemporaryDir dir;
        const QString pf = dir.filePath(QStringLiteral("pass.txt"));
        {
            QFile f(pf);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("secret\n");
        }
        const QString session = dataPath(QStringLiteral("telethon/basic.session"));
        const QString out = dir.filePath(QStringLiteral("out"));
        const QString noApi = targetWithout(QStringLiteral("api_id"));
        const QString noUser = targetWithout(QStringLiteral("user_id"));
        const QString noMulti = targetWithout(QStringLiteral("multi_account"));
        const QString noPeers = targetWithout(QStringLiteral("peers"));
        QVERIFY(!noApi.isEmpty() && !noUser.isEmpty() && !noMulti.isEmpty() && !noPeers.isEmpty());
        // A folder of sessions (batch convert), none of which takes a passcode.
        const QString batch = dir.filePath(QStringLiteral("batch"));
        QVERIFY(QDir().mkdir(batch));
        copyTo(session, batch);
        copyTo(dataPath(QStringLiteral("pyrogram/pyrogram-v2.session")), batch);
        QCOMPARE(QDir(batch).entryList(QDir::Files).size(), 2);
        struct Case {
            QStringList args;
            QByteArray mentions;
        };
        const QList<Case> cases{
            {{QStringLiteral("convert"), session, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), out, QStringLiteral("--passcode-file"), pf},
             "--new-passcode-file"},
            {{QStringLiteral("convert"), session, QStringLiteral("--to"), QStringLiteral("telethon-string"), QStringLiteral("--passcode-file"), pf},
             "needs no passcode"},
            {{QStringLiteral("convert"), session, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), out,
              QStringLiteral("--new-passcode-file"), pf},
             "--new-passcode-file"},
            {{QStringLiteral("convert"), session, QStringLiteral("--to"), noApi, QStringLiteral("-o"), out, QStringLiteral("--api-id"), QStringLiteral("5")},
             "--api-id"},
            {{QStringLiteral("convert"), session, QStringLiteral("--to"), noUser, QStringLiteral("-o"), out, QStringLiteral("--user-id"), QStringLiteral("5")},
             "--user-id"},
            {{QStringLiteral("convert"), session, QStringLiteral("--to"), noMulti, QStringLiteral("-o"), out, QStringLiteral("--all-accounts")},
             "--all-accounts"},
            {{QStringLiteral("convert"), session, QStringLiteral("--to"), QStringLiteral("telethon-string"), QStringLiteral("--key"), QStringLiteral("data")},
             "--key"},
            {{QStringLiteral("inspect"), session, QStringLiteral("--passcode-file"), pf}, "needs no passcode"},
            {{QStringLiteral("peers"), session, QStringLiteral("--passcode-file"), pf}, "needs no passcode"},
            {{QStringLiteral("convert"), session, QStringLiteral("--to"), noPeers, QStringLiteral("-o"), out, QStringLiteral("--no-peers")}, "--no-peers"},
            // Batch convert checks its inputs the same way (before it writes anything).
            {{QStringLiteral("convert"), batch, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), out, QStringLiteral("--passcode-file"), pf},
             "--passcode-file: no source in the folder needs a passcode"},
            {{QStringLiteral("convert"), batch, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), out, QStringLiteral("--passcode-file"), pf},
             "--new-passcode-file"},
            {{QStringLiteral("convert"), batch, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), out, QStringLiteral("--key"),
              QStringLiteral("data")},
             "--key"},
            {{QStringLiteral("convert"), batch, QStringLiteral("--to"), noPeers, QStringLiteral("-o"), out, QStringLiteral("--no-peers")}, "--no-peers"},
        };
        for (const Case &c : cases) {
            auto r = runCli(c.args);
            QVERIFY2(r.exitCode == 2, qPrintable(c.args.join(QLatin1Char(' ')) + QLatin1String(": ") + QString::fromUtf8(r.err)));
            QVERIFY2(r.err.contains(c.mentions), r.err.constData());
            QVERIFY(!QFileInfo::exists(out));
        }
        // Where they apply, they are accepted: a tdata source with its passcode file.
        const QString tpf = dir.filePath(QStringLiteral("tpass.txt"));
        QVERIFY(QFile::copy(dataPath(QStringLiteral("tdata/passcode.txt")), tpf));
        auto ok = runCli({QStringLiteral("inspect"), dataPath(QStringLiteral("tdata/passcode")), QStringLiteral("--passcode-file"), tpf});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        // A batch with one input that takes it: the passcode opens that input, the others convert too.
        copyTo(dataPath(QStringLiteral("tdata/passcode")), batch);
        auto okBatch = runCli({QStringLiteral("convert"), batch, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), out,
                               QStringLiteral("--passcode-file"), tpf, QStringLiteral("--json")});
        QVERIFY2(okBatch.exitCode == 0, okBatch.err.constData());
        QCOMPARE(okBatch.json().object().value(QStringLiteral("converted")).toInt(), 3);
    }

    void auditOfNothingExits3()
    {
        QTemporaryDir dir;
        auto none = runCli({QStringLiteral("audit"), dir.filePath(QStringLiteral("nope")), dir.filePath(QStringLiteral("nada"))});
        QCOMPARE(none.exitCode, 3);
        QVERIFY(none.err.contains("nope") && none.err.contains("nada") && none.err.contains("no such file"));
        QCOMPARE(runCli({QStringLiteral("audit"), dir.filePath(QStringLiteral("nope")), QStringLiteral("--json")}).exitCode, 3);
        // One existing path among missing ones: an audit (the missing ones are reported as skipped).
        auto some = runCli({QStringLiteral("audit"), dir.filePath(QStringLiteral("nope")), dir.path()});
        QCOMPARE(some.exitCode, 0);
        QVERIFY(some.out.contains("skipped"));
    }

    void namesAreEscapedAndCsvNeutralised()
    {
        QTemporaryDir dir;
        const QString path = copyTo(dataPath(QStringLiteral("telethon/basic.session")), dir.path());
        const QString evilUser = QStringLiteral("ev\x1b[2Jil\rname");
        const QString evilName = QStringLiteral("=cmd|' /C calc'!A0");
        execOn(path, {{QStringLiteral("INSERT INTO entities VALUES (424242, 1, ?, NULL, ?, 1700000000)"), {evilUser, evilName}},
                      {QStringLiteral("INSERT INTO entities VALUES (434343, 2, 'plain', NULL, ?, 1700000000)"),
                       {QString(QStringLiteral("@SUM(1+1)\x7f") + QChar(0x9b))}},
                      {QStringLiteral("INSERT INTO entities VALUES (444444, 3, 'plus', NULL, ?, 1700000000)"), {QStringLiteral("+SUM(A1:A9)")}},
                      {QStringLiteral("INSERT INTO entities VALUES (454545, 4, ?, NULL, ?, 1700000000)"),
                       {QStringLiteral("-minus"), QStringLiteral("-2+3+cmd|' /C calc'!A0")}}});
        auto human = runCli({QStringLiteral("peers"), path, QStringLiteral("--search"), QStringLiteral("4")});
        QCOMPARE(human.exitCode, 0);
        QVERIFY(!human.out.contains('\x1b'));
        QVERIFY(!human.out.contains('\r'));
        QVERIFY(!human.out.contains('\x7f'));
        QVERIFY(!human.out.contains("\xc2\x9b"));
        QVERIFY(human.out.contains("ev\\x1b[2Jil\\x0dname"));
        QVERIFY(human.out.contains("\\x7f\\u{009b}"));

        auto csv = runCli({QStringLiteral("peers"), path, QStringLiteral("--csv")});
        QCOMPARE(csv.exitCode, 0);
        const QString text = QString::fromUtf8(csv.out);
        // \r only inside a quoted cell; formula prefixes neutralised.
        QVERIFY(text.contains(QStringLiteral(",\"ev\x1b[2Jil\rname\",")));
        QVERIFY(text.contains(QStringLiteral(",'=cmd|' /C calc'!A0,")));
        QVERIFY(text.contains(QStringLiteral(",'@SUM(1+1)")));
        QVERIFY(!text.contains(QStringLiteral(",=cmd")));
        // A leading + or - is a formula too (in the name and in the username column).
        QVERIFY2(text.contains(QStringLiteral(",'+SUM(A1:A9)")), csv.out.constData());
        QVERIFY2(text.contains(QStringLiteral(",'-2+3+cmd|' /C calc'!A0")), csv.out.constData());
        QVERIFY2(text.contains(QStringLiteral(",'-minus,")), csv.out.constData());
        QVERIFY(!text.contains(QStringLiteral(",+SUM")));
        QVERIFY(!text.contains(QStringLiteral(",-2+3")));
        QVERIFY(!text.contains(QStringLiteral(",-minus")));
        // Numbers are no text: a channel's negative marked id stays a number.
        QVERIFY(text.contains(QStringLiteral("\n-100")) || text.contains(QStringLiteral(",-100")));

        // The JSON keeps the exact bytes (a machine reader gets the truth).
        auto json = runCli({QStringLiteral("peers"), path, QStringLiteral("--json"), QStringLiteral("--search"), QStringLiteral("424242")});
        QCOMPARE(json.json().array().first().toObject().value(QStringLiteral("username")).toString(), evilUser);

        // A path with an escape sequence in an error line is escaped too.
        const QString evilPath = dir.filePath(QStringLiteral("bad\x1b]0;title\x07.session"));
        auto err = runCli({QStringLiteral("inspect"), evilPath});
        QCOMPARE(err.exitCode, 3);
        QVERIFY(!err.err.contains('\x1b') && !err.err.contains('\x07'));
        QVERIFY(err.err.contains("bad\\x1b]0;title\\x07.session"));
    }
};

QTEST_GUILESS_MAIN(TestTruthful)
#include "tst_truthful.moc"
