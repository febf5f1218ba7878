#include "shelfwise/bundle_format.hpp"

namespace shelfwise {
namespace {

struct DTypeEntry {
  DType dtype;
  std::string_view name;
  std::size_t size;
  std::uint32_t format_version;
};

constexpr DTypeEntry kDTypes[] = {
    {DType::f32, "f32", 4, 1}, {DType::f16, "f16", 2, 1}, {DType::i8, "i8", 1, 1},  {DType::u8, "u8", 1, 1},
    {DType::i32, "i32", 4, 1}, {DType::u32, "u32", 4, 1}, {DType::u16, "u16", 2, 2},
};

}  // namespace

std::string_view dtype_name(DType dtype) {
  for (const auto& entry : kDTypes) {
    if (entry.dtype == dtype) return entry.name;
  }
  return "?";
}

std::optional<DType> dtype_from_name(std::string_view name) {
  for (const auto& entry : kDTypes) {
    if (entry.name == name) return entry.dtype;
  }
  return std::nullopt;
}

std::size_t dtype_size(DType dtype) {
  for (const auto& entry : kDTypes) {
    if (entry.dtype == dtype) return entry.size;
  }
  return 0;
}

std::uint32_t dtype_format_version(DType dtype) {
  for (const auto& entry : kDTypes) {
    if (entry.dtype == dtype) return entry.format_version;
  }
  return kBundleFormatVersion;
}

std::uint32_t tensor_format_version(std::string_view name) {
  if (name == "gru.item_code_rows") return 6;
  if (name == "gru.code_rotation") return 5;
  if (name == "sknn.sessions.lengths") return 4;
  if (name == "sknn.items.session_codes") return 3;
  return kBundleBaseFormatVersion;
}

}  // namespace shelfwise
