#include "shelfwise/status.hpp"

namespace shelfwise {
namespace {

struct CodeEntry {
  int number;
  std::string_view name;
};

constexpr CodeEntry kCodeTable[] = {
#define SHELFWISE_ERROR_CODE(enum_name, number, stable_name) {number, stable_name},
#include "shelfwise/error_codes.def"
#undef SHELFWISE_ERROR_CODE
};

}  // namespace

std::string_view error_code_name(ErrorCode code) {
  const int number = static_cast<int>(code);
  for (const auto& entry : kCodeTable) {
    if (entry.number == number) return entry.name;
  }
  return "UNKNOWN";
}

int error_code_count() { return static_cast<int>(sizeof(kCodeTable) / sizeof(kCodeTable[0])); }

std::string Status::to_string() const {
  if (ok()) return "OK";
  std::string text(error_code_name(code_));
  text += ": ";
  text += message_;
  return text;
}

}  // namespace shelfwise
