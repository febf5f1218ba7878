#include "shelfwise/gru_scorer.hpp"

#include <algorithm>

#include "shelfwise/portable_math.hpp"

namespace shelfwise {

GruScorer::GruScorer(const GruNetwork& network)
    : network_(network),
      scores_(network.item_count(), 0.0f),
      hidden_(network.hidden_size(), 0.0f),
      step_scratch_(network.step_scratch_size(), 0.0f) {
  best_.reserve(kMaxResults + 1);
}

std::uint32_t GruScorer::advance(const SessionState& session) {
  RecurrentState& state = session.recurrent_state();
  const auto& events = session.events();
  const std::size_t d = network_.hidden_size();
  const std::uint64_t added = session.events_added();
  std::size_t first = 0;
  const bool continues = state.owner == &network_ && state.hidden.size() == d && state.events_folded <= added &&
                         added - state.events_folded <= events.size();
  if (continues) {
    first = events.size() - static_cast<std::size_t>(added - state.events_folded);
  } else {
    state.owner = &network_;
    state.hidden.assign(d, 0.0f);
  }
  for (std::size_t index = first; index < events.size(); ++index) {
    if (events[index].item < network_.item_count()) {
      network_.step(events[index].item, state.hidden.data(), step_scratch_.data());
    }
  }
  state.events_folded = added;
  for (auto event = events.rbegin(); event != events.rend(); ++event) {
    if (event->item < network_.item_count()) return event->item;
  }
  return kNoItem;
}

void GruScorer::score_after_item(std::uint32_t item) {
  std::fill(hidden_.begin(), hidden_.end(), 0.0f);
  network_.step(item, hidden_.data(), step_scratch_.data());
  network_.score_items(hidden_.data(), scores_.data());
}

void GruScorer::select_best(std::size_t k, ExcludedItems excluded, std::uint32_t also_excluded) {
  best_.clear();
  if (k == 0) return;
  const auto count = static_cast<std::uint32_t>(scores_.size());
  // Max-heap under ranks_before: the front is the worst of the best so far, so most items are
  // turned away by one comparison.
  for (std::uint32_t item = 0; item < count; ++item) {
    const ScoredItem candidate{item, scores_[item]};
    if (best_.size() == k && !ranks_before(candidate, best_.front())) continue;
    if (item == also_excluded || excluded.contains(item)) continue;
    if (best_.size() == k) {
      std::pop_heap(best_.begin(), best_.end(), ranks_before);
      best_.back() = candidate;
    } else {
      best_.push_back(candidate);
    }
    std::push_heap(best_.begin(), best_.end(), ranks_before);
  }
  std::sort_heap(best_.begin(), best_.end(), ranks_before);
}

void GruScorer::emit(Source source, std::uint32_t because, std::vector<Recommendation>* results) const {
  results->clear();
  for (const ScoredItem& scored : best_) results->push_back({scored.item, scored.score, source, because});
}

void GruScorer::emit_for_ranker(Source source, std::uint32_t because, ArrayView<std::uint32_t> only_items,
                                std::uint32_t skip, std::vector<Recommendation>* candidates) {
  candidates->clear();
  if (only_items.empty()) {
    select_best(kRankerCandidates, {}, skip);
    if (best_.empty()) return;
    const float top = best_.front().score;
    for (const ScoredItem& scored : best_) candidates->push_back({scored.item, portable_exp(scored.score - top), source, because});
    return;
  }
  float top = 0.0f;
  bool any = false;
  for (const std::uint32_t item : only_items) {
    if (item >= scores_.size() || item == skip) continue;
    top = any ? std::max(top, scores_[item]) : scores_[item];
    any = true;
  }
  for (const std::uint32_t item : only_items) {
    if (item >= scores_.size() || item == skip) continue;
    candidates->push_back({item, portable_exp(scores_[item] - top), source, because});
  }
}

void GruScorer::recommend(const SessionState& session, std::size_t k, ExcludedItems excluded,
                          std::vector<Recommendation>* results) {
  const std::uint32_t latest = advance(session);
  results->clear();
  if (latest == kNoItem) return;
  network_.score_items(session.recurrent_state().hidden.data(), scores_.data());
  select_best(k, excluded, kNoItem);
  emit(Source::next, latest, results);
}

void GruScorer::related(std::uint32_t item, std::size_t k, ExcludedItems excluded, std::vector<Recommendation>* results) {
  score_after_item(item);
  select_best(k, excluded, item);
  emit(Source::related, item, results);
}

void GruScorer::score_session(const SessionState& session, ArrayView<std::uint32_t> only_items,
                              std::vector<Recommendation>* candidates) {
  const std::uint32_t latest = advance(session);
  candidates->clear();
  if (latest == kNoItem) return;
  network_.score_items(session.recurrent_state().hidden.data(), scores_.data());
  emit_for_ranker(Source::next, latest, only_items, kNoItem, candidates);
}

void GruScorer::score_related(std::uint32_t item, ArrayView<std::uint32_t> only_items,
                              std::vector<Recommendation>* candidates) {
  score_after_item(item);
  emit_for_ranker(Source::related, item, only_items, item, candidates);
}

}  // namespace shelfwise
