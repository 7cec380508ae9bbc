#include "core/engine/controlserver.h"

#include "core/base/log.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>

#include <sys/stat.h>

namespace cairn::engine {

ControlServer::ControlServer(Handler handler, QObject *parent)
    : QObject(parent), m_handler(std::move(handler)), m_server(new QLocalServer(this))
{
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    m_server->setMaxPendingConnections(kMaxClients);
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
}

ControlServer::~ControlServer()
{
    close();
}

bool ControlServer::isServed(const QString &path)
{
    if (!QFile::exists(path))
        return false;
    // A live node answers a connection; a crashed one left a dead file.
    QLocalSocket probe;
    probe.connectToServer(path);
    return probe.waitForConnected(500);
}

bool ControlServer::listen(const QString &path, QString *error)
{
    if (QFile::exists(path)) {
        if (isServed(path)) {
            *error = QStringLiteral("another node is already running on this profile (%1)").arg(path);
            return false;
        }
        QLocalServer::removeServer(path);
    }
    if (!m_server->listen(path)) {
        *error = QStringLiteral("cannot open the control socket %1: %2").arg(path, m_server->errorString());
        return false;
    }
    // UserAccessOption already asks for this; make sure, since the socket
    // is the node's whole authority.
    ::chmod(QFile::encodeName(path).constData(), 0600);
    return true;
}

void ControlServer::close()
{
    if (m_server->isListening())
        m_server->close();
}

QString ControlServer::path() const
{
    return m_server->fullServerName();
}

QJsonObject ControlServer::okReply(const QJsonObject &result)
{
    return QJsonObject {{QStringLiteral("ok"), true}, {QStringLiteral("result"), result}};
}

QJsonObject ControlServer::errorReply(const QString &code, const QString &message)
{
    return QJsonObject {{QStringLiteral("ok"), false},
        {QStringLiteral("error"), QJsonObject {{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}}};
}

void ControlServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        if (findChildren<QLocalSocket *>().size() > kMaxClients) {
            socket->disconnectFromServer();
            socket->deleteLater();
            continue;
        }
        socket->setParent(this);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void ControlServer::onReadyRead(QLocalSocket *socket)
{
    while (socket->canReadLine()) {
        QByteArray line = socket->readLine(kMaxLineBytes + 1);
        if (line.size() > kMaxLineBytes && !line.endsWith('\n')) {
            QJsonObject reply = errorReply(
                QStringLiteral("too-large"), QStringLiteral("request line longer than %1 bytes").arg(kMaxLineBytes));
            socket->write(QJsonDocument(reply).toJson(QJsonDocument::Compact) + '\n');
            socket->disconnectFromServer();
            return;
        }
        handleLine(socket, line.trimmed());
    }
    if (socket->bytesAvailable() > kMaxLineBytes) {
        QJsonObject reply = errorReply(
            QStringLiteral("too-large"), QStringLiteral("request line longer than %1 bytes").arg(kMaxLineBytes));
        socket->write(QJsonDocument(reply).toJson(QJsonDocument::Compact) + '\n');
        socket->disconnectFromServer();
    }
}

void ControlServer::handleLine(QLocalSocket *socket, const QByteArray &line)
{
    if (line.isEmpty())
        return;
    QPointer<QLocalSocket> target(socket);
    auto sender = [target](const QJsonValue &id) {
        return [target, id](QJsonObject reply) {
            if (!target || target->state() != QLocalSocket::ConnectedState)
                return;
            if (!id.isUndefined())
                reply.insert(QStringLiteral("id"), id);
            target->write(QJsonDocument(reply).toJson(QJsonDocument::Compact) + '\n');
        };
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        qCDebug(lcEngine) << "control: malformed request";
        sender(QJsonValue(QJsonValue::Undefined))(errorReply(QStringLiteral("bad-request"),
            parseError.error != QJsonParseError::NoError
                ? QStringLiteral("malformed JSON: %1").arg(parseError.errorString())
                : QStringLiteral("a request must be a JSON object")));
        return;
    }
    const QJsonObject request = doc.object();
    const auto send = sender(request.value(QStringLiteral("id")));
    const QJsonValue cmd = request.value(QStringLiteral("cmd"));
    const QJsonValue args = request.value(QStringLiteral("args"));
    if (!cmd.isString() || cmd.toString().isEmpty()) {
        send(errorReply(QStringLiteral("bad-request"), QStringLiteral("\"cmd\" must be a non-empty string")));
        return;
    }
    if (!args.isUndefined() && !args.isObject()) {
        send(errorReply(QStringLiteral("bad-request"), QStringLiteral("\"args\" must be an object")));
        return;
    }
    m_handler(cmd.toString(), args.toObject(), send);
}

} // namespace cairn::engine
