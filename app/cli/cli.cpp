#include "cli.h"

#include "bundle/bundle.h"
#include "convert/convert.h"
#include "format/registry.h"
#include "formats/tdata/tdatafile.h"
#include "io/atomicfile.h"
#include "server/serverurl.h"
#include "report/text.h"
#include "util/hardening.h"
#include "keychainsecretstore.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <functional>
#include <csignal>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <termios.h>
#include <unistd.h>

namespace sd::cli {

namespace {
constexpr qint64 kMaxStdin = 1024 * 1024;

termios g_savedTermios {}; // the terminal as it was before a hidden prompt
int g_promptFd = STDIN_FILENO;

// Signal handler at the passcode prompt: echo back on, then die of the same signal.
// tcsetattr, signal and raise are async-signal-safe.
void restoreEchoAndDie(int sig)
{
    ::tcsetattr(g_promptFd, TCSANOW, &g_savedTermios);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

// One line from fd with echo off (restored afterwards), without its line break. showPrompt runs once
// echo is off: a reply typed (or sent by a script) right after the prompt appears is never echoed.
// Nothing is read when it returns false (the prompt could not be shown).
std::optional<SecretBytes> readHiddenLine(int fd, const std::function<bool()> &showPrompt)
{
    termios old {};
    const bool tty = ::tcgetattr(fd, &old) == 0;
    // Ctrl-C (or a kill) at the prompt must not leave the terminal without echo.
    struct sigaction restore {}, oldInt {}, oldTerm {}, oldHup {}, oldQuit {};
    if (tty) {
        g_savedTermios = old;
        g_promptFd = fd;
        restore.sa_handler = restoreEchoAndDie;
        sigemptyset(&restore.sa_mask);
        ::sigaction(SIGINT, &restore, &oldInt);
        ::sigaction(SIGTERM, &restore, &oldTerm);
        ::sigaction(SIGHUP, &restore, &oldHup);
        ::sigaction(SIGQUIT, &restore, &oldQuit);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(fd, TCSANOW, &quiet);
    }
    const bool shown = showPrompt();
    char buf[1024];
    size_t n = 0;
    bool got = false;
    while (shown) {
        char c = 0;
        const ssize_t r = ::read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got = true;
        if (c == '\n')
            break;
        if (n < sizeof buf)
            buf[n++] = c;
    }
    if (tty) {
        ::tcsetattr(fd, TCSANOW, &old);
        ::sigaction(SIGINT, &oldInt, nullptr);
        ::sigaction(SIGTERM, &oldTerm, nullptr);
        ::sigaction(SIGHUP, &oldHup, nullptr);
        ::sigaction(SIGQUIT, &oldQuit, nullptr);
    }
    while (n > 0 && buf[n - 1] == '\r')
        --n;
    std::optional<SecretBytes> s;
    if (got)
        s = SecretBytes(buf, n);
    OPENSSL_cleanse(buf, sizeof buf);
    return s;
}
} // namespace

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int fail(const QString &source, int code, const QString &message)
{
    out().flush();
    QString m = message;
    m.replace(QLatin1Char('\n'), QLatin1Char(' '));
    m = escapeControls(m); // messages quote names and paths from files
    err() << "sessiondesk-cli: ";
    if (!source.isEmpty())
        err() << escapeControls(server::redactUrl(source)) << ": "; // a URL's password never reaches the terminal
    err() << m << Qt::endl;
    return code;
}

int fail(const QString &source, const Error &error) { return fail(source, error.exitCode(), error.message); }

int usage(const QString &message) { return fail(QString(), Usage, message + QStringLiteral(" (see --help)")); }

bool parseArgs(QCommandLineParser &parser, const QStringList &args, int *exitCode, const QString &synopsis)
{
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    QStringList full = args;
    full[0] = QStringLiteral("sessiondesk-cli ") + args[0];
    if (!parser.parse(full)) {
        *exitCode = usage(parser.errorText());
        return false;
    }
    if (parser.isSet(help)) {
        out() << "usage: sessiondesk-cli " << synopsis << "\n\n" << parser.helpText().section(QLatin1Char('\n'), 2);
        out().flush();
        *exitCode = Ok;
        return false;
    }
    return true;
}

Result<Source> loadSource(const QString &arg)
{
    if (arg == QLatin1String("-")) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return Error::badInput(QStringLiteral("cannot read standard input"));
        QByteArray data = in.read(kMaxStdin + 1);
        if (data.size() > kMaxStdin)
            return Error::badInput(QStringLiteral("standard input is larger than %1 bytes; not a string session").arg(kMaxStdin));
        if (data.trimmed().isEmpty())
            return Error::badInput(QStringLiteral("empty input on standard input"));
        Source s = Source::fromString(data);
        wipe(data);
        return s;
    }
    return Source::fromPath(arg);
}

Result<std::optional<SecretBytes>> readPasscode(const QCommandLineParser &parser, bool prompt)
{
    if (parser.optionNames().contains(QStringLiteral("passcode-file")) && parser.isSet(QStringLiteral("passcode-file"))) {
        auto s = readSecretFile(parser.value(QStringLiteral("passcode-file")));
        if (!s)
            return s.error();
        return std::optional<SecretBytes>(std::move(*s));
    }
    // Taken out of the environment at start (util/hardening.h): children never see it.
    if (auto env = environmentSecret("SESSIONDESK_PASSCODE"))
        return env;
    if (prompt && ::isatty(STDIN_FILENO)) {
        auto line = readHiddenLine(STDIN_FILENO, [] {
            err() << "Passcode: " << Qt::flush;
            return true;
        });
        err() << Qt::endl;
        return line;
    }
    return std::optional<SecretBytes>();
}

std::optional<SecretBytes> promptSecret(const QString &prompt)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    const QByteArray p = prompt.toUtf8();
    bool shown = false;
    auto line = readHiddenLine(fd, [&] {
        shown = ::write(fd, p.constData(), static_cast<size_t>(p.size())) >= 0;
        return shown;
    });
    if (!shown) {
        ::close(fd);
        return std::nullopt;
    }
    if (::write(fd, "\n", 1) < 0) {
        // the prompt's line break is cosmetic
    }
    ::close(fd);
    return line;
}

