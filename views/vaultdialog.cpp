#include "vaultdialog.h"

#include "keychainsecretstore.h"
#include "exportdialog.h"
#include "jobdialog.h"
#include "receivedialog.h"
#include "senddialog.h"
#include "uifacade.h"
#include "bundle/vaultbundle.h"
#include "edit/workspace.h"
#include "format/registry.h"
#include "tasks/scan.h"
#include "vault/vault.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QInputDialog>

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <map>
#include <optional>

namespace sd {

VaultDialog::VaultDialog(QWidget *parent, const QString &vaultPath, SecretStore *secrets)
    : QDialog(parent), m_path(Vault::resolvePath(vaultPath)), m_secrets(secrets)
{
    if (!m_secrets) {
        m_ownSecrets = std::make_unique<KeychainSecretStore>(QStringLiteral("sessiondesk"), 15000);
        m_secrets = m_ownSecrets.get();
    }
    setObjectName(QStringLiteral("vaultDialog"));
    setWindowTitle(tr("Vault"));
    resize(720, 420);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_list = new QTreeWidget(this);
    m_list->setRootIsDecorated(false);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setHeaderLabels({tr("Label"), tr("Format"), tr("DC"), tr("User id"), tr("auth_key_id"), tr("Peers")});
    auto *box = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *open = box->addButton(tr("&Open"), QDialogButtonBox::AcceptRole);
    connect(open, &QPushButton::clicked, this, &VaultDialog::openSelected);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &VaultDialog::openSelected);

    // Where accounts live (issue 16): add, remove, rename, move between machines.
    auto button = [this](const QString &name, const QString &text, auto slot) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        connect(b, &QPushButton::clicked, this, slot);
        return b;
    };
    auto *addFiles = button(QStringLiteral("vaultAddFiles"), tr("Add &files…"), [this] {
        const QStringList files = UiFacade::instance().openFileNames(this, tr("Add to vault"), tr("Sessions (*);;age bundles (*.age)"));
        if (!files.isEmpty())
            addSources(files, m_removeSource->isChecked());
    });
    auto *addFolder = button(QStringLiteral("vaultAddFolder"), tr("Add f&older…"), [this] {
        const QString dir = UiFacade::instance().existingDirectory(this, tr("Add a session folder to the vault"));
        if (!dir.isEmpty())
            addSources({dir}, m_removeSource->isChecked());
    });
    m_addDocuments = button(QStringLiteral("vaultAddDocuments"), tr("Add open &documents"), [this] {
        addOpenDocuments(m_removeSource->isChecked());
    });
    m_addDocuments->setToolTip(tr("Add the documents open in the main window, with their unsaved edits"));
    m_addDocuments->setEnabled(false);
    auto *paste = button(QStringLiteral("vaultPaste"), tr("&Paste string…"), [this] {
        bool ok = false;
        QByteArray text = UiFacade::instance().password(this, tr("Add to vault"), tr("Paste a string session:"), &ok);
        if (ok)
            addString(text);
        wipe(text);
    });
    auto *removeButton = button(QStringLiteral("vaultRemove"), tr("&Remove"), [this] { removeSelected(); });
    auto *renameButton = button(QStringLiteral("vaultRename"), tr("Re&name…"), [this] {
        const auto items = m_list->selectedItems();
        if (items.size() != 1)
            return;
        bool ok = false;
        const QString label = QInputDialog::getText(this, tr("Rename"), tr("Label:"), QLineEdit::Normal, items.first()->text(0), &ok);
        if (ok)
            renameSelected(label);
    });
    auto *exportButton = button(QStringLiteral("vaultExport"), tr("E&xport…"), [this] { exportSelected(); });
    auto *sendButton = button(QStringLiteral("vaultSend"), tr("&Send to another machine…"), [this] { sendSelected(); });
    auto *receiveButton = button(QStringLiteral("vaultReceive"), tr("Re&ceive from another machine…"), [this] { receive(); });
    m_removeSource = new QCheckBox(tr("Remove the plaintext source after the vault copy is verified"), this);
    m_removeSource->setObjectName(QStringLiteral("vaultRemoveSource"));
    auto *row1 = new QHBoxLayout;
    for (QWidget *w : {static_cast<QWidget *>(addFiles), static_cast<QWidget *>(addFolder), static_cast<QWidget *>(m_addDocuments),
                       static_cast<QWidget *>(paste)})
        row1->addWidget(w);
    row1->addStretch(1);
    auto *row2 = new QHBoxLayout;
    for (QWidget *w : {static_cast<QWidget *>(removeButton), static_cast<QWidget *>(renameButton), static_cast<QWidget *>(exportButton)})
        row2->addWidget(w);
    row2->addSpacing(24);
    row2->addWidget(sendButton);
    row2->addWidget(receiveButton);
    row2->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
    layout->addLayout(row1);
    layout->addWidget(m_removeSource);
    layout->addLayout(row2);
    layout->addWidget(box);
    load();
}

