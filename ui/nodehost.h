#pragma once

#include "core/crypto/keystore.h"
#include "core/engine/node.h"
#include "ui/appsettings.h"

#include <QObject>

#include <memory>

namespace cairn::ui {

/// Owns the running engine::Node of the unlocked profile, and restarts it
/// when a setting that only takes effect at start (donated storage, its
/// place, the port) changes. Widgets reach the engine only through node(),
/// and rebind on started(): the Node object is new after each restart.
class NodeHost : public QObject {
    Q_OBJECT
public:
    NodeHost(QString profileDir, crypto::KeystoreContents keystore, crypto::SecretBytes passphrase,
        QObject *parent = nullptr);
    ~NodeHost() override;

    /// Starts the node with the saved settings; false with the reason.
    bool start(QString *why);
    /// Saves `settings` and, if they change how the node runs, restarts it.
    bool apply(const AppSettings &settings, QString *why);
    void stop();

    engine::Node *node() const { return m_node.get(); }
    const QString &profileDir() const { return m_profileDir; }
    const AppSettings &settings() const { return m_settings; }
    const crypto::KeystoreContents &keystore() const { return m_keystore; }
    /// Whether `passphrase` is the one that unlocked this profile.
    bool checkPassphrase(QByteArrayView passphrase) const { return m_passphrase.equals(passphrase); }

Q_SIGNALS:
    /// A (new) Node is running: connect to it again.
    void started(cairn::engine::Node *node);
    /// The Node is about to be destroyed: drop every pointer into it.
    void stopping();

private:
    QString m_profileDir;
    crypto::KeystoreContents m_keystore;
    crypto::SecretBytes m_passphrase;
    AppSettings m_settings;
    std::unique_ptr<engine::Node> m_node;
};

} // namespace cairn::ui
