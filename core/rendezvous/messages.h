#pragma once

#include "core/base/endpoint.h"
#include "core/crypto/keys.h"
#include "core/identity/certificate.h"
#include "core/identity/revocationlist.h"
#include "core/net/messagetransport.h"
#include "core/rendezvous/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <type_traits>
#include <variant>

namespace cairn::rendezvous {

// The rendezvous protocol on the sessions' control channel
// (docs/protocol.md, "Rendezvous"): one canonical CBOR map per message,
// key 0 its kind. Certificates and revocation lists travel in their signed
// wire form and are decoded strictly; nothing here checks a signature (the
// receiver does, against its trust anchor).

/// How a join or renewal request was answered.
enum class ResponseStatus : quint8 {
    Issued = 0, // the certificate is in the response
    Pending = 1, // held for the operator; ask again later
    Denied = 2, // the operator said no, or the device or user is revoked
    Error = 3, // the request itself was refused (see the error code)
};

/// Opens a session without asking anything: a joiner must see the session
/// (and its handshake hash, the channel binding its proof signs) before it
/// can sign a JoinRequest. Receivers ignore it.
struct Hello {
    friend bool operator==(const Hello &, const Hello &) = default;
};

/// A device asks for a certificate with an invite's token.
struct JoinRequest {
    QByteArray token; // Invite::kMinTokenBytes..kMaxTokenBytes
    QString username;
    crypto::PublicKey deviceKey; // must be the session's peer key
    QByteArray proof; // joinProof(): 64 bytes
    friend bool operator==(const JoinRequest &, const JoinRequest &) = default;
};

/// The answer to a JoinRequest (and, after an approval, pushed unasked).
/// Issued carries the certificate and the group's trust anchor; Denied and
/// Error carry an error code; every status may carry a message for people.
struct JoinResponse {
    using Status = ResponseStatus;
    static constexpr qsizetype kMaxBootstrap = 32;

    Status status = Status::Error;
    identity::Certificate certificate; // Issued only
    QString groupName; // Issued only
    QByteArray groupId; // Issued only
    crypto::PublicKey caKey; // Issued only
    identity::RevocationList crl; // Issued, optional (may be left out when large)
    QList<base::Endpoint> bootstrap; // Issued only: nodes to join the overlay through
    QString message;
    RendezvousError error = RendezvousError::Denied; // Denied and Error only
    friend bool operator==(const JoinResponse &, const JoinResponse &) = default;
};

/// A certified device asks for a fresh certificate (for the one its session presented).
struct RenewRequest {
    friend bool operator==(const RenewRequest &, const RenewRequest &) = default;
};

struct RenewResponse {
    using Status = ResponseStatus;
    Status status = Status::Error; // Issued, Denied or Error
    identity::Certificate certificate; // Issued only
    QString message;
    RendezvousError error = RendezvousError::Denied; // Denied and Error only
    friend bool operator==(const RenewResponse &, const RenewResponse &) = default;
};

/// A certified device asks for the group directory, a page at a time.
struct DirectoryRequest {
    quint32 offset = 0; // certificates to skip
    friend bool operator==(const DirectoryRequest &, const DirectoryRequest &) = default;
};

struct DirectoryResponse {
    static constexpr qsizetype kMaxCertificates = 512;
    /// What a page's certificates may add up to, so a page fits one message.
    static constexpr qsizetype kPageBudget = 60 * 1024;

    QList<identity::Certificate> certificates;
    quint32 offset = 0; // the request's offset, echoed
    bool more = false; // further pages follow
    friend bool operator==(const DirectoryResponse &, const DirectoryResponse &) = default;
};

/// "I hold revocation list version N": sent when a session comes up.
struct CrlOffer {
    quint64 version = 0;
    friend bool operator==(const CrlOffer &, const CrlOffer &) = default;
};

/// A revocation list, pushed to a peer with an older one (or to everyone
/// when it is new).
struct CrlPush {
    identity::RevocationList crl;
    friend bool operator==(const CrlPush &, const CrlPush &) = default;
};

/// One control-channel message of any kind.
struct ControlMessage {
    using Body = std::variant<Hello, JoinRequest, JoinResponse, RenewRequest, RenewResponse, DirectoryRequest,
        DirectoryResponse, CrlOffer, CrlPush>;
    static constexpr qsizetype kMaxBytes = net::MessageTransport::kMaxMessage;
    static constexpr qsizetype kMaxMessageText = 200;

    Body body;

    ControlMessage() = default;
    template <typename T>
    requires std::is_constructible_v<Body, T> &&(!std::is_same_v<std::decay_t<T>, ControlMessage>)ControlMessage(
        T message)
        : body(std::move(message))
    { }

    template <typename T> bool is() const { return std::holds_alternative<T>(body); }
    template <typename T> const T &as() const { return std::get<T>(body); }

    /// Canonical CBOR. May exceed kMaxBytes (a JoinResponse with a huge
    /// revocation list); senders check the size.
    QByteArray encode() const;
    /// Strict decode: at most kMaxBytes, canonical, known kind, exactly the
    /// fields that kind and status carry, each within its limits; embedded
    /// certificates and revocation lists decode strictly too. decode() of
    /// encode() gives back the message, and encode() of a decoded message
    /// gives back the same bytes.
    static Result<ControlMessage> decode(QByteArrayView bytes);

    friend bool operator==(const ControlMessage &, const ControlMessage &) = default;
};

/// Domain separation for the join proof.
inline constexpr QByteArrayView kJoinProofContext {"cairn join proof v1"};
/// An Ed25519 signature.
inline constexpr qsizetype kJoinProofBytes = 64;

/// The joiner's proof that it holds the device key it asks a certificate
/// for, bound to this session (the handshake hash) so it cannot be replayed
/// over another: an Ed25519 signature over kJoinProofContext, a zero byte,
/// and the canonical CBOR array [channelBinding, token, username].
QByteArray joinProof(
    const crypto::DeviceKey &deviceKey, QByteArrayView channelBinding, QByteArrayView token, const QString &username);
bool verifyJoinProof(const crypto::PublicKey &deviceKey, QByteArrayView channelBinding, QByteArrayView token,
    const QString &username, QByteArrayView proof);

} // namespace cairn::rendezvous
