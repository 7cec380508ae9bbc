#pragma once

#include "core/rendezvous/error.h"

#include <QString>
#include <QStringView>

namespace cairn::rendezvous {

/// How the rendezvous answers a join request from a new user: issue at
/// once (Auto), hold it for the operator (Manual), or issue the first N
/// automatically and hold the rest (Quota). A second device of an existing
/// user always waits for the operator, whatever the policy.
struct SigningPolicy {
    enum class Kind { Auto, Manual, Quota };
    static constexpr int kMaxQuota = 1'000'000;

    Kind kind = Kind::Auto;
    int quota = 0; // Quota only: 1..kMaxQuota

    /// "auto", "manual" or "quota:N" with N in 1..kMaxQuota written in plain
    /// decimal digits; surrounding white space is ignored, nothing else is.
    static Result<SigningPolicy> parse(QStringView text);
    /// The form parse() reads.
    QString toString() const;

    friend bool operator==(const SigningPolicy &, const SigningPolicy &) = default;
};

} // namespace cairn::rendezvous
