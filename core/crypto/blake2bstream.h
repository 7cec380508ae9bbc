#pragma once

#include "core/crypto/error.h"
#include "core/crypto/secretbytes.h"

#include <QByteArray>

#include <sodium.h>

namespace cairn::crypto {

/// Incremental BLAKE2b (crypto_generichash) whose state can be saved and
/// restored, so hashing a file can resume where a crashed download left
/// off. The saved state holds up to two blocks of recent input, so it is
/// kept as secret as the data hashed.
class Blake2bStream {
public:
    /// An unkeyed hash of `outLength` bytes (16..64).
    explicit Blake2bStream(int outLength = 32);
    ~Blake2bStream();
    Blake2bStream(const Blake2bStream &) = default;
    Blake2bStream &operator=(const Blake2bStream &) = default;

    void update(QByteArrayView data);
    /// The digest; the stream is spent afterwards (further calls give an
    /// empty result).
    QByteArray final();
    int outLength() const { return m_outLength; }

    /// Output length, the hash state and a checksum over both: restore()
    /// refuses anything damaged, since the state's buffer offsets must not
    /// come from garbage.
    SecretBytes saveState() const;
    static Result<Blake2bStream> restore(const SecretBytes &state);

private:
    crypto_generichash_state m_state;
    int m_outLength = 32;
    bool m_final = false;
};

} // namespace cairn::crypto
