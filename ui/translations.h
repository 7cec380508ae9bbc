#pragma once

#include <QString>

class QCoreApplication;

namespace cairn::ui {

/// Installs Cairn's own translation (compiled into the binary) and Qt's for
/// `language` ("de", "en"; empty: the system's). True if Cairn's own was
/// found (English needs none and is always true).
bool installTranslations(QCoreApplication &app, const QString &language);

} // namespace cairn::ui
