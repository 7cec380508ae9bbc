#pragma once

#include "core/base/result.h"

namespace cairn::dht {

enum class DhtError {
    Malformed, // a message that does not decode
    Timeout, // no answer after the retransmits
    Refused, // the peer answered with an error (its code is in the message)
    NotFound, // no replica had the value
    InvalidValue, // a value that fails its check (hash, signature, size)
    Unreachable, // the lookup found no live node to ask
    Cancelled, // the operation was abandoned (node shutting down)
    StoreFailed, // the local store refused
};

template <typename T> using Result = base::Result<T, DhtError>;

} // namespace cairn::dht
