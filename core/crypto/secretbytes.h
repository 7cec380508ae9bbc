#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

#include <memory>
#include <span>

namespace cairn::crypto {

/// A move-only buffer for secret material that is wiped (sodium_memzero)
/// when it is destroyed or reassigned. Never implicitly shared, so no copy
/// outlives the wipe.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(qsizetype size);
    SecretBytes(const quint8 *data, qsizetype size);
    static SecretBytes fromView(QByteArrayView view);
    ~SecretBytes();

    SecretBytes(SecretBytes &&other) noexcept;
    SecretBytes &operator=(SecretBytes &&other) noexcept;
    SecretBytes(const SecretBytes &) = delete;
    SecretBytes &operator=(const SecretBytes &) = delete;
    SecretBytes clone() const { return SecretBytes(data(), size()); }

    quint8 *data() { return m_data.get(); }
    const quint8 *data() const { return m_data.get(); }
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    std::span<quint8> span() { return {data(), size_t(m_size)}; }
    std::span<const quint8> span() const { return {data(), size_t(m_size)}; }
    QByteArrayView view() const { return QByteArrayView(data(), m_size); }
    void wipe();

    /// Constant-time comparison.
    bool equals(QByteArrayView other) const;

private:
    std::unique_ptr<quint8[]> m_data;
    qsizetype m_size = 0;
};

/// Wipes a QByteArray in place (detaching first would leave a copy behind,
/// so callers must hold the only reference).
void wipe(QByteArray &bytes);

} // namespace cairn::crypto
