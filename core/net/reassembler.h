#pragma once

#include "core/base/endpoint.h"
#include "core/base/scheduler.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <optional>

namespace cairn::net {

/// Puts messages back together from their fragments, for both message
/// layers (FragmentingTransport and the secure sessions). A message whose
/// fragments do not all arrive within the timeout is dropped; memory is
/// bounded per sender and in total, so a flood of first fragments cannot
/// exhaust it. Each message carries a tag (the secure sessions' channel);
/// fragments that disagree with their message's tag or count are ignored.
class Reassembler {
public:
    struct Limits {
        /// Every fragment but the last carries exactly this many bytes.
        qsizetype fragmentPayload = 0;
        int maxFragments = 1;
        base::Duration timeout {5'000'000};
        qsizetype maxPartialPerPeer = 16;
        qsizetype maxPartialBytes = 8 * 1024 * 1024;
    };
    struct Message {
        quint8 tag = 0;
        QByteArray bytes;
    };

    Reassembler(base::Scheduler &scheduler, const Limits &limits);
    ~Reassembler();
    Reassembler(const Reassembler &) = delete;
    Reassembler &operator=(const Reassembler &) = delete;

    /// Takes fragment `index` of `count` of message `id` from `from`;
    /// returns the message once it is complete. Fragments out of range,
    /// short before the last, repeated or contradicting are ignored.
    std::optional<Message> add(
        const base::Endpoint &from, quint32 id, quint8 tag, int index, int count, QByteArrayView payload);
    /// Forgets everything unfinished from `from` (its session ended).
    void dropPeer(const base::Endpoint &from);

    /// Messages dropped unfinished (timeout or memory bound).
    quint64 dropped() const { return m_dropped; }
    qsizetype partialBytes() const { return m_partialBytes; }

private:
    struct Partial {
        QList<QByteArray> fragments;
        int received = 0;
        qsizetype bytes = 0;
        quint8 tag = 0;
        base::Instant started {0};
    };
    struct Key {
        base::Endpoint from;
        quint32 id;
        friend bool operator==(const Key &, const Key &) = default;
    };
    friend size_t qHash(const Key &key, size_t seed) { return qHashMulti(seed, key.from, key.id); }

    void drop(const Key &key);
    void expire();
    void armExpiry();

    base::Scheduler &m_scheduler;
    Limits m_limits;
    QHash<Key, Partial> m_partials;
    QHash<base::Endpoint, int> m_partialsPerPeer;
    qsizetype m_partialBytes = 0;
    quint64 m_dropped = 0;
    base::TimerId m_expiryTimer = 0;
};

} // namespace cairn::net
