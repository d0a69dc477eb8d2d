#pragma once
// Result<T>: a value or an Error. Decoders are pure functions from bytes to Result, so that the
// fuzzers and the CLI can treat every failure the same way (one line, an exit code).
#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace sd {

// Error kinds map one-to-one onto the CLI's exit codes (docs/cli.md).
enum class ErrorKind {
    Usage = 2,      // bad arguments, option the format cannot honour
    BadInput = 3,   // unreadable, unknown format, corrupt, unsupported version, locked
    Secret = 4,     // keychain unavailable/locked, passcode missing or wrong
    Output = 5,     // output refused (exists without --force) or write failed
};

struct Error {
    ErrorKind kind = ErrorKind::BadInput;
    QString message;

    static Error badInput(QString m) { return {ErrorKind::BadInput, std::move(m)}; }
    static Error secret(QString m) { return {ErrorKind::Secret, std::move(m)}; }
    static Error output(QString m) { return {ErrorKind::Output, std::move(m)}; }
    static Error usage(QString m) { return {ErrorKind::Usage, std::move(m)}; }
    int exitCode() const { return static_cast<int>(kind); }
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace sd
