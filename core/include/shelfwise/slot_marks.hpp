// Per-item marks that a request clears in O(1): each item's word holds the request's stamp above
// SlotBits bits of payload (the item's slot in some small per-request array), so one array of the
// catalogue's size says both whether an item is marked and where its data is. The stamp wraps
// after 2^(32 - SlotBits) requests; the words are cleared then, once.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace shelfwise {

template <std::uint32_t SlotBits>
class SlotMarks {
 public:
  static_assert(SlotBits > 0 && SlotBits < 32, "the stamp needs bits too");
  static constexpr std::uint32_t kSlotMask = (1u << SlotBits) - 1;
  static constexpr std::uint32_t kStampLimit = 1u << (32 - SlotBits);

  explicit SlotMarks(std::size_t item_count) : marks_(item_count, 0) {}

  // Forgets every mark; call before marking anything for a request.
  void next_request() {
    if (++stamp_ == kStampLimit) {
      std::fill(marks_.begin(), marks_.end(), 0);
      stamp_ = 1;
    }
  }
  bool marked(std::uint32_t item) const { return marks_[item] >> SlotBits == stamp_; }
  // The payload of a marked item (meaningless for others).
  std::uint32_t slot(std::uint32_t item) const { return marks_[item] & kSlotMask; }
  void mark(std::uint32_t item, std::uint32_t slot) { marks_[item] = stamp_ << SlotBits | slot; }

 private:
  std::vector<std::uint32_t> marks_;
  std::uint32_t stamp_ = 0;
};

}  // namespace shelfwise
