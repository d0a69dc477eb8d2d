#pragma once
// The Audit view: scans folders for sessions of every format (core/audit) off the GUI thread and
// lists the findings, high severity first, with what can be done about each one (core/audit/fix):
// restrict permissions, move the session (or the string in a text file) into the vault, keep one
// copy of a duplicated key, open the session, show it in the file manager. Every action names what
// changes and asks first, runs off the GUI thread, and the list is audited again afterwards.
// Findings export as JSON (the `audit --json` document) or CSV.
#include "audit/audit.h"
#include "audit/fix.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTreeWidget;

namespace sd {

class SecretStore;

class AuditDialog : public QDialog {
    Q_OBJECT
public:
    enum Column { SeverityCol, RuleCol, PathCol, KeyCol, ActivityCol, MessageCol, ColumnCount };

    // vaultPath empty: the default vault; secrets null: the system keychain.
    explicit AuditDialog(const QStringList &initialPaths, QWidget *parent = nullptr, const QString &vaultPath = QString(),
                         SecretStore *secrets = nullptr);
    ~AuditDialog() override;
    // Runs the audit now (also used by tests); returns false when cancelled.
    bool runAuditNow();
    const AuditReport &report() const { return m_report; }
    QTableWidget *table() const { return m_table; }
    // Places holding the key of the selected duplicate-auth-key finding.
    QTreeWidget *places() const { return m_places; }
    // The finding of the selected row (nullptr when none).
    const Finding *selectedFinding() const;
    // Selects the first row with this rule and place; false when there is none.
    bool selectFinding(const QString &rule, const QString &path);

    // The per-finding actions (buttons and context menu). Each confirms first; returns false when
    // nothing was done (no action, declined, or an action failed: the failure is shown).
    bool restrictSelected();
    bool moveSelectedToVault();
    // Keeps the place selected in places() (else the finding's place); the others go to the vault.
    bool keepSelectedPlace();
    void openSelected();
    void showSelectedInFileManager();
    // Writes the findings to path as the `audit --json` document or as CSV. Shown on failure.
    bool exportFindings(const QString &path, bool csv);

Q_SIGNALS:
    void openRequested(const QString &path);

private:
    void browse();
    void showReport();
    void updateButtons();
    void showPlaces();
    void showContextMenu(const QPoint &pos);
    void exportAs(bool csv);
    std::vector<FixAction> selectedActions(FixKind kind) const;
    bool confirmAndApply(const std::vector<FixAction> &actions, const QString &title);

    QString m_vaultPath;
    std::unique_ptr<SecretStore> m_ownSecrets;
    SecretStore *m_secrets = nullptr;
    QLineEdit *m_paths = nullptr;
    QCheckBox *m_recursive = nullptr;
    QSpinBox *m_staleDays = nullptr;
    QTableWidget *m_table = nullptr;
    QTreeWidget *m_places = nullptr;
    QLabel *m_placesLabel = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_restrict = nullptr;
    QPushButton *m_move = nullptr;
    QPushButton *m_keep = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_showFolder = nullptr;
    QPushButton *m_exportJson = nullptr;
    QPushButton *m_exportCsv = nullptr;
    AuditReport m_report;
};

} // namespace sd
