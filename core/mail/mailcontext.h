#pragma once

#include "core/crypto/keys.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>

namespace cairn::base {
class Rng;
class Scheduler;
} // namespace cairn::base
namespace cairn::dht {
class DhtNode;
}
namespace cairn::transfer {
class TransferManager;
}

namespace cairn::mail {

class Mailbox;

/// One current (certified, not revoked) device of a member.
struct DirectoryDevice {
    quint64 serial = 0;
    crypto::PublicKey signingKey; // Ed25519
};

/// The group's members as mail needs them: username -> current devices.
using Directory = QHash<QString, QList<DirectoryDevice>>;
/// Looks the directory up (the engine asks the rendezvous or its own CA
/// and caches the answer); `fresh` asks it not to use a cached copy, for
/// when a name or a signer is not in the one it has.
using DirectoryLookup = std::function<void(bool fresh, std::function<void(const Directory *, const QString &error)>)>;

/// What the sending and the reading side of mail share: who we are, the
/// overlay, the local mailbox and transfers, and the replication choice.
struct MailContext {
    dht::DhtNode &dht;
    transfer::TransferManager &transfers;
    Mailbox &mailbox;
    base::Scheduler &scheduler;
    base::Rng &rng;
    const crypto::DeviceKey &device;
    QString username;
    QByteArray groupId;
    DirectoryLookup directory;
    /// k for items written now (derived from the target success rate and
    /// the measured availability).
    std::function<int()> copies;
    /// How many inbox replicas a reader asks (at least any writer's k).
    std::function<int()> readCopies;
    /// Where dropped files go unless the user says otherwise; empty: drops
    /// wait for an explicit receive.
    std::function<QString()> autoReceiveDir;
};

} // namespace cairn::mail
