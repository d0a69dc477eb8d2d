#pragma once
// Shared plumbing of sessiondesk-cli: output streams, error lines, exit codes, reading sources and
// passcodes. Commands live in cmd_<name>.cpp, one function each.
#include "convert/convert.h"
#include "format/format.h"
#include "util/result.h"

#include <QCommandLineParser>
#include <QJsonValue>
#include <QStringList>
#include <QTextStream>

namespace sd::cli {

enum Exit { Ok = 0, Findings = 1, Usage = 2, BadInput = 3, Secret = 4, Output = 5 };

QTextStream &out();
QTextStream &err();

// "sessiondesk-cli: SOURCE: message" on stderr; returns the exit code.
int fail(const QString &source, const Error &error);
int fail(const QString &source, int code, const QString &message);
int usage(const QString &message);

// Parses args (args[0] is the command name) with parser; on error prints one usage line and
// returns false with *exitCode = 2. --help prints the help and returns false with *exitCode = 0.
bool parseArgs(QCommandLineParser &parser, const QStringList &args, int *exitCode,
               const QString &synopsis);

// "-" reads one string session from standard input (size-capped); a path is used as is.
Result<Source> loadSource(const QString &arg);
// --passcode-file F, else $SESSIONDESK_PASSCODE, else a prompt when stdin is a terminal.
// nullopt when none was given (and no terminal).
Result<std::optional<SecretBytes>> readPasscode(const QCommandLineParser &parser, bool prompt);

void printJson(const QJsonValue &value);

// Reads one line with echo off from the controlling terminal (/dev/tty), the prompt written to
// it. nullopt when there is no terminal. Every buffer is wiped.
std::optional<SecretBytes> promptSecret(const QString &prompt);

// The options that let a command read an age bundle (docs/cli.md "Bundles"): --identity FILE
// (repeatable) and --passphrase-file F. Added by every command that reads a SOURCE.
QList<QCommandLineOption> bundleReadOptions();
// Fills ro.bundleKeys from those options: identity files and --passphrase-file are read now;
// SESSIONDESK_PASSPHRASE is read and removed from the environment; a terminal prompt and this
// machine's identity (OS keychain) are asked only when a bundle needs them. Error kind Secret.
// passphraseOptions = false (bundle create, where they name the new bundle's passphrase): a
// passphrase bundle among the sources is asked for on the terminal only.
Status applyBundleReadOptions(const QCommandLineParser &parser, ReadOptions &ro, bool passphraseOptions = true);
// The passphrase for a new bundle: --passphrase-file, else SESSIONDESK_PASSPHRASE (removed from
// the environment), else a terminal prompt typed twice. nullopt when none is available.
Result<std::optional<SecretBytes>> newPassphrase(const QCommandLineParser &parser);

// A passcode file: at most 4 KiB, trailing line breaks removed; every copy wiped. Error kind Secret.
Result<SecretBytes> readSecretFile(const QString &path);
// --api-id / --user-id / --new-passcode-file (options named so in parser) into req; on a bad value
// prints the error line and returns false with *exitCode set.
bool applyWriteOptions(const QCommandLineParser &parser, ConvertRequest &req, int *exitCode);
// The --tdesktop-version option (docs/cli.md) and --tdesktop-version X.Y.Z into req for a tdata
// target; on a bad value or another target prints the error line and returns false (exit 2).
QCommandLineOption tdesktopVersionOption();
bool applyTdesktopVersion(const QCommandLineParser &parser, const Format &target, ConvertRequest &req, int *exitCode);

// Flags that do not apply are usage errors naming the flag meant (docs/cli.md, exit 2). Each
// returns 0 when every flag set in parser applies, else prints the usage line and returns 2.
// Source side: --passcode-file (formats that take a passcode), --key (tdata).
int checkSourceFlags(const QCommandLineParser &parser, const Format &source, const Format *target = nullptr);
// The same for a batch (a folder of sources): a flag applies when it applies to one of them.
int checkSourceFlags(const QCommandLineParser &parser, const QList<const Format *> &sources, const Format *target);
// Target side: --api-id, --user-id, --new-passcode-file, --all-accounts, --no-peers, --key.
int checkTargetFlags(const QCommandLineParser &parser, const Format &target);

// Reads the source with detection (or --format), mapping errors to exit codes. On failure the
// error line has been printed and *exitCode set.
struct Loaded {
    Source source;
    const Format *format = nullptr;
    Store store;
};
Result<Loaded> loadStore(const QString &sourceArg, const QString &formatId, const ReadOptions &options);

// Server stores (serveroptions.cpp, docs/cli.md "Server stores"): adds --session, --password-file,
// --remember-password; applies them to the URLs among places (a flag without a URL is a usage
// error). On failure the error line is printed and *exitCode set.
void addServerOptions(QCommandLineParser &parser);
bool applyServerOptions(const QCommandLineParser &parser, const QStringList &places, int *exitCode);
QString sessionOption(const QCommandLineParser &parser);

int cmdFormats(const QStringList &args);
int cmdInspect(const QStringList &args);
int cmdConvert(const QStringList &args);
int cmdPeers(const QStringList &args);
int cmdPrune(const QStringList &args);
int cmdAudit(const QStringList &args);
int cmdVault(const QStringList &args);
int cmdDedupe(const QStringList &args);
int cmdBundle(const QStringList &args);
int cmdIdentity(const QStringList &args);

// convert's folder mode, shared with `bundle create FOLDER`: a folder that is not itself a
// session folder (tdata, GramJS store) holds sessions; batchInputs lists them (side files skipped).
bool isBatchSource(const QString &source);
QStringList batchInputs(const QString &dir, const QString &excludeAbsPath = QString());
// The detected format of each input (or the --format one); inputs that are no session are left out.
QList<const Format *> batchFormats(const QStringList &inputs, const QString &formatId);

int run(const QStringList &args);

} // namespace sd::cli
