#include "ui/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace cairn::ui {

bool installTranslations(QCoreApplication &app, const QString &language)
{
    QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    if (locale.language() == QLocale::C)
        locale = QLocale(QLocale::English);
    auto *qt = new QTranslator(&app);
    if (qt->load(
            locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    // English too: its file gives the plural forms ("1 file", "2 files").
    auto *own = new QTranslator(&app);
    if (!own->load(locale, QStringLiteral("cairn"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete own;
        return locale.language() == QLocale::English;
    }
    QCoreApplication::installTranslator(own);
    return true;
}

} // namespace cairn::ui
