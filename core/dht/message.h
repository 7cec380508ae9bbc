#pragma once

#include "core/dht/contact.h"
#include "core/dht/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace cairn::dht {

/// The operations of the DHT's RPC protocol (docs/protocol.md, "DHT RPC").
enum class Op : quint8 {
    Ping = 1,
    FindNode = 2,
    PutBlob = 3,
    GetBlob = 4,
    Append = 5,
    List = 6,
    Delete = 7,
    PutRecord = 8,
    GetRecord = 9,
};

enum class Kind : quint8 { Request = 0, Response = 1, Error = 2 };

/// Error codes a responder may send back.
enum class RemoteError : quint8 {
    Malformed = 1,
    InvalidValue = 2,
    QuotaFull = 3,
    DiskFull = 4,
    TooLarge = 5,
    NotFound = 6,
    BadToken = 7,
    StaleRecord = 8,
    Internal = 9,
};

/// A signed mutable record as it travels (its key is H(owner || salt)).
struct RecordData {
    QByteArray owner; // Ed25519 public key, 32 bytes
    QByteArray salt; // up to 64 bytes
    quint64 sequence = 0; // the higher one wins
    QByteArray value;
    QByteArray signature; // 64 bytes over the record's signing input
    friend bool operator==(const RecordData &, const RecordData &) = default;
};

/// An inbox entry as LIST returns it: the opaque data, the hash of its
/// delete token (so a replica can re-store it during repair; the token
/// itself never leaves the recipient) and its remaining TTL.
struct InboxItem {
    QByteArray data;
    QByteArray tokenHash;
    qint64 ttl = 0;
    friend bool operator==(const InboxItem &, const InboxItem &) = default;
};

/// One RPC message: a request, its response or an error. Fields an
/// operation does not use stay empty and are not encoded; decode() refuses
/// unknown fields and any field outside its size limit.
struct Message {
    static constexpr qsizetype kMaxValue = 64 * 1024;
    static constexpr qsizetype kMaxEntry = 2 * 1024;
    static constexpr qsizetype kMaxSalt = 64;
    static constexpr qsizetype kMaxToken = 64;
    static constexpr qsizetype kMaxNodes = 20;
    static constexpr qsizetype kMaxErrorText = 200;
    static constexpr int kMaxCopies = 16;
    /// The budget of a LIST response's entries, so it fits one message.
    static constexpr qsizetype kListBudget = 60 * 1024;

    Kind kind = Kind::Request;
    Op op = Op::Ping;
    quint64 txid = 0;
    identity::NodeId sender;

    identity::NodeId target; // FindNode, and the lookup target of value reads
    bool hasTarget = false;
    QByteArray key; // 32 bytes: blob hash, inbox key or record key
    QByteArray value; // PutBlob / GetBlob response
    qint64 ttl = 0; // seconds, on writes
    QByteArray tokenHash; // Append: 32 bytes
    QByteArray token; // Delete
    QByteArray entryId; // Delete: 32 bytes
    qint64 offset = 0; // List: entries to skip
    bool more = false; // List response: more entries after these
    bool probe = false; // GetBlob: answer found/not found without the value
    int copies = 0; // PutBlob, Append: the item's replication factor (0: the holder's default)
    qint64 free = -1; // Ping response from a storing node: bytes it can still take
    bool found = false; // read responses
    RecordData record; // PutRecord, GetRecord response
    QList<Contact> nodes; // closer nodes, on read responses
    QList<InboxItem> entries; // List response
    RemoteError error = RemoteError::Internal;
    QString errorText;

    QByteArray encode() const;
    static Result<Message> decode(QByteArrayView bytes);

    /// A response (or error) to `request`, from `self`.
    static Message responseTo(const Message &request, const identity::NodeId &self);
    static Message errorTo(const Message &request, const identity::NodeId &self, RemoteError code, QString text);
};

/// "ipv4:port" as 6 bytes, "[ipv6]:port" as 18, big-endian.
QByteArray encodeEndpoint(const base::Endpoint &endpoint);
std::optional<base::Endpoint> decodeEndpoint(QByteArrayView bytes);

} // namespace cairn::dht
