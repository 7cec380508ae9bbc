#pragma once

#include <QHash>
#include <QHostAddress>
#include <QString>

namespace cairn::base {

/// A UDP address: host and port.
struct Endpoint {
    QHostAddress address;
    quint16 port = 0;

    bool isValid() const { return !address.isNull() && port != 0; }
    QString toString() const;
    /// Parses "HOST:PORT" or "[V6]:PORT"; returns an invalid Endpoint on bad input.
    static Endpoint parse(const QString &text);

    friend bool operator==(const Endpoint &a, const Endpoint &b) { return a.port == b.port && a.address == b.address; }
};

inline size_t qHash(const Endpoint &e, size_t seed = 0)
{
    return qHashMulti(seed, e.address, e.port);
}

} // namespace cairn::base
