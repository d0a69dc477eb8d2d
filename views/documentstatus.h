#pragma once
// The status bar's permanent part for the open store: format and version, path, lock state
// ("held by process N: read-only", asked again every 2 s) and unsaved changes. It says what is
// known; the main window only hands it the current document.
#include <QPointer>
#include <QWidget>

class QLabel;
class QTimer;

namespace sd {

class Document;

class DocumentStatus : public QWidget {
    Q_OBJECT
public:
    explicit DocumentStatus(QWidget *parent = nullptr);
    void setDocument(Document *doc);
    // Asks the lock probe now (the timer does it every 2 s).
    void refresh();

    QString formatText() const;
    QString lockText() const;
    QString modifiedText() const;

Q_SIGNALS:
    // The lock state changed (Save must be enabled or disabled).
    void lockChanged(const QString &state);

private:
    QPointer<Document> m_doc;
    QLabel *m_format;
    QLabel *m_path;
    QLabel *m_lock;
    QLabel *m_modified;
    QTimer *m_timer;
    QString m_lastLock;
};

} // namespace sd
