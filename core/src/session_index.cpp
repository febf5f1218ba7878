#include "shelfwise/session_index.hpp"

#include "shelfwise/order_checks.hpp"

#include <string>
#include <vector>

namespace shelfwise {
namespace {

// Offsets of a CSR table: `rows + 1` entries from 0 to `entries`, never decreasing.
Status check_offsets(ArrayView<std::uint32_t> offsets, std::uint64_t rows, std::uint64_t entries, const char* name) {
  if (offsets.size() != rows + 1) {
    return Status(ErrorCode::shape_mismatch, std::string("tensor '") + name + "' needs " + std::to_string(rows + 1) + " entries");
  }
  if (offsets[0] != 0 || offsets[rows] != entries) {
    return Status(ErrorCode::bad_tensor, std::string("tensor '") + name + "' must run from 0 to the number of entries");
  }
  const std::size_t row = first_decrease(offsets);
  if (row == offsets.size()) return Status::ok_status();
  return Status(ErrorCode::bad_tensor, std::string("tensor '") + name + "' decreases at row " + std::to_string(row));
}

}  // namespace

Result<SessionIndex> SessionIndex::from_bundle(const Bundle& bundle) {
  SessionIndex index;
  const auto session_offsets = bundle.view<std::uint32_t>("sknn.sessions.offsets", DType::u32);
  if (!session_offsets.ok()) return session_offsets.status();
  const TensorInfo* items_info = bundle.find("sknn.sessions.items");
  const bool narrow = items_info != nullptr && items_info->dtype == DType::u16;
  if (narrow) {
    index.narrow_items_ = bundle.view<std::uint16_t>("sknn.sessions.items", DType::u16).value();
  } else {
    const auto session_items = bundle.view<std::uint32_t>("sknn.sessions.items", DType::u32);
    if (!session_items.ok()) return session_items.status();
    index.session_items_ = session_items.value();
  }
  const auto item_offsets = bundle.view<std::uint32_t>("sknn.items.offsets", DType::u32);
  if (!item_offsets.ok()) return item_offsets.status();
  const auto item_sessions = bundle.view<std::uint32_t>("sknn.items.sessions", DType::u32);
  if (!item_sessions.ok()) return item_sessions.status();
  const auto item_weight = bundle.view<float>("sknn.item_weight", DType::f32);
  if (!item_weight.ok()) return item_weight.status();
  index.session_offsets_ = session_offsets.value();
  index.item_offsets_ = item_offsets.value();
  index.item_sessions_ = item_sessions.value();
  index.item_weight_ = item_weight.value();

  const std::uint64_t item_count = bundle.item_count();
  if (index.session_offsets_.empty()) return Status(ErrorCode::shape_mismatch, "tensor 'sknn.sessions.offsets' is empty");
  const std::uint64_t session_count = index.session_offsets_.size() - 1;
  if (session_count >= 0xFFFFFFFFULL) return Status(ErrorCode::limit_exceeded, "too many stored sessions");
  const std::size_t item_entries = narrow ? index.narrow_items_.size() : index.session_items_.size();
  if (index.item_sessions_.size() != item_entries) {
    return Status(ErrorCode::shape_mismatch, "tensors 'sknn.sessions.items' and 'sknn.items.sessions' differ in length");
  }
  SHELFWISE_RETURN_IF_ERROR(check_offsets(index.session_offsets_, session_count, item_entries, "sknn.sessions.offsets"));
  SHELFWISE_RETURN_IF_ERROR(check_offsets(index.item_offsets_, item_count, index.item_sessions_.size(), "sknn.items.offsets"));
  if (index.item_weight_.size() != item_count) {
    return Status(ErrorCode::shape_mismatch, "tensor 'sknn.item_weight' needs one weight per item");
  }
  for (const float weight : index.item_weight_) {
    if (weight < 0.0f) return Status(ErrorCode::bad_tensor, "tensor 'sknn.item_weight' holds a negative weight");
  }
  // Stamped with session + 1: an item met twice within one session is a duplicate.
  std::vector<std::uint32_t> seen_in(item_count, 0);
  for (std::uint64_t session = 0; session < session_count; ++session) {
    const auto stamp = static_cast<std::uint32_t>(session + 1);
    const bool distinct = index.visit_items_of(static_cast<std::uint32_t>(session), [&](auto items) {
      for (const std::uint32_t item : items) {
        if (item >= item_count || seen_in[item] == stamp) return false;
        seen_in[item] = stamp;
      }
      return true;
    });
    if (!distinct) {
      return Status(ErrorCode::bad_tensor, "tensor 'sknn.sessions.items': session " + std::to_string(session) +
                                               " must list distinct item indices");
    }
  }
  // Each item's list runs from the most recent session down. Over the lists laid end to end, a
  // rise or a repeat between neighbours may only come where a list starts; the rest is the slow
  // search for the item to name.
  const ArrayView<std::uint32_t> entries = index.item_sessions_;
  std::size_t rises_at_starts = 0;
  for (std::uint64_t item = 0; item < item_count; ++item) {
    const std::uint32_t begin = index.item_offsets_[item];
    if (begin > 0 && begin < index.item_offsets_[item + 1]) rises_at_starts += entries[begin] >= entries[begin - 1] ? 1 : 0;
  }
  if (largest_value(entries) < session_count && count_non_decreases(entries) == rises_at_starts) return index;
  for (std::uint64_t item = 0; item < item_count; ++item) {
    const auto sessions = index.sessions_of(static_cast<std::uint32_t>(item));
    for (std::size_t entry = 0; entry < sessions.size(); ++entry) {
      if (sessions[entry] >= session_count || (entry > 0 && sessions[entry] >= sessions[entry - 1])) {
        return Status(ErrorCode::bad_tensor, "tensor 'sknn.items.sessions': item " + std::to_string(item) +
                                                 " must list session indices from the most recent down");
      }
    }
  }
  return index;
}

}  // namespace shelfwise
