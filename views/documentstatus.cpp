#include "documentstatus.h"

#include "edit/document.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>

namespace sd {

DocumentStatus::DocumentStatus(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("documentStatus"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto make = [this, layout](const QString &name, const QString &accessible) {
        auto *l = new QLabel(this);
        l->setObjectName(name);
        l->setAccessibleName(accessible);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(l);
        return l;
    };
    m_format = make(QStringLiteral("statusFormat"), tr("Format and version"));
    m_path = make(QStringLiteral("statusPath"), tr("Path"));
    m_lock = make(QStringLiteral("statusLock"), tr("Lock state"));
    m_modified = make(QStringLiteral("statusModified"), tr("Unsaved changes"));
    m_timer = new QTimer(this);
    m_timer->setInterval(2000);
    connect(m_timer, &QTimer::timeout, this, &DocumentStatus::refresh);
    refresh();
}

void DocumentStatus::setDocument(Document *doc)
{
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    m_doc = doc;
    if (doc) {
        connect(doc, &Document::modifiedChanged, this, &DocumentStatus::refresh);
        connect(doc, &Document::reloaded, this, &DocumentStatus::refresh);
        m_timer->start();
    } else {
        m_timer->stop();
    }
    refresh();
}

QString DocumentStatus::formatText() const { return m_format->text(); }
QString DocumentStatus::lockText() const { return m_lock->text(); }
QString DocumentStatus::modifiedText() const { return m_modified->text(); }

void DocumentStatus::refresh()
{
    Document *doc = m_doc;
    if (!doc) {
        for (QLabel *l : {m_format, m_path, m_lock, m_modified})
            l->clear();
        setVisible(false);
        if (!m_lastLock.isEmpty()) {
            m_lastLock.clear();
            Q_EMIT lockChanged(m_lastLock);
        }
        return;
    }
    setVisible(true);
    const Store &st = doc->store();
    QString format = doc->format() ? doc->format()->displayName() : tr("unknown format");
    if (st.formatVersion)
        format += tr(" (version %1)").arg(*st.formatVersion);
    if (!st.variant.isEmpty())
        format += QStringLiteral(" · %1").arg(st.variant);
    m_format->setText(format);
    m_path->setText(doc->isString() ? tr("pasted string") : doc->source().path);
    m_path->setToolTip(m_path->text());
    const QString lock = doc->lockState();
    if (lock.isEmpty())
        m_lock->setText(doc->isDetached() ? tr("read-only (%1)").arg(doc->cannotSaveReason()) : tr("not held by a client"));
    else
        m_lock->setText(lock);
    m_modified->setText(doc->isModified() ? tr("unsaved changes") : tr("no unsaved changes"));
    if (lock != m_lastLock) {
        m_lastLock = lock;
        Q_EMIT lockChanged(lock);
    }
}

} // namespace sd
