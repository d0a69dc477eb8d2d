// "Never an input" (docs/security.md, "Writing"): every spelling of output = input is refused
// with exit 5, even with --force, and the input stays byte-identical. Through the CLI.
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace sdtest;

class TstSafewriteInput : public QObject {
    Q_OBJECT

    static QString session(const QString &dir, const QString &name)
    {
        const QString p = dir + QLatin1Char('/') + name;
        QFile::copy(dataPath(QStringLiteral("telethon/basic.session")), p);
        QFile::setPermissions(p, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        return p;
    }

    static void expectRefused(const QStringList &args, const QString &input)
    {
        const QByteArray before = treeSha256(input);
        QVERIFY(!before.isEmpty());
        const CliRun r = runCli(args);
        QVERIFY2(r.exitCode == 5, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(" -> exit %1: ").arg(r.exitCode) + QString::fromUtf8(r.err)));
        QVERIFY2(r.err.contains("input"), r.err.constData());
        QCOMPARE(treeSha256(input), before);
    }

private Q_SLOTS:
    void fileSpellings()
    {
        QTemporaryDir d;
        const QString a = session(d.path(), QStringLiteral("a.session"));
        QVERIFY(QFile::link(a, d.filePath(QStringLiteral("link.session"))));
        QVERIFY(::link(QFile::encodeName(a).constData(), QFile::encodeName(d.filePath(QStringLiteral("hard.session"))).constData()) == 0);
        QVERIFY(QDir().mkdir(d.filePath(QStringLiteral("sub"))));
        const QString cwd = QDir::currentPath();
        QVERIFY(QDir::setCurrent(d.path())); // the CLI inherits the working folder: ./a.session
        const QStringList spellings = {a, QStringLiteral("./a.session"), QStringLiteral("a.session"), d.filePath(QStringLiteral("sub/../a.session")),
                                       d.filePath(QStringLiteral("link.session")), d.filePath(QStringLiteral("hard.session"))};
        for (const QString &out : spellings) {
            for (const QString &to : {QStringLiteral("telethon-sqlite"), QStringLiteral("pyrogram-sqlite"), QStringLiteral("telethon-string")}) {
                const QStringList extra = to == QLatin1String("pyrogram-sqlite")
                                              ? QStringList{QStringLiteral("--api-id"), QStringLiteral("1"), QStringLiteral("--user-id"), QStringLiteral("1")}
                                              : QStringList{};
                expectRefused(QStringList{QStringLiteral("convert"), a, QStringLiteral("--to"), to, QStringLiteral("-o"), out, QStringLiteral("--force")} + extra, a);
                // The same when the input is given through the other spelling.
                expectRefused(QStringList{QStringLiteral("convert"), out, QStringLiteral("--to"), to, QStringLiteral("-o"), a, QStringLiteral("--force")} + extra, a);
            }
        }
        QVERIFY(QDir::setCurrent(cwd));
        QVERIFY(QFileInfo(d.filePath(QStringLiteral("link.session"))).isSymLink());
        // No staging or temporary file left next to the input.
        QCOMPARE(QDir(d.path()).entryList(QDir::Hidden | QDir::AllEntries | QDir::NoDotAndDotDot).filter(QStringLiteral(".sd")).size(), 0);
    }

    void folderContainingTheInput()
    {
        // A folder target that contains the input would be replaced together with it.
        QTemporaryDir d;
        const QString a = session(d.path(), QStringLiteral("a.session"));
        expectRefused({QStringLiteral("convert"), a, QStringLiteral("--to"), QStringLiteral("tdata"), QStringLiteral("-o"), d.path(), QStringLiteral("--force")}, a);
        expectRefused({QStringLiteral("convert"), a, QStringLiteral("--to"), QStringLiteral("gramjs-store"), QStringLiteral("-o"), d.path(), QStringLiteral("--force")}, a);
        // A folder source converted into itself.
        const QString store = copyTo(dataPath(QStringLiteral("gramjs/store")), d.path());
        expectRefused({QStringLiteral("convert"), store, QStringLiteral("--to"), QStringLiteral("gramjs-store"), QStringLiteral("-o"), store + QStringLiteral("/."), QStringLiteral("--force")}, store);
    }

