#include "mainwindow.h"

#include <QLabel>

namespace sd {
MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("SessionDesk"));
    setCentralWidget(new QLabel(tr("SessionDesk"), this));
}
} // namespace sd
