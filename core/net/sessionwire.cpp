#include "core/net/sessionwire.h"

#include <QtEndian>

#include <algorithm>

namespace cairn::net::sessionwire {
namespace {

const uchar *bytesOf(QByteArrayView view)
{
    return reinterpret_cast<const uchar *>(view.data());
}

base::Error<NetError> malformed(const char *what)
{
    return base::fail(NetError::Malformed, QString::fromLatin1(what));
}

bool allZero(QByteArrayView view)
{
    return std::all_of(view.begin(), view.end(), [](char c) { return c == 0; });
}

void appendIndex(QByteArray &out, quint32 index)
{
    uchar buffer[4];
    qToBigEndian<quint32>(index, buffer);
    out.append(reinterpret_cast<const char *>(buffer), 4);
}

QByteArray start(Type type, qsizetype reserve)
{
    QByteArray out;
    out.reserve(reserve);
    out.append(char(type));
    return out;
}

// Index 0 is never chosen, so a zero on the wire is always wrong.
bool readIndex(QByteArrayView datagram, qsizetype offset, quint32 *index)
{
    *index = qFromBigEndian<quint32>(bytesOf(datagram) + offset);
    return *index != 0;
}

} // namespace

std::optional<Type> typeOf(QByteArrayView datagram)
{
    if (datagram.isEmpty())
        return std::nullopt;
    const auto type = quint8(datagram[0]);
    if (type < quint8(Type::Initiation) || type > quint8(Type::Data))
        return std::nullopt;
    return Type(type);
}

QByteArray encode(const Initiation &message)
{
    QByteArray out = start(Type::Initiation, kInitiationSize);
    appendIndex(out, message.senderIndex);
    if (message.cookie.size() == kCookieBytes)
        out.append(message.cookie);
    else
        out.append(kCookieBytes, '\0');
    out.append(message.noise);
    return out;
}

QByteArray encode(const Response &message)
{
    QByteArray out = start(Type::Response, kResponseHeader + message.noise.size());
    appendIndex(out, message.senderIndex);
    appendIndex(out, message.receiverIndex);
    out.append(message.noise);
    return out;
}

QByteArray encode(const Finish &message)
{
    QByteArray out = start(Type::Finish, kFinishHeader + message.noise.size());
    appendIndex(out, message.receiverIndex);
    out.append(message.noise);
    return out;
}

QByteArray encode(const CookieReply &message)
{
    QByteArray out = start(Type::CookieReply, kCookieReplySize);
    appendIndex(out, message.receiverIndex);
    out.append(message.cookie.left(kCookieBytes));
    out.append(kCookieBytes - qMin(kCookieBytes, message.cookie.size()), '\0');
    return out;
}

QByteArray encodeDataHeader(quint32 receiverIndex, quint64 counter)
{
    QByteArray out(kDataHeader, Qt::Uninitialized);
    auto *p = reinterpret_cast<uchar *>(out.data());
    p[0] = uchar(Type::Data);
    qToBigEndian<quint32>(receiverIndex, p + 1);
    qToBigEndian<quint64>(counter, p + 1 + kIndexBytes);
    return out;
}

Result<Initiation> decodeInitiation(QByteArrayView datagram)
{
    if (datagram.size() != kInitiationSize || typeOf(datagram) != Type::Initiation)
        return malformed("initiation: wrong size or type");
    Initiation message;
    if (!readIndex(datagram, 1, &message.senderIndex))
        return malformed("initiation: index 0");
    const QByteArrayView cookie = datagram.sliced(1 + kIndexBytes, kCookieBytes);
    if (!allZero(cookie))
        message.cookie = cookie.toByteArray();
    message.noise = datagram.sliced(kInitiationHeader).toByteArray();
    return message;
}

Result<Response> decodeResponse(QByteArrayView datagram)
{
    if (datagram.size() < kResponseHeader + kMinResponseNoise || datagram.size() > base::Transport::kMaxDatagram
        || typeOf(datagram) != Type::Response)
        return malformed("response: wrong size or type");
    Response message;
    if (!readIndex(datagram, 1, &message.senderIndex) || !readIndex(datagram, 1 + kIndexBytes, &message.receiverIndex))
        return malformed("response: index 0");
    message.noise = datagram.sliced(kResponseHeader).toByteArray();
    return message;
}

Result<Finish> decodeFinish(QByteArrayView datagram)
{
    if (datagram.size() < kFinishHeader + kMinFinishNoise || datagram.size() > base::Transport::kMaxDatagram
        || typeOf(datagram) != Type::Finish)
        return malformed("finish: wrong size or type");
    Finish message;
    if (!readIndex(datagram, 1, &message.receiverIndex))
        return malformed("finish: index 0");
    message.noise = datagram.sliced(kFinishHeader).toByteArray();
    return message;
}

Result<CookieReply> decodeCookieReply(QByteArrayView datagram)
{
    if (datagram.size() != kCookieReplySize || typeOf(datagram) != Type::CookieReply)
        return malformed("cookie reply: wrong size or type");
    CookieReply message;
    if (!readIndex(datagram, 1, &message.receiverIndex))
        return malformed("cookie reply: index 0");
    message.cookie = datagram.sliced(1 + kIndexBytes).toByteArray();
    return message;
}

Result<Data> decodeData(QByteArrayView datagram)
{
    if (datagram.size() > base::Transport::kMaxDatagram || typeOf(datagram) != Type::Data)
        return malformed("data: wrong size or type");
    const qsizetype plaintext = datagram.size() - kDataHeader - kTagBytes;
    if (std::find(kPaddedSizes.begin(), kPaddedSizes.end(), plaintext) == kPaddedSizes.end())
        return malformed("data: not a padded size");
    Data data;
    if (!readIndex(datagram, 1, &data.receiverIndex))
        return malformed("data: index 0");
    data.counter = qFromBigEndian<quint64>(bytesOf(datagram) + 1 + kIndexBytes);
    data.header = datagram.first(kDataHeader);
    data.ciphertext = datagram.sliced(kDataHeader);
    return data;
}

qsizetype paddedSize(qsizetype length)
{
    for (const qsizetype size : kPaddedSizes) {
        if (length <= size)
            return size;
    }
    return -1;
}

QByteArray encode(const Inner &inner)
{
    QByteArray out;
    out.append(char(inner.kind));
    switch (inner.kind) {
    case InnerKind::Message:
    case InnerKind::Control: {
        uchar header[kInnerHeader - 1];
        qToBigEndian<quint32>(inner.messageId, header);
        qToBigEndian<quint16>(inner.index, header + 4);
        qToBigEndian<quint16>(inner.count, header + 6);
        qToBigEndian<quint16>(quint16(inner.fragment.size()), header + 8);
        out.append(reinterpret_cast<const char *>(header), sizeof header);
        out.append(inner.fragment);
        break;
    }
    case InnerKind::Close:
        out.append(char(inner.closeReason));
        break;
    case InnerKind::Keepalive:
        break;
    }
    out.append(paddedSize(out.size()) - out.size(), '\0');
    return out;
}

Result<Inner> decodeInner(QByteArrayView plaintext)
{
    if (plaintext.isEmpty() || paddedSize(plaintext.size()) != plaintext.size())
        return malformed("inner: not a padded size");
    Inner inner;
    const auto kind = quint8(plaintext[0]);
    qsizetype used = 1;
    switch (kind) {
    case quint8(InnerKind::Message):
    case quint8(InnerKind::Control): {
        if (plaintext.size() < kInnerHeader)
            return malformed("inner: short fragment header");
        const uchar *p = bytesOf(plaintext);
        inner.messageId = qFromBigEndian<quint32>(p + 1);
        inner.index = qFromBigEndian<quint16>(p + 5);
        inner.count = qFromBigEndian<quint16>(p + 7);
        const qsizetype length = qFromBigEndian<quint16>(p + 9);
        if (inner.count < 1 || inner.count > kMaxFragments || inner.index >= inner.count)
            return malformed("inner: fragment index or count out of range");
        if (length < 1 || length > kFragmentPayload || kInnerHeader + length > plaintext.size())
            return malformed("inner: fragment length out of range");
        // Every fragment but the last is full, so a peer cannot make us
        // hold more than count * kFragmentPayload bytes for one message.
        if (inner.index + 1 < inner.count && length != kFragmentPayload)
            return malformed("inner: short fragment before the last");
        inner.fragment = plaintext.sliced(kInnerHeader, length).toByteArray();
        used = kInnerHeader + length;
        break;
    }
    case quint8(InnerKind::Close):
        if (plaintext.size() < 2)
            return malformed("inner: short close");
        inner.closeReason = quint8(plaintext[1]);
        used = 2;
        break;
    case quint8(InnerKind::Keepalive):
        break;
    default:
        return malformed("inner: unknown kind");
    }
    inner.kind = InnerKind(kind);
    // The padded size must be the smallest that fits, and the padding zero:
    // one plaintext, one encoding.
    if (paddedSize(used) != plaintext.size() || !allZero(plaintext.sliced(used)))
        return malformed("inner: padding");
    return inner;
}

} // namespace cairn::net::sessionwire
