#include "uifacade.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QInputDialog>
#include <QLineEdit>

namespace sd {

namespace {
UiFacade *g_installed = nullptr;
}

UiFacade &UiFacade::instance()
{
    static DefaultUi def;
    return g_installed ? *g_installed : def;
}

void UiFacade::install(UiFacade *facade) { g_installed = facade; }

QString UiFacade::lastFolder() { return QSettings().value(QStringLiteral("ui/lastFolder")).toString(); }

void UiFacade::rememberFolder(const QString &path)
{
    if (path.isEmpty())
        return;
    const QFileInfo fi(path);
    QSettings().setValue(QStringLiteral("ui/lastFolder"), fi.isDir() ? fi.absoluteFilePath() : fi.absolutePath());
}

QStringList DefaultUi::openFileNames(QWidget *parent, const QString &title, const QString &filter)
{
    const QStringList files = QFileDialog::getOpenFileNames(parent, title, lastFolder(), filter);
    if (!files.isEmpty())
        rememberFolder(files.front());
    return files;
}

QString DefaultUi::existingDirectory(QWidget *parent, const QString &title)
{
    const QString dir = QFileDialog::getExistingDirectory(parent, title, lastFolder());
    rememberFolder(dir);
    return dir;
}

QString DefaultUi::saveFileName(QWidget *parent, const QString &title, const QString &suggested)
{
    const QString start = QFileInfo(suggested).isAbsolute() || lastFolder().isEmpty() ? suggested : QDir(lastFolder()).filePath(suggested);
    const QString name = QFileDialog::getSaveFileName(parent, title, start);
    rememberFolder(name);
    return name;
}

QMessageBox::StandardButton DefaultUi::question(QWidget *parent, const QString &title, const QString &text,
                                                QMessageBox::StandardButtons buttons)
{
    return QMessageBox::question(parent, title, text, buttons);
}

void DefaultUi::information(QWidget *parent, const QString &title, const QString &text)
{
    QMessageBox::information(parent, title, text);
}

void DefaultUi::warning(QWidget *parent, const QString &title, const QString &text)
{
    QMessageBox::warning(parent, title, text);
}

QByteArray DefaultUi::password(QWidget *parent, const QString &title, const QString &label, bool *ok)
{
    QString text = QInputDialog::getText(parent, title, label, QLineEdit::Password, QString(), ok);
    QByteArray out = text.toUtf8();
    text.fill(QLatin1Char('\0'));
    return out;
}

QStringList ScriptedUi::openFileNames(QWidget *, const QString &, const QString &)
{
    return nextFiles.isEmpty() ? QStringList() : nextFiles.dequeue();
}

QString ScriptedUi::existingDirectory(QWidget *, const QString &)
{
    return nextDirectory.isEmpty() ? QString() : nextDirectory.dequeue();
}

QString ScriptedUi::saveFileName(QWidget *, const QString &, const QString &)
{
    return nextSaveName.isEmpty() ? QString() : nextSaveName.dequeue();
}

QMessageBox::StandardButton ScriptedUi::question(QWidget *, const QString &title, const QString &text,
                                                 QMessageBox::StandardButtons buttons)
{
    messages << title + QStringLiteral(": ") + text;
    if (!nextAnswer.isEmpty())
        return nextAnswer.dequeue();
    return buttons.testFlag(QMessageBox::Cancel) ? QMessageBox::Cancel : QMessageBox::No;
}

void ScriptedUi::information(QWidget *, const QString &title, const QString &text)
{
    messages << title + QStringLiteral(": ") + text;
}

void ScriptedUi::warning(QWidget *, const QString &title, const QString &text)
{
    messages << title + QStringLiteral(": ") + text;
    warnings << title + QStringLiteral(": ") + text;
}

QByteArray ScriptedUi::password(QWidget *, const QString &, const QString &, bool *ok)
{
    *ok = !nextPassword.isEmpty();
    return *ok ? nextPassword.dequeue() : QByteArray();
}

bool UiFacade::openUrl(const QUrl &url) { return QDesktopServices::openUrl(url); }

bool ScriptedUi::openUrl(const QUrl &url)
{
    openedUrls << url;
    return true;
}

} // namespace sd
