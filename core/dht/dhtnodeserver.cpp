// DhtNode's server side: answering requests, storing for others.
#include "core/crypto/keys.h"
#include "core/dht/dhtnode.h"
#include "core/dht/record.h"
#include "core/store/blobstore.h"

namespace cairn::dht {

namespace {

RemoteError remoteError(store::StoreError e)
{
    switch (e) {
    case store::StoreError::QuotaFull:
    case store::StoreError::SenderQuotaFull:
    case store::StoreError::InboxFull:
        return RemoteError::QuotaFull;
    case store::StoreError::DiskFull:
        return RemoteError::DiskFull;
    case store::StoreError::TooLarge:
        return RemoteError::TooLarge;
    case store::StoreError::NotFound:
        return RemoteError::NotFound;
    case store::StoreError::BadToken:
        return RemoteError::BadToken;
    case store::StoreError::StaleRecord:
        return RemoteError::StaleRecord;
    case store::StoreError::InvalidArgument:
        return RemoteError::InvalidValue;
    default:
        return RemoteError::Internal;
    }
}

bool isWrite(Op op)
{
    return op == Op::PutBlob || op == Op::Append || op == Op::Delete || op == Op::PutRecord;
}

WriteOutcome refused(RemoteError code, QString text)
{
    return WriteOutcome {false, code, std::move(text)};
}

WriteOutcome outcomeOf(const store::Result<void> &r)
{
    return r.ok() ? WriteOutcome {} : refused(remoteError(r.code()), r.message());
}

} // namespace

WriteOutcome DhtNode::applyWrite(const Message &request, const identity::NodeId &sender)
{
    if (!m_store)
        return refused(RemoteError::QuotaFull, QStringLiteral("this node does not donate storage"));
    const qint64 now = m_scheduler.unixTime();
    const QByteArray senderId = sender.toByteArray();
    switch (request.op) {
    case Op::PutBlob:
        if (request.value.isEmpty() || crypto::blake2b(request.value, 32) != request.key)
            return refused(RemoteError::InvalidValue, QStringLiteral("the key is not the hash of the value"));
        return outcomeOf(
            m_store->putBlob(request.key, request.value, senderId, now + request.ttl, now, request.copies));
    case Op::Append:
        if (request.value.isEmpty() || request.value.size() > Message::kMaxEntry || request.tokenHash.size() != 32)
            return refused(RemoteError::InvalidValue, QStringLiteral("an entry is 1 to 2048 bytes with a token hash"));
        return outcomeOf(m_store->appendInbox(
            request.key, request.value, request.tokenHash, senderId, now + request.ttl, now, request.copies));
    case Op::Delete:
        return outcomeOf(m_store->deleteInbox(request.key, request.entryId, request.token, now));
    case Op::PutRecord:
        if (!record::isValid(request.record, request.key))
            return refused(RemoteError::InvalidValue, QStringLiteral("the record's signature does not verify"));
        return outcomeOf(m_store->putRecord(request.key,
            store::MutableRecord {request.record.owner, request.record.salt, request.record.sequence,
                request.record.value, request.record.signature, now + request.ttl},
            senderId, now));
    default:
        return refused(RemoteError::Malformed, QStringLiteral("not a write"));
    }
}

void DhtNode::onRequest(const Contact &from, const Message &request)
{
    Message response = Message::responseTo(request, m_id);
    auto refuse = [&](RemoteError code, const QString &text) {
        m_rpc.respond(from.endpoint, Message::errorTo(request, m_id, code, text));
    };
    const bool needsKey = request.op != Op::Ping && request.op != Op::FindNode;
    if ((needsKey && request.key.size() != 32) || (request.op == Op::FindNode && !request.hasTarget)) {
        refuse(RemoteError::Malformed, QStringLiteral("missing key or target"));
        return;
    }
    if (isWrite(request.op)) {
        const WriteOutcome outcome = applyWrite(request, from.id);
        if (outcome.ok)
            m_rpc.respond(from.endpoint, response);
        else
            refuse(outcome.code, outcome.text);
        return;
    }
    const qint64 now = m_scheduler.unixTime();
    auto closer = [&] {
        const identity::NodeId target = request.hasTarget ? request.target : keyPosition(request.key);
        response.nodes = m_table.closest(target, m_config.bucketSize);
    };

    // A storing node says in every answer how much more it can take: a
    // census adds up the free space, and lookups for writes and reads tell
    // storage nodes from routing-only ones by it.
    response.free = freeBytes();
    switch (request.op) {
    case Op::Ping:
        break;
    case Op::FindNode:
        closer();
        break;
    case Op::GetBlob: {
        auto blob
            = m_store ? m_store->getBlob(request.key, now) : store::Result<std::optional<QByteArray>>(std::nullopt);
        if (blob.ok() && blob.value()) {
            response.found = true;
            if (!request.probe)
                response.value = *blob.value();
        } else {
            closer();
        }
        break;
    }
    case Op::List: {
        auto entries = m_store ? m_store->listInbox(request.key, now)
                               : store::Result<QList<store::InboxEntry>>(QList<store::InboxEntry>());
        response.offset = request.offset;
        if (entries.ok() && entries->size() > request.offset) {
            qsizetype budget = Message::kListBudget;
            for (qsizetype i = request.offset; i < entries->size(); ++i) {
                const store::InboxEntry &e = entries->at(i);
                if (e.data.size() + 64 > budget) {
                    response.more = true;
                    break;
                }
                budget -= e.data.size() + 64;
                response.entries.append(InboxItem {e.data, e.deleteTokenHash, qMax<qint64>(1, e.expiresAt - now)});
            }
            response.found = true;
        } else {
            closer();
        }
        break;
    }
    case Op::PutBlob:
    case Op::Append:
    case Op::Delete:
    case Op::PutRecord:
        break; // answered above
    case Op::GetRecord: {
        auto rec = m_store ? m_store->getRecord(request.key, now)
                           : store::Result<std::optional<store::MutableRecord>>(std::nullopt);
        if (rec.ok() && rec.value()) {
            const store::MutableRecord &r = *rec.value();
            response.found = true;
            response.record = RecordData {r.ownerKey, r.salt, r.sequence, r.value, r.signature};
        } else {
            closer();
        }
        break;
    }
    }
    m_rpc.respond(from.endpoint, response);
}

} // namespace cairn::dht
