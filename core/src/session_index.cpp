#include "shelfwise/session_index.hpp"

#include "shelfwise/order_checks.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace shelfwise {
namespace {

constexpr std::uint64_t kSessionsPerDistinctCheck = 2048;

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

// A v3 bundle's item lists: the codes of each list end inside it, each list's first session is
// stored, and there is one code per entry. The rest of each code is checked as it is read.
Status check_codes(ArrayView<std::uint32_t> offsets, ArrayView<std::uint8_t> codes, std::uint32_t session_count,
                   std::size_t entries) {
  if (count_final_bytes(codes) != entries) {
    return Status(ErrorCode::shape_mismatch,
                  "tensors 'sknn.sessions.items' and 'sknn.items.session_codes' hold different numbers of entries");
  }
  for (std::size_t item = 0; item + 1 < offsets.size(); ++item) {
    const std::uint32_t begin = offsets[item];
    const std::uint32_t end = offsets[item + 1];
    if (begin == end) continue;
    if (codes[end - 1] >= 0x80U || SessionListCursor(codes.data() + begin, codes.data() + end, session_count).done()) {
      return Status(ErrorCode::bad_tensor, "tensor 'sknn.items.session_codes': item " + std::to_string(item) +
                                               " must list stored sessions in whole codes");
    }
  }
  return Status::ok_status();
}

// A bundle before v3: each item's sessions as numbers, most recent first. A rise or a repeat
// between neighbours over the lists laid end to end may only come where a list starts; the rest
// is the slow search for the item to name.
Status check_session_numbers(ArrayView<std::uint32_t> offsets, ArrayView<std::uint32_t> entries, std::uint64_t session_count) {
  const std::uint64_t item_count = offsets.size() - 1;
  std::size_t rises_at_starts = 0;
  for (std::uint64_t item = 0; item < item_count; ++item) {
    const std::uint32_t begin = offsets[item];
    if (begin > 0 && begin < offsets[item + 1]) rises_at_starts += entries[begin] >= entries[begin - 1] ? 1 : 0;
  }
  if (largest_value(entries) < session_count && count_non_decreases(entries) == rises_at_starts) return Status::ok_status();
  for (std::uint64_t item = 0; item < item_count; ++item) {
    for (std::uint32_t entry = offsets[item]; entry < offsets[item + 1]; ++entry) {
      if (entries[entry] >= session_count || (entry > offsets[item] && entries[entry] >= entries[entry - 1])) {
        return Status(ErrorCode::bad_tensor, "tensor 'sknn.items.sessions': item " + std::to_string(item) +
                                                 " must list session indices from the most recent down");
      }
    }
  }
  return Status::ok_status();
}

// The size of a session from the row offsets, or from the lengths (format v4).
struct OffsetSizes {
  const std::uint32_t* offsets;
  std::uint32_t operator()(std::uint64_t session) const { return offsets[session + 1] - offsets[session]; }
};
struct LengthSizes {
  const std::uint8_t* lengths;
  std::uint32_t operator()(std::uint64_t session) const { return lengths[session]; }
};

// The first session in [first, last) that lists an item twice or one outside the model, else
// `last`; `entry` is the first entry of session `first`. `seen_in` holds each item's 1 + the last
// session seen listing it. (Comparing a short session's items pairwise instead was slower: 2.5
// against 1.8 ms over diginetica's sessions.)
template <typename Item, typename Sizes>
[[gnu::noinline]] std::uint64_t first_repeating_session(Sizes size_of, const Item* items, std::uint32_t entry, std::uint64_t first,
                                                        std::uint64_t last, std::uint64_t item_count, std::uint32_t* seen_in) {
  for (std::uint64_t session = first; session < last; ++session) {
    const auto stamp = static_cast<std::uint32_t>(session + 1);
    for (const std::uint32_t end = entry + size_of(session); entry < end; ++entry) {
      const std::uint32_t item = items[entry];
      if (item >= item_count || seen_in[item] == stamp) return session;
      seen_in[item] = stamp;
    }
  }
  return last;
}

template <typename Sizes>
std::uint64_t first_repeating_session(Sizes size_of, ArrayView<std::uint16_t> narrow, ArrayView<std::uint32_t> wide,
                                      std::uint32_t entry, std::uint64_t first, std::uint64_t last, std::uint64_t item_count,
                                      std::uint32_t* seen_in) {
  if (!narrow.empty()) return first_repeating_session(size_of, narrow.data(), entry, first, last, item_count, seen_in);
  return first_repeating_session(size_of, wide.data(), entry, first, last, item_count, seen_in);
}

// Fills `starts` with the first entry of every kSessionsPerStart-th session and returns the sum of
// all lengths (starts past 32 bits are cut, which the caller's check of the sum rules out).
std::uint64_t group_starts(ArrayView<std::uint8_t> lengths, std::vector<std::uint32_t>* starts) {
  static_assert(SessionIndex::kSessionsPerStart == 16, "totals_every_16 groups by 16");
  starts->resize((lengths.size() + 15) / 16);
  return totals_every_16(lengths, starts->data());
}

}  // namespace

