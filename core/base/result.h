#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace cairn::base {

/// An error value: a part-specific code plus a message meant for people.
template <typename Code> struct Error {
    Code code;
    QString message;
};

template <typename Code> Error<Code> fail(Code code, QString message)
{
    return Error<Code> {code, std::move(message)};
}

/// Either a value or an Error<Code>. Parts alias it with their own code enum,
/// e.g. `template <typename T> using Result = base::Result<T, CryptoError>;`.
/// No exceptions cross part boundaries; callers check ok() first.
template <typename T, typename Code> class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) { }
    Result(Error<Code> error) : m_state(std::in_place_index<1>, std::move(error)) { }

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_state); }
    const T &value() const & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const Error<Code> &error() const { return std::get<1>(m_state); }
    Code code() const { return error().code; }
    const QString &message() const { return error().message; }

private:
    std::variant<T, Error<Code>> m_state;
};

template <typename Code> class [[nodiscard]] Result<void, Code> {
public:
    Result() = default;
    Result(Error<Code> error) : m_error(std::move(error)), m_failed(true) { }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error<Code> &error() const { return m_error; }
    Code code() const { return m_error.code; }
    const QString &message() const { return m_error.message; }

private:
    Error<Code> m_error {};
    bool m_failed = false;
};

} // namespace cairn::base
