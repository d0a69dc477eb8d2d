#pragma once
// The open documents of one window. Emits "about to"/"done" signals so item models can be exact
// (KeePassXC's pattern); it owns the documents, models only translate.
#include "edit/document.h"

#include <QObject>
#include <memory>
#include <vector>

namespace sd {

class Workspace : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~Workspace() override;

    int count() const { return static_cast<int>(m_docs.size()); }
    Document *at(int index) const;
    int indexOf(const Document *doc) const;
    // Index of an open document for the same file (canonical path), or -1.
    int findPath(const QString &path) const;
    int add(std::unique_ptr<Document> doc);
    void remove(int index);
    bool anyModified() const;

Q_SIGNALS:
    void aboutToAdd(int index);
    void added(int index);
    void aboutToRemove(int index);
    void removed(int index);
    void documentChanged(int index); // modified flag, reload, session edits

private:
    std::vector<std::unique_ptr<Document>> m_docs;
};

} // namespace sd
