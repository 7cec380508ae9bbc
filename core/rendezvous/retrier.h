#pragma once

#include "core/base/endpoint.h"
#include "core/base/scheduler.h"

#include <QList>

#include <chrono>
#include <functional>

namespace cairn::rendezvous {

/// The timing of a client's requests to the rendezvous: send at once, then
/// again every kInterval until stopped (a retry while nothing came back, a
/// poll once something did); move on to the next rendezvous address after
/// an interval without an answer from the current one; give up (silent())
/// after kSilenceLimit without any answer. An answer from one of the
/// addresses makes it the current one.
class Retrier {
public:
    static constexpr base::Duration kInterval = std::chrono::seconds(2);
    static constexpr base::Duration kSilenceLimit = std::chrono::seconds(10);
    using Send = std::function<void(const base::Endpoint &to)>;

    Retrier(base::Scheduler &scheduler, QList<base::Endpoint> endpoints);
    ~Retrier();
    Retrier(const Retrier &) = delete;
    Retrier &operator=(const Retrier &) = delete;

    /// `send` is called for every attempt, `silent` once when giving up
    /// (the retrier has stopped by then).
    void start(Send send, std::function<void()> silent);
    void stop();
    bool running() const { return m_timer != 0; }

    /// Something came back from `from`; false if it is none of ours.
    bool answered(const base::Endpoint &from);
    /// Sends now (and again kInterval later).
    void sendNow();

    bool isRendezvous(const base::Endpoint &endpoint) const { return m_endpoints.contains(endpoint); }
    base::Endpoint target() const { return m_endpoints.value(m_target); }

private:
    void tick();
    void arm();

    base::Scheduler &m_scheduler;
    QList<base::Endpoint> m_endpoints;
    qsizetype m_target = 0;
    Send m_send;
    std::function<void()> m_silent;
    base::TimerId m_timer = 0;
    base::Instant m_lastAnswer {};
    bool m_answeredSinceTick = false;
};

} // namespace cairn::rendezvous
