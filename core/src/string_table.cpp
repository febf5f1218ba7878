#include "shelfwise/string_table.hpp"

#include "shelfwise/order_checks.hpp"

namespace shelfwise {

Result<StringTable> StringTable::from_bundle(const Bundle& bundle, const std::string& prefix,
                                             std::uint64_t expected_count) {
  auto offsets = bundle.view<std::uint32_t>(prefix + ".offsets", DType::u32);
  if (!offsets.ok()) return offsets.status();
  auto bytes = bundle.view<std::uint8_t>(prefix + ".bytes", DType::u8);
  if (!bytes.ok()) return bytes.status();
  StringTable table;
  table.offsets_ = offsets.value();
  table.bytes_ = bytes.value();
  if (table.offsets_.empty() || table.offsets_[0] != 0) {
    return Status(ErrorCode::bad_tensor, "tensor '" + prefix + ".offsets' must start with 0");
  }
  if (expected_count != 0 && table.offsets_.size() != expected_count + 1) {
    return Status(ErrorCode::shape_mismatch, "tensor '" + prefix + ".offsets' has " +
                                                 std::to_string(table.offsets_.size()) + " entries, expected " +
                                                 std::to_string(expected_count + 1));
  }
  if (const std::size_t index = first_decrease(table.offsets_); index != table.offsets_.size()) {
    return Status(ErrorCode::bad_tensor, "tensor '" + prefix + ".offsets' decreases at entry " + std::to_string(index));
  }
  if (table.offsets_[table.offsets_.size() - 1] != table.bytes_.size()) {
    return Status(ErrorCode::shape_mismatch, "tensor '" + prefix + ".offsets' does not end at the size of '" + prefix + ".bytes'");
  }
  return table;
}

void add_string_table(BundleWriter& writer, const std::string& prefix, const std::vector<std::string>& strings) {
  std::vector<std::uint32_t> offsets;
  offsets.reserve(strings.size() + 1);
  std::vector<std::uint8_t> bytes;
  offsets.push_back(0);
  for (const auto& text : strings) {
    bytes.insert(bytes.end(), text.begin(), text.end());
    offsets.push_back(static_cast<std::uint32_t>(bytes.size()));
  }
  writer.add_vector(prefix + ".offsets", DType::u32, offsets);
  writer.add_vector(prefix + ".bytes", DType::u8, bytes);
}

}  // namespace shelfwise