VaultDialog::~VaultDialog() = default;

void VaultDialog::load()
{
    m_list->clear();
    if (!QFileInfo::exists(m_path)) {
        m_status->setText(tr("There is no vault yet (%1). Add accounts with the buttons below.").arg(m_path));
        return;
    }
    auto vault = Vault::open(m_path, *m_secrets, false);
    if (!vault) {
        m_status->setText(vault.error().message);
        return;
    }
    auto accounts = (*vault)->list();
    if (!accounts) {
        m_status->setText(accounts.error().message);
        return;
    }
    m_status->setText(tr("%1 — %2 account(s). Opened accounts are read-only; use Export to write them.")
                          .arg(m_path).arg(accounts->size()));
    for (const VaultAccount &a : *accounts) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, a.label);
        item->setText(1, a.format);
        item->setText(2, QString::number(a.dcId));
        item->setText(3, a.userId ? QString::number(*a.userId) : QString());
        item->setText(4, a.authKeyId);
        item->setText(5, QString::number(a.peerCount));
        item->setData(0, Qt::UserRole, a.id);
    }
    for (int c = 0; c < 5; ++c)
        m_list->resizeColumnToContents(c);
}

std::vector<std::unique_ptr<Document>> VaultDialog::loadSelected(QStringList *errors)
{
    std::vector<std::unique_ptr<Document>> docs;
    QList<QPair<QString, QString>> wanted; // id, label
    for (QTreeWidgetItem *item : m_list->selectedItems())
        wanted.append({item->data(0, Qt::UserRole).toString(), item->text(0)});
    if (wanted.isEmpty())
        return docs;
    // Keychain reads can block for seconds (a locked keyring asks to unlock): off the GUI thread.
    struct Loaded {
        QString label;
        std::optional<Store> store;
        QString error;
    };
    auto loaded = std::make_shared<std::vector<Loaded>>();
    const QString vaultPath = m_path;
    SecretStore *secrets = m_secrets;
    const JobOutcome job = runJob(this, tr("Reading the vault…"), [=](TaskContext &ctx) -> QVariant {
        auto vault = Vault::open(vaultPath, *secrets, false);
        if (!vault)
            return vault.error().message;
        qint64 n = 0;
        for (const auto &[id, label] : wanted) {
            if (ctx.isCancelled())
                break;
            ctx.progress(n++, wanted.size(), label);
            auto store = (*vault)->load(id);
            if (store)
                loaded->push_back({label, std::move(*store), {}});
            else
                loaded->push_back({label, std::nullopt, store.error().message});
        }
        return QVariant();
    });
    if (job.result.isValid()) {
        errors->append(job.result.toString());
        return docs;
    }
    for (Loaded &l : *loaded) {
        if (!l.store) {
            errors->append(QStringLiteral("%1: %2").arg(l.label, l.error));
            continue;
        }
        const Format *f = Registry::instance().find(l.store->formatId);
        auto doc = Document::fromStore(Source{QStringLiteral("vault:") + l.label, {}}, f, std::move(*l.store));
        doc->setSaveBlockedReason(tr("accounts opened from the vault are read-only here; use Export"));
        docs.push_back(std::move(doc));
    }
    return docs;
}

