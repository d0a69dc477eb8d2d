#pragma once
// The Peers tab: search box, type filter, count and the lazy peer table.
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QUndoStack;

namespace sd {

class Document;
class PeerModel;

class PeersPanel : public QWidget {
    Q_OBJECT
public:
    explicit PeersPanel(QWidget *parent = nullptr);
    void setDocument(Document *doc, int account, QUndoStack *stack);
    PeerModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *searchBox() const { return m_search; }
    void focusSearch();

Q_SIGNALS:
    void message(const QString &text);

private:
    void updateCount();
    PeerModel *m_model;
    QLineEdit *m_search;
    QComboBox *m_kind;
    QLabel *m_count;
    QTableView *m_view;
    QTimer *m_debounce;
};

} // namespace sd
