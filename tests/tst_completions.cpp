// The shell completions the package installs (packaging/completions) say what the CLI accepts: the
// format ids are those of `sessiondesk-cli formats --json`, each command (and each vault and bundle
// subcommand) offers every flag of its own --help and no flag it does not have. bash completes for
// real (bash-completion's own _init_completion); zsh parses the file and registers it for
// sessiondesk-cli through compinit. The man page (docs/man/sessiondesk-cli.1) names every format id
// and every command, and each command's entry every flag of its --help.
#include "servertestutil.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace sdtest;

namespace {

const QStringList kCommands = {QStringLiteral("formats"), QStringLiteral("inspect"), QStringLiteral("convert"), QStringLiteral("peers"),
                               QStringLiteral("prune"),   QStringLiteral("audit"),   QStringLiteral("dedupe"),  QStringLiteral("vault"),
                               QStringLiteral("bundle"),  QStringLiteral("identity")};

// What has its own flags: the commands, with vault and bundle by subcommand (`vault --help` is a
// summary of the subcommands; `vault import --help` lists import's options).
const QStringList kFlagCommands = {QStringLiteral("formats"),      QStringLiteral("inspect"),      QStringLiteral("convert"),
                                   QStringLiteral("peers"),        QStringLiteral("prune"),        QStringLiteral("audit"),
                                   QStringLiteral("dedupe"),       QStringLiteral("vault list"),   QStringLiteral("vault import"),
                                   QStringLiteral("vault export"), QStringLiteral("vault remove"), QStringLiteral("bundle create"),
                                   QStringLiteral("identity")};

QString bashFile() { return sourcePath(QStringLiteral("packaging/completions/sessiondesk-cli.bash")); }
QString manFile() { return sourcePath(QStringLiteral("docs/man/sessiondesk-cli.1")); }
QString zshFile() { return sourcePath(QStringLiteral("packaging/completions/_sessiondesk-cli")); }

QSet<QString> words(const QString &text)
{
    QSet<QString> out;
    for (const QString &w : text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
        out.insert(w);
    return out;
}

// Long flags (--name) in text.
QSet<QString> longFlags(const QString &text)
{
    QSet<QString> out;
    static const QRegularExpression re(QStringLiteral("(?<![\\w-])--[a-z][a-z0-9-]*"));
    for (auto it = re.globalMatch(text); it.hasNext();)
        out.insert(it.next().captured(0));
    return out;
}

// The flags a command's --help lists (its option lines, and the usage lines for commands that
// describe their options there). command may be "vault import": `vault import --help`.
QSet<QString> helpFlags(const QString &command)
{
    const CliRun r = runCli(command.split(QLatin1Char(' ')) << QStringLiteral("--help"));
    QSet<QString> flags = longFlags(QString::fromUtf8(r.out + r.err));
    flags.remove(QStringLiteral("--help"));
    flags.remove(QStringLiteral("--version"));
    return flags;
}

// Where the `case` branch for word ("CMD)" or "A|CMD)") starting at or after from ends its label,
// or -1.
qsizetype branchStart(const QString &text, const QString &word, qsizetype from)
{
    const QRegularExpression start(QStringLiteral("^\\s+(?:[a-z|]+\\|)?%1(?:\\|[a-z|]+)?\\)").arg(word), QRegularExpression::MultilineOption);
    const auto m = start.match(text, from);
    return m.hasMatch() ? m.capturedEnd() : -1;
}

// The text of one `case` branch (from "CMD)" or "A|CMD)" to its ";;") in a completion file; for
// bash the branch of the `case $cmd` that sets flags. For "vault import", the import branch
// inside the vault branch.
QString branch(const QString &file, const QString &command)
{
    const QString text = QString::fromUtf8(readAll(file));
    const QStringList parts = command.split(QLatin1Char(' '));
    // bash has the case $prev branches first; the command branches are in `case $cmd`.
    const qsizetype cmdCase = file.endsWith(QLatin1String(".bash")) ? text.indexOf(QLatin1String("case $cmd")) : 0;
    if (cmdCase < 0)
        return {};
    qsizetype from = branchStart(text, parts.front(), cmdCase);
    if (from >= 0 && parts.size() > 1)
        from = branchStart(text, parts.at(1), from);
    if (from < 0)
        return {};
    // Up to the ";;" that ends this branch (vault/bundle branches hold nested if blocks).
    const qsizetype end = text.indexOf(QRegularExpression(QStringLiteral(";;\\s*$"), QRegularExpression::MultilineOption), from);
    return text.mid(from, end < 0 ? -1 : end - from);
}

// text with each $name that the file defines (bash: name="...", zsh: name=(...)) followed by its value.
QString expandVariables(const QString &file, QString text)
{
    const QString all = QString::fromUtf8(readAll(file));
    static const QRegularExpression def(QStringLiteral("\\b([a-z_]+)=(?:\"([^\"]*)\"|\\(([^)]*)\\))"));
    for (auto it = def.globalMatch(all); it.hasNext();) {
        const auto m = it.next();
        const QString use = QLatin1Char('$') + m.captured(1);
        if (QRegularExpression(QRegularExpression::escape(use) + QStringLiteral("\\b")).match(text).hasMatch())
            text += QLatin1Char(' ') + m.captured(2) + m.captured(3);
    }
    return text;
}

QSet<QString> bashFlags(const QString &command)
{
    QSet<QString> out;
    static const QRegularExpression re(QStringLiteral("flags=\"([^\"]*)\""));
    for (auto it = re.globalMatch(branch(bashFile(), command)); it.hasNext();)
        out += longFlags(expandVariables(bashFile(), it.next().captured(1)));
    return out;
}

QSet<QString> zshFlags(const QString &command)
{
    QSet<QString> out = longFlags(expandVariables(zshFile(), branch(zshFile(), command)));
    // $common: --json and --help, offered to every command.
    if (branch(zshFile(), command).contains(QLatin1String("$common")))
        out << QStringLiteral("--json");
    out.remove(QStringLiteral("--help"));
    return out;
}

QStringList sorted(const QSet<QString> &s)
{
    QStringList l(s.begin(), s.end());
    l.sort();
    return l;
}

// The man page's lines, roff's \- as a plain hyphen, its font escapes and quotes dropped.
QStringList manLines()
{
    static const QRegularExpression font(QStringLiteral("\\\\f[BIRP]"));
    QString text = QString::fromUtf8(readAll(manFile()));
    text.replace(QLatin1String("\\-"), QLatin1String("-")).remove(font).remove(QLatin1Char('"'));
    return text.split(QLatin1Char('\n'));
}

// The lines of the man page's section (".SH NAME" to the next ".SH").
QStringList manSection(const QString &name)
{
    const QStringList lines = manLines();
    const qsizetype from = lines.indexOf(QStringLiteral(".SH ") + name);
    QStringList out;
    for (qsizetype i = from + 1; from >= 0 && i < lines.size() && !lines.at(i).startsWith(QLatin1String(".SH ")); ++i)
        out << lines.at(i);
    return out;
}

// A command's entries under COMMANDS: the header lines (after .TP or .TQ) that start with the
// command, and the body text of the paragraphs they head.
struct ManEntry {
    QString headers;
    QString body;
};
ManEntry manEntry(const QString &command)
{
    static const QRegularExpression macro(QStringLiteral("^\\.[A-Z]{1,2}\\s+"));
    const QStringList lines = manSection(QStringLiteral("COMMANDS"));
    ManEntry e;
    bool inEntry = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &l = lines.at(i);
        if (l == QLatin1String(".TP") || l == QLatin1String(".TQ")) {
            if (l == QLatin1String(".TP"))
                inEntry = false;
            if (i + 1 >= lines.size())
                break;
            const QString header = QString(lines.at(i + 1)).remove(macro).simplified();
            if (header == command || header.startsWith(command + QLatin1Char(' '))) {
                e.headers += header + QLatin1Char('\n');
                inEntry = true;
            }
            ++i;
        } else if (inEntry) {
            e.body += l + QLatin1Char('\n');
        }
    }
    return e;
}

// A shell running script (the shared process runner of the tests).
ToolRun runShell(const QString &shell, const QString &script) { return runTool(shell, {QStringLiteral("-c"), script}); }

} // namespace