void VaultDialog::openSelected()
{
    QStringList errors;
    auto docs = loadSelected(&errors);
    if (!errors.isEmpty())
        UiFacade::instance().warning(this, tr("Vault"), errors.join(QLatin1Char('\n')));
    for (auto &doc : docs)
        m_docs.push_back(std::move(doc));
    if (!m_docs.empty())
        accept();
}

void VaultDialog::exportSelected()
{
    if (m_list->selectedItems().size() != 1) {
        UiFacade::instance().information(this, tr("Export"), tr("Select one account to export."));
        return;
    }
    QStringList errors;
    auto docs = loadSelected(&errors);
    if (!errors.isEmpty() || docs.empty()) {
        UiFacade::instance().warning(this, tr("Export"), errors.join(QLatin1Char('\n')));
        return;
    }
    // The export dialog writes through the same convert path as the command line (0600, never over
    // an input, read back); the key never leaves the process except into the chosen files.
    ExportDialog dialog(docs.front().get(), 0, this);
    dialog.setObjectName(QStringLiteral("vaultExportDialog"));
    dialog.exec();
}

QStringList VaultDialog::selectedIds() const
{
    QStringList ids;
    for (QTreeWidgetItem *item : m_list->selectedItems())
        ids << item->data(0, Qt::UserRole).toString();
    return ids;
}

void VaultDialog::setRemoveSourceChecked(bool on) { m_removeSource->setChecked(on); }

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

bool VaultDialog::removeSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return false;
    QStringList labels;
    for (QTreeWidgetItem *item : m_list->selectedItems())
        labels << item->text(0);
    if (UiFacade::instance().question(this, tr("Remove from vault"),
                                      tr("Remove these accounts and their keys from the vault and the keychain?\n\n%1").arg(labels.join(QLatin1Char('\n'))),
                                      QMessageBox::Yes | QMessageBox::No)
        != QMessageBox::Yes)
        return false;
    const QString vaultPath = m_path;
    SecretStore *secrets = m_secrets;
    const JobOutcome job = runJob(this, tr("Removing…"), [=](TaskContext &) -> QVariant {
        auto vault = Vault::open(vaultPath, *secrets, false);
        if (!vault)
            return vault.error().message;
        for (const QString &id : ids)
            if (auto st = (*vault)->remove(id); !st)
                return st.error().message;
        return QVariant();
    });
    load();
    if (job.result.isValid()) {
        UiFacade::instance().warning(this, tr("Remove from vault"), job.result.toString());
        return false;
    }
    return !job.cancelled;
}

bool VaultDialog::renameSelected(const QString &label)
{
    const QStringList ids = selectedIds();
    if (ids.size() != 1 || label.trimmed().isEmpty())
        return false;
    const QString vaultPath = m_path;
    SecretStore *secrets = m_secrets;
    const QString id = ids.first();
    const JobOutcome job = runJob(this, tr("Renaming…"), [=](TaskContext &) -> QVariant {
        auto vault = Vault::open(vaultPath, *secrets, false);
        if (!vault)
            return vault.error().message;
        if (auto st = (*vault)->setLabel(id, label.trimmed()); !st)
            return st.error().message;
        return QVariant();
    });
    load();
    if (job.result.isValid()) {
        UiFacade::instance().warning(this, tr("Rename"), job.result.toString());
        return false;
    }
    return true;
}

void VaultDialog::sendSelected()
{
    QList<QPair<QString, QString>> accounts;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        accounts.append({item->data(0, Qt::UserRole).toString(), QStringLiteral("%1  (%2)").arg(item->text(0), item->text(4))});
    }
    if (accounts.isEmpty()) {
        UiFacade::instance().information(this, tr("Send"), tr("The vault is empty."));
        return;
    }
    SendDialog dialog(m_path, *m_secrets, accounts, selectedIds(), this);
    dialog.exec();
    load();
}

void VaultDialog::receive()
{
    ReceiveDialog dialog(m_path, *m_secrets, this);
    dialog.exec();
    load();
}

} // namespace sd
