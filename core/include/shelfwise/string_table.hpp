// A column of strings stored as two tensors: "<prefix>.offsets" (u32, count + 1, starting at 0,
// non-decreasing) and "<prefix>.bytes" (u8, the concatenated UTF-8). Read in place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shelfwise/array_view.hpp"
#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/bundle_writer.hpp"

namespace shelfwise {

class StringTable {
 public:
  StringTable() = default;
  // Validates the pair of tensors; `expected_count` is checked unless it is zero.
  static Result<StringTable> from_bundle(const Bundle& bundle, const std::string& prefix, std::uint64_t expected_count);

  std::size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::string_view at(std::size_t index) const {
    return {reinterpret_cast<const char*>(bytes_.data()) + offsets_[index], offsets_[index + 1] - offsets_[index]};
  }

 private:
  ArrayView<std::uint32_t> offsets_;
  ArrayView<std::uint8_t> bytes_;
};

void add_string_table(BundleWriter& writer, const std::string& prefix, const std::vector<std::string>& strings);

}  // namespace shelfwise
