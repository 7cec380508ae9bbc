#pragma once

#include <QJsonObject>
#include <QString>

namespace cairn::engine {

/// One request to a running node over its control socket, waiting for the
/// reply. Errors (no node running, timeout, a broken reply) come back as
/// one line of text for the user.
class ControlClient {
public:
    explicit ControlClient(QString socketPath) : m_path(std::move(socketPath)) { }

    /// True with *reply set to the node's reply object (ok or not); false
    /// with *error set when no reply could be had.
    bool request(const QString &cmd, const QJsonObject &args, int timeoutMs, QJsonObject *reply, QString *error);

private:
    QString m_path;
};

} // namespace cairn::engine
