#include "overviewpanel.h"

#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace sd {

OverviewPanel::OverviewPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("folderOverview"));
    setAccessibleName(tr("Folder overview"));
    setAccessibleDescription(tr("What the opened folder holds; each number filters the sidebar"));
    m_layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("overviewTitle"));
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    m_title->setFont(f);
    m_title->setWordWrap(true);
    m_layout->addWidget(m_title);
}

QPushButton *OverviewPanel::numberButton(const QString &name) const { return findChild<QPushButton *>(name); }

QPushButton *OverviewPanel::addNumber(QGridLayout *grid, int row, const QString &label, qint64 value, const QString &name,
                                      const OverviewFilter &filter, const QString &description)
{
    auto *text = new QLabel(label, grid->parentWidget());
    auto *button = new QPushButton(QString::number(value), grid->parentWidget());
    button->setObjectName(name);
    button->setFlat(true);
    button->setCursor(Qt::PointingHandCursor);
    button->setAccessibleName(QStringLiteral("%1: %2").arg(label).arg(value));
    button->setAccessibleDescription(description);
    button->setToolTip(description);
    text->setBuddy(button);
    grid->addWidget(text, row, 0);
    grid->addWidget(button, row, 1, Qt::AlignLeft);
    // "All" shows every store again (an empty filter).
    const QStringList places = filter.kind == OverviewFilter::All ? QStringList() : overviewPlaces(m_report, filter);
    button->setEnabled(value > 0);
    connect(button, &QPushButton::clicked, this, [this, label, places] { Q_EMIT filterRequested(label, places); });
    return button;
}

void OverviewPanel::setReport(const QStringList &roots, const AuditReport &report)
{
    m_roots = roots;
    m_report = report;
    m_overview = folderOverview(report);
    rebuild();
}

void OverviewPanel::rebuild()
{
    delete m_body;
    m_body = new QWidget(this);
    auto *body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    QStringList names;
    for (const QString &r : m_roots)
        names << QDir::toNativeSeparators(r);
    m_title->setText(tr("%1: %n account(s) in %2 place(s)", nullptr, m_overview.accounts)
                         .arg(names.join(QStringLiteral(", ")))
                         .arg(m_overview.places));
    const FolderOverview &o = m_overview;
    auto group = [this, body](const QString &title) {
        auto *box = new QGroupBox(title, m_body);
        auto *grid = new QGridLayout(box);
        grid->setColumnStretch(2, 1);
        body->addWidget(box);
        return grid;
    };
    QGridLayout *totals = group(tr("Totals"));
    addNumber(totals, 0, tr("Accounts"), o.accounts, QStringLiteral("accounts"), {OverviewFilter::All, {}}, tr("Show every place"));
    addNumber(totals, 1, tr("Cached peers"), o.totalPeers, QStringLiteral("peers"), {OverviewFilter::All, {}}, tr("Peers in every cache"));
    addNumber(totals, 2, tr("Bots"), o.bots, QStringLiteral("bots"), {OverviewFilter::Bots, {}}, tr("Show the bot sessions"));
    addNumber(totals, 3, tr("Users"), o.users, QStringLiteral("users"), {OverviewFilter::Users, {}}, tr("Show the user sessions"));
    addNumber(totals, 4, tr("Bot or user not stored"), o.unknownKind, QStringLiteral("unknown-kind"), {OverviewFilter::UnknownKind, {}},
              tr("Sessions whose format does not say bot or user"));
    addNumber(totals, 5, tr("Places sharing a key"), o.duplicatePlaces, QStringLiteral("duplicates"), {OverviewFilter::Duplicates, {}},
              tr("%n auth key(s) held in two or more places", nullptr, o.duplicatedKeys));

    QGridLayout *libs = group(tr("Accounts by library"));
    int row = 0;
    for (auto it = o.byLibrary.cbegin(); it != o.byLibrary.cend(); ++it)
        addNumber(libs, row++, it.key(), it.value(), QStringLiteral("library:") + it.key(), {OverviewFilter::Library, it.key()},
                  tr("Show the %1 sessions").arg(it.key()));
    QGridLayout *dcs = group(tr("Accounts by DC"));
    row = 0;
    for (auto it = o.byDc.cbegin(); it != o.byDc.cend(); ++it)
        addNumber(dcs, row++, it.key() > 0 ? tr("DC %1").arg(it.key()) : tr("DC not stored"), it.value(),
                  QStringLiteral("dc:%1").arg(it.key()), {OverviewFilter::Dc, QString::number(it.key())}, tr("Show the sessions on this DC"));
    QGridLayout *findings = group(tr("Audit findings"));
    row = 0;
    for (const char *sev : {"high", "medium", "low"}) {
        const QString s = QString::fromLatin1(sev);
        addNumber(findings, row++, s, o.findingsBySeverity.value(s), QStringLiteral("severity:") + s, {OverviewFilter::Severity, s},
                  tr("Show the places with %1-severity findings").arg(s));
    }
    auto *audit = new QPushButton(tr("Open the &audit…"), m_body);
    audit->setObjectName(QStringLiteral("overviewAudit"));
    audit->setAccessibleDescription(tr("See the findings and fix them"));
    findings->addWidget(audit, row, 0, 1, 2, Qt::AlignLeft);
    connect(audit, &QPushButton::clicked, this, [this] { Q_EMIT auditRequested(m_roots); });
    QGridLayout *largest = group(tr("Largest peer caches"));
    row = 0;
    for (const auto &[place, peers] : o.largestCaches)
        addNumber(largest, row++, QFileInfo(place).fileName(), peers, QStringLiteral("largest:") + place, {OverviewFilter::Largest, place},
                  place);
    body->addStretch(1);
    m_layout->addWidget(m_body, 1);
}

} // namespace sd
