// Errors are values at the core boundary: no exception leaves core/, so the wasm build can run
// with exceptions disabled and every failure reaches JS as a stable code plus a message that
// names the offending field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace shelfwise {

enum class ErrorCode : std::int32_t {
#define SHELFWISE_ERROR_CODE(enum_name, number, stable_name) enum_name = number,
#include "shelfwise/error_codes.def"
#undef SHELFWISE_ERROR_CODE
};

// Stable upper-case name of a code ("BAD_MAGIC"); "UNKNOWN" for numbers outside the table.
std::string_view error_code_name(ErrorCode code);

// Number of entries in the code table; codes are dense from 0.
int error_code_count();

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return Status(); }

  bool ok() const { return code_ == ErrorCode::ok; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "BAD_MAGIC: not a shelfwise bundle" — the form the CLI prints.
  std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::ok;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : state_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status success;
    return ok() ? success : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace shelfwise

// Propagates a failed Status out of the enclosing function.
#define SHELFWISE_RETURN_IF_ERROR(expression)           \
  do {                                                  \
    ::shelfwise::Status shelfwise_status_ = (expression); \
    if (!shelfwise_status_.ok()) return shelfwise_status_; \
  } while (false)
