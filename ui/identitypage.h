#pragma once

#include "core/identity/profile.h"

#include <QWidget>

class QFormLayout;

namespace cairn::ui {

/// The unlocked identity: name, NodeId, device keys and the fingerprint
/// people compare to be sure they talk to the right device.
class IdentityPage : public QWidget {
    Q_OBJECT
public:
    explicit IdentityPage(QWidget *parent = nullptr);
    void setIdentity(const identity::LocalIdentity &identity);

private:
    void addRow(const QString &label, const QString &objectName, const QString &value, bool copyable);
    QFormLayout *m_form;
};

} // namespace cairn::ui
