#include "shelfwise/candidate_pool.hpp"

#include <algorithm>

namespace shelfwise {

CandidatePool::CandidatePool(std::size_t item_count) : slot_(item_count, 0), slot_stamp_(item_count, 0) {}

void CandidatePool::reset(bool closed) {
  closed_ = closed;
  candidates_.clear();
  foreign_slot_.clear();
  if (++stamp_ == 0) {
    std::fill(slot_stamp_.begin(), slot_stamp_.end(), 0);
    stamp_ = 1;
  }
}

Candidate* CandidatePool::find_or_insert(std::uint32_t item) {
  if (slot_stamp_[item] == stamp_) return &candidates_[slot_[item]];
  if (closed_) return nullptr;
  slot_stamp_[item] = stamp_;
  slot_[item] = static_cast<std::uint32_t>(candidates_.size());
  candidates_.emplace_back();
  candidates_.back().item = item;
  return &candidates_.back();
}

bool CandidatePool::add_page_item(std::uint32_t item, std::uint32_t position) {
  if (is_foreign_item(item)) {
    const std::size_t number = item - kForeignItemBase;
    if (number >= kMaxPageItems) return false;
    if (foreign_slot_.size() <= number) foreign_slot_.resize(number + 1, kNotOnPage);
    if (foreign_slot_[number] != kNotOnPage) return false;
    foreign_slot_[number] = static_cast<std::uint32_t>(candidates_.size());
    candidates_.emplace_back();
    candidates_.back().item = item;
    candidates_.back().page_position = position;
    return true;
  }
  if (item >= slot_.size()) return false;
  const bool was_closed = closed_;
  closed_ = false;
  const bool added = slot_stamp_[item] != stamp_;
  Candidate* candidate = find_or_insert(item);
  closed_ = was_closed;
  if (added) candidate->page_position = position;
  return added;
}

void CandidatePool::add(std::uint32_t item, CandidateSourceId source, float contribution, Source signal, std::uint32_t because) {
  if (item >= slot_.size()) return;
  Candidate* candidate = find_or_insert(item);
  if (candidate == nullptr) return;
  const auto index = static_cast<std::size_t>(source);
  candidate->raw[index] += contribution;
  if (contribution > candidate->best[index]) {
    candidate->best[index] = contribution;
    candidate->because[index] = because;
    candidate->signal[index] = signal;
  }
}

float CandidatePool::max_raw(CandidateSourceId source) const {
  const auto index = static_cast<std::size_t>(source);
  float best = 0.0f;
  for (const Candidate& candidate : candidates_) best = std::max(best, candidate.raw[index]);
  return best;
}

}  // namespace shelfwise
