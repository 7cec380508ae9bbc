// cairn-fuzz-seedgen DIR: writes the seed corpora of the CBOR, certificate,
// revocation-list, invite, DHT message, rendezvous and manifest fuzz targets into DIR/<target>/. Seeds are
// valid encodings (so the fuzzer starts from inside each format) plus a few
// near misses. Deterministic: the same binary writes the same bytes.
//   build/tests/cairn-fuzz-seedgen tests/fuzz/corpus
#include "core/base/cbor.h"
#include "core/base/endpoint.h"
#include "core/base/rng.h"
#include "core/dht/message.h"
#include "core/dht/record.h"
#include "core/identity/certificate.h"
#include "core/identity/invite.h"
#include "core/identity/revocationlist.h"
#include "core/rendezvous/messages.h"
#include "core/transfer/manifest.h"

#include <QCborArray>
#include <QCborMap>
#include <QDir>
#include <QFile>

#include <cstdio>

using namespace cairn;
using namespace cairn::identity;

namespace {

bool write(const QString &dir, const QString &name, const QByteArray &bytes)
{
    if (!QDir().mkpath(dir))
        return false;
    QFile f(dir + QLatin1Char('/') + name);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: cairn-fuzz-seedgen CORPUS-DIR\n");
        return 2;
    }
    const QString root = QString::fromLocal8Bit(argv[1]);
    base::SeededRng rng(20261123);
    const crypto::DeviceKey ca = crypto::DeviceKey::generate(rng);
    const crypto::DeviceKey device = crypto::DeviceKey::generate(rng);
    const QByteArray groupId = rng.bytes(32);
    bool ok = true;

    // CBOR: one of each major type, nesting, and some non-canonical forms.
    QCborMap nested;
    nested.insert(0, QByteArray("bytes"));
    nested.insert(1, QStringLiteral("text"));
    nested.insert(2, QCborArray {1, -1, 1000000, QCborArray {true, false}});
    nested.insert(3, QCborMap {{QStringLiteral("k"), 24}});
    const QString cborDir = root + QStringLiteral("/cbor");
    ok &= write(cborDir, QStringLiteral("map"), base::cbor::encode(nested));
    ok &= write(cborDir, QStringLiteral("int-long-form"), QByteArray::fromHex("1800"));
    ok &= write(cborDir, QStringLiteral("indefinite-array"), QByteArray::fromHex("9f0102ff"));
    ok &= write(cborDir, QStringLiteral("unsorted-map"), QByteArray::fromHex("a2020001 00"));
    ok &= write(cborDir, QStringLiteral("duplicate-key"), QByteArray::fromHex("a200000001"));
    ok &= write(cborDir, QStringLiteral("float"), QByteArray::fromHex("f93c00"));

    CertificateFields fields;
    fields.groupId = groupId;
    fields.groupName = QStringLiteral("Fuzz Group");
    fields.username = QStringLiteral("alice");
    fields.deviceKey = device.publicKey();
    fields.roles = Role::Member | Role::Storage;
    fields.notBefore = 1'700'000'000;
    fields.notAfter = 1'800'000'000;
    fields.serial = 7;
    auto cert = Certificate::issue(ca, fields);
    ok &= cert.ok();
    if (cert.ok()) {
        const QString dir = root + QStringLiteral("/certificate");
        ok &= write(dir, QStringLiteral("valid"), cert->encode());
        fields.roles = Role::Operator;
        fields.username = QStringLiteral("operator.1");
        fields.serial = 1;
        ok &= write(dir, QStringLiteral("operator"), Certificate::issue(ca, fields)->encode());
        QByteArray flipped = cert->encode();
        flipped[flipped.size() - 1] = char(flipped[flipped.size() - 1] ^ 1);
        ok &= write(dir, QStringLiteral("bad-signature"), flipped);
    }

