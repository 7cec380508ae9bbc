#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>

class QLocalServer;
class QLocalSocket;

namespace cairn::engine {

/// The local control API (docs/control-api.md): JSON lines over a
/// QLocalSocket in the profile directory. Each request is one JSON object
/// on one line, {"id": any, "cmd": "name", "args": {...}}; each reply is one
/// line, {"id": same, "ok": true, "result": {...}} or {"id": same, "ok":
/// false, "error": {"code": "...", "message": "..."}}. Replies may come
/// later and out of order (join, put and get wait on the network).
/// Only the profile's owner can connect: the socket is created mode 0600
/// inside the 0700 profile directory.
class ControlServer : public QObject {
    Q_OBJECT
public:
    /// Hands a finished reply back; callable once, later if need be, and
    /// safe after the client disconnected.
    using Reply = std::function<void(const QJsonObject &reply)>;
    using Handler = std::function<void(const QString &cmd, const QJsonObject &args, Reply reply)>;

    /// Longest request line accepted; a longer one is answered with an
    /// error and the connection is closed.
    static constexpr qsizetype kMaxLineBytes = 1024 * 1024;
    static constexpr int kMaxClients = 64;

    explicit ControlServer(Handler handler, QObject *parent = nullptr);
    ~ControlServer() override;

    /// Listens on `path`, replacing a stale socket file left by a crash. Fails
    /// (with *error set) if another live node already serves it.
    bool listen(const QString &path, QString *error);
    void close();
    QString path() const;

    /// Whether a live node answers on `path`.
    static bool isServed(const QString &path);

    static QJsonObject okReply(const QJsonObject &result = {});
    static QJsonObject errorReply(const QString &code, const QString &message);

private:
    void onNewConnection();
    void onReadyRead(QLocalSocket *socket);
    void handleLine(QLocalSocket *socket, const QByteArray &line);

    Handler m_handler;
    QLocalServer *m_server;
};

} // namespace cairn::engine
