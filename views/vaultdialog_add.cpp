// The Vault window's "add to vault" half (issue 16): files, folders (scanned for sessions), open
// documents and pasted strings, each through the verified import (bundle::importVerified), and the
// removal of plaintext sources once their vault copies were read back and the user confirmed.
#include "vaultdialog.h"

#include "jobdialog.h"
#include "uifacade.h"
#include "bundle/vaultbundle.h"
#include "edit/workspace.h"
#include "format/registry.h"
#include "tasks/scan.h"
#include "vault/vault.h"

#include <QCheckBox>
#include <QFile>
#include <QFileInfo>
#include <QPushButton>
#include <map>

namespace sd {

namespace {

// Everything the source holds (peers and conversations too: the vault keeps them).
Result<Store> readWhole(const Source &source, const ReadOptions &options)
{
    auto f = Registry::instance().detect(source);
    if (!f)
        return f.error();
    return (*f)->read(source, options);
}

struct AddOutcome {
    int added = 0;
    QStringList errors;
    QStringList verifiedFiles; // sources whose every account is in the vault and read back

    // Counts what one source added; a file source goes to verifiedFiles when each of its accounts is
    // in the vault (added or already there). A skipped account (no key...) keeps the source.
    void count(const std::vector<VaultImportItem> &items, const QString &path)
    {
        bool complete = !items.empty();
        for (const VaultImportItem &it : items) {
            if (!it.id.isEmpty())
                ++added;
            else if (it.duplicateOf.isEmpty())
                complete = false;
        }
        if (complete && QFileInfo(path).isFile())
            verifiedFiles << path;
    }
};

} // namespace

int VaultDialog::addSources(const QStringList &paths, bool removeSource)
{
    // A folder is scanned for sessions, as the import dialog and `bundle create` do: a plain folder of
    // session files gives each file, a store folder (tdata, a GramJS store) is one source. A file is
    // read as it is (its detection error is the message when it is no session).
    const JobOutcome scan = runJob(this, tr("Looking for sessions…"), [paths](TaskContext &ctx) -> QVariant {
        QStringList found, errors;
        for (const QString &path : paths) {
            if (ctx.isCancelled())
                break;
            if (!QFileInfo(path).isDir()) {
                found << path;
                continue;
            }
            const QList<ScanHit> hits = scanForSessions(path, &ctx);
            if (hits.isEmpty())
                errors << QObject::tr("%1: no session found in this folder").arg(path);
            for (const ScanHit &h : hits)
                found << h.path;
        }
        return QVariantList{found, errors};
    });
    if (scan.cancelled)
        return -1;
    const QStringList sources = scan.result.toList().value(0).toStringList();
    const QString vaultPath = m_path;
    SecretStore *secrets = m_secrets;
    auto outcome = std::make_shared<AddOutcome>();
    outcome->errors = scan.result.toList().value(1).toStringList();
    // Bundles among the sources open with this machine's identity, or a passphrase asked here.
    auto keys = std::make_shared<bundle::Keys>();
    keys->identityFallback = bundle::machineIdentityFallback(*m_secrets);
    for (const QString &path : sources) {
        QFile f(path);
        if (!QFileInfo(path).isFile() || !f.open(QIODevice::ReadOnly))
            continue;
        auto header = age::parseHeader(f.read(1024 * 1024 + 4096));
        if (header && header->isPassphrase()) {
            bool ok = false;
            QByteArray pass = UiFacade::instance().password(this, tr("Add to vault"), tr("Passphrase of %1:").arg(QFileInfo(path).fileName()), &ok);
            if (ok)
                keys->setPassphrase(SecretBytes::fromByteArray(pass));
            wipe(pass);
            break;
        }
    }
    const JobOutcome job = runJob(this, tr("Adding to the vault…"), [=](TaskContext &ctx) -> QVariant {
        auto vault = Vault::open(vaultPath, *secrets, true);
        if (!vault) {
            outcome->errors << vault.error().message;
            return QVariant();
        }
        qint64 n = 0;
        for (const QString &path : sources) {
            if (ctx.isCancelled())
                break;
            ctx.progress(n++, sources.size(), path);
            ReadOptions ro;
            ro.bundleKeys = keys;
            auto store = readWhole(Source::fromPath(path), ro);
            if (!store) {
                outcome->errors << QStringLiteral("%1: %2").arg(path, store.error().message);
                continue;
            }
            VaultImportOptions o;
            o.source = QFileInfo(path).absoluteFilePath();
            auto items = bundle::importVerified(**vault, *store, o);
            if (!items) {
                outcome->errors << QStringLiteral("%1: %2").arg(path, items.error().message);
                continue;
            }
            outcome->count(*items, path);
        }
        return QVariant();
    });
    Q_UNUSED(job);
    load();
    if (!outcome->errors.isEmpty())
        UiFacade::instance().warning(this, tr("Add to vault"), outcome->errors.join(QLatin1Char('\n')));
    if (removeSource)
        removeVerifiedSources(outcome->verifiedFiles);
    return outcome->errors.isEmpty() || outcome->added > 0 ? outcome->added : -1;
}

QStringList VaultDialog::removeVerifiedSources(const QStringList &files, const std::function<QString(const QString &)> &prepare)
{
    if (files.isEmpty())
        return {};
    const auto answer = UiFacade::instance().question(
        this, tr("Remove plaintext sources"),
        tr("The vault copies were verified (keychain entry and vault rows read back). Delete these plaintext files now?\n\n%1")
            .arg(files.join(QLatin1Char('\n'))),
        QMessageBox::Yes | QMessageBox::No);
    if (answer != QMessageBox::Yes)
        return {};
    QStringList removed, failed;
    for (const QString &f : files) {
        if (const QString why = prepare ? prepare(f) : QString(); !why.isEmpty())
            failed << QStringLiteral("%1: kept: %2").arg(f, why);
        else if (auto st = bundle::removePlaintextSource(f); !st)
            failed << st.error().message;
        else
            removed << f;
    }
    if (!failed.isEmpty())
        UiFacade::instance().warning(this, tr("Remove plaintext sources"), failed.join(QLatin1Char('\n')));
    return removed;
}

void VaultDialog::setWorkspace(Workspace *workspace)
{
    m_workspace = workspace;
    auto update = [this] { m_addDocuments->setEnabled(m_workspace && m_workspace->count() > 0); };
    if (workspace) {
        connect(workspace, &Workspace::added, this, update);
        connect(workspace, &Workspace::removed, this, update);
    }
    update();
}

int VaultDialog::addOpenDocuments(bool removeSource)
{
    if (!m_workspace || m_workspace->count() == 0) {
        UiFacade::instance().information(this, tr("Add to vault"), tr("No document is open."));
        return -1;
    }
    struct Open {
        QPointer<Document> doc;
        QString name;
        QString file; // the plain file it was read from, else empty (string, server, folder, vault copy)
    };
    QList<Open> open;
    for (int i = 0; i < m_workspace->count(); ++i) {
        Document *d = m_workspace->at(i);
        const QFileInfo fi(d->source().path);
        const bool plainFile = !d->isDetached() && !d->isServer() && fi.isFile() && !fi.isSymLink();
        open.append({d, d->displayName(), plainFile ? fi.absoluteFilePath() : QString()});
    }
    const QString vaultPath = m_path;
    SecretStore *secrets = m_secrets;
    auto outcome = std::make_shared<AddOutcome>();
    // A document whose file may be deleted needs everything the file holds in memory first.
    auto sources = std::make_shared<std::map<QString, Store>>();
    // The documents stay in the GUI thread; fullStore() only reads them (and their source, for the
    // peers not loaded yet), as the export dialog does.
    const JobOutcome job = runJob(this, tr("Adding to the vault…"), [=](TaskContext &ctx) -> QVariant {
        auto vault = Vault::open(vaultPath, *secrets, true);
        if (!vault) {
            outcome->errors << vault.error().message;
            return QVariant();
        }
        qint64 n = 0;
        for (const Open &o : open) {
            if (ctx.isCancelled())
                break;
            ctx.progress(n++, open.size(), o.name);
            if (!o.doc) {
                outcome->errors << QObject::tr("%1: closed meanwhile").arg(o.name);
                continue;
            }
            auto store = o.doc->fullStore();
            if (!store) {
                outcome->errors << QStringLiteral("%1: %2").arg(o.name, store.error().message);
                continue;
            }
            VaultImportOptions vo;
            vo.source = o.file.isEmpty() ? o.doc->source().display() : o.file;
            auto items = bundle::importVerified(**vault, *store, vo);
            if (!items) {
                outcome->errors << QStringLiteral("%1: %2").arg(o.name, items.error().message);
                continue;
            }
            outcome->count(*items, o.file);
            if (removeSource && outcome->verifiedFiles.contains(o.file)) {
                ReadOptions ro = o.doc->readOptions();
                ro.loadPeers = true;
                ro.loadConversations = true;
                auto whole = o.doc->format()->read(o.doc->source(), ro);
                if (whole)
                    sources->emplace(o.file, std::move(*whole));
            }
        }
        return QVariant();
    });
    Q_UNUSED(job);
    load();
    if (!outcome->errors.isEmpty())
        UiFacade::instance().warning(this, tr("Add to vault"), outcome->errors.join(QLatin1Char('\n')));
    if (removeSource) {
        // Before its file goes, each document takes what it still read from the file and stops
        // offering Save (that would write the plaintext again); it stays open, like a vault copy.
        removeVerifiedSources(outcome->verifiedFiles, [&](const QString &file) -> QString {
            for (const Open &o : open) {
                if (o.file != file)
                    continue;
                auto whole = sources->find(file);
                if (!o.doc || whole == sources->end())
                    return tr("the document could not read it whole");
                if (auto st = o.doc->detachFromSource(std::move(whole->second),
                                                      tr("its file was moved into the vault and deleted; use Export to write it"));
                    !st)
                    return st.error().message;
                if (m_workspace && m_workspace->indexOf(o.doc) >= 0)
                    Q_EMIT m_workspace->documentChanged(m_workspace->indexOf(o.doc));
            }
            return QString();
        });
    }
    return outcome->errors.isEmpty() || outcome->added > 0 ? outcome->added : -1;
}

int VaultDialog::addString(const QByteArray &text)
{
    const QString vaultPath = m_path;
    SecretStore *secrets = m_secrets;
    const QByteArray copy = text;
    const JobOutcome job = runJob(this, tr("Adding to the vault…"), [=](TaskContext &) -> QVariant {
        auto vault = Vault::open(vaultPath, *secrets, true);
        if (!vault)
            return QVariantList{-1, vault.error().message};
        auto store = readWhole(Source::fromString(normalizeSessionString(copy)), ReadOptions{});
        if (!store)
            return QVariantList{-1, store.error().message};
        VaultImportOptions o;
        o.source = QStringLiteral("-");
        auto items = bundle::importVerified(**vault, *store, o);
        if (!items)
            return QVariantList{-1, items.error().message};
        int added = 0;
        for (const VaultImportItem &it : *items)
            added += it.id.isEmpty() ? 0 : 1;
        return QVariantList{added, QString()};
    });
    load();
    const QVariantList r = job.result.toList();
    if (r.size() == 2 && r[0].toInt() < 0)
        UiFacade::instance().warning(this, tr("Add to vault"), r[1].toString());
    return r.size() == 2 ? r[0].toInt() : -1;
}

} // namespace sd
