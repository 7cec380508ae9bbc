// DhtNode's client side: replicated writes and reads.
#include "core/crypto/keys.h"
#include "core/dht/dhtnode.h"
#include "core/store/blobstore.h"

#include <QSet>

namespace cairn::dht {

namespace {

bool isOk(const Result<Message> &r)
{
    return r.ok() && r->kind == Kind::Response;
}

QString describe(const Result<Message> &r)
{
    if (!r.ok())
        return r.message();
    return r->kind == Kind::Error ? r->errorText : QString();
}

} // namespace

void DhtNode::writeReplicas(
    const QByteArray &key, const Message &request, std::function<void(const WriteReport &)> done, int copies)
{
    const int k = copiesOrDefault(copies);
    struct State {
        WriteReport report;
        QList<QList<Contact>> found; // per target, nearest first
        int lookups = 0;
        QSet<identity::NodeId> stored;
        int pending = 0;
        std::function<void(const WriteReport &)> done;
        void one(const identity::NodeId &who, bool ok, const QString &error)
        {
            if (ok)
                stored.insert(who);
            else if (report.firstError.isEmpty())
                report.firstError = error;
            if (--pending == 0) {
                report.stored = int(stored.size());
                done(report);
            }
        }
    };
    auto state = std::make_shared<State>();
    state->done = std::move(done);
    const QList<identity::NodeId> targets = placementTargets(key, k, m_config.placement);
    const bool closest = m_config.placement == Placement::Closest;
    const int width = closest ? k : m_config.replicaLookupWidth;
    state->report.attempted = k;
    state->found.resize(targets.size());
    state->lookups = int(targets.size());
    std::weak_ptr<bool> alive = m_alive;
    const Contact self {m_id, {}};

    // Once every target's lookup is back, choose the holders: for replica
    // placement the closest node to each target that holds no other copy
    // yet (two targets falling on one node would leave k-1 distinct
    // holders), for classic placement the k closest to the key; ourselves
    // wherever we are closer, if we store.
    auto assign = [=, this] {
        QList<Contact> holders;
        auto taken = [&](const Contact &c) {
            return std::any_of(holders.begin(), holders.end(), [&](const Contact &h) { return h.id == c.id; });
        };
        for (int i = 0; i < targets.size(); ++i) {
            QList<Contact> candidates = state->found[i];
            if (m_store) {
                const identity::NodeId mine = m_id.distance(targets[i]);
                qsizetype at = 0;
                while (at < candidates.size() && candidates[at].id.distance(targets[i]) < mine)
                    ++at;
                candidates.insert(at, self);
            }
            const int wanted = closest ? k : 1;
            int picked = 0;
            for (const Contact &c : std::as_const(candidates)) {
                if (picked == wanted)
                    break;
                if (taken(c))
                    continue;
                holders.append(c);
                ++picked;
            }
        }
        if (holders.isEmpty()) {
            state->report.firstError = QStringLiteral("no storage node found");
            state->done(state->report);
            return;
        }
        state->pending = int(holders.size());
        for (const Contact &holder : std::as_const(holders)) {
            if (holder.id == m_id) {
                const WriteOutcome outcome = applyWrite(request, m_id);
                state->one(m_id, outcome.ok, outcome.text);
                continue;
            }
            m_rpc.call(
                holder, request, [state, holder](Result<Message> r) { state->one(holder.id, isOk(r), describe(r)); });
        }
    };
    for (int i = 0; i < targets.size(); ++i) {
        findNode(
            targets[i], width,
            [=](const QList<Contact> &found, const LookupStats &) {
                if (alive.expired())
                    return;
                state->found[i] = found;
                if (--state->lookups == 0)
                    assign();
            },
            true);
    }
}

void DhtNode::putBlob(const QByteArray &value, qint64 ttlSeconds, Callback<QByteArray> done,
    std::function<void(const WriteReport &)> report, int copies)
{
    if (value.isEmpty() || value.size() > Message::kMaxValue) {
        done(base::fail(DhtError::InvalidValue,
            QStringLiteral("a blob is 1 byte to %1 KiB, got %2 bytes")
                .arg(Message::kMaxValue / 1024)
                .arg(value.size())));
        return;
    }
    const QByteArray key = crypto::blake2b(value, 32);
    Message request;
    request.op = Op::PutBlob;
    request.key = key;
    request.value = value;
    request.ttl = ttlOrDefault(ttlSeconds);
    request.copies = copies > 0 ? copiesOrDefault(copies) : 0;
    writeReplicas(
        key, request,
        [key, done, report](const WriteReport &w) {
            if (report)
                report(w);
            if (w.stored == 0)
                done(base::fail(
                    DhtError::StoreFailed, QStringLiteral("no replica stored the blob: %1").arg(w.firstError)));
            else
                done(key);
        },
        copies);
}

void DhtNode::getBlob(
    const QByteArray &key, Callback<QByteArray> done, std::function<void(int)> hopsOut, int copies, bool probeFirst)
{
    if (key.size() != 32) {
        done(base::fail(DhtError::InvalidValue, QStringLiteral("a blob key is 32 bytes")));
        return;
    }
    if (m_store) {
        auto local = m_store->getBlob(key, m_scheduler.unixTime());
        if (local.ok() && local.value() && crypto::blake2b(*local.value(), 32) == key) {
            if (hopsOut)
                hopsOut(0);
            done(*local.value());
            return;
        }
    }
    // Reads are hedged: a few copies are looked up at once, another each
    // time one comes back empty, and all the rest if none answered within
    // a slow threshold. Asking all k at once would cost k lookups for
    // what the first answer settles.
    auto read = std::make_shared<BlobRead>();
    read->key = key;
    read->targets = placementTargets(key, copiesOrDefault(copies), m_config.placement);
    read->done = std::move(done);
    read->hops = std::move(hopsOut);
    read->probe = probeFirst;
    const int first = qMin(int(read->targets.size()), m_config.readParallelism);
    for (int i = 0; i < first && !read->delivered; ++i)
        launchRead(read);
    if (!read->delivered && read->next < read->targets.size()) {
        std::weak_ptr<bool> alive = m_alive;
        std::weak_ptr<BlobRead> weak = read;
        m_scheduler.callAfter(m_rpc.overall().slowThreshold(), [this, alive, weak] {
            auto r = weak.lock();
            if (alive.expired() || !r || r->delivered || r->fetching)
                return;
            while (r->next < r->targets.size())
                launchRead(r);
        });
    }
}

std::shared_ptr<ValueLookup> DhtNode::startRead(Op op, const QByteArray &key, const identity::NodeId &target,
    ValueLookup::Accept accept, ValueLookup::Done done, bool probe)
{
    Message request;
    request.op = op;
    request.key = key;
    request.probe = probe;
    request.target = target;
    request.hasTarget = true;
    const int width = m_config.placement == Placement::Closest ? m_config.replicas : m_config.replicaLookupWidth;
    return startLookup<ValueLookup>(request, m_table.closest(target, m_config.bucketSize), lookupConfig(width, true),
        std::move(accept), std::move(done));
}

void DhtNode::launchRead(const std::shared_ptr<BlobRead> &read)
{
    if (read->delivered || read->next >= read->targets.size())
        return;
    const identity::NodeId target = read->targets[read->next++];
    std::weak_ptr<bool> alive = m_alive;
    // The lookups' callbacks own the read; nothing in the read owns them.
    // A replica whose bytes do not hash to the key is ignored and its
    // lookup goes on to the next node. With probes, a holder found ends
    // this lookup and joins the holders to fetch from.
    auto accept = [this, alive, read](const Contact &from, const Message &response, int hops) {
        if (alive.expired() || read->delivered)
            return false;
        if (read->probe) {
            if (read->tried.contains(from.id))
                return false;
            read->tried.insert(from.id);
            read->holders.append({from, hops});
            fetchFromHolder(read);
            return true;
        }
        if (crypto::blake2b(response.value, 32) != read->key)
            return false;
        deliverRead(read, response.value, hops);
        return true;
    };
    auto finished = [this, alive, read](const QList<Contact> &, const LookupStats &) {
        --read->pending;
        if (alive.expired() || read->delivered)
            return;
        if (!read->fetching && read->holders.isEmpty() && read->next < read->targets.size()) {
            launchRead(read);
            return;
        }
        failReadIfExhausted(read);
    };
    ++read->pending;
    read->lookups.append(startRead(Op::GetBlob, read->key, target, accept, finished, read->probe));
}

void DhtNode::deliverRead(const std::shared_ptr<BlobRead> &read, const QByteArray &value, int hops)
{
    read->delivered = true;
    if (read->hops)
        read->hops(hops);
    for (const std::weak_ptr<Lookup> &l : std::as_const(read->lookups)) {
        if (auto lookup = l.lock())
            lookup->abort();
    }
    read->done(value);
}

void DhtNode::fetchFromHolder(const std::shared_ptr<BlobRead> &read)
{
    if (read->delivered || read->fetching || read->holders.isEmpty())
        return;
    const auto [holder, hops] = read->holders.takeFirst();
    read->fetching = true;
    Message request;
    request.op = Op::GetBlob;
    request.key = read->key;
    request.target = holder.id;
    request.hasTarget = true;
    std::weak_ptr<bool> alive = m_alive;
    m_rpc.call(holder, request, [this, alive, read, hops = hops](Result<Message> r) {
        if (alive.expired() || read->delivered)
            return;
        read->fetching = false;
        if (r.ok() && r->kind == Kind::Response && r->found && crypto::blake2b(r->value, 32) == read->key) {
            deliverRead(read, r->value, hops + 1);
            return;
        }
        // Gone, or altered bytes: the next holder, or the next copy.
        if (!read->holders.isEmpty())
            return fetchFromHolder(read);
        if (read->next < read->targets.size())
            return launchRead(read);
        failReadIfExhausted(read);
    });
}

void DhtNode::failReadIfExhausted(const std::shared_ptr<BlobRead> &read)
{
    if (read->delivered || read->pending > 0 || read->fetching || !read->holders.isEmpty()
        || read->next < read->targets.size())
        return;
    read->delivered = true;
    read->done(base::fail(DhtError::NotFound,
        QStringLiteral("no replica holds %1").arg(QString::fromLatin1(read->key.toHex().left(16)))));
}

void DhtNode::append(const QByteArray &inboxKey, const QByteArray &data, const QByteArray &tokenHash, qint64 ttlSeconds,
    Callback<WriteReport> done, int copies)
{
    if (inboxKey.size() != 32 || tokenHash.size() != 32 || data.isEmpty() || data.size() > Message::kMaxEntry) {
        done(base::fail(DhtError::InvalidValue,
            QStringLiteral("an inbox entry is 1 byte to %1 KiB under a 32-byte key, with a 32-byte token hash")
                .arg(Message::kMaxEntry / 1024)));
        return;
    }
    Message request;
    request.op = Op::Append;
    request.key = inboxKey;
    request.value = data;
    request.tokenHash = tokenHash;
    request.ttl = ttlOrDefault(ttlSeconds);
    request.copies = copies > 0 ? copiesOrDefault(copies) : 0;
    writeReplicas(inboxKey, request, failUnlessStored(std::move(done), "the entry"), copies);
}

WriteReportHandler DhtNode::failUnlessStored(Callback<WriteReport> done, const char *what)
{
    return [done = std::move(done), what](const WriteReport &w) {
        if (w.stored == 0)
            done(base::fail(DhtError::StoreFailed,
                QStringLiteral("no replica took %1: %2").arg(QLatin1String(what), w.firstError)));
        else
            done(w);
    };
}

} // namespace cairn::dht
