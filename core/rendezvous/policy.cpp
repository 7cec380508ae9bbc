#include "core/rendezvous/policy.h"

namespace cairn::rendezvous {

Result<SigningPolicy> SigningPolicy::parse(QStringView text)
{
    text = text.trimmed();
    if (text == QLatin1String("auto"))
        return SigningPolicy {Kind::Auto, 0};
    if (text == QLatin1String("manual"))
        return SigningPolicy {Kind::Manual, 0};
    const QLatin1String prefix("quota:");
    if (text.startsWith(prefix)) {
        const QStringView digits = text.sliced(prefix.size());
        // Plain digits only: no sign, no spaces, no leading zero, no more
        // digits than the largest quota has.
        bool plain = !digits.isEmpty() && digits.size() <= 7 && digits.front() != u'0';
        for (QChar c : digits)
            plain = plain && c >= u'0' && c <= u'9';
        const int n = plain ? digits.toInt() : 0;
        if (plain && n >= 1 && n <= kMaxQuota)
            return SigningPolicy {Kind::Quota, n};
        return base::fail(RendezvousError::InvalidArgument,
            QStringLiteral("signing policy: the quota must be a number from 1 to %1, got '%2'")
                .arg(kMaxQuota)
                .arg(digits));
    }
    return base::fail(RendezvousError::InvalidArgument,
        QStringLiteral("signing policy: expected 'auto', 'manual' or 'quota:N', got '%1'").arg(text));
}

QString SigningPolicy::toString() const
{
    switch (kind) {
    case Kind::Auto:
        return QStringLiteral("auto");
    case Kind::Manual:
        return QStringLiteral("manual");
    case Kind::Quota:
        return QStringLiteral("quota:%1").arg(quota);
    }
    return QString();
}

} // namespace cairn::rendezvous
