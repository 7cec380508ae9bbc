#pragma once

#include <QString>

namespace cairn::ui {

/// A rough strength estimate for the onboarding hint: bits from length and
/// the character classes used, with a penalty for repeats. It guides; the
/// Argon2id cost in the keystore is what actually slows guessing.
struct PassphraseStrength {
    enum Level { Empty, TooShort, Weak, Fair, Strong };
    Level level = Empty;
    double bits = 0;

    static PassphraseStrength estimate(const QString &passphrase);
    static constexpr int kMinLength = 8;
};

} // namespace cairn::ui
