#include "ui/identitypage.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace cairn::ui {

IdentityPage::IdentityPage(QWidget *parent) : QWidget(parent), m_form(new QFormLayout)
{
    setObjectName(QStringLiteral("identity"));
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("<h2>Your identity</h2>"
                                "<p>Others check the fingerprint to be sure they reach this device.</p>"),
        this);
    title->setWordWrap(true);
    layout->addWidget(title);
    layout->addLayout(m_form);
    layout->addStretch();
}

void IdentityPage::addRow(const QString &label, const QString &objectName, const QString &value, bool copyable)
{
    auto *row = new QHBoxLayout;
    auto *text = new QLabel(value, this);
    text->setObjectName(objectName);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text->setWordWrap(true);
    row->addWidget(text, 1);
    if (copyable) {
        auto *copy = new QPushButton(tr("Copy"), this);
        copy->setAccessibleName(tr("Copy %1").arg(label));
        connect(copy, &QPushButton::clicked, this, [value] { QApplication::clipboard()->setText(value); });
        row->addWidget(copy);
    }
    m_form->addRow(label, row);
}

void IdentityPage::setIdentity(const identity::LocalIdentity &identity)
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    addRow(tr("Name:"), QStringLiteral("name"), identity.displayName, false);
    addRow(tr("Fingerprint:"), QStringLiteral("fingerprint"), identity.fingerprint(), true);
    addRow(tr("Node ID:"), QStringLiteral("nodeId"), identity.nodeId.toHex(), true);
    addRow(tr("Device key:"), QStringLiteral("deviceKey"), identity.deviceKey.publicKey().toHex(), true);
}

} // namespace cairn::ui
