#pragma once

#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/crypto/secretbytes.h"
#include "core/mail/error.h"

#include <QByteArray>

namespace cairn::mail {

/// The DHT inbox key of a user: BLAKE2b-256(group id || username as UTF-8).
/// Every device of the user reads the same inbox.
QByteArray inboxKey(QByteArrayView groupId, QStringView username);

/// One entry in a recipient device's DHT inbox: where the sealed envelope
/// is stored, and the token that deletes this entry. The plaintext is a
/// small canonical CBOR map (docs/protocol.md, "Inbox header"), sealed
/// anonymously (crypto_box_seal) to one device's X25519 key, so only that
/// device learns the token; the DHT stores the entry with tokenHash().
/// Move-only because the token is a secret.
struct InboxHeader {
    static constexpr qint64 kVersion = 1;
    static constexpr qsizetype kIdBytes = 16;
    static constexpr qsizetype kKeyBytes = 32;
    static constexpr qsizetype kTokenBytes = 32;
    static constexpr int kMaxCopies = 16; // dht::Message::kMaxCopies
    static constexpr qint64 kMaxEnvelopeSize = 64 * 1024; // dht::Message::kMaxValue
    static constexpr qint64 kMaxSentAt = 253402300799LL * 1000 + 999;
    /// The plaintext map is about 110 bytes; anything longer is not a header.
    static constexpr qsizetype kMaxPlain = 256;
    /// A sealed header fits a DHT inbox entry (dht::Message::kMaxEntry).
    static constexpr qsizetype kMaxSealed = 2 * 1024;

    QByteArray messageId; // kIdBytes: MailMessage::id
    QByteArray envelopeKey; // kKeyBytes: BLAKE2b-256 of the sealed envelope, its DHT blob key
    int copies = 1; // 1..kMaxCopies: the envelope blob's replication factor
    crypto::SecretBytes deleteToken; // kTokenBytes random bytes (newToken)
    qint64 sentAt = 0; // unix milliseconds
    qint64 envelopeSize = 0; // 1..kMaxEnvelopeSize bytes

    InboxHeader() = default;
    InboxHeader(InboxHeader &&) = default;
    InboxHeader &operator=(InboxHeader &&) = default;
    InboxHeader clone() const;

    static crypto::SecretBytes newToken(base::Rng &rng);
    /// BLAKE2b-256 of the delete token: what the DHT stores with the entry.
    QByteArray tokenHash() const;

    /// The canonical plaintext, checked against every rule (InvalidField).
    Result<crypto::SecretBytes> encodePlain() const;
    /// Strict decode of a plaintext (no key needed; also the fuzz entry).
    static Result<InboxHeader> decodePlain(QByteArrayView plain);

    /// Seals the header to one device (its X25519 key,
    /// crypto::DeviceKey::x25519Public). CryptoFailed for an unusable key.
    static Result<QByteArray> seal(const crypto::PublicKey &recipientX25519, const InboxHeader &header);
    /// Opens an inbox entry with this device's key. NotForUs when the entry
    /// is sealed to another key (another device of the same user shares the
    /// inbox); an entry altered in transit fails the same authentication and
    /// is NotForUs too. Malformed for a wrong size or a plaintext that does
    /// not decode, UnsupportedVersion for a newer format.
    static Result<InboxHeader> open(const crypto::DeviceKey &device, QByteArrayView entry);
};

} // namespace cairn::mail
