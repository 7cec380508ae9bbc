// The control-channel codec (docs/protocol.md, "Rendezvous"). Messages are
// rare (a join, a renewal, a directory page, a revocation list), so they go
// through base::cbor's value tree rather than a hand-written reader.
#include "core/rendezvous/messages.h"

#include "core/base/cbor.h"
#include "core/dht/message.h"
#include "core/identity/invite.h"
#include "core/identity/names.h"
#include "core/rendezvous/messagefields.h"

#include <QCborArray>
#include <QCborMap>

#include <algorithm>

namespace cairn::rendezvous {

namespace cbor = base::cbor;
using detail::malformed;
using detail::MessageFields;

namespace {

enum Kind : qint64 {
    KindHello = 1,
    KindJoinRequest = 2,
    KindJoinResponse = 3,
    KindRenewRequest = 4,
    KindRenewResponse = 5,
    KindDirectoryRequest = 6,
    KindDirectoryResponse = 7,
    KindCrlOffer = 8,
    KindCrlPush = 9,
};

constexpr qint64 KeyKind = detail::kKindKey;

// JoinRequest
enum : qint64 { KeyToken = 1, KeyUsername = 2, KeyDeviceKey = 3, KeyProof = 4 };
// JoinResponse and RenewResponse
enum : qint64 {
    KeyStatus = 1,
    KeyCertificate = 2,
    KeyGroupName = 3,
    KeyGroupId = 4,
    KeyCaKey = 5,
    KeyCrl = 6,
    KeyBootstrap = 7,
    KeyMessage = 8,
    KeyError = 9,
};
// DirectoryRequest, DirectoryResponse, CrlOffer, CrlPush
enum : qint64 { KeyOffset = 1, KeyCertificates = 1, KeyPageOffset = 2, KeyMore = 3, KeyVersion = 1, KeyList = 1 };

constexpr qint64 kMaxOffset = 1'000'000;
constexpr qint64 kMaxVersion = std::numeric_limits<qint64>::max();

// --- encoding -------------------------------------------------------------

void putText(QCborMap &map, qint64 key, const QString &text)
{
    if (!text.isEmpty())
        map.insert(key, text);
}

void putError(QCborMap &map, ResponseStatus status, RendezvousError error)
{
    if (status == ResponseStatus::Denied || status == ResponseStatus::Error)
        map.insert(KeyError, qint64(error));
}

QCborMap encodeBody(const Hello &)
{
    return QCborMap {{KeyKind, KindHello}};
}

QCborMap encodeBody(const JoinRequest &m)
{
    return QCborMap {{KeyKind, KindJoinRequest}, {KeyToken, m.token}, {KeyUsername, m.username},
        {KeyDeviceKey, m.deviceKey.toByteArray()}, {KeyProof, m.proof}};
}

QCborMap encodeBody(const JoinResponse &m)
{
    QCborMap map {{KeyKind, KindJoinResponse}, {KeyStatus, qint64(m.status)}};
    if (m.status == ResponseStatus::Issued) {
        map.insert(KeyCertificate, m.certificate.encode());
        map.insert(KeyGroupName, m.groupName);
        map.insert(KeyGroupId, m.groupId);
        map.insert(KeyCaKey, m.caKey.toByteArray());
        if (!m.crl.isNull())
            map.insert(KeyCrl, m.crl.encode());
        QCborArray endpoints;
        for (const base::Endpoint &e : m.bootstrap)
            endpoints.append(dht::encodeEndpoint(e));
        if (!endpoints.isEmpty())
            map.insert(KeyBootstrap, endpoints);
    }
    putText(map, KeyMessage, m.message);
    putError(map, m.status, m.error);
    return map;
}

QCborMap encodeBody(const RenewRequest &)
{
    return QCborMap {{KeyKind, KindRenewRequest}};
}

QCborMap encodeBody(const RenewResponse &m)
{
    QCborMap map {{KeyKind, KindRenewResponse}, {KeyStatus, qint64(m.status)}};
    if (m.status == ResponseStatus::Issued)
        map.insert(KeyCertificate, m.certificate.encode());
    putText(map, KeyMessage, m.message);
    putError(map, m.status, m.error);
    return map;
}

QCborMap encodeBody(const DirectoryRequest &m)
{
    QCborMap map {{KeyKind, KindDirectoryRequest}};
    if (m.offset > 0)
        map.insert(KeyOffset, qint64(m.offset));
    return map;
}

QCborMap encodeBody(const DirectoryResponse &m)
{
    QCborMap map {{KeyKind, KindDirectoryResponse}};
    QCborArray certs;
    for (const identity::Certificate &c : m.certificates)
        certs.append(c.encode());
    if (!certs.isEmpty())
        map.insert(KeyCertificates, certs);
    if (m.offset > 0)
        map.insert(KeyPageOffset, qint64(m.offset));
    if (m.more)
        map.insert(KeyMore, true);
    return map;
}

QCborMap encodeBody(const CrlOffer &m)
{
    return QCborMap {{KeyKind, KindCrlOffer}, {KeyVersion, qint64(m.version)}};
}

QCborMap encodeBody(const CrlPush &m)
{
    return QCborMap {{KeyKind, KindCrlPush}, {KeyList, m.crl.encode()}};
}

// --- decoding -------------------------------------------------------------

Result<ControlMessage> finish(const MessageFields &f, ControlMessage message)
{
    if (!f.ok())
        return f.error();
    return message;
}

Result<ControlMessage> decodeJoinRequest(MessageFields &f)
{
    f.keys({KeyToken, KeyUsername, KeyDeviceKey, KeyProof});
    JoinRequest m;
    m.token = f.bytes(KeyToken, "token", identity::Invite::kMinTokenBytes, identity::Invite::kMaxTokenBytes);
    m.username = f.text(KeyUsername, "username", identity::names::kMaxUsernameLength);
    m.deviceKey = f.publicKey(KeyDeviceKey, "device key");
    m.proof = f.bytes(KeyProof, "proof", kJoinProofBytes, kJoinProofBytes);
    return finish(f, m);
}

ResponseStatus status(MessageFields &f, bool pendingAllowed)
{
    const qint64 v = f.integer(KeyStatus, "status", 0, qint64(ResponseStatus::Error));
    if (f.ok() && !pendingAllowed && v == qint64(ResponseStatus::Pending))
        f.fail(malformed(QStringLiteral("a renewal is never pending")));
    return ResponseStatus(v);
}

bool carriesError(ResponseStatus s)
{
    return s == ResponseStatus::Denied || s == ResponseStatus::Error;
}

Result<ControlMessage> decodeJoinResponse(MessageFields &f)
{
    JoinResponse m;
    m.status = status(f, true);
    if (m.status == ResponseStatus::Issued)
        f.keys({KeyStatus, KeyCertificate, KeyGroupName, KeyGroupId, KeyCaKey}, {KeyCrl, KeyBootstrap, KeyMessage});
    else if (carriesError(m.status))
        f.keys({KeyStatus, KeyError}, {KeyMessage});
    else
        f.keys({KeyStatus}, {KeyMessage});
    if (m.status == ResponseStatus::Issued) {
        m.certificate
            = f.certificate(f.bytes(KeyCertificate, "certificate", 1, identity::Certificate::kMaxBytes), "certificate");
        m.groupName = f.text(KeyGroupName, "group name", identity::names::kMaxGroupNameUnits);
        if (f.ok()) {
            if (auto r = identity::names::validateGroupName(m.groupName); !r.ok())
                f.fail(malformed(r.message()));
        }
        m.groupId = f.bytes(KeyGroupId, "group id", identity::names::kGroupIdBytes, identity::names::kGroupIdBytes);
        m.caKey = f.publicKey(KeyCaKey, "CA key");
        if (f.has(KeyCrl))
            m.crl = f.crl(KeyCrl);
        if (f.has(KeyBootstrap)) {
            for (const QByteArray &raw : f.byteList(KeyBootstrap, "bootstrap", JoinResponse::kMaxBootstrap, 18)) {
                const auto endpoint = dht::decodeEndpoint(raw);
                // One spelling per address: an IPv4 address is never sent in its IPv6-mapped form.
                if (!endpoint || dht::encodeEndpoint(*endpoint) != raw)
                    f.fail(malformed(QStringLiteral("bootstrap: an entry is not a valid address")));
                else
                    m.bootstrap.append(*endpoint);
            }
        }
    }
    if (f.has(KeyMessage))
        m.message = f.text(KeyMessage, "message", ControlMessage::kMaxMessageText);
    if (carriesError(m.status))
        m.error = f.errorCode(KeyError);
    return finish(f, m);
}

Result<ControlMessage> decodeRenewResponse(MessageFields &f)
{
    RenewResponse m;
    m.status = status(f, false);
    if (m.status == ResponseStatus::Issued)
        f.keys({KeyStatus, KeyCertificate}, {KeyMessage});
    else
        f.keys({KeyStatus, KeyError}, {KeyMessage});
    if (m.status == ResponseStatus::Issued)
        m.certificate
            = f.certificate(f.bytes(KeyCertificate, "certificate", 1, identity::Certificate::kMaxBytes), "certificate");
    if (f.has(KeyMessage))
        m.message = f.text(KeyMessage, "message", ControlMessage::kMaxMessageText);
    if (carriesError(m.status))
        m.error = f.errorCode(KeyError);
    return finish(f, m);
}

Result<ControlMessage> decodeDirectoryRequest(MessageFields &f)
{
    f.keys({}, {KeyOffset});
    DirectoryRequest m;
    if (f.has(KeyOffset))
        m.offset = quint32(f.integer(KeyOffset, "offset", 1, kMaxOffset));
    return finish(f, m);
}

Result<ControlMessage> decodeDirectoryResponse(MessageFields &f)
{
    f.keys({}, {KeyCertificates, KeyPageOffset, KeyMore});
    DirectoryResponse m;
    if (f.has(KeyCertificates)) {
        const QList<QByteArray> certs = f.byteList(
            KeyCertificates, "certificates", DirectoryResponse::kMaxCertificates, identity::Certificate::kMaxBytes);
        for (const QByteArray &wire : certs)
            m.certificates.append(f.certificate(wire, "certificates"));
    }
    if (f.has(KeyPageOffset))
        m.offset = quint32(f.integer(KeyPageOffset, "offset", 1, kMaxOffset));
    if (f.has(KeyMore))
        m.more = f.trueFlag(KeyMore, "more");
    return finish(f, m);
}

Result<ControlMessage> decodeCrlOffer(MessageFields &f)
{
    f.keys({KeyVersion});
    CrlOffer m;
    m.version = quint64(f.integer(KeyVersion, "version", 0, kMaxVersion));
    return finish(f, m);
}

Result<ControlMessage> decodeCrlPush(MessageFields &f)
{
    f.keys({KeyList});
    CrlPush m;
    m.crl = f.crl(KeyList);
    return finish(f, m);
}

} // namespace

QByteArray ControlMessage::encode() const
{
    return cbor::encode(std::visit([](const auto &m) { return encodeBody(m); }, body));
}

Result<ControlMessage> ControlMessage::decode(QByteArrayView bytes)
{
    if (bytes.size() > kMaxBytes)
        return base::fail(RendezvousError::TooLarge,
            QStringLiteral("control message: %1 bytes, the limit is %2").arg(bytes.size()).arg(kMaxBytes));
    cbor::Limits limits;
    limits.maxBytes = kMaxBytes;
    limits.maxDepth = 2; // the message map, and arrays of byte strings in it
    limits.maxItems = 64 + DirectoryResponse::kMaxCertificates;
    limits.maxStringLength = kMaxBytes;
    auto value = cbor::decode(bytes, limits);
    if (!value.ok())
        return malformed(value.message());
    if (!value->isMap())
        return malformed(QStringLiteral("not a map"));
    const QCborMap map = value->toMap();
    const QCborValue kind = map.value(KeyKind);
    if (!kind.isInteger())
        return malformed(QStringLiteral("no kind"));
    MessageFields f(map);
    switch (kind.toInteger()) {
    case KindHello:
        f.keys({});
        return finish(f, Hello {});
    case KindJoinRequest:
        return decodeJoinRequest(f);
    case KindJoinResponse:
        return decodeJoinResponse(f);
    case KindRenewRequest:
        f.keys({});
        return finish(f, RenewRequest {});
    case KindRenewResponse:
        return decodeRenewResponse(f);
    case KindDirectoryRequest:
        return decodeDirectoryRequest(f);
    case KindDirectoryResponse:
        return decodeDirectoryResponse(f);
    case KindCrlOffer:
        return decodeCrlOffer(f);
    case KindCrlPush:
        return decodeCrlPush(f);
    default:
        return malformed(QStringLiteral("unknown kind %1").arg(kind.toInteger()));
    }
}

} // namespace cairn::rendezvous
