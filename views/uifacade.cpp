#include "uifacade.h"

#include <QFileDialog>
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

QStringList DefaultUi::openFileNames(QWidget *parent, const QString &title, const QString &filter)
{
    return QFileDialog::getOpenFileNames(parent, title, QString(), filter);
}

QString DefaultUi::existingDirectory(QWidget *parent, const QString &title)
{
    return QFileDialog::getExistingDirectory(parent, title);
}

QString DefaultUi::saveFileName(QWidget *parent, const QString &title, const QString &suggested)
{
    return QFileDialog::getSaveFileName(parent, title, suggested);
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

} // namespace sd
