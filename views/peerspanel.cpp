#include "peerspanel.h"

#include "peermodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

namespace sd {

PeersPanel::PeersPanel(QWidget *parent) : QWidget(parent), m_model(new PeerModel(this))
{
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("peerSearch"));
    m_search->setPlaceholderText(tr("Search id, username, phone or name"));
    m_search->setClearButtonEnabled(true);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("peerKind"));
    m_kind->addItem(tr("All types"));
    m_kind->addItem(tr("Users"), int(PeerKind::User));
    m_kind->addItem(tr("Basic groups"), int(PeerKind::Chat));
    m_kind->addItem(tr("Channels"), int(PeerKind::Channel));
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("peerCount"));
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("peerTable"));
    m_view->setModel(m_model);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(PeerModel::MarkedId, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(PeerModel::MarkedId, 170);
    m_view->setColumnWidth(PeerModel::AccessHash, 180);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(m_kind);
    bar->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, [this] { m_model->setSearch(m_search->text().trimmed()); });
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        const QVariant v = m_kind->currentData();
        m_model->setKindFilter(v.isValid() ? std::optional<PeerKind>(PeerKind(v.toInt())) : std::nullopt);
    });
    connect(m_model, &PeerModel::totalChanged, this, &PeersPanel::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PeersPanel::updateCount);
    connect(m_model, &PeerModel::editRejected, this, &PeersPanel::message);
    connect(m_model, &PeerModel::loadError, this, [this](const QString &e) { Q_EMIT message(tr("Peers: %1").arg(e)); });
    updateCount();
}

void PeersPanel::setDocument(Document *doc, int account, QUndoStack *stack)
{
    m_model->setDocument(doc, account, stack);
}

void PeersPanel::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void PeersPanel::updateCount()
{
    const qint64 n = m_model->total();
    m_count->setText(n < 0 ? tr("counting…") : tr("%1 peers").arg(n));
}

} // namespace sd
