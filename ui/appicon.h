#pragma once

#include <QIcon>

namespace cairn::ui {

/// Cairn's icon (three stacked stones), painted at the usual sizes so that
/// it needs no image plugin; the same shape as resources/cairn.svg.
QIcon appIcon();

} // namespace cairn::ui
