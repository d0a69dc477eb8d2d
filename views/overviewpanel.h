#pragma once
// The folder overview: what an opened folder holds, shown before any one session. Every number is a
// button; clicking it asks the main window to filter its sidebar to the places behind it.
#include "audit/overview.h"

#include <QWidget>

class QGridLayout;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace sd {

class OverviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPanel(QWidget *parent = nullptr);
    void setReport(const QStringList &roots, const AuditReport &report);
    const AuditReport &report() const { return m_report; }
    const QStringList &roots() const { return m_roots; }
    const FolderOverview &overview() const { return m_overview; }
    // The number buttons, by object name ("library:telethon-sqlite", "dc:2", "bots", "users",
    // "unknown-kind", "duplicates", "severity:high", "peers", "accounts", "largest:<path>").
    QPushButton *numberButton(const QString &name) const;

Q_SIGNALS:
    // places: what the clicked number stands for (empty list with All = show everything).
    void filterRequested(const QString &title, const QStringList &places);
    void auditRequested(const QStringList &roots);

private:
    void rebuild();
    QPushButton *addNumber(QGridLayout *grid, int row, const QString &label, qint64 value, const QString &name,
                           const OverviewFilter &filter, const QString &description);
    QStringList m_roots;
    AuditReport m_report;
    FolderOverview m_overview;
    QLabel *m_title;
    QWidget *m_body = nullptr;
    QVBoxLayout *m_layout;
};

} // namespace sd
