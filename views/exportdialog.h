#pragma once
// Export one account to one or more target formats: pick formats (those with a writer), the
// destination folder and the options the targets need (user id, API id, passcode, carry peers).
// The preview lists, per target, the output path and what the target cannot carry
// (convert.h droppedFields), before anything is written. String targets show the string masked.
#include "convert/convert.h"
#include "edit/document.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace sd {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(Document *doc, int account, QWidget *parent = nullptr);
    ~ExportDialog() override;

    // Test and scripting hooks (the widgets do the same).
    void selectFormats(const QStringList &ids);
    QStringList selectedFormats() const;
    void setDestination(const QString &folder, const QString &baseName);
    void setUserId(const QString &text);
    void setApiId(const QString &text);
    void setPasscode(const QString &text);
    void setCarryPeers(bool carry);
    void setOverwrite(bool force);
    QString previewText() const;
    // Writes every selected target (background job); returns the number written.
    int exportNow();
    // Output of string targets from the last export (format id -> string). Wiped with the dialog.
    QMap<QString, QString> strings() const { return m_strings; }
    QStringList writtenPaths() const { return m_written; }
    QStringList errors() const { return m_errors; }

    static QString defaultFileName(const Format &format, const QString &base, std::optional<qint64> userId = std::nullopt);

private:
    void updatePreview();
    bool buildRequest(ConvertRequest *request, QString *problem) const;
    QPointer<Document> m_doc;
    int m_account;
    QListWidget *m_formats;
    QLineEdit *m_folder;
    QLineEdit *m_base;
    QLineEdit *m_userId;
    QLineEdit *m_apiId;
    QLineEdit *m_passcode;
    QCheckBox *m_carryPeers;
    QCheckBox *m_overwrite;
    QPlainTextEdit *m_preview;
    QLineEdit *m_stringOut;
    QCheckBox *m_showString;
    QPushButton *m_export;
    QMap<QString, QString> m_strings;
    QStringList m_written;
    QStringList m_errors;
};

} // namespace sd
