#pragma once
// Import: files, folders (scanned recursively), drag and drop, or a pasted string session (masked,
// with a show toggle). "Analyze" detects the format(s) and reads them off the GUI thread, then the
// preview lists what will be imported (format, accounts, auth_key_id, peers) before anything is
// added. Telegram Desktop folders take a passcode.
#include "edit/document.h"

#include <QDialog>
#include <memory>
#include <vector>

class QCheckBox;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTreeWidget;

namespace sd {

class ImportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportDialog(QWidget *parent = nullptr);
    ~ImportDialog() override;

    void addPaths(const QStringList &paths);
    void setPastedString(const QString &text);
    void setPasscode(const QString &passcode);
    // Detects and reads every input (background job). Returns false when cancelled.
    bool analyze();
    // The documents read by the last analyze() (taken by the caller after accept()).
    std::vector<std::unique_ptr<Document>> takeDocuments();
    int readyCount() const { return static_cast<int>(m_docs.size()); }
    enum PreviewColumn { SourceColumn, FormatColumn, AccountsColumn, KeyIdColumn, PeersColumn, StatusColumn };
    QTreeWidget *preview() const { return m_preview; } // one row per input, columns as above
    QLineEdit *stringField() const { return m_string; }

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void updateButtons();
    QListWidget *m_inputs;
    QLineEdit *m_string;
    QCheckBox *m_showString;
    QLineEdit *m_passcode;
    QTreeWidget *m_preview;
    QPushButton *m_analyze;
    QPushButton *m_import;
    std::vector<std::unique_ptr<Document>> m_docs;
};

// One line per item read, for previews and tests: "format, N account(s), auth_key_id ..., P peers".
QString describeDocument(const Document &doc);

} // namespace sd
