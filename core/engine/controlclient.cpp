#include "core/engine/controlclient.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QLocalSocket>

namespace cairn::engine {

bool ControlClient::request(
    const QString &cmd, const QJsonObject &args, int timeoutMs, QJsonObject *reply, QString *error)
{
    if (!QFile::exists(m_path)) {
        *error = QStringLiteral("no node is running on this profile (start one with 'cairnd run')");
        return false;
    }
    QLocalSocket socket;
    socket.connectToServer(m_path);
    if (!socket.waitForConnected(3000)) {
        *error = socket.error() == QLocalSocket::SocketAccessError
            ? QStringLiteral("not allowed to talk to the node at %1 (it belongs to another user)").arg(m_path)
            : QStringLiteral("no node is running on this profile (start one with 'cairnd run')");
        return false;
    }
    const QJsonObject request {{QStringLiteral("id"), 1}, {QStringLiteral("cmd"), cmd}, {QStringLiteral("args"), args}};
    socket.write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    socket.flush();
    const QDeadlineTimer deadline(timeoutMs);
    while (!socket.canReadLine()) {
        if (deadline.hasExpired() || socket.state() != QLocalSocket::ConnectedState) {
            *error = deadline.hasExpired() ? QStringLiteral("the node did not answer within %1 s").arg(timeoutMs / 1000)
                                           : QStringLiteral("the node closed the connection");
            return false;
        }
        socket.waitForReadyRead(int(std::min<qint64>(deadline.remainingTime(), 200)));
    }
    const QJsonDocument doc = QJsonDocument::fromJson(socket.readLine());
    if (!doc.isObject()) {
        *error = QStringLiteral("the node sent a reply that is not JSON");
        return false;
    }
    *reply = doc.object();
    return true;
}

} // namespace cairn::engine
