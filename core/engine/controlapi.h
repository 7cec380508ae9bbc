#pragma once

#include "core/engine/controlserver.h"
#include "core/engine/error.h"

#include <QJsonObject>

#include <memory>

namespace cairn::engine {

class Node;

/// The control API's commands (docs/control-api.md): turns each request
/// into a call on the Node and its answer into a JSON reply. Arguments are
/// checked here, so a script gets "invalid-argument" with the reason rather
/// than a half-done action.
class ControlApi {
public:
    explicit ControlApi(Node &node);
    void handle(const QString &cmd, const QJsonObject &args, ControlServer::Reply reply);

private:
    /// An error reply with the engine's code name, e.g. "not-found".
    static QJsonObject failure(EngineError code, const QString &message);
    static QJsonObject invalid(const QString &message);

    void status(const QJsonObject &args, ControlServer::Reply reply);
    void peers(const QJsonObject &args, ControlServer::Reply reply);
    void createGroup(const QJsonObject &args, ControlServer::Reply reply);
    void setPolicy(const QJsonObject &args, ControlServer::Reply reply);
    void invite(const QJsonObject &args, ControlServer::Reply reply);
    void join(const QJsonObject &args, ControlServer::Reply reply);
    void members(const QJsonObject &args, ControlServer::Reply reply);
    void pending(const QJsonObject &args, ControlServer::Reply reply);
    void approve(const QJsonObject &args, ControlServer::Reply reply);
    void deny(const QJsonObject &args, ControlServer::Reply reply);
    void revoke(const QJsonObject &args, ControlServer::Reply reply);
    void renew(const QJsonObject &args, ControlServer::Reply reply);
    void put(const QJsonObject &args, ControlServer::Reply reply);
    void get(const QJsonObject &args, ControlServer::Reply reply);
    void stop(const QJsonObject &args, ControlServer::Reply reply);
    void open(const QJsonObject &args, ControlServer::Reply reply);
    // Mail and drops (controlapimail.cpp).
    void mailSend(const QJsonObject &args, ControlServer::Reply reply);
    void mailList(const QJsonObject &args, ControlServer::Reply reply);
    void mailRead(const QJsonObject &args, ControlServer::Reply reply);
    void mailDelete(const QJsonObject &args, ControlServer::Reply reply);
    void sendFiles(const QJsonObject &args, ControlServer::Reply reply);
    void transfers(const QJsonObject &args, ControlServer::Reply reply);
    void receive(const QJsonObject &args, ControlServer::Reply reply);
    void transferAction(const QJsonObject &args, ControlServer::Reply reply);
    void send(const QJsonObject &args, bool drop, ControlServer::Reply reply);

    Node &m_node;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);

public:
    ~ControlApi() { *m_alive = false; }
};

} // namespace cairn::engine