namespace {

// SESSIONDESK_PASSPHRASE was taken out of the environment at start (util/hardening.h).
std::optional<SecretBytes> takePassphraseFromEnv() { return environmentSecret("SESSIONDESK_PASSPHRASE"); }

const QString kIdentityOpt = QStringLiteral("identity");
const QString kPassphraseFileOpt = QStringLiteral("passphrase-file");

bool hasOption(const QCommandLineParser &p, const QString &name)
{
    return p.optionNames().contains(name) && p.isSet(name);
}

} // namespace

QList<QCommandLineOption> bundleReadOptions()
{
    return {QCommandLineOption(kIdentityOpt, QStringLiteral("age identity file (AGE-SECRET-KEY-1...) for a bundle; repeatable."), QStringLiteral("FILE")),
            QCommandLineOption(kPassphraseFileOpt, QStringLiteral("Passphrase file of a bundle (else $SESSIONDESK_PASSPHRASE, else a prompt)."),
                               QStringLiteral("F"))};
}

Status applyBundleReadOptions(const QCommandLineParser &p, ReadOptions &ro, bool passphraseOptions)
{
    auto keys = std::make_shared<bundle::Keys>();
    if (hasOption(p, kIdentityOpt)) {
        for (const QString &file : p.values(kIdentityOpt)) {
            auto text = readFileLimited(file, 1024 * 1024);
            if (!text)
                return Error::secret(QStringLiteral("identity file %1: %2").arg(file, text.error().message));
            auto ids = age::parseIdentityFile(*text);
            wipe(*text);
            if (!ids)
                return Error::secret(QStringLiteral("identity file %1: %2").arg(file, ids.error().message));
            keys->addIdentities(std::move(*ids));
        }
    } else {
        auto store = std::make_shared<KeychainSecretStore>();
        keys->identityFallback = [store]() { return bundle::machineIdentityFallback(*store)(); };
    }
    if (passphraseOptions && hasOption(p, kPassphraseFileOpt)) {
        auto s = readSecretFile(p.value(kPassphraseFileOpt));
        if (!s)
            return s.error();
        keys->setPassphrase(std::move(*s));
    } else if (auto env = passphraseOptions ? takePassphraseFromEnv() : std::nullopt) {
        keys->setPassphrase(std::move(*env));
    } else {
        keys->passphraseFallback = []() -> Result<SecretBytes> {
            auto s = promptSecret(QStringLiteral("Bundle passphrase: "));
            if (!s)
                return Error::secret(QStringLiteral("a passphrase bundle needs --passphrase-file F, SESSIONDESK_PASSPHRASE or a terminal"));
            return std::move(*s);
        };
    }
    ro.bundleKeys = keys;
    return {};
}

Result<std::optional<SecretBytes>> newPassphrase(const QCommandLineParser &p)
{
    if (hasOption(p, kPassphraseFileOpt)) {
        auto s = readSecretFile(p.value(kPassphraseFileOpt));
        if (!s)
            return s.error();
        if (s->isEmpty())
            return Error::secret(QStringLiteral("the passphrase file %1 is empty").arg(p.value(kPassphraseFileOpt)));
        return std::optional<SecretBytes>(std::move(*s));
    }
    if (auto env = takePassphraseFromEnv()) {
        if (env->isEmpty())
            return Error::secret(QStringLiteral("SESSIONDESK_PASSPHRASE is empty"));
        return std::optional<SecretBytes>(std::move(*env));
    }
    auto first = promptSecret(QStringLiteral("New bundle passphrase: "));
    if (!first)
        return std::optional<SecretBytes>();
    if (first->isEmpty())
        return Error::secret(QStringLiteral("an empty passphrase protects nothing"));
    auto again = promptSecret(QStringLiteral("Type it again: "));
    if (!again || *again != *first)
        return Error::secret(QStringLiteral("the passphrases do not match"));
    return std::optional<SecretBytes>(std::move(*first));
}

