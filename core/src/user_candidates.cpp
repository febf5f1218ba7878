#include "shelfwise/user_candidates.hpp"

#include <algorithm>

namespace shelfwise {

UserCandidates::UserCandidates(std::shared_ptr<const Model> model, UserVector& user)
    : model_(std::move(model)), factors_(model_->item_factors()), user_(user) {
  if (factors_ == nullptr) return;
  query_ = factors_->new_query();
  scores_.assign(factors_->item_count(), 0.0f);
  row_.assign(factors_->dim(), 0.0f);
  best_.reserve(kCandidates + 1);
}

const std::vector<ScoredItem>& UserCandidates::best_items(std::size_t limit) {
  best_.clear();
  if (factors_ == nullptr || user_.empty()) return best_;
  limit = std::min(limit, kCandidates);
  factors_->prepare(user_.vector().data(), query_);
  factors_->score_range(query_, 0, scores_.size(), scores_.data());
  for (const HistoryItem& entry : user_.history()) scores_[entry.item] = -1.0f;
  // A bounded heap whose top is the worst kept item (ranks_before orders best first).
  for (std::size_t item = 0; item < scores_.size(); ++item) {
    const float score = scores_[item];
    if (!(score > 0.0f)) continue;
    const ScoredItem candidate{static_cast<std::uint32_t>(item), score};
    if (best_.size() < limit) {
      best_.push_back(candidate);
      std::push_heap(best_.begin(), best_.end(), ranks_before);
    } else if (ranks_before(candidate, best_.front())) {
      std::pop_heap(best_.begin(), best_.end(), ranks_before);
      best_.back() = candidate;
      std::push_heap(best_.begin(), best_.end(), ranks_before);
    }
  }
  std::sort_heap(best_.begin(), best_.end(), ranks_before);
  return best_;
}

Status UserCandidates::collect(const RankingInputs& inputs, CandidatePool& pool) {
  if (factors_ == nullptr || user_.empty()) return Status::ok_status();
  if (pool.closed()) {
    factors_->prepare(user_.vector().data(), query_);
    // Index loop: add() never inserts into a closed pool, so the vector is stable.
    auto& candidates = pool.candidates();
    for (std::size_t index = 0; index < candidates.size(); ++index) {
      const std::uint32_t item = candidates[index].item;
      if (is_foreign_item(item) || user_.in_history(item)) continue;
      const float score = factors_->score(query_, item);
      if (!(score > 0.0f)) continue;
      factors_->row(item, row_.data());
      pool.add(item, CandidateSourceId::user, score, Source::user, user_.explain(row_.data()));
    }
    return Status::ok_status();
  }
  (void)inputs;
  for (const ScoredItem& scored : best_items()) {
    factors_->row(scored.item, row_.data());
    pool.add(scored.item, CandidateSourceId::user, scored.score, Source::user, user_.explain(row_.data()));
  }
  return Status::ok_status();
}

}  // namespace shelfwise
