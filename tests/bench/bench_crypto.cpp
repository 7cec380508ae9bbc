// cairn-bench-crypto: keystore unlock time, envelope seal/open rate, and
// secretstream throughput next to raw XChaCha20-Poly1305 measured in the
// same run (the baseline the stream is built on).
#include "core/crypto/envelope.h"
#include "core/crypto/filestream.h"
#include "core/crypto/keystore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <sodium.h>
#include <vector>

using namespace cairn;
using namespace cairn::crypto;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Runs fn repeatedly for about `seconds`; returns operations per second.
template <typename Fn> double rate(double seconds, Fn fn)
{
    QElapsedTimer t;
    t.start();
    qint64 n = 0;
    while (t.nsecsElapsed() < qint64(seconds * 1e9)) {
        fn();
        ++n;
    }
    return double(n) / (double(t.nsecsElapsed()) / 1e9);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool json = app.arguments().contains(QStringLiteral("--json"));
    if (!initSodium())
        return 1;
    QJsonObject out;

    // Keystore unlock (Argon2id at the default "moderate" cost).
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ks"));
        base::SodiumRng rng;
        KeystoreContents c {QStringLiteral("bench"), DeviceKey::generate(rng), {}};
        if (!Keystore::create(path, c, "benchmark passphrase").ok())
            return 1;
        std::vector<double> ms;
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer t;
            t.start();
            if (!Keystore::open(path, "benchmark passphrase").ok())
                return 1;
            ms.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        const KdfParams kdf = KdfParams::moderate();
        out.insert(QStringLiteral("keystore_unlock_ms_median"), median(ms));
        out.insert(QStringLiteral("keystore_argon2id_ops"), qint64(kdf.opsLimit));
        out.insert(QStringLiteral("keystore_argon2id_mem_mib"), qint64(kdf.memLimit >> 20));
    }

    // Envelopes: a 1 KiB message to 2 recipient devices.
    {
        base::SodiumRng rng;
        const DeviceKey alice = DeviceKey::generate(rng);
        const DeviceKey bob = DeviceKey::generate(rng);
        const DeviceKey bob2 = DeviceKey::generate(rng);
        const QList<PublicKey> to {bob.x25519Public(), bob2.x25519Public()};
        const QByteArray body = rng.bytes(1024);
        QByteArray sealed;
        const double sealRate = rate(1.0, [&] { sealed = Envelope::seal(alice, to, body).value(); });
        const double openRate = rate(1.0, [&] {
            if (!Envelope::open(bob2, sealed).ok())
                std::abort();
        });
        out.insert(QStringLiteral("envelope_seal_per_s"), sealRate);
        out.insert(QStringLiteral("envelope_open_per_s"), openRate);
        out.insert(QStringLiteral("envelope_body_bytes"), 1024);
        out.insert(QStringLiteral("envelope_recipients"), 2);
    }

    // Secretstream in 64 KiB chunks vs raw XChaCha20-Poly1305 on the same chunks.
    {
        const qsizetype chunk = FileStreamEncryptor::kChunk;
        const qsizetype total = 256 * 1024 * 1024;
        QByteArray plain(chunk, 'x');
        randombytes_buf(plain.data(), size_t(chunk));
        const SecretBytes key = FileStreamEncryptor::generateKey();

        QElapsedTimer t;
        auto enc = FileStreamEncryptor::create(key);
        t.start();
        for (qsizetype done = 0; done < total; done += chunk) {
            if (!enc->push(plain, done + chunk >= total).ok())
                return 1;
        }
        const double streamMBs = double(total) / 1e6 / (double(t.nsecsElapsed()) / 1e9);

        std::vector<unsigned char> cipher(size_t(chunk) + crypto_aead_xchacha20poly1305_ietf_ABYTES);
        unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = {};
        t.restart();
        for (qsizetype done = 0; done < total; done += chunk) {
            sodium_increment(nonce, sizeof nonce);
            crypto_aead_xchacha20poly1305_ietf_encrypt(cipher.data(), nullptr,
                reinterpret_cast<const unsigned char *>(plain.constData()), size_t(chunk), nullptr, 0, nullptr, nonce,
                key.data());
        }
        const double rawMBs = double(total) / 1e6 / (double(t.nsecsElapsed()) / 1e9);
        out.insert(QStringLiteral("secretstream_MB_per_s"), streamMBs);
        out.insert(QStringLiteral("xchacha20poly1305_raw_MB_per_s"), rawMBs);
        out.insert(QStringLiteral("stream_bytes"), qint64(total));
    }

    if (json) {
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        return 0;
    }
    std::printf("keystore unlock (Argon2id, %lld ops, %lld MiB): %.0f ms median of 5\n",
        out.value(QStringLiteral("keystore_argon2id_ops")).toInteger(),
        out.value(QStringLiteral("keystore_argon2id_mem_mib")).toInteger(),
        out.value(QStringLiteral("keystore_unlock_ms_median")).toDouble());
    std::printf("envelope, 1 KiB to 2 devices: seal %.0f/s, open %.0f/s\n",
        out.value(QStringLiteral("envelope_seal_per_s")).toDouble(),
        out.value(QStringLiteral("envelope_open_per_s")).toDouble());
    std::printf("secretstream 64 KiB chunks: %.0f MB/s; raw XChaCha20-Poly1305 same chunks: %.0f MB/s (%.0f%%)\n",
        out.value(QStringLiteral("secretstream_MB_per_s")).toDouble(),
        out.value(QStringLiteral("xchacha20poly1305_raw_MB_per_s")).toDouble(),
        100.0 * out.value(QStringLiteral("secretstream_MB_per_s")).toDouble()
            / out.value(QStringLiteral("xchacha20poly1305_raw_MB_per_s")).toDouble());
    return 0;
}
