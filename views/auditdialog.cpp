#include "auditdialog.h"

#include "jobdialog.h"
#include "keychainsecretstore.h"
#include "uifacade.h"
#include "io/atomicfile.h"
#include "vault/vault.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace sd {

namespace {

constexpr int kFindingIndexRole = Qt::UserRole + 1;

// Sorts by the value in Qt::UserRole (severity rank, timestamp) when there is one, else by text.
class SortItem : public QTableWidgetItem {
public:
    using QTableWidgetItem::QTableWidgetItem;
    bool operator<(const QTableWidgetItem &other) const override
    {
        const QVariant a = data(Qt::UserRole), b = other.data(Qt::UserRole);
        if (a.isValid() && b.isValid() && a.typeId() == QMetaType::LongLong && b.typeId() == QMetaType::LongLong)
            return a.toLongLong() < b.toLongLong();
        return QTableWidgetItem::operator<(other);
    }
};

QString dateText(std::optional<qint64> secs)
{
    if (!secs)
        return QString();
    return QLocale().toString(QDateTime::fromSecsSinceEpoch(*secs), QLocale::ShortFormat);
}

QPushButton *actionButton(const QString &text, const QString &description, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setAccessibleName(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…")));
    b->setAccessibleDescription(description);
    b->setToolTip(description);
    return b;
}

} // namespace

AuditDialog::AuditDialog(const QStringList &initialPaths, QWidget *parent, const QString &vaultPath, SecretStore *secrets)
    : QDialog(parent), m_vaultPath(Vault::resolvePath(vaultPath)), m_secrets(secrets)
{
    if (!m_secrets) {
        m_ownSecrets = std::make_unique<KeychainSecretStore>(QStringLiteral("sessiondesk"), 15000);
        m_secrets = m_ownSecrets.get();
    }
    setObjectName(QStringLiteral("auditDialog"));
    setWindowTitle(tr("Audit sessions"));
    setAccessibleName(tr("Audit sessions"));
    setAccessibleDescription(tr("Scan folders for Telegram sessions and act on what is found"));
    resize(1040, 640);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    auto *pathRow = new QHBoxLayout;
    m_paths = new QLineEdit(initialPaths.join(QLatin1Char(';')), this);
    m_paths->setPlaceholderText(tr("Folders or files to scan, separated by ';'"));
    m_paths->setAccessibleName(tr("Places to scan"));
    m_paths->setAccessibleDescription(tr("Folders or files to scan, separated by semicolons"));
    auto *browseButton = actionButton(tr("&Browse…"), tr("Add a folder to scan"), this);
    pathRow->addWidget(m_paths);
    pathRow->addWidget(browseButton);
    auto *scanLabel = new QLabel(tr("&Scan:"), this);
    scanLabel->setBuddy(m_paths);
    form->addRow(scanLabel, pathRow);
    m_recursive = new QCheckBox(tr("Include &subfolders"), this);
    m_recursive->setChecked(true);
    m_recursive->setAccessibleDescription(tr("Scan every folder below the chosen ones"));
    form->addRow(QString(), m_recursive);
    m_staleDays = new QSpinBox(this);
    m_staleDays->setRange(1, 3650);
    m_staleDays->setValue(90);
    m_staleDays->setSuffix(tr(" days"));
    m_staleDays->setAccessibleName(tr("Stale after"));
    m_staleDays->setAccessibleDescription(tr("A session without activity for this many days is reported as stale"));
    auto *staleLabel = new QLabel(tr("S&tale after:"), this);
    staleLabel->setBuddy(m_staleDays);
    form->addRow(staleLabel, m_staleDays);
    layout->addLayout(form);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("findings"));
    m_table->setAccessibleName(tr("Findings"));
    m_table->setAccessibleDescription(tr("What the audit found, most severe first"));
    m_table->setHorizontalHeaderLabels({tr("Severity"), tr("Rule"), tr("Place"), tr("auth_key_id"), tr("Last activity"), tr("Details")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->hide();

    auto *placesBox = new QWidget(this);
    auto *placesLayout = new QVBoxLayout(placesBox);
    placesLayout->setContentsMargins(0, 0, 0, 0);
    m_placesLabel = new QLabel(tr("Places holding this key"), placesBox);
    m_places = new QTreeWidget(placesBox);
    m_places->setObjectName(QStringLiteral("keyPlaces"));
    m_places->setAccessibleName(tr("Places holding this key"));
    m_places->setAccessibleDescription(tr("Every place that holds the duplicated key; choose the one to keep"));
    m_places->setHeaderLabels({tr("Place"), tr("Format"), tr("Line"), tr("User id"), tr("Last activity")});
    m_places->setRootIsDecorated(false);
    m_placesLabel->setBuddy(m_places);
    placesLayout->addWidget(m_placesLabel);
    placesLayout->addWidget(m_places);
    placesBox->hide();

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(placesBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    auto *actions = new QHBoxLayout;
    m_restrict = actionButton(tr("Restrict &permissions…"), tr("Make the file readable by you only (0600; folders 0700)"), this);
    m_move = actionButton(tr("&Move to vault…"), tr("Import the session into the vault, check the copy, then remove the plaintext"), this);
    m_keep = actionButton(tr("&Keep only this copy…"), tr("Keep the chosen place and move every other copy of the key into the vault"), this);
    m_open = actionButton(tr("&Open"), tr("Open the session in the main window"), this);
    m_showFolder = actionButton(tr("Show in &folder"), tr("Show the place in the file manager"), this);
    m_exportJson = actionButton(tr("Export &JSON…"), tr("Save the findings as the audit --json document"), this);
    m_exportCsv = actionButton(tr("Export &CSV…"), tr("Save the findings as a CSV table"), this);
    m_restrict->setObjectName(QStringLiteral("restrictPermissions"));
    m_move->setObjectName(QStringLiteral("moveToVault"));
    m_keep->setObjectName(QStringLiteral("keepOnlyThis"));
    m_open->setObjectName(QStringLiteral("openSession"));
    m_showFolder->setObjectName(QStringLiteral("showInFolder"));
    m_exportJson->setObjectName(QStringLiteral("exportJson"));
    m_exportCsv->setObjectName(QStringLiteral("exportCsv"));
    for (QPushButton *b : {m_restrict, m_move, m_keep, m_open, m_showFolder})
        actions->addWidget(b);
    actions->addStretch(1);
    actions->addWidget(m_exportJson);
    actions->addWidget(m_exportCsv);
    layout->addLayout(actions);

    m_summary = new QLabel(tr("Choose what to scan and press Run."), this);
    m_summary->setAccessibleName(tr("Audit summary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *run = buttons->addButton(tr("&Run audit"), QDialogButtonBox::ActionRole);
    run->setObjectName(QStringLiteral("runAudit"));
    run->setAccessibleName(tr("Run audit"));
    run->setAccessibleDescription(tr("Scan the chosen places now"));
    run->setDefault(true);
    layout->addWidget(buttons);

    connect(browseButton, &QPushButton::clicked, this, &AuditDialog::browse);
    connect(run, &QPushButton::clicked, this, [this] { runAuditNow(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (QTableWidgetItem *item = m_table->item(row, PathCol))
            Q_EMIT openRequested(item->data(Qt::UserRole).toString());
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        showPlaces();
        updateButtons();
    });
    connect(m_table, &QWidget::customContextMenuRequested, this, &AuditDialog::showContextMenu);
    connect(m_restrict, &QPushButton::clicked, this, [this] { restrictSelected(); });
    connect(m_move, &QPushButton::clicked, this, [this] { moveSelectedToVault(); });
    connect(m_keep, &QPushButton::clicked, this, [this] { keepSelectedPlace(); });
    connect(m_open, &QPushButton::clicked, this, &AuditDialog::openSelected);
    connect(m_showFolder, &QPushButton::clicked, this, &AuditDialog::showSelectedInFileManager);
    connect(m_exportJson, &QPushButton::clicked, this, [this] { exportAs(false); });
    connect(m_exportCsv, &QPushButton::clicked, this, [this] { exportAs(true); });
    updateButtons();
}

AuditDialog::~AuditDialog() = default;

void AuditDialog::browse()
{
    const QString dir = UiFacade::instance().existingDirectory(this, tr("Folder to audit"));
    if (dir.isEmpty())
        return;
    QStringList paths = m_paths->text().split(QLatin1Char(';'), Qt::SkipEmptyParts);
    paths << dir;
    m_paths->setText(paths.join(QLatin1Char(';')));
}

bool AuditDialog::runAuditNow()
{
    QStringList paths;
    for (const QString &p : m_paths->text().split(QLatin1Char(';'), Qt::SkipEmptyParts))
        paths << p.trimmed();
    if (paths.isEmpty()) {
        UiFacade::instance().warning(this, tr("Audit"), tr("Choose at least one folder or file to scan."));
        return false;
    }
    AuditOptions options;
    options.recursive = m_recursive->isChecked();
    options.staleDays = m_staleDays->value();
    auto report = std::make_shared<AuditReport>();
    const JobOutcome outcome = runJob(this, tr("Auditing…"), [paths, options, report](TaskContext &ctx) -> QVariant {
        std::atomic_bool cancel {false};
        AuditOptions o = options;
        o.cancel = &cancel;
        o.progress = [&ctx, &cancel](qint64 done, qint64 total, const QString &path) {
            ctx.progress(done, total, path);
            if (ctx.isCancelled())
                cancel.store(true);
        };
        *report = runAudit(paths, o);
        return QVariant(report->cancelled);
    });
    m_report = *report;
    showReport();
    return !outcome.cancelled && !m_report.cancelled;
}

void AuditDialog::showReport()
{
    m_table->setSortingEnabled(false);
    m_table->clearContents();
    m_table->setRowCount(0);
    for (size_t i = 0; i < m_report.findings.size(); ++i) {
        const Finding &f = m_report.findings[i];
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto *sev = new SortItem(severityName(f.severity));
        sev->setData(Qt::UserRole, static_cast<qlonglong>(f.severity));
        sev->setData(kFindingIndexRole, static_cast<qlonglong>(i));
        m_table->setItem(row, SeverityCol, sev);
        m_table->setItem(row, RuleCol, new SortItem(f.rule));
        auto *path = new SortItem(f.path);
        path->setData(Qt::UserRole, f.path);
        path->setToolTip(f.path);
        m_table->setItem(row, PathCol, path);
        m_table->setItem(row, KeyCol, new SortItem(f.authKeyId.value_or(QString())));
        const auto when = lastActivity(m_report, f.path);
        auto *activity = new SortItem(dateText(when));
        if (when) {
            activity->setData(Qt::UserRole, static_cast<qlonglong>(*when));
            activity->setToolTip(QDateTime::fromSecsSinceEpoch(*when).toString(Qt::ISODate));
        }
        m_table->setItem(row, ActivityCol, activity);
        auto *msg = new SortItem(f.message);
        msg->setToolTip(f.message);
        m_table->setItem(row, MessageCol, msg);
    }
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SeverityCol, Qt::DescendingOrder);
    m_table->resizeColumnsToContents();
    QString text = tr("Scanned %1, found %2 session(s), %3 finding(s).")
                       .arg(m_report.scanned)
                       .arg(m_report.sessions)
                       .arg(static_cast<qint64>(m_report.findings.size()));
    if (!m_report.errors.isEmpty())
        text += tr(" %1 input(s) could not be read.").arg(m_report.errors.size());
    if (m_report.cancelled)
        text += tr(" Cancelled: the list is incomplete.");
    m_summary->setText(text);
    showPlaces();
    updateButtons();
}

const Finding *AuditDialog::selectedFinding() const
{
    const int row = m_table->currentRow();
    if (row < 0 || m_table->selectedItems().isEmpty())
        return nullptr;
    const QTableWidgetItem *item = m_table->item(row, SeverityCol);
    if (!item)
        return nullptr;
    const qlonglong i = item->data(kFindingIndexRole).toLongLong();
    if (i < 0 || static_cast<size_t>(i) >= m_report.findings.size())
        return nullptr;
    return &m_report.findings[static_cast<size_t>(i)];
}

bool AuditDialog::selectFinding(const QString &rule, const QString &path)
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, RuleCol)->text() == rule && m_table->item(r, PathCol)->text() == path) {
            m_table->selectRow(r);
            m_table->setCurrentCell(r, SeverityCol);
            return true;
        }
    return false;
}

std::vector<FixAction> AuditDialog::selectedActions(FixKind kind) const
{
    std::vector<FixAction> out;
    const Finding *f = selectedFinding();
    if (!f)
        return out;
    for (FixAction &a : fixesForFinding(*f, m_report))
        if (a.kind == kind)
            out.push_back(std::move(a));
    return out;
}

void AuditDialog::updateButtons()
{
    const Finding *f = selectedFinding();
    m_restrict->setEnabled(!selectedActions(FixKind::RestrictMode).empty());
    m_move->setEnabled(f && f->rule != QLatin1String("duplicate-auth-key") && !selectedActions(FixKind::MoveToVault).empty());
    m_keep->setEnabled(f && f->rule == QLatin1String("duplicate-auth-key") && f->authKeyId);
    m_open->setEnabled(f != nullptr);
    m_showFolder->setEnabled(f != nullptr);
    m_exportJson->setEnabled(!m_report.findings.empty());
    m_exportCsv->setEnabled(!m_report.findings.empty());
}

void AuditDialog::showPlaces()
{
    m_places->clear();
    const Finding *f = selectedFinding();
    const bool dup = f && f->rule == QLatin1String("duplicate-auth-key") && f->authKeyId;
    m_places->parentWidget()->setVisible(dup);
    if (!dup)
        return;
    m_placesLabel->setText(tr("Places holding auth_key_id %1 (choose the one to keep)").arg(*f->authKeyId));
    for (const AuditedSession &s : placesHoldingKey(m_report, *f->authKeyId)) {
        auto *item = new QTreeWidgetItem(m_places, {s.path, s.formatId, s.inTextFile ? QString::number(s.line) : QString(),
                                                    s.userId ? QString::number(*s.userId) : tr("not stored"),
                                                    dateText(s.newestTimestamp)});
        item->setData(0, Qt::UserRole, s.path);
        if (s.path == f->path)
            m_places->setCurrentItem(item);
    }
    for (int c = 0; c < m_places->columnCount(); ++c)
        m_places->resizeColumnToContents(c);
}

void AuditDialog::showContextMenu(const QPoint &pos)
{
    if (!m_table->itemAt(pos))
        return;
    QMenu menu(this);
    for (QPushButton *b : {m_restrict, m_move, m_keep, m_open, m_showFolder}) {
        QAction *a = menu.addAction(b->text(), b, &QPushButton::click);
        a->setEnabled(b->isEnabled());
    }
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

bool AuditDialog::confirmAndApply(const std::vector<FixAction> &actions, const QString &title)
{
    if (actions.empty())
        return false;
    bool needsVault = false;
    QStringList lines;
    for (const FixAction &a : actions) {
        needsVault = needsVault || a.kind == FixKind::MoveToVault;
        lines << QStringLiteral("• ") + a.describe(a.kind == FixKind::MoveToVault ? m_vaultPath : QString());
    }
    const auto answer = UiFacade::instance().question(this, title, tr("This changes:\n%1\n\nContinue?").arg(lines.join(QLatin1Char('\n'))),
                                                      QMessageBox::Yes | QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return false;
    struct Out {
        QStringList done;
        QStringList failed;
    };
    auto out = std::make_shared<Out>();
    const QString vaultPath = m_vaultPath;
    SecretStore *secrets = m_secrets;
    runJob(this, title, [actions, needsVault, vaultPath, secrets, out](TaskContext &ctx) -> QVariant {
        // The vault's SQLite connection lives and dies in this worker thread.
        std::unique_ptr<Vault> vault;
        if (needsVault) {
            auto v = Vault::open(vaultPath, *secrets, true);
            if (!v) {
                out->failed << QStringLiteral("%1: %2").arg(vaultPath, v.error().message);
                return false;
            }
            vault = std::move(*v);
        }
        FixContext fc;
        fc.vault = vault.get();
        qint64 n = 0;
        for (const FixAction &a : actions) {
            if (ctx.isCancelled())
                break;
            ctx.progress(n++, static_cast<qint64>(actions.size()), a.path);
            auto r = applyFix(a, fc);
            if (r)
                out->done << r->summary;
            else
                out->failed << r.error().message;
        }
        return out->failed.isEmpty();
    });
    if (!out->failed.isEmpty())
        UiFacade::instance().warning(this, title,
                                     (out->done.isEmpty() ? QString() : tr("Done:\n%1\n\n").arg(out->done.join(QLatin1Char('\n')))) +
                                         tr("Not done:\n%1").arg(out->failed.join(QLatin1Char('\n'))));
    else
        UiFacade::instance().information(this, title, out->done.join(QLatin1Char('\n')));
    runAuditNow();
    return out->failed.isEmpty() && !out->done.isEmpty();
}

bool AuditDialog::restrictSelected() { return confirmAndApply(selectedActions(FixKind::RestrictMode), tr("Restrict permissions")); }

bool AuditDialog::moveSelectedToVault() { return confirmAndApply(selectedActions(FixKind::MoveToVault), tr("Move to vault")); }

bool AuditDialog::keepSelectedPlace()
{
    const Finding *f = selectedFinding();
    if (!f || !f->authKeyId)
        return false;
    QString keep = f->path;
    if (QTreeWidgetItem *item = m_places->currentItem())
        keep = item->data(0, Qt::UserRole).toString();
    return confirmAndApply(keepOnlyPlan(m_report, *f->authKeyId, keep, false), tr("Keep only %1").arg(QFileInfo(keep).fileName()));
}

void AuditDialog::openSelected()
{
    if (const Finding *f = selectedFinding())
        Q_EMIT openRequested(f->path);
}

void AuditDialog::showSelectedInFileManager()
{
    const Finding *f = selectedFinding();
    if (!f)
        return;
    const QFileInfo fi(f->path);
    // A file is shown through its folder; a session folder is itself the place.
    const QString folder = fi.isDir() ? fi.absoluteFilePath() : fi.absolutePath();
    if (!UiFacade::instance().openUrl(QUrl::fromLocalFile(folder)))
        UiFacade::instance().warning(this, tr("Show in folder"), tr("No file manager could show %1.").arg(folder));
}

void AuditDialog::exportAs(bool csv)
{
    const QString path = UiFacade::instance().saveFileName(this, csv ? tr("Export findings as CSV") : tr("Export findings as JSON"),
                                                           csv ? QStringLiteral("audit.csv") : QStringLiteral("audit.json"));
    if (!path.isEmpty())
        exportFindings(path, csv);
}

bool AuditDialog::exportFindings(const QString &path, bool csv)
{
    const QByteArray bytes = csv ? auditReportCsv(m_report).toUtf8() : QJsonDocument(auditReportJson(m_report)).toJson(QJsonDocument::Indented);
    // The findings name places and key ids (never keys): written 0600 like every other output.
    const Status st = writeFileAtomic(path, bytes, true);
    if (!st) {
        UiFacade::instance().warning(this, tr("Export findings"), st.error().message);
        return false;
    }
    return true;
}

} // namespace sd
