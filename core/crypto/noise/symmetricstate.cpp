#include "core/crypto/noise/symmetricstate.h"

#include <cstring>
#include <initializer_list>
#include <sodium.h>

namespace cairn::crypto::noise {
namespace {

static_assert(crypto_generichash_BYTES_MAX == kHashSize);

using Digest = std::array<quint8, kHashSize>;
using Bytes = std::span<const quint8>;

Bytes toBytes(QByteArrayView view)
{
    return {reinterpret_cast<const quint8 *>(view.data()), size_t(view.size())};
}

// HASH over the concatenation of parts, without building the concatenation.
void hash(std::initializer_list<Bytes> parts, quint8 *out)
{
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, kHashSize);
    for (const Bytes &part : parts)
        crypto_generichash_update(&state, part.data(), part.size());
    crypto_generichash_final(&state, out, kHashSize);
    // The state has absorbed key material when hashing for HMAC.
    sodium_memzero(&state, sizeof state);
}

// HMAC-HASH(key, parts) per RFC 2104 with BLOCKLEN 128 (spec section 4.3).
// BLAKE2b's own keyed mode is not HMAC and would not match other Noise
// implementations.
void hmac(Bytes key, std::initializer_list<Bytes> parts, quint8 *out)
{
    std::array<quint8, kHashBlockSize> block {};
    if (key.size() > size_t(kHashBlockSize))
        hash({key}, block.data());
    else if (!key.empty())
        std::memcpy(block.data(), key.data(), key.size());

    std::array<quint8, kHashBlockSize> pad {};
    for (size_t i = 0; i < pad.size(); ++i)
        pad[i] = block[i] ^ 0x36;
    Digest inner {};
    {
        crypto_generichash_state state;
        crypto_generichash_init(&state, nullptr, 0, kHashSize);
        crypto_generichash_update(&state, pad.data(), pad.size());
        for (const Bytes &part : parts)
            crypto_generichash_update(&state, part.data(), part.size());
        crypto_generichash_final(&state, inner.data(), inner.size());
        sodium_memzero(&state, sizeof state);
    }
    for (size_t i = 0; i < pad.size(); ++i)
        pad[i] = block[i] ^ 0x5c;
    hash({Bytes(pad), Bytes(inner)}, out);

    sodium_memzero(block.data(), block.size());
    sodium_memzero(pad.data(), pad.size());
    sodium_memzero(inner.data(), inner.size());
}

// HKDF(chainingKey, ikm, count) for count 2 or 3 (spec section 4.3).
// Callers wipe the outputs.
void hkdf(Bytes chainingKey, Bytes inputKeyMaterial, int count, Digest *outputs)
{
    Digest tempKey {};
    hmac(chainingKey, {inputKeyMaterial}, tempKey.data());
    const quint8 one = 0x01, two = 0x02, three = 0x03;
    hmac(tempKey, {Bytes(&one, 1)}, outputs[0].data());
    hmac(tempKey, {Bytes(outputs[0]), Bytes(&two, 1)}, outputs[1].data());
    if (count == 3)
        hmac(tempKey, {Bytes(outputs[1]), Bytes(&three, 1)}, outputs[2].data());
    sodium_memzero(tempKey.data(), tempKey.size());
}

void wipeAll(Digest *digests, int count)
{
    for (int i = 0; i < count; ++i)
        sodium_memzero(digests[i].data(), digests[i].size());
}

std::span<const quint8, kKeySize> truncatedKey(const Digest &digest)
{
    return std::span<const quint8, kHashSize>(digest).first<kKeySize>();
}

} // namespace

SymmetricState::SymmetricState(QByteArrayView protocolName)
{
    initSodium();
    if (protocolName.size() <= kHashSize) {
        if (!protocolName.isEmpty())
            std::memcpy(m_hash.data(), protocolName.data(), size_t(protocolName.size()));
    } else {
        hash({toBytes(protocolName)}, m_hash.data());
    }
    m_chainingKey = SecretBytes(m_hash.data(), kHashSize);
}

void SymmetricState::mixKey(QByteArrayView inputKeyMaterial)
{
    Digest out[2];
    hkdf(m_chainingKey.span(), toBytes(inputKeyMaterial), 2, out);
    std::memcpy(m_chainingKey.data(), out[0].data(), kHashSize);
    m_cipher.initializeKey(truncatedKey(out[1]));
    wipeAll(out, 2);
}

void SymmetricState::mixHash(QByteArrayView data)
{
    hash({Bytes(m_hash), toBytes(data)}, m_hash.data());
}

void SymmetricState::mixKeyAndHash(QByteArrayView inputKeyMaterial)
{
    Digest out[3];
    hkdf(m_chainingKey.span(), toBytes(inputKeyMaterial), 3, out);
    std::memcpy(m_chainingKey.data(), out[0].data(), kHashSize);
    mixHash(QByteArrayView(out[1].data(), kHashSize));
    m_cipher.initializeKey(truncatedKey(out[2]));
    wipeAll(out, 3);
}

QByteArray SymmetricState::handshakeHash() const
{
    return QByteArray(reinterpret_cast<const char *>(m_hash.data()), kHashSize);
}

Result<QByteArray> SymmetricState::encryptAndHash(QByteArrayView plaintext)
{
    auto ciphertext = m_cipher.encryptWithAd(QByteArrayView(m_hash.data(), kHashSize), plaintext);
    if (ciphertext.ok())
        mixHash(ciphertext.value());
    return ciphertext;
}

Result<QByteArray> SymmetricState::decryptAndHash(QByteArrayView ciphertext)
{
    auto plaintext = m_cipher.decryptWithAd(QByteArrayView(m_hash.data(), kHashSize), ciphertext);
    if (plaintext.ok())
        mixHash(ciphertext);
    return plaintext;
}

std::pair<CipherState, CipherState> SymmetricState::split() const
{
    Digest out[2];
    hkdf(m_chainingKey.span(), Bytes(), 2, out);
    std::pair<CipherState, CipherState> ciphers;
    ciphers.first.initializeKey(truncatedKey(out[0]));
    ciphers.second.initializeKey(truncatedKey(out[1]));
    wipeAll(out, 2);
    return ciphers;
}

} // namespace cairn::crypto::noise
