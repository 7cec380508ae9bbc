#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <span>

namespace cairn::base {

/// Randomness for protocol code (transaction ids, jitter, key seeds).
/// SodiumRng is the production source; the simulator uses a seeded one so
/// that a run replays bit for bit.
class Rng {
public:
    virtual ~Rng() = default;
    virtual void fill(std::span<quint8> out) = 0;

    quint64 next64();
    /// Uniform in [0, upperBound); upperBound must be > 0.
    quint64 uniform(quint64 upperBound);
    /// Uniform in [0, 1).
    double unit();
    QByteArray bytes(qsizetype count);
};

/// libsodium's randombytes: the CSPRNG of the operating system.
class SodiumRng final : public Rng {
public:
    void fill(std::span<quint8> out) override;
};

/// xoshiro256** seeded through splitmix64: fast, deterministic, not secure.
/// Only the simulator and tests use it.
class SeededRng final : public Rng {
public:
    explicit SeededRng(quint64 seed);
    void fill(std::span<quint8> out) override;
    quint64 nextRaw();

private:
    quint64 m_s[4];
};

} // namespace cairn::base
