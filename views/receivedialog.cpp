#include "receivedialog.h"

#include "bundle/vaultbundle.h"
#include "jobdialog.h"
#include "uifacade.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sd {

ReceiveDialog::ReceiveDialog(const QString &vaultPath, SecretStore &secrets, QWidget *parent)
    : QDialog(parent), m_vaultPath(vaultPath), m_secrets(secrets)
{
    setObjectName(QStringLiteral("receiveDialog"));
    setWindowTitle(tr("Receive from another machine"));
    resize(720, 460);
    m_recipient = new QLineEdit(this);
    m_recipient->setObjectName(QStringLiteral("thisRecipient"));
    m_recipient->setReadOnly(true);
    auto *copy = new QPushButton(tr("&Copy"), this);
    copy->setObjectName(QStringLiteral("copyRecipient"));
    connect(copy, &QPushButton::clicked, this, &ReceiveDialog::copyRecipient);
    auto *recipientRow = new QHBoxLayout;
    recipientRow->addWidget(m_recipient, 1);
    recipientRow->addWidget(copy);

    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("bundlePath"));
    m_path->setPlaceholderText(tr("a .age bundle"));
    auto *browseButton = new QPushButton(tr("Open bundle…"), this);
    connect(browseButton, &QPushButton::clicked, this, &ReceiveDialog::browse);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browseButton);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_preview = new QTreeWidget(this);
    m_preview->setObjectName(QStringLiteral("bundlePreview"));
    m_preview->setRootIsDecorated(false);
    m_preview->setHeaderLabels({tr("Account"), tr("auth_key_id"), tr("User id"), tr("DC"), tr("Peers")});

    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_import = box->addButton(tr("&Import selected"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("importBundle"));
    m_import->setEnabled(false);
    connect(m_import, &QPushButton::clicked, this, [this] {
        const int n = importChecked();
        if (n < 0)
            UiFacade::instance().warning(this, windowTitle(), m_lastError);
        else
            accept();
    });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("This machine's recipient:"), recipientRow);
    form->addRow(tr("Bundle:"), pathRow);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("On the other machine, choose \"Send to another machine…\" and paste this recipient. "
                                    "Only this machine can open what is sent to it."),
                                 this));
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_preview, 1);
    layout->addWidget(box);

    SecretStore *store = &m_secrets;
    const JobOutcome job = runJob(this, tr("Reading this machine's identity…"), [store](TaskContext &) -> QVariant {
        auto id = bundle::machineIdentity(*store);
        if (!id)
            return QVariantList{false, id.error().message};
        return QVariantList{true, id->recipient()};
    });
    const QVariantList r = job.result.toList();
    if (r.size() == 2 && r[0].toBool()) {
        m_recipient->setText(r[1].toString());
    } else {
        m_recipient->setText(QString());
        m_status->setText(tr("This machine has no identity: %1").arg(r.value(1).toString()));
        copy->setEnabled(false);
    }
}

ReceiveDialog::~ReceiveDialog() = default;

QString ReceiveDialog::recipient() const { return m_recipient->text(); }

void ReceiveDialog::copyRecipient()
{
    if (auto *cb = QApplication::clipboard())
        cb->setText(m_recipient->text());
}

void ReceiveDialog::browse()
{
    const QStringList f = UiFacade::instance().openFileNames(this, tr("Open bundle"), tr("age bundles (*.age);;All files (*)"));
    if (!f.isEmpty())
        openBundle(f.first());
}

bool ReceiveDialog::openBundle(const QString &path)
{
    m_path->setText(path);
    m_preview->clear();
    m_store = Store();
    m_import->setEnabled(false);
    auto keys = std::make_shared<bundle::Keys>();
    keys->identityFallback = bundle::machineIdentityFallback(m_secrets);
    // A passphrase bundle: ask on the GUI thread before the job starts.
    {
        QFile f(path);
        QByteArray top;
        if (f.open(QIODevice::ReadOnly))
            top = f.read(1024 * 1024 + 4096); // the header is at most 1 MiB
        auto header = age::parseHeader(top);
        if (header && header->isPassphrase()) {
            bool ok = false;
            QByteArray pass = UiFacade::instance().password(this, windowTitle(), tr("Passphrase of %1:").arg(QFileInfo(path).fileName()), &ok);
            if (!ok) {
                wipe(pass);
                return false;
            }
            keys->setPassphrase(SecretBytes::fromByteArray(pass));
            wipe(pass);
        }
    }
    auto holder = std::make_shared<Result<Store>>(Error::badInput(QString()));
    const JobOutcome job = runJob(this, tr("Opening the bundle…"), [path, keys, holder](TaskContext &) -> QVariant {
        *holder = bundle::openBundle(path, keys);
        return QVariant();
    });
    if (job.cancelled)
        return false;
    if (!*holder) {
        m_lastError = holder->error().message;
        m_status->setText(tr("%1: %2").arg(QFileInfo(path).fileName(), m_lastError));
        return false;
    }
    m_store = std::move(holder->value());
    for (size_t i = 0; i < m_store.accounts.size(); ++i) {
        const Session &s = m_store.accounts[i];
        auto *item = new QTreeWidgetItem(m_preview);
        item->setText(0, defaultAccountLabel(s));
        item->setText(1, s.primary() ? s.primary()->authKeyId() : QString());
        item->setText(2, s.userId ? QString::number(*s.userId) : QString());
        item->setText(3, QString::number(s.dcId));
        item->setText(4, QString::number(s.peerCounts().total()));
        item->setData(0, Qt::UserRole, static_cast<int>(i));
        item->setCheckState(0, Qt::Checked);
    }
    for (int c = 0; c < 5; ++c)
        m_preview->resizeColumnToContents(c);
    m_status->setText(tr("%n account(s) in the bundle. Choose the ones to import.", nullptr, static_cast<int>(m_store.accounts.size())));
    m_import->setEnabled(!m_store.accounts.empty());
    return true;
}

int ReceiveDialog::importChecked()
{
    m_lastError.clear();
    auto chosen = std::make_shared<Store>();
    chosen->formatId = m_store.formatId;
    chosen->formatVersion = m_store.formatVersion;
    for (int i = 0; i < m_preview->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_preview->topLevelItem(i);
        if (item->checkState(0) == Qt::Checked)
            chosen->accounts.push_back(m_store.accounts.at(static_cast<size_t>(item->data(0, Qt::UserRole).toInt())));
    }
    if (chosen->accounts.empty()) {
        m_lastError = tr("Choose at least one account.");
        return -1;
    }
    const QString vaultPath = m_vaultPath;
    const QString source = QFileInfo(m_path->text()).absoluteFilePath();
    SecretStore *secrets = &m_secrets;
    const JobOutcome job = runJob(this, tr("Importing into the vault…"), [=](TaskContext &) -> QVariant {
        auto vault = Vault::open(vaultPath, *secrets, true);
        if (!vault)
            return QVariantList{-1, vault.error().message};
        VaultImportOptions o;
        o.source = source;
        auto items = bundle::importVerified(**vault, *chosen, o);
        if (!items)
            return QVariantList{-1, items.error().message};
        int added = 0;
        for (const VaultImportItem &it : *items)
            added += it.id.isEmpty() ? 0 : 1;
        return QVariantList{added, QString()};
    });
    const QVariantList r = job.result.toList();
    if (job.cancelled || r.size() != 2)
        return -1;
    if (r[0].toInt() < 0) {
        m_lastError = r[1].toString();
        return -1;
    }
    return r[0].toInt();
}

} // namespace sd