    RevocationFields crl;
    crl.groupId = groupId;
    crl.version = 3;
    crl.issuedAt = 1'750'000'000;
    crl.usernames = {QStringLiteral("mallory"), QStringLiteral("eve")};
    crl.serials = {2, 9, 40};
    auto list = RevocationList::issue(ca, crl);
    ok &= list.ok();
    if (list.ok()) {
        const QString dir = root + QStringLiteral("/revocation");
        ok &= write(dir, QStringLiteral("valid"), list->encode());
        crl.usernames.clear();
        crl.serials.clear();
        crl.version = 0;
        ok &= write(dir, QStringLiteral("empty"), RevocationList::issue(ca, crl)->encode());
    }

    const base::Endpoint endpoint = base::Endpoint::parse(QStringLiteral("192.0.2.10:4100"));
    const base::Endpoint endpoint6 = base::Endpoint::parse(QStringLiteral("[2001:db8::1]:4100"));
    ok &= endpoint.isValid() && endpoint6.isValid();
    {
        auto invite = Invite::create(
            QStringLiteral("Fuzz Group"), groupId, ca.publicKey(), {endpoint, endpoint6}, 1'800'000'000, rng);
        ok &= invite.ok();
        if (invite.ok()) {
            const QString dir = root + QStringLiteral("/invite");
            ok &= write(dir, QStringLiteral("payload"), invite->encode());
            ok &= write(dir, QStringLiteral("link"), invite->toLink().toUtf8());
            ok &= write(dir, QStringLiteral("link-upper-scheme"),
                QStringLiteral("  CAIRN://join/%1\n").arg(invite->toLink().mid(13)).toUtf8());
        }
    }
    {
        const QString dir = root + QStringLiteral("/dht_message");
        dht::Message ping;
        ping.op = dht::Op::Ping;
        ping.txid = 1;
        ping.sender = *NodeId::fromBytes(rng.bytes(20));
        ok &= write(dir, QStringLiteral("ping"), ping.encode());
        dht::Message nodes = dht::Message::responseTo(ping, ping.sender);
        nodes.op = dht::Op::FindNode;
        nodes.nodes = {dht::Contact {*NodeId::fromBytes(rng.bytes(20)), endpoint},
            dht::Contact {*NodeId::fromBytes(rng.bytes(20)), endpoint6}};
        ok &= write(dir, QStringLiteral("nodes"), nodes.encode());
        dht::Message list = dht::Message::responseTo(ping, ping.sender);
        list.op = dht::Op::List;
        list.found = true;
        list.more = true;
        list.offset = 3;
        list.entries = {dht::InboxItem {rng.bytes(100), rng.bytes(32), 3600}};
        ok &= write(dir, QStringLiteral("list"), list.encode());
        dht::Message put;
        put.op = dht::Op::PutRecord;
        put.txid = 2;
        put.sender = ping.sender;
        put.record = dht::record::sign(device, "salt", 5, "value");
        put.key = dht::record::keyOf(put.record.owner, put.record.salt);
        put.ttl = 60;
        ok &= write(dir, QStringLiteral("put-record"), put.encode());
        ok &= write(dir, QStringLiteral("error"),
            dht::Message::errorTo(ping, ping.sender, dht::RemoteError::QuotaFull, QStringLiteral("full")).encode());
    }
    if (cert.ok() && list.ok()) {
        namespace rv = cairn::rendezvous;
        const QString dir = root + QStringLiteral("/rendezvous");
        const auto put = [&](const char *name, const rv::ControlMessage &m) {
            return write(dir, QLatin1String(name), m.encode());
        };
        const QByteArray token = rng.bytes(16);
        const QString alice = QStringLiteral("alice");
        ok &= put("hello", rv::Hello {});
        ok &= put("join-request",
            rv::JoinRequest {token, alice, device.publicKey(), rv::joinProof(device, rng.bytes(64), token, alice)});
        rv::JoinResponse issued;
        issued.status = rv::ResponseStatus::Issued;
        issued.certificate = cert.value();
        issued.groupName = QStringLiteral("Fuzz Group");
        issued.groupId = groupId;
        issued.caKey = ca.publicKey();
        issued.crl = list.value();
        issued.bootstrap = {endpoint, endpoint6};
        issued.message = QStringLiteral("welcome");
        ok &= put("join-issued", issued);
        rv::JoinResponse pending;
        pending.status = rv::ResponseStatus::Pending;
        pending.message = QStringLiteral("waiting for the operator's approval");
        ok &= put("join-pending", pending);
        rv::JoinResponse refused;
        refused.status = rv::ResponseStatus::Error;
        refused.error = rv::RendezvousError::InviteUsedUp;
        ok &= put("join-error", refused);
        ok &= put("renew-request", rv::RenewRequest {});
        rv::RenewResponse renewed;
        renewed.status = rv::ResponseStatus::Issued;
        renewed.certificate = cert.value();
        ok &= put("renew-issued", renewed);
        ok &= put("directory-request", rv::DirectoryRequest {40});
        ok &= put("directory-page", rv::DirectoryResponse {{cert.value(), cert.value()}, 2, true});
        ok &= put("crl-offer", rv::CrlOffer {3});
        ok &= put("crl-push", rv::CrlPush {list.value()});
        // Near misses: an unknown kind, and a pending answer with a certificate.
        ok &= write(dir, QStringLiteral("unknown-kind"), base::cbor::encode(QCborMap {{0, 42}}));
        QCborMap odd {{0, 3}, {1, 1}, {2, cert->encode()}};
        ok &= write(dir, QStringLiteral("pending-with-certificate"), base::cbor::encode(odd));
    }
    {
        // Manifests and stream references (fuzz_manifest tries both decoders).
        namespace tr = cairn::transfer;
        const QString dir = root + QStringLiteral("/manifest");
        const auto stream = [&](qint64 size) {
            tr::StreamRef ref;
            ref.key = crypto::SecretBytes::fromView(rng.bytes(tr::kStreamKeyBytes));
            ref.header = rng.bytes(tr::kStreamHeaderBytes);
            ref.size = size;
            ref.plainHash = rng.bytes(tr::kHashBytes);
            for (qint64 i = 0; i < tr::indexBlobCount(size); ++i)
                ref.index.append(rng.bytes(tr::kHashBytes));
            ref.copies = 8;
            ref.expiresAt = 1'800'000'000;
            return ref;
        };
        tr::Manifest drop;
        drop.files.append(tr::FileEntry {QStringLiteral("photos/2024/x.jpg"), 3'000'000, stream(3'000'000)});
        drop.files.append(tr::FileEntry {QStringLiteral("photos/empty.txt"), 0, stream(0)});
        drop.files.append(tr::FileEntry {QStringLiteral("notes.txt"), 65536, stream(65536)});
        ok &= write(dir, QStringLiteral("drop"), drop.encode());
        ok &= write(dir, QStringLiteral("empty"), tr::Manifest().encode());
        ok &= write(dir, QStringLiteral("stream-ref"), stream(200'000'000).encode());
        ok &= write(dir, QStringLiteral("stream-ref-empty"), stream(0).encode());
        // Near misses: a path that climbs out, and a size its stream does not match.
        tr::Manifest climbing;
        climbing.files.append(tr::FileEntry {QStringLiteral("../x"), 1, stream(1)});
        ok &= write(dir, QStringLiteral("climbing-path"), climbing.encode());
        tr::Manifest mismatch;
        mismatch.files.append(tr::FileEntry {QStringLiteral("a"), 2, stream(1)});
        ok &= write(dir, QStringLiteral("size-mismatch"), mismatch.encode());
    }
    if (!ok) {
        std::fprintf(stderr, "cairn-fuzz-seedgen: could not write every seed under %s\n", argv[1]);
        return 1;
    }
    return 0;
}
