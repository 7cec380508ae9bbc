#pragma once

#include "core/base/result.h"

namespace cairn::engine {

/// What can go wrong in the engine, as the control API reports it (each
/// code has a stable string, see errorCodeName()).
enum class EngineError {
    InvalidArgument,
    NotInGroup, // the command needs a group this profile has not joined
    AlreadyInGroup,
    NotOperator, // only the group's operator may do this
    Pending, // waiting for the operator's approval
    Denied,
    NotFound,
    Network, // no answer, no route
    Storage, // a local file or database failed
    Corrupt, // a local file is damaged
    Busy,
};

template <typename T> using Result = base::Result<T, EngineError>;

/// "invalid-argument", "not-in-group", ...: the control API's error codes.
const char *errorCodeName(EngineError code);

} // namespace cairn::engine
