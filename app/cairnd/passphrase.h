#pragma once

#include "core/crypto/secretbytes.h"

#include <QString>

#include <optional>

namespace cairn::app {

/// Where a command gets its passphrase: a file named on the command line,
/// or a prompt on the terminal with echo off. Errors are one line for stderr.
struct PassphraseSource {
    QString file; // empty: prompt

    /// confirm: ask twice and insist both agree (used when creating).
    std::optional<crypto::SecretBytes> read(bool confirm, QString *error) const;
};

} // namespace cairn::app