std::uint32_t SessionIndex::session_begin(std::uint32_t session) const {
  if (session_lengths_.empty()) return session_offsets_[session];
  std::uint32_t begin = group_starts_[session / kSessionsPerStart];
  for (std::uint32_t before = session & ~(kSessionsPerStart - 1); before < session; ++before) begin += session_lengths_[before];
  return begin;
}

Result<SessionIndex> SessionIndex::from_bundle(const Bundle& bundle) {
  SessionIndex index;
  const TensorInfo* items_info = bundle.find("sknn.sessions.items");
  const bool narrow = items_info != nullptr && items_info->dtype == DType::u16;
  if (narrow) {
    index.narrow_items_ = bundle.view<std::uint16_t>("sknn.sessions.items", DType::u16).value();
  } else {
    const auto session_items = bundle.view<std::uint32_t>("sknn.sessions.items", DType::u32);
    if (!session_items.ok()) return session_items.status();
    index.session_items_ = session_items.value();
  }
  const std::size_t item_entries = narrow ? index.narrow_items_.size() : index.session_items_.size();
  if (static_cast<std::uint64_t>(item_entries) > 0xFFFFFFFFULL) {
    return Status(ErrorCode::limit_exceeded, "too many stored session entries");
  }
  index.entry_count_ = item_entries;
  if (bundle.find("sknn.sessions.lengths") != nullptr) {
    if (bundle.find("sknn.sessions.offsets") != nullptr) {
      return Status(ErrorCode::bad_tensor, "tensors 'sknn.sessions.lengths' and 'sknn.sessions.offsets' both give the sessions' "
                                           "extents: a bundle stores one of them");
    }
    const auto lengths = bundle.view<std::uint8_t>("sknn.sessions.lengths", DType::u8);
    if (!lengths.ok()) return lengths.status();
    index.session_lengths_ = lengths.value();
    if (static_cast<std::uint64_t>(index.session_lengths_.size()) >= 0xFFFFFFFFULL) {
      return Status(ErrorCode::limit_exceeded, "too many stored sessions");
    }
    index.session_count_ = index.session_lengths_.size();
    const std::uint64_t total = group_starts(index.session_lengths_, &index.group_starts_);
    if (total != item_entries) {
      return Status(ErrorCode::shape_mismatch, "tensor 'sknn.sessions.lengths' adds up to " + std::to_string(total) +
                                                   " entries; 'sknn.sessions.items' holds " + std::to_string(item_entries));
    }
  } else {
    const auto session_offsets = bundle.view<std::uint32_t>("sknn.sessions.offsets", DType::u32);
    if (!session_offsets.ok()) return session_offsets.status();
    index.session_offsets_ = session_offsets.value();
    if (index.session_offsets_.empty()) return Status(ErrorCode::shape_mismatch, "tensor 'sknn.sessions.offsets' is empty");
    if (static_cast<std::uint64_t>(index.session_offsets_.size() - 1) >= 0xFFFFFFFFULL) {
      return Status(ErrorCode::limit_exceeded, "too many stored sessions");
    }
    index.session_count_ = index.session_offsets_.size() - 1;
    SHELFWISE_RETURN_IF_ERROR(check_offsets(index.session_offsets_, index.session_count_, item_entries, "sknn.sessions.offsets"));
  }
  const auto item_weight = bundle.view<float>("sknn.item_weight", DType::f32);
  if (!item_weight.ok()) return item_weight.status();
  index.item_weight_ = item_weight.value();

  const std::uint64_t item_count = bundle.item_count();
  const std::uint64_t session_count = index.session_count_;
  if (bundle.find("sknn.items.session_codes") != nullptr) {
    const auto code_offsets = bundle.view<std::uint32_t>("sknn.items.code_offsets", DType::u32);
    if (!code_offsets.ok()) return code_offsets.status();
    const auto codes = bundle.view<std::uint8_t>("sknn.items.session_codes", DType::u8);
    if (!codes.ok()) return codes.status();
    index.code_offsets_ = code_offsets.value();
    index.codes_ = codes.value();
    SHELFWISE_RETURN_IF_ERROR(check_offsets(index.code_offsets_, item_count, index.codes_.size(), "sknn.items.code_offsets"));
    SHELFWISE_RETURN_IF_ERROR(
        check_codes(index.code_offsets_, index.codes_, static_cast<std::uint32_t>(session_count), item_entries));
  } else {
    const auto item_offsets = bundle.view<std::uint32_t>("sknn.items.offsets", DType::u32);
    if (!item_offsets.ok()) return item_offsets.status();
    const auto item_sessions = bundle.view<std::uint32_t>("sknn.items.sessions", DType::u32);
    if (!item_sessions.ok()) return item_sessions.status();
    if (item_sessions.value().size() != item_entries) {
      return Status(ErrorCode::shape_mismatch, "tensors 'sknn.sessions.items' and 'sknn.items.sessions' differ in length");
    }
    SHELFWISE_RETURN_IF_ERROR(check_offsets(item_offsets.value(), item_count, item_entries, "sknn.items.offsets"));
    SHELFWISE_RETURN_IF_ERROR(check_session_numbers(item_offsets.value(), item_sessions.value(), session_count));
    index.encoded_ = std::make_shared<const SessionListCodes>(
        encode_session_lists(item_offsets.value(), item_sessions.value(), static_cast<std::uint32_t>(session_count)));
    index.code_offsets_ = {index.encoded_->offsets.data(), index.encoded_->offsets.size()};
    index.codes_ = {index.encoded_->bytes.data(), index.encoded_->bytes.size()};
  }
  if (index.item_weight_.size() != item_count) {
    return Status(ErrorCode::shape_mismatch, "tensor 'sknn.item_weight' needs one weight per item");
  }
  if (count_negative(index.item_weight_) != 0) {
    return Status(ErrorCode::bad_tensor, "tensor 'sknn.item_weight' holds a negative weight");
  }
  // Every session's items distinct and inside the model. In blocks of sessions, each a call of
  // its own: V8 runs a wasm function's first call as baseline code and only later calls as
  // optimised code, and this pass runs once per load over every entry.
  std::vector<std::uint32_t> seen_in(item_count, 0);
  for (std::uint64_t first = 0; first < session_count; first += kSessionsPerDistinctCheck) {
    const std::uint64_t last = std::min<std::uint64_t>(session_count, first + kSessionsPerDistinctCheck);
    const std::uint32_t entry = index.session_begin(static_cast<std::uint32_t>(first));
    const std::uint64_t repeating =
        index.session_lengths_.empty()
            ? first_repeating_session(OffsetSizes{index.session_offsets_.data()}, index.narrow_items_, index.session_items_, entry,
                                      first, last, item_count, seen_in.data())
            : first_repeating_session(LengthSizes{index.session_lengths_.data()}, index.narrow_items_, index.session_items_, entry,
                                      first, last, item_count, seen_in.data());
    if (repeating != last) {
      return Status(ErrorCode::bad_tensor, "tensor 'sknn.sessions.items': session " + std::to_string(repeating) +
                                               " must list distinct item indices");
    }
  }
  return index;
}

}  // namespace shelfwise
