#include "core/crypto/secretbytes.h"

#include <cstring>
#include <sodium.h>

namespace cairn::crypto {

SecretBytes::SecretBytes(qsizetype size) : m_data(new quint8[size_t(size)]()), m_size(size)
{ }

SecretBytes::SecretBytes(const quint8 *data, qsizetype size) : SecretBytes(size)
{
    if (size > 0)
        std::memcpy(m_data.get(), data, size_t(size));
}

SecretBytes SecretBytes::fromView(QByteArrayView view)
{
    return SecretBytes(reinterpret_cast<const quint8 *>(view.data()), view.size());
}

SecretBytes::~SecretBytes()
{
    wipe();
}

SecretBytes::SecretBytes(SecretBytes &&other) noexcept
    : m_data(std::move(other.m_data)), m_size(std::exchange(other.m_size, 0))
{ }

SecretBytes &SecretBytes::operator=(SecretBytes &&other) noexcept
{
    if (this != &other) {
        wipe();
        m_data = std::move(other.m_data);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

void SecretBytes::wipe()
{
    if (m_data && m_size > 0)
        sodium_memzero(m_data.get(), size_t(m_size));
}

bool SecretBytes::equals(QByteArrayView other) const
{
    if (other.size() != m_size)
        return false;
    return m_size == 0 || sodium_memcmp(m_data.get(), other.data(), size_t(m_size)) == 0;
}

void wipe(QByteArray &bytes)
{
    if (!bytes.isEmpty() && !bytes.isDetached())
        bytes.detach(); // the shared copy is not ours to wipe; wipe at least this one
    if (!bytes.isEmpty())
        sodium_memzero(bytes.data(), size_t(bytes.size()));
    bytes.clear();
}

} // namespace cairn::crypto
