#pragma once

#include "core/crypto/keystore.h"

#include <memory>

namespace cairn::ui {

/// What unlocking (or creating) a profile yields: its keys and the
/// passphrase that opened them (the node saves the CA key with it when the
/// user creates a group).
struct UnlockedProfile {
    crypto::KeystoreContents keystore;
    crypto::SecretBytes passphrase;
};
using UnlockedProfilePtr = std::shared_ptr<UnlockedProfile>;

} // namespace cairn::ui
