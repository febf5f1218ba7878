// The stored sessions of a session-kNN model, read in place. Sessions are numbered by recency:
// 0 is the oldest kept, session_count() - 1 the most recent.
//
// Tensors (all added in format v1 with model kind "sknn"):
//   "sknn.sessions.offsets" u32 [S + 1]  CSR row starts, 0 .. nnz, non-decreasing
//   "sknn.sessions.items"   u32 [nnz]    the distinct items of each session, in the order of
//                                        their first click
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
  std::size_t entry_count() const { return session_items_.size(); }
  ArrayView<std::uint32_t> items_of(std::uint32_t session) const {
    return {session_items_.data() + session_offsets_[session], session_offsets_[session + 1] - session_offsets_[session]};
  }
  // Most recent first.
  ArrayView<std::uint32_t> sessions_of(std::uint32_t item) const {
    return {item_sessions_.data() + item_offsets_[item], item_offsets_[item + 1] - item_offsets_[item]};
  }
  float item_weight(std::uint32_t item) const { return item_weight_[item]; }

 private:
  ArrayView<std::uint32_t> session_offsets_;
  ArrayView<std::uint32_t> session_items_;
  ArrayView<std::uint32_t> item_offsets_;
  ArrayView<std::uint32_t> item_sessions_;
  ArrayView<float> item_weight_;
};

}  // namespace shelfwise
