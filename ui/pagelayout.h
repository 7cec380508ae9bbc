#pragma once

#include <QString>

class QLabel;
class QWidget;

namespace cairn::ui {

/// Makes `label` an inline error line: red, wrapped, hidden until set.
void makeErrorLabel(QLabel *label, const QString &objectName);
/// Lays `content` out as the whole of `page`, scrolling when the window is small.
void setScrollingContent(QWidget *page, QWidget *content);

} // namespace cairn::ui
