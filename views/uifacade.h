#pragma once
// Every file dialog and message box of the app goes through UiFacade, so tests can script the
// answers (KeePassXC's setNextFileName/setNextAnswer idea) and never block on a native dialog.
#include <QMessageBox>
#include <QQueue>
#include <QString>
#include <QStringList>
#include <QUrl>

class QWidget;

namespace sd {

class UiFacade {
public:
    virtual ~UiFacade() = default;
    virtual QStringList openFileNames(QWidget *parent, const QString &title, const QString &filter) = 0;
    virtual QString existingDirectory(QWidget *parent, const QString &title) = 0;
    virtual QString saveFileName(QWidget *parent, const QString &title, const QString &suggested) = 0;
    // Returns the button pressed.
    virtual QMessageBox::StandardButton question(QWidget *parent, const QString &title, const QString &text,
                                                 QMessageBox::StandardButtons buttons) = 0;
    virtual void information(QWidget *parent, const QString &title, const QString &text) = 0;
    virtual void warning(QWidget *parent, const QString &title, const QString &text) = 0;
    // A secret (passcode); ok=false when cancelled. The caller wipes the returned bytes.
    virtual QByteArray password(QWidget *parent, const QString &title, const QString &label, bool *ok) = 0;
    // Hands a URL to the desktop (file manager for a folder). Default: QDesktopServices.
    virtual bool openUrl(const QUrl &url);

    // The folder file dialogs start in (QSettings "ui/lastFolder"), and remembering a new one (a
    // file's folder, or a folder itself).
    static QString lastFolder();
    static void rememberFolder(const QString &path);

    // The facade the app uses (a DefaultUi unless a test installed another). Not owned.
    static UiFacade &instance();
    static void install(UiFacade *facade); // nullptr restores the default
};

class DefaultUi : public UiFacade {
public:
    QStringList openFileNames(QWidget *parent, const QString &title, const QString &filter) override;
    QString existingDirectory(QWidget *parent, const QString &title) override;
    QString saveFileName(QWidget *parent, const QString &title, const QString &suggested) override;
    QMessageBox::StandardButton question(QWidget *parent, const QString &title, const QString &text,
                                         QMessageBox::StandardButtons buttons) override;
    void information(QWidget *parent, const QString &title, const QString &text) override;
    void warning(QWidget *parent, const QString &title, const QString &text) override;
    QByteArray password(QWidget *parent, const QString &title, const QString &label, bool *ok) override;
};

// Scripted answers for tests: queue what the next dialogs return; every message shown is recorded.
class ScriptedUi : public UiFacade {
public:
    QQueue<QStringList> nextFiles;
    QQueue<QString> nextDirectory;
    QQueue<QString> nextSaveName;
    QQueue<QMessageBox::StandardButton> nextAnswer;   // empty: Cancel if offered, else No
    QQueue<QByteArray> nextPassword;                  // empty: cancelled
    QStringList messages;                             // "title: text" of every information/warning/question
    QStringList warnings;
    QList<QUrl> openedUrls;                           // what openUrl was asked to show (nothing is launched)

    QStringList openFileNames(QWidget *, const QString &, const QString &) override;
    QString existingDirectory(QWidget *, const QString &) override;
    QString saveFileName(QWidget *, const QString &, const QString &) override;
    QMessageBox::StandardButton question(QWidget *, const QString &title, const QString &text,
                                         QMessageBox::StandardButtons buttons) override;
    void information(QWidget *, const QString &title, const QString &text) override;
    void warning(QWidget *, const QString &title, const QString &text) override;
    QByteArray password(QWidget *, const QString &title, const QString &label, bool *ok) override;
    bool openUrl(const QUrl &url) override;
};

} // namespace sd
