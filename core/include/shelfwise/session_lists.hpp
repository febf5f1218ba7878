// Each item's stored sessions (most recent first) in the compact form session-kNN bundles use
// from format v3 on ("sknn.items.session_codes"): LEB128 varints, the first as its age
// (session_count - 1 - session), each later one as its gap to the one before, minus one. Recent
// sessions and the dense lists of popular items take one or two bytes instead of four: the lists
// of diginetica's model shrink from 2.75 to 1.45 MB, which a device pays for in download, memory
// and the first touch of every page at a cold start.
#pragma once

#include <cstdint>
#include <vector>

#include "shelfwise/array_view.hpp"

namespace shelfwise {

struct SessionListCodes {
  std::vector<std::uint32_t> offsets;  // item_count + 1 byte offsets into `bytes`
  std::vector<std::uint8_t> bytes;
};

// `item_sessions` in CSR rows of `item_offsets`, each strictly decreasing and below
// `session_count` (what SessionIndex checks of a v2 bundle, and what the trainer writes).
SessionListCodes encode_session_lists(ArrayView<std::uint32_t> item_offsets, ArrayView<std::uint32_t> item_sessions,
                                      std::uint32_t session_count);

// Reads one item's list, one session at a time. Loading checks only what is cheap (the lists'
// bounds, their first codes and the total count); a code that would leave the stored sessions,
// run past its list or beyond five bytes ends the list early instead, so a damaged list reads
// shorter but never out of bounds.
class SessionListCursor {
 public:
  SessionListCursor() = default;
  SessionListCursor(const std::uint8_t* begin, const std::uint8_t* end, std::uint32_t session_count) : at_(begin), end_(end) {
    std::uint32_t age = 0;
    done_ = !read(&age) || age >= session_count;
    if (!done_) session_ = session_count - 1 - age;
  }

  bool done() const { return done_; }
  std::uint32_t session() const { return session_; }  // valid while !done()

  void advance() {
    std::uint32_t gap = 0;
    done_ = !read(&gap) || gap >= session_;
    if (!done_) session_ -= gap + 1;
  }

 private:
  bool read(std::uint32_t* value) {
    std::uint32_t result = 0;
    for (int shift = 0; shift < 35 && at_ < end_; shift += 7) {
      const std::uint8_t byte = *at_++;
      result |= static_cast<std::uint32_t>(byte & 0x7FU) << shift;
      if (byte < 0x80U) {
        *value = result;
        return shift < 28 || byte < 0x10U;  // five bytes carry at most 32 bits
      }
    }
    return false;
  }

  const std::uint8_t* at_ = nullptr;
  const std::uint8_t* end_ = nullptr;
  std::uint32_t session_ = 0;
  bool done_ = true;
};

}  // namespace shelfwise
