#pragma once
// The Audit view: scans folders for sessions of every format (core/audit) off the GUI thread and
// lists the findings (duplicate keys, world-readable files, strings in text files...). A
// double-click opens the session the finding is about.
#include "audit/audit.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace sd {

class AuditDialog : public QDialog {
    Q_OBJECT
public:
    explicit AuditDialog(const QStringList &initialPaths, QWidget *parent = nullptr);
    // Runs the audit now (also used by tests); returns false when cancelled.
    bool runAuditNow();
    const AuditReport &report() const { return m_report; }

Q_SIGNALS:
    void openRequested(const QString &path);

private:
    void browse();
    void showReport();

    QLineEdit *m_paths = nullptr;
    QCheckBox *m_recursive = nullptr;
    QSpinBox *m_staleDays = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_summary = nullptr;
    AuditReport m_report;
};

} // namespace sd
