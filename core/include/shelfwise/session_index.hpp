// The stored sessions of a session-kNN model, read in place. Sessions are numbered by recency:
// 0 is the oldest kept, session_count() - 1 the most recent.
//
// Tensors (all added in format v1 with model kind "sknn"):
//   "sknn.sessions.offsets" u32 [S + 1]  CSR row starts, 0 .. nnz, non-decreasing
//   "sknn.sessions.items"   u16 or u32 [nnz]  the distinct items of each session, in the order
//                                        of their first click; u16 (format v2) when every item
//                                        index fits, which saves a fifth of a typical bundle
//   "sknn.items.offsets"    u32 [n + 1]  CSR row starts, 0 .. nnz, non-decreasing
//   "sknn.items.sessions"   u32 [nnz]    the sessions holding each item, most recent first
//                                        (strictly decreasing)
//   "sknn.item_weight"      f32 [n]      IDF-like rarity weight of each item, finite, >= 0
// The two CSR tables are transposes of each other; from_bundle checks the ranges, orders and
// entry counts, which is what the scorer relies on to read without further checks.
#pragma once

#include <cstdint>

#include "shelfwise/array_view.hpp"
#include "shelfwise/bundle_reader.hpp"

namespace shelfwise {

class SessionIndex {
 public:
  static Result<SessionIndex> from_bundle(const Bundle& bundle);

  std::size_t session_count() const { return session_offsets_.size() - 1; }
  std::size_t entry_count() const { return item_sessions_.size(); }
  // Calls `visit` with the items of `session` as an ArrayView of std::uint16_t or std::uint32_t
  // (whichever the bundle stores) and returns what it returns: hot loops see one width, no branch.
  template <typename Visit>
  decltype(auto) visit_items_of(std::uint32_t session, Visit&& visit) const {
    const std::uint32_t begin = session_offsets_[session];
    const std::uint32_t size = session_offsets_[session + 1] - begin;
    if (!narrow_items_.empty()) return visit(ArrayView<std::uint16_t>(narrow_items_.data() + begin, size));
    return visit(ArrayView<std::uint32_t>(session_items_.data() + begin, size));
  }
  // Most recent first.
  ArrayView<std::uint32_t> sessions_of(std::uint32_t item) const {
    return {item_sessions_.data() + item_offsets_[item], item_offsets_[item + 1] - item_offsets_[item]};
  }
  float item_weight(std::uint32_t item) const { return item_weight_[item]; }

 private:
  ArrayView<std::uint32_t> session_offsets_;
  ArrayView<std::uint32_t> session_items_;     // one of these two is empty
  ArrayView<std::uint16_t> narrow_items_;
  ArrayView<std::uint32_t> item_offsets_;
  ArrayView<std::uint32_t> item_sessions_;
  ArrayView<float> item_weight_;
};

}  // namespace shelfwise
