#pragma once
// Helpers for the desktop app's tests on the offscreen platform.

#include "ui/mainwindow.h"

#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>
#include <QTimer>
#include <QWidget>

namespace uitest {

/// The offscreen platform warns about a window-manager feature it lacks on
/// every resize; drop that one line, pass everything else on to Qt Test.
void installQuietHandler();

/// The visible child of that type and name, or null.
template <typename T> T *find(QWidget *root, const char *name)
{
    const auto all = root->findChildren<T *>(QString::fromLatin1(name));
    for (T *w : all) {
        if (w->isVisible())
            return w;
    }
    return nullptr;
}

/// The first such child, visible or not.
template <typename T> T *findAny(QWidget *root, const char *name)
{
    return root->findChild<T *>(QString::fromLatin1(name));
}

/// Types into the first-start page and creates the identity, as a person
/// would with the keyboard; true once the group set-up page shows.
bool createIdentity(cairn::ui::MainWindow &window, const QString &name, const QString &passphrase);
/// Joins with an invite pasted into the group set-up page; true once the
/// workspace shows.
bool joinWithInvite(cairn::ui::MainWindow &window, const QString &link);
/// Unlocks on the unlock page; true once unlocked.
bool unlock(cairn::ui::MainWindow &window, const QString &passphrase);

/// Presses the default (Yes/OK) button of the next modal dialog, such as a
/// confirmation, once it opens.
void acceptNextDialog();

/// Writes [advanced] settings for a test profile: listen on 127.0.0.1,
/// poll the inbox often, at least `minCopies` copies.
void writeTestSettings(const QString &profileDir, int minCopies = 3, double reliability = 0.9999);

} // namespace uitest