class TestCompletions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The completions ask the CLI being completed for its format ids (`formats --ids`), so a new
    // format needs no change in them: bash and zsh each run their own lines and get the CLI's list.
    void formatIdsAreTheCliFormats()
    {
        const CliRun r = runCli({QStringLiteral("formats"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QStringList ids;
        for (const QJsonValue &v : r.json().array())
            ids << v.toObject().value(QStringLiteral("id")).toString();
        QVERIFY(ids.size() > 20);
        const CliRun plain = runCli({QStringLiteral("formats"), QStringLiteral("--ids")});
        QCOMPARE(plain.exitCode, 0);
        QCOMPARE(QString::fromUtf8(plain.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts), ids);
        QCOMPARE(runCli({QStringLiteral("formats"), QStringLiteral("--ids"), QStringLiteral("--json")}).exitCode, 2);

        const QString cli = QStringLiteral(SD_CLI_PATH);
        const ToolRun b = runShell(QStringLiteral("bash"), QStringLiteral("source %1; _sessiondesk_cli_formats %2").arg(bashFile(), cli));
        QVERIFY2(b.exit == 0, b.err.constData());
        QCOMPARE(QString::fromUtf8(b.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts), ids);
        const QString zshBin = QStandardPaths::findExecutable(QStringLiteral("zsh"));
        if (zshBin.isEmpty())
            QSKIP("zsh is not installed (scripts/install-deps.sh --test installs it)");
        // The zsh file's own formats=(...) line, run with the CLI as the word being completed.
        const QString zsh = QString::fromUtf8(readAll(zshFile()));
        const auto line = QRegularExpression(QStringLiteral("^formats=\\(.*\\)$"), QRegularExpression::MultilineOption).match(zsh);
        QVERIFY(line.hasMatch());
        const ToolRun z = runShell(zshBin, QStringLiteral("words=(%1); %2; print -l -- $formats").arg(cli, line.captured(0)));
        QVERIFY2(z.exit == 0, z.err.constData());
        QCOMPARE(QString::fromUtf8(z.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts), ids);
    }

    void everyCommandOffersItsFlags_data()
    {
        QTest::addColumn<QString>("command");
        for (const QString &c : kFlagCommands)
            QTest::newRow(qPrintable(c)) << c;
    }

    void everyCommandOffersItsFlags()
    {
        QFETCH(QString, command);
        const QSet<QString> help = helpFlags(command);
        QVERIFY2(!help.isEmpty(), qPrintable(command));
        for (const auto &[shell, offered] : {std::pair{QStringLiteral("bash"), bashFlags(command)}, std::pair{QStringLiteral("zsh"), zshFlags(command)}}) {
            QVERIFY2(!offered.isEmpty(), qPrintable(shell + QStringLiteral(": no branch for ") + command));
            QVERIFY2(help - offered == QSet<QString>(),
                     qPrintable(QStringLiteral("%1 does not offer %2 %3").arg(shell, command, sorted(help - offered).join(QLatin1Char(' ')))));
            QVERIFY2(offered - help == QSet<QString>(),
                     qPrintable(QStringLiteral("%1 offers %2 flags it does not have: %3").arg(shell, command, sorted(offered - help).join(QLatin1Char(' ')))));
        }
    }

    void manPageNamesEveryFormatId()
    {
        const CliRun r = runCli({QStringLiteral("formats"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QSet<QString> ids;
        for (const QJsonValue &v : r.json().array())
            ids.insert(v.toObject().value(QStringLiteral("id")).toString());
        QVERIFY(ids.size() > 20);
        // The list is the section's text up to its first request line.
        QString list;
        for (const QString &l : manSection(QStringLiteral("FORMAT IDS"))) {
            if (l.startsWith(QLatin1Char('.')))
                break;
            list += l + QLatin1Char(' ');
        }
        QSet<QString> listed;
        for (const QString &w : list.split(QRegularExpression(QStringLiteral("[,.\\s]+")), Qt::SkipEmptyParts))
            listed.insert(w);
        QCOMPARE(sorted(listed), sorted(ids));
    }

    void manPageHasEveryCommand()
    {
        for (const QString &c : kCommands + kFlagCommands)
            QVERIFY2(!manEntry(c).headers.isEmpty(), qPrintable(QStringLiteral("no COMMANDS entry for ") + c));
    }

    void manPageEntryHasEveryFlag_data()
    {
        QTest::addColumn<QString>("command");
        for (const QString &c : kFlagCommands)
            QTest::newRow(qPrintable(c)) << c;
    }

    void manPageEntryHasEveryFlag()
    {
        QFETCH(QString, command);
        const QSet<QString> help = helpFlags(command);
        QVERIFY2(!help.isEmpty(), qPrintable(command));
        const ManEntry e = manEntry(command);
        QVERIFY2(!e.headers.isEmpty(), qPrintable(command));
        // Every flag is named in the entry; the synopsis lines name no flag the command lacks.
        const QSet<QString> missing = help - longFlags(e.headers + e.body);
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("the man page's %1 lacks %2").arg(command, sorted(missing).join(QLatin1Char(' ')))));
        const QSet<QString> extra = longFlags(e.headers) - help;
        QVERIFY2(extra.isEmpty(), qPrintable(QStringLiteral("the man page's %1 names %2").arg(command, sorted(extra).join(QLatin1Char(' ')))));
    }

    void bashCompletesForReal()
    {
        const QString framework = QStringLiteral("/usr/share/bash-completion/bash_completion");
        if (!QFileInfo::exists(framework))
            QSKIP("bash-completion is not installed (scripts/install-deps.sh --test installs it)");
        auto complete = [&](const QStringList &line) {
            // COMP_WORDS as bash builds them, the cursor at the end of the last word.
            QStringList quoted;
            for (const QString &w : line)
                quoted << QLatin1Char('\'') + w + QLatin1Char('\'');
            const QString script = QStringLiteral("source %1; source %2; COMP_WORDS=(%3); COMP_CWORD=%4; COMP_LINE=\"${COMP_WORDS[*]}\"; "
                                                  "COMP_POINT=${#COMP_LINE}; _sessiondesk_cli; printf '%s\\n' \"${COMPREPLY[@]}\"")
                                       .arg(framework, bashFile(), quoted.join(QLatin1Char(' ')))
                                       .arg(line.size() - 1);
            const ToolRun r = runShell(QStringLiteral("bash"), script);
            return r.exit == 0 ? words(QString::fromUtf8(r.out)) : QSet<QString>{QStringLiteral("<bash failed: ") + QString::fromUtf8(r.err) + QLatin1Char('>')};
        };
        QCOMPARE(complete({QStringLiteral("sessiondesk-cli"), QStringLiteral("con")}), QSet<QString>{QStringLiteral("convert")});
        // Format ids come from the CLI named by the first word (here by its path).
        const QSet<QString> targets = complete({QStringLiteral(SD_CLI_PATH), QStringLiteral("convert"), QStringLiteral("a.session"),
                                                QStringLiteral("--to"), QStringLiteral("mtgo-")});
        QCOMPARE(sorted(targets), (QStringList{QStringLiteral("mtgo-gorm"), QStringLiteral("mtgo-postgres"), QStringLiteral("mtgo-redis"),
                                               QStringLiteral("mtgo-sqlite")}));
        QCOMPARE(complete({QStringLiteral("sessiondesk-cli"), QStringLiteral("prune"), QStringLiteral("x"), QStringLiteral("--type"), QString()}),
                 (QSet<QString>{QStringLiteral("user"), QStringLiteral("chat"), QStringLiteral("channel")}));
        QVERIFY(complete({QStringLiteral("sessiondesk-cli"), QStringLiteral("audit"), QStringLiteral("--f")}).contains(QStringLiteral("--fix")));
        QCOMPARE(complete({QStringLiteral("sessiondesk-cli"), QStringLiteral("vault"), QStringLiteral("ex")}), QSet<QString>{QStringLiteral("export")});
        // Subcommands offer their own flags.
        QCOMPARE(complete({QStringLiteral("sessiondesk-cli"), QStringLiteral("vault"), QStringLiteral("import"), QStringLiteral("x"),
                           QStringLiteral("--pass")}),
                 (QSet<QString>{QStringLiteral("--passcode-file"), QStringLiteral("--passphrase-file"), QStringLiteral("--password-file")}));
        QCOMPARE(complete({QStringLiteral("sessiondesk-cli"), QStringLiteral("vault"), QStringLiteral("export"), QStringLiteral("ID"),
                           QStringLiteral("--t")}),
                 (QSet<QString>{QStringLiteral("--to"), QStringLiteral("--tdesktop-version")}));
        QCOMPARE(complete({QStringLiteral("sessiondesk-cli"), QStringLiteral("vault"), QStringLiteral("list"), QStringLiteral("--")}),
                 (QSet<QString>{QStringLiteral("--vault"), QStringLiteral("--json"), QStringLiteral("--help")}));
        QCOMPARE(complete({QStringLiteral("sessiondesk-cli"), QStringLiteral("bundle"), QStringLiteral("create"), QStringLiteral("--w")}),
                 QSet<QString>{QStringLiteral("--work-factor")});
    }

    void zshLoadsIt()
    {
        const QString zsh = QStandardPaths::findExecutable(QStringLiteral("zsh"));
        if (zsh.isEmpty())
            QSKIP("zsh is not installed (scripts/install-deps.sh --test installs it)");
        // The file parses, and compinit finds it by its #compdef line for sessiondesk-cli.
        ToolRun r = runShell(zsh, QStringLiteral("zsh -n %1").arg(zshFile()));
        QVERIFY2(r.exit == 0, r.err.constData());
        QTemporaryDir dir;
        r = runShell(zsh, QStringLiteral("fpath=(%1 $fpath); autoload -Uz compinit; compinit -u -d %2/zcompdump; print -r -- $_comps[sessiondesk-cli]")
                              .arg(QFileInfo(zshFile()).absolutePath(), dir.path()));
        QVERIFY2(r.exit == 0, r.err.constData());
        QCOMPARE(r.out.trimmed(), QByteArray("_sessiondesk-cli"));
    }
};

QTEST_GUILESS_MAIN(TestCompletions)
#include "tst_completions.moc"
