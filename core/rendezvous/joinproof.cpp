#include "core/base/cbor.h"
#include "core/rendezvous/messages.h"

#include <QCborArray>

namespace cairn::rendezvous {

namespace {

QByteArray proofInput(QByteArrayView channelBinding, QByteArrayView token, const QString &username)
{
    QByteArray input(kJoinProofContext.data(), kJoinProofContext.size());
    input.append('\0');
    input.append(
        base::cbor::encode(QCborArray {channelBinding.toByteArray(), token.toByteArray(), QCborValue(username)}));
    return input;
}

} // namespace

QByteArray joinProof(
    const crypto::DeviceKey &deviceKey, QByteArrayView channelBinding, QByteArrayView token, const QString &username)
{
    return deviceKey.sign(proofInput(channelBinding, token, username));
}

bool verifyJoinProof(const crypto::PublicKey &deviceKey, QByteArrayView channelBinding, QByteArrayView token,
    const QString &username, QByteArrayView proof)
{
    return proof.size() == kJoinProofBytes
        && crypto::verifySignature(deviceKey, proofInput(channelBinding, token, username), proof);
}

} // namespace cairn::rendezvous