    void fileInsideFolderInput()
    {
        // A file output inside a folder input would replace (or add) a file of that input: refused
        // whatever the spelling, even with --force, before any byte is written.
        QTemporaryDir d;
        const QString tdata = copyTo(dataPath(QStringLiteral("tdata/plain")), d.path());
        const QString store = copyTo(dataPath(QStringLiteral("gramjs/store")), d.path());
        QVERIFY(QFile::link(tdata + QStringLiteral("/key_datas"), d.filePath(QStringLiteral("key-link"))));
        QVERIFY(QFile::link(tdata, d.filePath(QStringLiteral("tdata-link"))));
        const QStringList intoTdata = {tdata + QStringLiteral("/key_datas"), tdata + QStringLiteral("/D877F783D5D3EF8Cs"),
                                       tdata + QStringLiteral("/new.session"), tdata + QStringLiteral("/../plain/key_datas"),
                                       d.filePath(QStringLiteral("tdata-link/key_datas")), d.filePath(QStringLiteral("key-link"))};
        for (const QString &out : intoTdata) {
            expectRefused({QStringLiteral("convert"), tdata, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), out,
                           QStringLiteral("--force")}, tdata);
            expectRefused({QStringLiteral("convert"), tdata, QStringLiteral("--to"), QStringLiteral("telethon-string"), QStringLiteral("-o"), out,
                           QStringLiteral("--force")}, tdata);
        }
        for (const QString &out : QStringList{store + QStringLiteral("/store%3AauthKey"), store + QStringLiteral("/other.session")})
            expectRefused({QStringLiteral("convert"), store, QStringLiteral("--format"), QStringLiteral("gramjs-store"), QStringLiteral("--to"),
                           QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), out, QStringLiteral("--force")}, store);
        // A folder output inside the folder input as well.
        expectRefused({QStringLiteral("convert"), store, QStringLiteral("--format"), QStringLiteral("gramjs-store"), QStringLiteral("--to"),
                       QStringLiteral("gramjs-store"), QStringLiteral("-o"), store + QStringLiteral("/sub"), QStringLiteral("--force")}, store);
        QVERIFY(!QFileInfo::exists(store + QStringLiteral("/sub")));
        QVERIFY(!QFileInfo::exists(tdata + QStringLiteral("/new.session")));
        QCOMPARE(QFileInfo(d.filePath(QStringLiteral("key-link"))).symLinkTarget(), tdata + QStringLiteral("/key_datas"));

        // bundle create goes through the same check.
        const QString pass = d.filePath(QStringLiteral("pass.txt"));
        QFile f(pass);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("correct horse\n");
        f.close();
        for (const QString &out : QStringList{tdata + QStringLiteral("/key_datas"), d.filePath(QStringLiteral("key-link")), tdata + QStringLiteral("/x.age")})
            expectRefused({QStringLiteral("bundle"), QStringLiteral("create"), tdata, QStringLiteral("-o"), out, QStringLiteral("--passphrase-file"), pass,
                           QStringLiteral("--work-factor"), QStringLiteral("10"), QStringLiteral("--force")}, tdata);
        const QString a = session(d.path(), QStringLiteral("a.session"));
        expectRefused({QStringLiteral("bundle"), QStringLiteral("create"), a, QStringLiteral("-o"), a, QStringLiteral("--passphrase-file"), pass,
                       QStringLiteral("--work-factor"), QStringLiteral("10"), QStringLiteral("--force")}, a);
        // Control: next to the input folder, not inside it, both write.
        const CliRun ok = runCli({QStringLiteral("convert"), tdata, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"),
                                  d.filePath(QStringLiteral("out.session"))});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        const CliRun okb = runCli({QStringLiteral("bundle"), QStringLiteral("create"), tdata, QStringLiteral("-o"), d.filePath(QStringLiteral("out.age")),
                                   QStringLiteral("--passphrase-file"), pass, QStringLiteral("--work-factor"), QStringLiteral("10")});
        QVERIFY2(okb.exitCode == 0, okb.err.constData());
        QVERIFY(QFileInfo(d.filePath(QStringLiteral("out.age"))).size() > 0);
    }

    void batchOutputIsTheSource()
    {
        QTemporaryDir d;
        const QString src = d.filePath(QStringLiteral("src"));
        QVERIFY(QDir().mkdir(src));
        session(src, QStringLiteral("a.session"));
        session(src, QStringLiteral("b.session"));
        QVERIFY(QFile::link(src, d.filePath(QStringLiteral("srclink"))));
        const QString cwd = QDir::currentPath();
        QVERIFY(QDir::setCurrent(d.path()));
        for (const QString &out : {src, QStringLiteral("./src"), QStringLiteral("src/"), d.filePath(QStringLiteral("srclink")), d.path(), QStringLiteral(".")})
            for (const QString &to : {QStringLiteral("telethon-sqlite"), QStringLiteral("gotd-json")})
                expectRefused({QStringLiteral("convert"), src, QStringLiteral("--to"), to, QStringLiteral("-o"), out, QStringLiteral("--force")}, src);
        QVERIFY(QDir::setCurrent(cwd));
        // An output folder inside the source is allowed (it is skipped as an input).
        const CliRun ok = runCli({QStringLiteral("convert"), src, QStringLiteral("--to"), QStringLiteral("telethon-sqlite"), QStringLiteral("-o"),
                                  src + QStringLiteral("/out")});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QVERIFY(QFileInfo::exists(src + QStringLiteral("/out/a.session")));
        QCOMPARE(fileMode(src + QStringLiteral("/out")), 0700);
        QCOMPARE(fileMode(src + QStringLiteral("/out/a.session")), 0600);
    }

    void vaultExportOverTheVault()
    {
        // Refused before the vault (or the keychain) is even opened.
        QTemporaryDir d;
        const QString vault = d.filePath(QStringLiteral("v.sqlite"));
        QFile f(vault);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not opened");
        f.close();
        QVERIFY(QFile::link(vault, d.filePath(QStringLiteral("v-link"))));
        for (const QString &out : {vault, d.filePath(QStringLiteral("v-link"))})
            expectRefused({QStringLiteral("vault"), QStringLiteral("export"), QStringLiteral("x"), QStringLiteral("--vault"), vault, QStringLiteral("--to"),
                           QStringLiteral("telethon-sqlite"), QStringLiteral("-o"), out, QStringLiteral("--force")}, vault);
    }
};

QTEST_GUILESS_MAIN(TstSafewriteInput)
#include "tst_safewrite_input.moc"
