#include "auditdialog.h"

#include "jobdialog.h"
#include "uifacade.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sd {

namespace {
enum Column { SeverityCol, RuleCol, PathCol, KeyCol, MessageCol, ColumnCount };
}

AuditDialog::AuditDialog(const QStringList &initialPaths, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Audit sessions"));
    resize(960, 560);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    auto *pathRow = new QHBoxLayout;
    m_paths = new QLineEdit(initialPaths.join(QLatin1Char(';')), this);
    m_paths->setPlaceholderText(tr("Folders or files to scan, separated by ';'"));
    auto *browseButton = new QPushButton(tr("Browse…"), this);
    pathRow->addWidget(m_paths);
    pathRow->addWidget(browseButton);
    form->addRow(tr("Scan:"), pathRow);
    m_recursive = new QCheckBox(tr("Include subfolders"), this);
    m_recursive->setChecked(true);
    form->addRow(QString(), m_recursive);
    m_staleDays = new QSpinBox(this);
    m_staleDays->setRange(1, 3650);
    m_staleDays->setValue(90);
    m_staleDays->setSuffix(tr(" days"));
    form->addRow(tr("Stale after:"), m_staleDays);
    layout->addLayout(form);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setHorizontalHeaderLabels({tr("Severity"), tr("Rule"), tr("Place"), tr("auth_key_id"), tr("Details")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSortingEnabled(true);
    m_table->verticalHeader()->hide();
    layout->addWidget(m_table, 1);
    m_summary = new QLabel(tr("Choose what to scan and press Run."), this);
    layout->addWidget(m_summary);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *run = buttons->addButton(tr("&Run audit"), QDialogButtonBox::ActionRole);
    run->setDefault(true);
    layout->addWidget(buttons);

    connect(browseButton, &QPushButton::clicked, this, &AuditDialog::browse);
    connect(run, &QPushButton::clicked, this, [this] { runAuditNow(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (QTableWidgetItem *item = m_table->item(row, PathCol))
            Q_EMIT openRequested(item->data(Qt::UserRole).toString());
    });
}

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
    m_table->setRowCount(0);
    for (const Finding &f : m_report.findings) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto *sev = new QTableWidgetItem(severityName(f.severity));
        sev->setData(Qt::UserRole, static_cast<int>(f.severity));
        m_table->setItem(row, SeverityCol, sev);
        m_table->setItem(row, RuleCol, new QTableWidgetItem(f.rule));
        auto *path = new QTableWidgetItem(f.path);
        path->setData(Qt::UserRole, f.path);
        path->setToolTip(f.path);
        m_table->setItem(row, PathCol, path);
        m_table->setItem(row, KeyCol, new QTableWidgetItem(f.authKeyId.value_or(QString())));
        auto *msg = new QTableWidgetItem(f.message);
        msg->setToolTip(f.message);
        m_table->setItem(row, MessageCol, msg);
    }
    m_table->setSortingEnabled(true);
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
}

} // namespace sd
