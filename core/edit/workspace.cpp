#include "workspace.h"

#include <QFileInfo>

namespace sd {

Workspace::~Workspace() = default;

Document *Workspace::at(int index) const
{
    if (index < 0 || index >= count())
        return nullptr;
    return m_docs[static_cast<size_t>(index)].get();
}

int Workspace::indexOf(const Document *doc) const
{
    for (int i = 0; i < count(); ++i)
        if (m_docs[static_cast<size_t>(i)].get() == doc)
            return i;
    return -1;
}

int Workspace::findPath(const QString &path) const
{
    const QString canon = QFileInfo(path).canonicalFilePath();
    if (canon.isEmpty())
        return -1;
    for (int i = 0; i < count(); ++i) {
        const Document *d = at(i);
        if (!d->isString() && QFileInfo(d->source().path).canonicalFilePath() == canon)
            return i;
    }
    return -1;
}

int Workspace::add(std::unique_ptr<Document> doc)
{
    const int index = count();
    Document *d = doc.get();
    Q_EMIT aboutToAdd(index);
    m_docs.push_back(std::move(doc));
    auto changed = [this, d] {
        const int i = indexOf(d);
        if (i >= 0)
            Q_EMIT documentChanged(i);
    };
    connect(d, &Document::modifiedChanged, this, changed);
    connect(d, &Document::reloaded, this, changed);
    connect(d, &Document::sessionChanged, this, changed);
    Q_EMIT added(index);
    return index;
}

void Workspace::remove(int index)
{
    if (index < 0 || index >= count())
        return;
    Q_EMIT aboutToRemove(index);
    std::unique_ptr<Document> doc = std::move(m_docs[static_cast<size_t>(index)]);
    m_docs.erase(m_docs.begin() + index);
    Q_EMIT removed(index);
    doc.reset();
}

bool Workspace::anyModified() const
{
    for (const auto &d : m_docs)
        if (d->isModified())
            return true;
    return false;
}

} // namespace sd
