// The stored sessions of a session-kNN model, read in place. Sessions are numbered by recency:
// 0 is the oldest kept, session_count() - 1 the most recent.
//
// Tensors (format v1 with model kind "sknn", unless marked):
//   "sknn.sessions.lengths"    u8 [S]       (v4) the number of items of each session; the sum is
//                                           nnz. Written when no session has more than 255
//                                           items: a quarter of the bytes of the offsets
//   "sknn.sessions.offsets"    u32 [S + 1]  otherwise (and before v4): CSR row starts, 0 .. nnz,
//                                           non-decreasing
//   "sknn.sessions.items"      u16 or u32 [nnz]  the distinct items of each session, in the order
//                                           of their first click; u16 (format v2) when every
//                                           item index fits, which saves a fifth of a bundle
//   "sknn.items.code_offsets"  u32 [n + 1]  (v3) byte row starts into the codes, non-decreasing
//   "sknn.items.session_codes" u8 [bytes]   (v3) the sessions holding each item, most recent
//                                           first, as varints (session_lists.hpp): nnz codes
//   "sknn.item_weight"         f32 [n]      IDF-like rarity weight of each item, finite, >= 0
// Bundles before v3 store each item's sessions as plain numbers instead, which loading encodes:
//   "sknn.items.offsets"       u32 [n + 1]  CSR row starts, 0 .. nnz, non-decreasing
//   "sknn.items.sessions"      u32 [nnz]    most recent first (strictly decreasing)
// The two tables are transposes of each other. from_bundle checks the ranges, orders and entry
// counts, which is what the scorer relies on to read without further checks, except inside a v3
// list: there it checks only that each list starts on a stored session, ends on a whole code and
// that the codes count the entries, and the reading cursor ends a list at a damaged code (a
// full decode at load would cost the cold start most of what the codes save).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "shelfwise/array_view.hpp"
#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/session_lists.hpp"

namespace shelfwise {

class SessionIndex {
 public:
  static Result<SessionIndex> from_bundle(const Bundle& bundle);

  // Sessions between two kept starts when the bundle stores lengths (a power of two).
  static constexpr std::uint32_t kSessionsPerStart = 16;

  std::size_t session_count() const { return session_count_; }
  std::size_t entry_count() const { return entry_count_; }
  // Calls `visit` with the items of `session` as an ArrayView of std::uint16_t or std::uint32_t
  // (whichever the bundle stores) and returns what it returns: hot loops see one width, no branch.
  template <typename Visit>
  decltype(auto) visit_items_of(std::uint32_t session, Visit&& visit) const {
    const std::uint32_t begin = session_begin(session);
    const std::uint32_t size = session_size(session);
    if (!narrow_items_.empty()) return visit(ArrayView<std::uint16_t>(narrow_items_.data() + begin, size));
    return visit(ArrayView<std::uint32_t>(session_items_.data() + begin, size));
  }
  // Most recent first.
  SessionListCursor sessions_of(std::uint32_t item) const {
    return {codes_.data() + code_offsets_[item], codes_.data() + code_offsets_[item + 1],
            static_cast<std::uint32_t>(session_count())};
  }
  float item_weight(std::uint32_t item) const { return item_weight_[item]; }

 private:
  // The first entry of `session`: from the offsets, or from the kept start of its group of
  // kSessionsPerStart plus the lengths before it in the group (at most 15 additions). Out of line:
  // inlined into each scoring loop it made the .wasm 1.1 KB larger, for a call per neighbour.
  std::uint32_t session_begin(std::uint32_t session) const;
  std::uint32_t session_size(std::uint32_t session) const {
    if (session_lengths_.empty()) return session_offsets_[session + 1] - session_offsets_[session];
    return session_lengths_[session];
  }

  std::size_t session_count_ = 0;
  ArrayView<std::uint32_t> session_offsets_;  // one of these two is empty
  ArrayView<std::uint8_t> session_lengths_;
  std::vector<std::uint32_t> group_starts_;   // with lengths: the first entry of every 16th session
  ArrayView<std::uint32_t> session_items_;     // one of these two is empty
  ArrayView<std::uint16_t> narrow_items_;
  ArrayView<std::uint32_t> code_offsets_;
  ArrayView<std::uint8_t> codes_;
  std::shared_ptr<const SessionListCodes> encoded_;  // the codes of a bundle before v3
  std::size_t entry_count_ = 0;
  ArrayView<float> item_weight_;
};

}  // namespace shelfwise
