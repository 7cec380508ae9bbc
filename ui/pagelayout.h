#pragma once

#include <QString>

class QLabel;
class QProgressBar;
class QWidget;

namespace cairn::ui {

/// Makes `label` an inline error line: red, wrapped, hidden until set.
void makeErrorLabel(QLabel *label, const QString &objectName);
/// Makes `bar` a hidden busy indicator: Argon2id and network waits give no
/// progress to show, only that work goes on.
void makeBusyBar(QProgressBar *bar);
/// Lays `content` out as the whole of `page`, scrolling when the window is small.
void setScrollingContent(QWidget *page, QWidget *content);

} // namespace cairn::ui
