#include "core/engine/error.h"

namespace cairn::engine {

const char *errorCodeName(EngineError code)
{
    switch (code) {
    case EngineError::InvalidArgument:
        return "invalid-argument";
    case EngineError::NotInGroup:
        return "not-in-group";
    case EngineError::AlreadyInGroup:
        return "already-in-group";
    case EngineError::NotOperator:
        return "not-operator";
    case EngineError::Pending:
        return "pending";
    case EngineError::Denied:
        return "denied";
    case EngineError::NotFound:
        return "not-found";
    case EngineError::Network:
        return "network";
    case EngineError::Storage:
        return "storage";
    case EngineError::Corrupt:
        return "corrupt";
    case EngineError::Busy:
        return "busy";
    }
    return "internal";
}

} // namespace cairn::engine
