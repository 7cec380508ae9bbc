#pragma once

#include "core/base/transport.h"
#include "core/net/error.h"
#include "core/net/messagetransport.h"

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <optional>

namespace cairn::net::sessionwire {

// The datagrams of secure sessions (docs/protocol.md, "Sessions"). Every
// datagram starts with its type; numbers are big-endian. Decoders check
// exact sizes and ranges and never trust a length from the wire.

enum class Type : quint8 { Initiation = 1, Response = 2, Finish = 3, CookieReply = 4, Data = 5 };

inline constexpr qsizetype kIndexBytes = 4;
inline constexpr qsizetype kCookieBytes = 16;
inline constexpr qsizetype kKeyBytes = 32; // an X25519 public key in a Noise message
inline constexpr qsizetype kTagBytes = 16; // Poly1305

/// The initiation has one size, so that answering it (a response carries a
/// certificate) sends hardly more than it received.
inline constexpr qsizetype kInitiationSize = 512;
inline constexpr qsizetype kInitiationHeader = 1 + kIndexBytes + kCookieBytes;
/// Noise message 1: the ephemeral key and a plaintext payload of zeros.
inline constexpr qsizetype kInitiationNoise = kInitiationSize - kInitiationHeader;
inline constexpr qsizetype kResponseHeader = 1 + 2 * kIndexBytes;
/// Noise message 2 with an empty payload: e, encrypted s, payload tag.
inline constexpr qsizetype kMinResponseNoise = kKeyBytes + kKeyBytes + kTagBytes + kTagBytes;
inline constexpr qsizetype kFinishHeader = 1 + kIndexBytes;
/// Noise message 3 with an empty payload: encrypted s, payload tag.
inline constexpr qsizetype kMinFinishNoise = kKeyBytes + kTagBytes + kTagBytes;
inline constexpr qsizetype kCookieReplySize = 1 + kIndexBytes + kCookieBytes;
inline constexpr qsizetype kDataHeader = 1 + kIndexBytes + 8;

/// Plaintexts are padded to one of these sizes; the last fills a datagram.
inline constexpr qsizetype kMaxPlaintext = base::Transport::kMaxDatagram - kDataHeader - kTagBytes;
inline constexpr std::array<qsizetype, 5> kPaddedSizes {64, 256, 512, 1024, kMaxPlaintext};
/// kind, message id, fragment index, fragment count, fragment length.
inline constexpr qsizetype kInnerHeader = 1 + 4 + 2 + 2 + 2;
inline constexpr qsizetype kFragmentPayload = kMaxPlaintext - kInnerHeader;
inline constexpr int kMaxFragments = int((MessageTransport::kMaxMessage + kFragmentPayload - 1) / kFragmentPayload);

/// Handshake message 1 (initiator to responder).
struct Initiation {
    quint32 senderIndex = 0; // the initiator's index for this session
    QByteArray cookie; // empty: none (all zeros on the wire)
    QByteArray noise; // kInitiationNoise bytes
};

/// Handshake message 2 (responder to initiator).
struct Response {
    quint32 senderIndex = 0; // the responder's index
    quint32 receiverIndex = 0; // the initiator's, echoed
    QByteArray noise;
};

/// Handshake message 3 (initiator to responder).
struct Finish {
    quint32 receiverIndex = 0; // the responder's
    QByteArray noise;
};

/// The responder's answer to an initiation without a valid cookie under load.
struct CookieReply {
    quint32 receiverIndex = 0; // the initiator's sender index, echoed
    QByteArray cookie;
};

/// A data datagram, split into views of the datagram it was decoded from
/// (which must outlive it).
struct Data {
    quint32 receiverIndex = 0;
    quint64 counter = 0; // the AEAD nonce
    QByteArrayView header; // authenticated as associated data
    QByteArrayView ciphertext;
};

/// The type byte, if the datagram has one this code knows.
std::optional<Type> typeOf(QByteArrayView datagram);

QByteArray encode(const Initiation &message);
QByteArray encode(const Response &message);
QByteArray encode(const Finish &message);
QByteArray encode(const CookieReply &message);
/// The header a data datagram with this index and counter starts with.
QByteArray encodeDataHeader(quint32 receiverIndex, quint64 counter);

Result<Initiation> decodeInitiation(QByteArrayView datagram);
Result<Response> decodeResponse(QByteArrayView datagram);
Result<Finish> decodeFinish(QByteArrayView datagram);
Result<CookieReply> decodeCookieReply(QByteArrayView datagram);
Result<Data> decodeData(QByteArrayView datagram);

/// What a data datagram carries once decrypted.
enum class InnerKind : quint8 { Message = 1, Control = 2, Keepalive = 3, Close = 4 };

/// The decrypted plaintext of a data datagram: a fragment of a message on
/// one of the two channels, a keepalive, or a close.
struct Inner {
    InnerKind kind = InnerKind::Keepalive;
    quint32 messageId = 0;
    quint16 index = 0;
    quint16 count = 0;
    QByteArray fragment;
    quint8 closeReason = 0; // informational (CloseReason as a number)
};

/// The smallest padded size holding `length` bytes, or -1 if none does.
qsizetype paddedSize(qsizetype length);
/// The padded plaintext (zeros after the content).
QByteArray encode(const Inner &inner);
/// Strict: a padded size (the smallest that fits), a known kind, fragment
/// fields in range (every fragment but the last full), zero padding.
Result<Inner> decodeInner(QByteArrayView plaintext);

} // namespace cairn::net::sessionwire
