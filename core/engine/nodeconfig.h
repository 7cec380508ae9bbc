#pragma once

#include "core/base/endpoint.h"

#include <QHostAddress>
#include <QList>
#include <QString>

namespace cairn::engine {

/// How a node runs: where it listens, what it donates, whom it asks first.
struct NodeConfig {
    QString profileDir;
    /// UDP address to listen on; port 0 picks a free one.
    base::Endpoint listen {QHostAddress(QHostAddress::AnyIPv4), 0};
    /// Bytes of disk donated to the group's storage; 0 stores nothing
    /// (the node still routes).
    qint64 donateBytes = 0;
    /// Where the donated storage (store.db) lives; empty: the profile.
    QString storeDir;
    /// Nodes to contact first, besides those the membership knows.
    QList<base::Endpoint> bootstrap;
    /// Copies of each stored value (the DHT's k).
    int replicas = 8;
    /// A certificate is renewed once less than this fraction of its
    /// lifetime is left.
    double renewAtRemaining = 1.0 / 3.0;
    /// Bytes one member may occupy in our donated storage; 0: half of it
    /// (at least 64 MiB).
    qint64 perSenderBytes = 0;

    /// The wanted chance that a mail or drop can be read back (p_t); with
    /// the measured availability of storage nodes it gives k.
    double targetSuccess = 0.9999;
    /// k is never below this: a group that expects several storage nodes
    /// to vanish at once (not independently) raises it.
    int minCopies = 3;
    /// Where received drops go (and whether they are fetched by themselves).
    QString downloadDir;
    bool autoReceive = false;
    /// How often the inbox is polled (it is also polled on reconnecting).
    int mailPollSeconds = 30;
};

/// Parses "500M", "2G", "1024", "10GiB" into bytes; -1 on bad input.
qint64 parseSize(const QString &text);
/// Parses "30s", "15m", "2h", "7d" (or plain seconds) into seconds; -1 on bad input.
qint64 parseDuration(const QString &text);

} // namespace cairn::engine
