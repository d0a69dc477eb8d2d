#include "prunedialog.h"

#include "jobdialog.h"
#include "uifacade.h"
#include "prune/prune.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>


namespace sd {

PruneDialog::PruneDialog(const Format *format, const QString &path, QWidget *parent, const QString &session)
    : QDialog(parent), m_format(format), m_path(path), m_session(session)
{
    setObjectName(QStringLiteral("pruneDialog"));
    setWindowTitle(tr("Prune peer cache"));
    resize(560, 480);
    m_olderOn = new QCheckBox(tr("Remove peers not updated for"), this);
    m_olderDays = new QSpinBox(this);
    m_olderDays->setRange(1, 36500);
    m_olderDays->setValue(180);
    m_olderDays->setSuffix(tr(" days"));
    m_olderDays->setAccessibleName(tr("Days without an update"));
    m_olderDays->setAccessibleDescription(tr("With the age rule on: peers not updated for this many days are removed"));
    m_users = new QCheckBox(tr("Users"), this);
    m_chats = new QCheckBox(tr("Basic groups"), this);
    m_channels = new QCheckBox(tr("Channels"), this);
    for (QCheckBox *c : {m_users, m_chats, m_channels})
        c->setChecked(true);
    m_keepOn = new QCheckBox(tr("Keep only the newest"), this);
    m_keepN = new QSpinBox(this);
    m_keepN->setRange(0, 100000000);
    m_keepN->setValue(1000);
    m_keepN->setSuffix(tr(" peers"));
    m_keepN->setAccessibleName(tr("Peers to keep"));
    m_keepN->setAccessibleDescription(tr("With the count rule on: how many of the newest peers stay"));
    m_dropPhones = new QCheckBox(tr("Clear phone numbers (keeps the rows)"), this);
    m_backup = new QCheckBox(tr("Write a backup first"), this);
    m_backup->setObjectName(QStringLiteral("pruneBackup"));
    m_backup->setChecked(true);

    auto *older = new QHBoxLayout;
    older->addWidget(m_olderOn);
    older->addWidget(m_olderDays);
    older->addStretch(1);
    auto *types = new QHBoxLayout;
    types->addWidget(m_users);
    types->addWidget(m_chats);
    types->addWidget(m_channels);
    types->addStretch(1);
    auto *keep = new QHBoxLayout;
    keep->addWidget(m_keepOn);
    keep->addWidget(m_keepN);
    keep->addStretch(1);
    auto *form = new QFormLayout;
    form->addRow(tr("File:"), new QLabel(path, this));
    form->addRow(tr("Age:"), older);
    form->addRow(tr("Types:"), types);
    form->addRow(tr("Count:"), keep);
    form->addRow(QString(), m_dropPhones);
    form->addRow(QString(), m_backup);

    m_report = new QPlainTextEdit(this);
    m_report->setObjectName(QStringLiteral("pruneReport"));
    m_report->setReadOnly(true);
    m_report->setPlaceholderText(tr("Run a dry run to see what would be removed."));

    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_previewButton = box->addButton(tr("&Dry run"), QDialogButtonBox::ActionRole);
    m_pruneButton = box->addButton(tr("&Prune"), QDialogButtonBox::ActionRole);
    connect(m_previewButton, &QPushButton::clicked, this, [this] { (void)preview(); });
    connect(m_pruneButton, &QPushButton::clicked, this, [this] {
        const auto answer = UiFacade::instance().question(this, tr("Prune"),
            tr("Remove the selected peers from %1?%2").arg(m_path, m_backup->isChecked() ? QString() : tr("\n\nNo backup will be written.")),
            QMessageBox::Yes | QMessageBox::Cancel);
        if (answer == QMessageBox::Yes)
            (void)pruneNow();
    });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_report, 1);
    layout->addWidget(box);
    if (!format || !format->canPrune()) {
        m_previewButton->setEnabled(false);
        m_pruneButton->setEnabled(false);
        m_report->setPlainText(tr("This format's peer cache cannot be pruned."));
    }
}

