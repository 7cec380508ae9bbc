#include "core/base/rng.h"

#include <cstring>
#include <sodium.h>

namespace cairn::base {

quint64 Rng::next64()
{
    quint64 v = 0;
    fill(std::span<quint8>(reinterpret_cast<quint8 *>(&v), sizeof v));
    return v;
}

quint64 Rng::uniform(quint64 upperBound)
{
    Q_ASSERT(upperBound > 0);
    // Rejection sampling removes the modulo bias.
    const quint64 limit = ~quint64(0) - (~quint64(0) % upperBound);
    quint64 v;
    do {
        v = next64();
    } while (v >= limit);
    return v % upperBound;
}

double Rng::unit()
{
    return double(next64() >> 11) * (1.0 / double(quint64(1) << 53));
}

QByteArray Rng::bytes(qsizetype count)
{
    QByteArray out(count, Qt::Uninitialized);
    fill(std::span<quint8>(reinterpret_cast<quint8 *>(out.data()), size_t(count)));
    return out;
}

void SodiumRng::fill(std::span<quint8> out)
{
    randombytes_buf(out.data(), out.size());
}

namespace {
quint64 splitmix64(quint64 &x)
{
    quint64 z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
quint64 rotl(quint64 x, int k)
{
    return (x << k) | (x >> (64 - k));
}
} // namespace

SeededRng::SeededRng(quint64 seed)
{
    for (auto &s : m_s)
        s = splitmix64(seed);
}

quint64 SeededRng::nextRaw()
{
    const quint64 result = rotl(m_s[1] * 5, 7) * 9;
    const quint64 t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

void SeededRng::fill(std::span<quint8> out)
{
    size_t i = 0;
    while (i < out.size()) {
        const quint64 v = nextRaw();
        const size_t n = std::min(out.size() - i, sizeof v);
        std::memcpy(out.data() + i, &v, n);
        i += n;
    }
}

} // namespace cairn::base
