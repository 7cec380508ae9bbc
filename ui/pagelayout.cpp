#include "ui/pagelayout.h"

#include <QLabel>
#include <QProgressBar>
#include <QScrollArea>
#include <QVBoxLayout>

namespace cairn::ui {

void makeErrorLabel(QLabel *label, const QString &objectName)
{
    label->setObjectName(objectName);
    label->setStyleSheet(QStringLiteral("color: #b00020"));
    label->setWordWrap(true);
    label->hide();
}

void makeBusyBar(QProgressBar *bar)
{
    bar->setRange(0, 0);
    bar->setTextVisible(false);
    bar->hide();
}

void setScrollingContent(QWidget *page, QWidget *content)
{
    auto *scroll = new QScrollArea(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
}

} // namespace cairn::ui
