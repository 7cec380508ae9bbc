#include "ui/nodehost.h"

#include <QDir>

namespace cairn::ui {

NodeHost::NodeHost(
    QString profileDir, crypto::KeystoreContents keystore, crypto::SecretBytes passphrase, QObject *parent)
    : QObject(parent),
      m_profileDir(std::move(profileDir)),
      m_keystore(std::move(keystore)),
      m_passphrase(std::move(passphrase)),
      m_settings(AppSettings::load(m_profileDir))
{ }

NodeHost::~NodeHost()
{
    stop();
}

bool NodeHost::start(QString *why)
{
    stop();
    engine::NodeConfig config = m_settings.toNodeConfig(m_profileDir);
    QDir().mkpath(config.downloadDir);
    // The node keeps its own copies: the operator's CA key is added to the
    // keystore it holds, and a restart needs the originals again.
    auto node = std::make_unique<engine::Node>(config, m_keystore.clone(), m_passphrase.clone());
    if (auto ok = node->start(); !ok) {
        if (why)
            *why = ok.message();
        node->stop();
        return false;
    }
    m_node = std::move(node);
    Q_EMIT started(m_node.get());
    return true;
}

bool NodeHost::apply(const AppSettings &settings, QString *why)
{
    if (!settings.save(m_profileDir, why))
        return false;
    const AppSettings old = m_settings;
    m_settings = settings;
    const bool restart = old.donate != settings.donate || (settings.donate && old.quotaBytes != settings.quotaBytes)
        || old.storageDir != settings.storageDir || old.listenPort != settings.listenPort
        || old.reliability != settings.reliability || old.effectiveDownloadDir() != settings.effectiveDownloadDir();
    if (!restart || !m_node)
        return true;
    return start(why);
}

void NodeHost::stop()
{
    if (!m_node)
        return;
    Q_EMIT stopping();
    // Creating a group added the CA key to the node's keystore: keep it for
    // the next start.
    m_keystore = m_node->keystore().clone();
    m_node->stop();
    m_node.reset();
}

} // namespace cairn::ui
