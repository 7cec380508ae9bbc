#include "ui/passphrasestrength.h"

#include <QSet>

#include <cmath>

namespace cairn::ui {

PassphraseStrength PassphraseStrength::estimate(const QString &passphrase)
{
    PassphraseStrength s;
    if (passphrase.isEmpty())
        return s;
    bool lower = false, upper = false, digit = false, other = false;
    QSet<QChar> distinct;
    for (QChar c : passphrase) {
        distinct.insert(c);
        if (c.isLower())
            lower = true;
        else if (c.isUpper())
            upper = true;
        else if (c.isDigit())
            digit = true;
        else
            other = true;
    }
    const int alphabet = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
    // Repeated characters add little: count distinct ones fully, the rest at a quarter.
    const double effectiveLength = distinct.size() + 0.25 * double(passphrase.size() - distinct.size());
    s.bits = effectiveLength * std::log2(std::max(alphabet, 2));
    if (passphrase.size() < kMinLength)
        s.level = TooShort;
    else if (s.bits < 40)
        s.level = Weak;
    else if (s.bits < 64)
        s.level = Fair;
    else
        s.level = Strong;
    return s;
}

} // namespace cairn::ui
