#pragma once
// Add or edit one peer by hand: id, kind, access hash, username (the fields every format keys its
// cache on). Editing keeps the id and kind (the marked id is the peer's identity).
#include "domain/session.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sd {

class PeerEditDialog : public QDialog {
    Q_OBJECT
public:
    // existing: the peer to edit (id and kind then stay fixed); nullopt adds a new one.
    explicit PeerEditDialog(const std::optional<Peer> &existing, QWidget *parent = nullptr);
    // The peer as typed, or an error naming the bad field.
    std::optional<Peer> peer(QString *error = nullptr) const;

    QLineEdit *idEdit() const { return m_id; }
    QComboBox *typeBox() const { return m_type; }
    QLineEdit *hashEdit() const { return m_hash; }
    QLineEdit *usernameEdit() const { return m_username; }

private:
    void validate();
    std::optional<Peer> m_base;
    QLineEdit *m_id;
    QComboBox *m_type;
    QLineEdit *m_hash;
    QLineEdit *m_username;
    QLabel *m_error;
    QPushButton *m_ok = nullptr;
};

} // namespace sd