Result<SecretBytes> readSecretFile(const QString &path)
{
    auto data = readFileLimited(path, 4096);
    if (!data)
        return Error::secret(QStringLiteral("passcode file %1: %2").arg(path, data.error().message));
    QByteArray d = *data;
    while (d.endsWith('\n') || d.endsWith('\r'))
        d.chop(1);
    SecretBytes s = SecretBytes::fromByteArray(d);
    wipe(d);
    wipe(*data);
    return s;
}

bool applyWriteOptions(const QCommandLineParser &p, ConvertRequest &req, int *exitCode)
{
    bool ok = true;
    if (p.optionNames().contains(QStringLiteral("api-id"))) {
        req.apiId = p.value(QStringLiteral("api-id")).toInt(&ok);
        if (!ok) {
            *exitCode = usage(QStringLiteral("--api-id needs a number"));
            return false;
        }
    }
    if (p.optionNames().contains(QStringLiteral("user-id"))) {
        req.userId = p.value(QStringLiteral("user-id")).toLongLong(&ok);
        if (!ok) {
            *exitCode = usage(QStringLiteral("--user-id needs a number"));
            return false;
        }
    }
    if (p.optionNames().contains(QStringLiteral("new-passcode-file"))) {
        auto s = readSecretFile(p.value(QStringLiteral("new-passcode-file")));
        if (!s) {
            *exitCode = fail(QString(), s.error());
            return false;
        }
        req.write.passcode = std::move(*s);
    }
    return true;
}

QCommandLineOption tdesktopVersionOption()
{
    return QCommandLineOption(QStringLiteral("tdesktop-version"),
                              QStringLiteral("tdata target: the Telegram Desktop version the files claim (default: the existing "
                                             "folder's, else 4.6.5, which current builds read)."),
                              QStringLiteral("X.Y.Z"));
}

bool applyTdesktopVersion(const QCommandLineParser &p, const Format &target, ConvertRequest &req, int *exitCode)
{
    if (!p.isSet(QStringLiteral("tdesktop-version")))
        return true;
    if (target.id() != QLatin1String("tdata")) {
        *exitCode = usage(QStringLiteral("--tdesktop-version applies to a tdata target"));
        return false;
    }
    auto v = tdata::parseVersion(p.value(QStringLiteral("tdesktop-version")));
    if (!v) {
        *exitCode = usage(QStringLiteral("--tdesktop-version: %1").arg(v.error().message));
        return false;
    }
    req.write.tdesktopVersion = *v;
    return true;
}

namespace {
bool flagSet(const QCommandLineParser &p, const char *name)
{
    const QString n = QString::fromLatin1(name);
    return p.optionNames().contains(n) && p.isSet(n);
}
} // namespace

namespace {
int checkSourceFlagsOf(const QCommandLineParser &p, const QList<const Format *> &sources, const Format *target, bool folder)
{
    if (sources.isEmpty())
        return Ok;
    const auto any = [&](auto pred) { return std::any_of(sources.begin(), sources.end(), [&](const Format *f) { return pred(*f); }); };
    QStringList ids;
    for (const Format *f : sources)
        if (!ids.contains(f->id()))
            ids << f->id();
    if (flagSet(p, "passcode-file") && !any([](const Format &f) { return f.takesPasscode(); })) {
        QString m = folder ? QStringLiteral("--passcode-file: no source in the folder needs a passcode (%1)").arg(ids.join(QStringLiteral(", ")))
                           : QStringLiteral("--passcode-file: the source (%1) needs no passcode").arg(ids.front());
        if (target) // convert: the user may have meant the target's passcode
            m += QStringLiteral("; a %1 target's passcode is --new-passcode-file")
                     .arg(target->takesPasscode() ? target->id() : QStringLiteral("tdata"));
        return usage(m);
    }
    if (flagSet(p, "key") && !(target && target->id() == QLatin1String("tdata")) && !any([](const Format &f) { return f.id() == QLatin1String("tdata"); }))
        return usage(QStringLiteral("--key names the data file of a tdata folder; %1 has none").arg(ids.join(QStringLiteral(", "))));
    return Ok;
}
} // namespace