PrunePolicy PruneDialog::policy() const
{
    PrunePolicy p;
    if (m_olderOn->isChecked())
        p.olderThanDays = m_olderDays->value();
    const bool all = m_users->isChecked() && m_chats->isChecked() && m_channels->isChecked();
    if (!all) {
        if (m_users->isChecked()) p.types << PeerKind::User;
        if (m_chats->isChecked()) p.types << PeerKind::Chat;
        if (m_channels->isChecked()) p.types << PeerKind::Channel;
    }
    if (m_keepOn->isChecked())
        p.keepNewest = m_keepN->value();
    p.dropPhones = m_dropPhones->isChecked();
    return p;
}

bool PruneDialog::backupEnabled() const { return m_backup->isChecked(); }

void PruneDialog::setOlderThanDays(std::optional<int> days)
{
    m_olderOn->setChecked(days.has_value());
    if (days)
        m_olderDays->setValue(*days);
}

void PruneDialog::setTypes(const QList<PeerKind> &kinds)
{
    const bool all = kinds.isEmpty();
    m_users->setChecked(all || kinds.contains(PeerKind::User));
    m_chats->setChecked(all || kinds.contains(PeerKind::Chat));
    m_channels->setChecked(all || kinds.contains(PeerKind::Channel));
}

void PruneDialog::setKeepNewest(std::optional<qint64> n)
{
    m_keepOn->setChecked(n.has_value());
    if (n)
        m_keepN->setValue(static_cast<int>(std::min<qint64>(*n, m_keepN->maximum())));
}

void PruneDialog::setDropPhones(bool drop) { m_dropPhones->setChecked(drop); }
void PruneDialog::setBackup(bool on) { m_backup->setChecked(on); }
QString PruneDialog::reportText() const { return m_report->toPlainText(); }

QString PruneDialog::describe(const PruneReport &r)
{
    const QLocale l;
    QStringList lines;
    lines << (r.dryRun ? tr("Dry run: nothing was changed.") : tr("Pruned."));
    lines << tr("Would remove / removed: %1 users, %2 basic groups, %3 channels (%4 in total)")
                 .arg(r.removed.users).arg(r.removed.chats).arg(r.removed.channels).arg(r.removed.total());
    lines << tr("Kept: %1 peers").arg(r.kept);
    if (r.phonesCleared > 0)
        lines << tr("Phone numbers cleared: %1").arg(r.phonesCleared);
    lines << tr("Size: %1 → %2 (%3 saved)")
                 .arg(l.formattedDataSize(r.bytesBefore), l.formattedDataSize(r.bytesAfter),
                      l.formattedDataSize(std::max<qint64>(0, r.bytesBefore - r.bytesAfter)));
    if (!r.backup.isEmpty())
        lines << tr("Backup: %1").arg(r.backup);
    return lines.join(QLatin1Char('\n'));
}

Result<PruneReport> PruneDialog::run(bool dryRun)
{
    if (!m_format)
        return Error::usage(tr("no format"));
    const PrunePolicy pol = policy();
    PruneOptions opts;
    opts.dryRun = dryRun;
    opts.backup = m_backup->isChecked();
    opts.session = m_session;
    auto result = std::make_shared<std::optional<Result<PruneReport>>>();
    const Format *f = m_format;
    const QString path = m_path;
    const JobOutcome o = runJob(this, dryRun ? tr("Counting what would be pruned…") : tr("Pruning…"),
                                [f, path, pol, opts, result](TaskContext &) -> QVariant {
                                    *result = prunePeerCache(*f, path, pol, opts);
                                    return true;
                                });
    Q_UNUSED(o);
    Result<PruneReport> r = result->has_value() ? std::move(**result) : Result<PruneReport>(Error::usage(tr("cancelled")));
    if (r) {
        m_report->setPlainText(describe(*r));
        if (!dryRun)
            m_pruned = true;
    } else {
        m_report->setPlainText(tr("Error: %1").arg(r.error().message));
    }
    return r;
}

Result<PruneReport> PruneDialog::preview() { return run(true); }
Result<PruneReport> PruneDialog::pruneNow() { return run(false); }

} // namespace sd
