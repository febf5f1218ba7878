#include "shelfwise/neighbour_table.hpp"

#include "shelfwise/order_checks.hpp"

namespace shelfwise {

Result<NeighbourTable> NeighbourTable::from_bundle(const Bundle& bundle, const std::string& prefix) {
  const auto offsets = bundle.view<std::uint32_t>(prefix + ".offsets", DType::u32);
  if (!offsets.ok()) return offsets.status();
  const auto indices = bundle.view<std::uint32_t>(prefix + ".indices", DType::u32);
  if (!indices.ok()) return indices.status();
  const auto weights = bundle.view<float>(prefix + ".weights", DType::f32);
  if (!weights.ok()) return weights.status();
  NeighbourTable table;
  table.offsets_ = offsets.value();
  table.indices_ = indices.value();
  table.weights_ = weights.value();
  const std::uint64_t item_count = bundle.item_count();
  if (table.offsets_.size() != item_count + 1) {
    return Status(ErrorCode::shape_mismatch, "tensor '" + prefix + ".offsets' needs item_count + 1 entries");
  }
  if (table.weights_.size() != table.indices_.size()) {
    return Status(ErrorCode::shape_mismatch, "tensors '" + prefix + ".indices' and '" + prefix + ".weights' differ in length");
  }
  if (table.offsets_[0] != 0 || table.offsets_[item_count] != table.indices_.size()) {
    return Status(ErrorCode::bad_tensor, "tensor '" + prefix + ".offsets' must run from 0 to the number of entries");
  }
  if (const std::size_t row = first_decrease(table.offsets_); row != table.offsets_.size()) {
    return Status(ErrorCode::bad_tensor, "tensor '" + prefix + ".offsets' decreases at row " + std::to_string(row));
  }
  // Whole-table checks first (order_checks.hpp); the entry to name is looked for only on failure.
  if (!table.indices_.empty() && largest_value(table.indices_) >= item_count) {
    std::size_t entry = 0;
    while (table.indices_[entry] < item_count) ++entry;
    return Status(ErrorCode::bad_tensor, "tensor '" + prefix + ".indices' entry " + std::to_string(entry) + " is not an item index");
  }
  if (count_negative(table.weights_) != 0) {
    std::size_t entry = 0;
    while (!(table.weights_[entry] < 0.0f)) ++entry;
    return Status(ErrorCode::bad_tensor, "tensor '" + prefix + ".weights' entry " + std::to_string(entry) + " is negative");
  }
  return table;
}

}  // namespace shelfwise