int checkSourceFlags(const QCommandLineParser &p, const QList<const Format *> &sources, const Format *target)
{
    return checkSourceFlagsOf(p, sources, target, true);
}

int checkSourceFlags(const QCommandLineParser &p, const Format &source, const Format *target)
{
    return checkSourceFlagsOf(p, QList<const Format *>{&source}, target, false);
}

int checkTargetFlags(const QCommandLineParser &p, const Format &target)
{
    const Capabilities caps = target.capabilities();
    if (flagSet(p, "api-id") && !caps.testFlag(Capability::ApiId))
        return usage(QStringLiteral("--api-id: %1 does not store an api id").arg(target.id()));
    if (flagSet(p, "user-id") && !caps.testFlag(Capability::UserId))
        return usage(QStringLiteral("--user-id: %1 does not store the owner's user id").arg(target.id()));
    if (flagSet(p, "new-passcode-file") && !target.takesPasscode())
        return usage(QStringLiteral("--new-passcode-file: %1 has no passcode (tdata and gogram-file do)").arg(target.id()));
    if (flagSet(p, "all-accounts") && !caps.testFlag(Capability::MultiAccount))
        return usage(QStringLiteral("--all-accounts: %1 holds one account; pick one with --account N").arg(target.id()));
    if (flagSet(p, "no-peers") && !caps.testFlag(Capability::Peers))
        return usage(QStringLiteral("--no-peers: %1 has no peer cache, so no peers are carried anyway").arg(target.id()));
    return Ok;
}

void printJson(const QJsonValue &value)
{
    QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    out() << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    out().flush();
}

Result<Loaded> loadStore(const QString &sourceArg, const QString &formatId, const ReadOptions &options)
{
    auto src = loadSource(sourceArg);
    if (!src)
        return src.error();
    Loaded l;
    l.source = *src;
    const Registry &reg = Registry::instance();
    if (!formatId.isEmpty()) {
        l.format = reg.find(formatId);
        if (!l.format)
            return Error::usage(QStringLiteral("unknown format id '%1' (see 'sessiondesk-cli formats')").arg(formatId));
    } else {
        auto f = reg.detect(l.source);
        if (!f)
            return f.error();
        l.format = *f;
    }
    auto store = l.format->read(l.source, options);
    if (!store)
        return store.error();
    l.store = std::move(*store);
    if (l.store.formatId.isEmpty())
        l.store.formatId = l.format->id();
    return l;
}

int run(const QStringList &args)
{
    static const QString kUsage = QStringLiteral(
        "usage: sessiondesk-cli COMMAND [options]\n\n"
        "Commands:\n"
        "  formats                  list the supported formats\n"
        "  inspect SOURCE...        show what a session holds (auth_key_id, DC, user, peers)\n"
        "  convert SOURCE --to ID   convert to another library's format\n"
        "  peers SOURCE             list or search the cached peers\n"
        "  prune SOURCE             shrink a peer cache (dry run, backup)\n"
        "  audit PATH...            find sessions and risks on disk\n"
        "  dedupe SOURCE            find (and --fix) duplicate or impossible peer rows\n"
        "  vault list|import|export|remove   the keychain-backed vault\n"
        "  bundle create SOURCE... -o OUT    an encrypted (age) bundle to move accounts to another machine\n"
        "  identity                 this machine's age recipient (bundles addressed to it open without flags)\n\n"
        "SOURCE is a file, a folder, - for a string session on standard input, or a server store URL:\n"
        "postgres://USER@HOST:PORT/DB or redis://HOST:PORT[/DB][?prefix=mtgo] (passwords never in the URL).\n"
        "Run 'sessiondesk-cli COMMAND --help' for a command's options.\n");
    if (args.size() < 2) {
        err() << kUsage;
        return Usage;
    }
    const QString cmd = args[1];
    const QStringList rest = args.mid(1);
    if (cmd == QLatin1String("--help") || cmd == QLatin1String("-h") || cmd == QLatin1String("help")) {
        out() << kUsage;
        return Ok;
    }
    if (cmd == QLatin1String("--version")) {
        out() << "sessiondesk-cli " << QCoreApplication::applicationVersion() << '\n';
        return Ok;
    }
    using Fn = int (*)(const QStringList &);
    static const std::pair<const char *, Fn> commands[] = {
        {"formats", cmdFormats}, {"inspect", cmdInspect}, {"convert", cmdConvert}, {"peers", cmdPeers},
        {"prune", cmdPrune},     {"audit", cmdAudit},     {"vault", cmdVault},
        {"dedupe", cmdDedupe},   {"bundle", cmdBundle},   {"identity", cmdIdentity},
    };
    for (const auto &[name, fn] : commands)
        if (cmd == QLatin1String(name))
            return fn(rest);
    return usage(QStringLiteral("unknown command '%1'").arg(cmd));
}

} // namespace sd::cli
