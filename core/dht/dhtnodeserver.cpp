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

} // namespace

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
    if (isWrite(request.op) && !m_store) {
        refuse(RemoteError::QuotaFull, QStringLiteral("this node does not donate storage"));
        return;
    }
    const qint64 now = m_scheduler.unixTime();
    const QByteArray sender = from.id.toByteArray();
    const identity::NodeId target = request.hasTarget ? request.target : keyPosition(request.key);
    auto closer = [&] { response.nodes = m_table.closest(target, m_config.bucketSize); };
    auto stored = [&](const store::Result<void> &r) {
        if (r.ok())
            m_rpc.respond(from.endpoint, response);
        else
            refuse(remoteError(r.code()), r.message());
    };

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
    case Op::PutBlob:
        if (request.value.isEmpty() || crypto::blake2b(request.value, 32) != request.key) {
            refuse(RemoteError::InvalidValue, QStringLiteral("the key is not the hash of the value"));
            return;
        }
        stored(m_store->putBlob(request.key, request.value, sender, now + request.ttl, now));
        return;
    case Op::Append:
        if (request.value.isEmpty() || request.value.size() > Message::kMaxEntry || request.tokenHash.size() != 32) {
            refuse(RemoteError::InvalidValue, QStringLiteral("an entry is 1 to 2048 bytes with a token hash"));
            return;
        }
        stored(m_store->appendInbox(request.key, request.value, request.tokenHash, sender, now + request.ttl, now));
        return;
    case Op::Delete:
        stored(m_store->deleteInbox(request.key, request.entryId, request.token, now));
        return;
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
    case Op::PutRecord:
        if (!record::isValid(request.record, request.key)) {
            refuse(RemoteError::InvalidValue, QStringLiteral("the record's signature does not verify"));
            return;
        }
        stored(m_store->putRecord(request.key,
            store::MutableRecord {request.record.owner, request.record.salt, request.record.sequence,
                request.record.value, request.record.signature, now + request.ttl},
            sender, now));
        return;
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
