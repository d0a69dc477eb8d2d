#include "accessiblenames.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTextEdit>

namespace sd {

namespace {

QString clean(QString text)
{
    text.remove(QLatin1Char('&'));
    text.remove(QStringLiteral("…"));
    text = text.trimmed();
    if (text.endsWith(QLatin1Char(':')))
        text.chop(1);
    return text;
}

bool interactive(const QWidget *w)
{
    return qobject_cast<const QAbstractButton *>(w) || qobject_cast<const QLineEdit *>(w) || qobject_cast<const QComboBox *>(w) ||
           qobject_cast<const QAbstractSpinBox *>(w) || qobject_cast<const QAbstractItemView *>(w) ||
           qobject_cast<const QPlainTextEdit *>(w) || qobject_cast<const QTextEdit *>(w) || qobject_cast<const QTabWidget *>(w);
}

QString buddyText(QWidget *w)
{
    QWidget *top = w->window();
    for (QLabel *l : top->findChildren<QLabel *>())
        if (l->buddy() == w)
            return clean(l->text());
    return {};
}

// The column titles of an item view's model ("Label, Format, DC"), empty without any.
QString columnTitles(const QAbstractItemView *v)
{
    const QAbstractItemModel *m = v->model();
    QStringList titles;
    for (int c = 0; m && c < m->columnCount(); ++c) {
        const QString t = m->headerData(c, Qt::Horizontal).toString();
        if (!t.isEmpty())
            titles << t;
    }
    return titles.join(QStringLiteral(", "));
}

void fillOne(QWidget *w)
{
    if (!interactive(w))
        return;
    if (w->accessibleName().isEmpty()) {
        QString name = buddyText(w);
        if (name.isEmpty())
            if (auto *b = qobject_cast<QAbstractButton *>(w))
                name = clean(b->text());
        if (name.isEmpty())
            if (auto *e = qobject_cast<QLineEdit *>(w))
                name = clean(e->placeholderText());
        if (name.isEmpty())
            if (auto *h = qobject_cast<QHeaderView *>(w)) {
                name = h->orientation() == Qt::Horizontal ? QObject::tr("Column headers") : QObject::tr("Row headers");
                if (w->parentWidget() && !w->parentWidget()->accessibleName().isEmpty())
                    name = QStringLiteral("%1: %2").arg(w->parentWidget()->accessibleName(), name);
            }
        if (name.isEmpty() && w->inherits("QTableCornerButton"))
            name = QObject::tr("Select all rows");
        if (name.isEmpty())
            if (auto *v = qobject_cast<QAbstractItemView *>(w); v && !clean(w->window()->windowTitle()).isEmpty()) {
                // A list without a label of its own: named after its window, described by its columns.
                name = QObject::tr("%1 list").arg(clean(w->window()->windowTitle()));
                if (w->accessibleDescription().isEmpty() && w->toolTip().isEmpty() && !columnTitles(v).isEmpty())
                    w->setAccessibleDescription(QObject::tr("Columns: %1").arg(columnTitles(v)));
            }
        if (name.isEmpty())
            name = clean(w->toolTip());
        if (name.isEmpty())
            name = clean(w->windowTitle());
        if (name.isEmpty() && !w->objectName().isEmpty() && !w->objectName().startsWith(QLatin1String("qt_")))
            name = w->objectName();
        if (!name.isEmpty())
            w->setAccessibleName(name);
    }
    if (w->accessibleDescription().isEmpty()) {
        QString desc = w->toolTip();
        if (desc.isEmpty())
            if (auto *e = qobject_cast<QLineEdit *>(w))
                desc = e->placeholderText();
        if (desc.isEmpty())
            desc = w->accessibleName();
        w->setAccessibleDescription(desc);
    }
}

class Namer : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject *o, QEvent *e) override
    {
        if (e->type() == QEvent::Show && o->isWidgetType())
            fillAccessibleNames(static_cast<QWidget *>(o));
        return false;
    }
};

} // namespace

void fillAccessibleNames(QWidget *w)
{
    if (!w)
        return;
    fillOne(w);
    for (QWidget *c : w->findChildren<QWidget *>())
        fillOne(c);
}

void installAccessibleNamer()
{
    static bool installed = false;
    if (installed || !qApp)
        return;
    installed = true;
    qApp->installEventFilter(new Namer(qApp));
}

} // namespace sd
