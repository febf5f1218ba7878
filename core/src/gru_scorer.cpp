#include "shelfwise/gru_scorer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "shelfwise/factor_kernels.hpp"
#include "shelfwise/float_rounding.hpp"
#include "shelfwise/gru_kernels.hpp"
#include "shelfwise/portable_math.hpp"

namespace shelfwise {
namespace {

// eps of gru_scorer.hpp: the float rounding of a d-term score, with room to spare.
double rounding_epsilon(std::size_t d) { return static_cast<double>(d + 8) * std::ldexp(1.0, -23); }

// The bound B_i of gru_scorer.hpp for a query vector (h, or g = R h for a rotated copy) and its
// int16 quantisation; `extra` joins the weight of magnitude_i (a rotation's error).
struct ScoreBound {
  double norm = 0.0;
  double magnitude_weight = 0.0;
  double epsilon = 0.0;

  double operator()(const GruNetwork::QuantisedEmbeddings& quantised, const float* bias, std::uint32_t item) const {
    return 1.01 * (norm * quantised.residual_norms[item] + magnitude_weight * quantised.magnitudes[item] +
                   epsilon * std::fabs(bias[item]));
  }
  // The same with the catalogue's largest norms and bias: at least every item's.
  double widest(const GruNetwork::QuantisedEmbeddings& quantised) const {
    return 1.01 * (norm * quantised.max_residual_norm + magnitude_weight * quantised.max_magnitude +
                   epsilon * quantised.max_abs_bias);
  }
};

ScoreBound score_bound(const float* vector, std::size_t d, const std::int16_t* query, float query_scale, double extra) {
  double squares = 0.0;
  double error_squares = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    const double error = static_cast<double>(vector[j]) - static_cast<double>(query_scale) * query[j];
    squares += static_cast<double>(vector[j]) * vector[j];
    error_squares += error * error;
  }
  ScoreBound bound;
  bound.norm = std::sqrt(squares);
  bound.epsilon = rounding_epsilon(d);
  bound.magnitude_weight = std::sqrt(error_squares) + bound.epsilon * bound.norm + extra;
  return bound;
}

}  // namespace

GruScorer::GruScorer(const GruNetwork& network)
    : network_(network),
      scores_(network.item_count(), 0.0f),
      hidden_(network.hidden_size(), 0.0f),
      step_scratch_(network.step_scratch_size(), 0.0f),
      query_(gru_kernels::padded_dimensions(network.hidden_size()), 0),
      rotated_(network.quantised().prefix_dimensions != 0 ? network.hidden_size() : 0, 0.0f),
      candidates_(std::min(kScanWindow, network.item_count()), 0) {
  best_.reserve(std::max<std::size_t>(kMaxResults, kRankerCandidates) + 1);
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

bool GruScorer::heap_of_best(std::size_t k, ExcludedItems excluded, std::uint32_t also_excluded) {
  // Blocks below the worst of the heap are skipped.
  const std::size_t count = network_.item_count();
  auto worse = [](const ScoredItem& left, const ScoredItem& right) { return left.score > right.score; };
  float worst = -std::numeric_limits<float>::infinity();
  for (std::size_t block = gru_kernels::next_block_above(scores_.data(), 0, count, worst); block < count;
       block = gru_kernels::next_block_above(scores_.data(), block + gru_kernels::kItemsPerBlock, count, worst)) {
    const std::size_t end = std::min(block + gru_kernels::kItemsPerBlock, count);
    for (std::size_t index = block; index < end; ++index) {
      const auto item = static_cast<std::uint32_t>(index);
      if (!(scores_[item] > worst) || item == also_excluded || excluded.contains(item)) continue;
      best_.push_back({item, scores_[item]});
      std::push_heap(best_.begin(), best_.end(), worse);
      if (best_.size() > k) {
        std::pop_heap(best_.begin(), best_.end(), worse);
        best_.pop_back();
      }
      if (best_.size() == k) worst = best_.front().score;
    }
  }
  return best_.size() == k;
}

void GruScorer::select_best_exact(const float* hidden, std::size_t k, ExcludedItems excluded, std::uint32_t also_excluded) {
  if (network_.quantised().prefix_dimensions != 0) {
    select_best_rotated(hidden, k, excluded, also_excluded);
    return;
  }
  best_.clear();
  if (k == 0) return;
  const GruNetwork::QuantisedEmbeddings& quantised = network_.quantised();
  const std::size_t d = network_.hidden_size();
  const std::size_t count = network_.item_count();
  const float* bias = network_.item_bias();
  float query_scale = 0.0f;
  kernels::quantise_query(hidden, d, query_.data(), &query_scale);
  const ScoreBound item_bound = score_bound(hidden, d, query_.data(), query_scale, 0.0);
  auto bound = [&](std::uint32_t item) { return item_bound(quantised, bias, item); };
  gru_kernels::approximate_scores(quantised.codes.data(), quantised.scales.data(), bias, count, d, query_.data(), query_scale,
                                  scores_.data());

  if (!heap_of_best(k, excluded, also_excluded)) {  // fewer than k eligible items: nothing to rule out
    network_.score_items(hidden, scores_.data());
    select_best(k, excluded, also_excluded);
    return;
  }
  // T: the k-th best lower bound; every item whose upper bound is below it has k better ones.
  double threshold = std::numeric_limits<double>::infinity();
  for (const ScoredItem& scored : best_) threshold = std::min(threshold, static_cast<double>(scored.score) - bound(scored.item));
  const float scan_threshold = float_at_most(threshold - item_bound.widest(quantised));
  best_.clear();
  // Window by window, so the scan's output needs no array of the catalogue's size.
  for (std::size_t begin = 0; begin < count; begin += kScanWindow) {
    const std::size_t size = std::min(kScanWindow, count - begin);
    const std::size_t found = gru_kernels::indices_at_least(scores_.data() + begin, size, scan_threshold, candidates_.data());
    for (std::size_t index = 0; index < found; ++index) {
      const auto item = static_cast<std::uint32_t>(begin + candidates_[index]);
      if (item == also_excluded || excluded.contains(item)) continue;
      if (static_cast<double>(scores_[item]) + bound(item) < threshold) continue;
      best_.push_back({item, network_.score_item(hidden, item)});
    }
  }
  keep_top_k(best_, k);
}

void GruScorer::select_best_rotated(const float* hidden, std::size_t k, ExcludedItems excluded, std::uint32_t also_excluded) {
  best_.clear();
  if (k == 0) return;
  const GruNetwork::QuantisedEmbeddings& quantised = network_.quantised();
  const std::size_t d = network_.hidden_size();
  const std::size_t count = network_.item_count();
  const std::size_t prefix = quantised.prefix_dimensions;
  const float* bias = network_.item_bias();
  std::fill(rotated_.begin(), rotated_.end(), 0.0f);
  gru_kernels::accumulate_columns(quantised.rotation.data(), d, d, hidden, d, rotated_.data());
  float query_scale = 0.0f;
  kernels::quantise_query(rotated_.data(), d, query_.data(), &query_scale);
  double hidden_squares = 0.0;
  double tail_squares = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    hidden_squares += static_cast<double>(hidden[j]) * hidden[j];
    if (j >= prefix) tail_squares += static_cast<double>(query_[j]) * query_[j];
  }
  const double epsilon = rounding_epsilon(d);
  const double rotation_error = (epsilon * quantised.rotation_frobenius + quantised.rotation_gamma) * std::sqrt(hidden_squares);
  const ScoreBound item_bound = score_bound(rotated_.data(), d, query_.data(), query_scale, rotation_error);
  auto bound = [&](std::uint32_t item) { return item_bound(quantised, bias, item); };
  // V_i = P_i + t tail_i (gru_scorer.hpp): the first pass's only per-item term of U_i.
  const float tail = float_at_least(1.02 * static_cast<double>(query_scale) * std::sqrt(tail_squares));
  const bool split = !quantised.code_rows.empty();  // the blocks hold the prefix's codes only
  gru_kernels::prefix_scores(quantised.codes.data(), quantised.scales.data(), bias, count, split ? prefix : d, prefix,
                             query_.data(), query_scale, quantised.tails.data(), tail, scores_.data());
  // U_i <= V_i + 2^-17 |V_i| + W for every item, with W the rest of U_i at the catalogue's largest
  // residual norm, magnitude and bias, plus the float rounding of V_i. V + 2^-17 |V| rises with V,
  // so no item with V_i < T - W - 2^-15 (|T| + W) reaches T: the scan looks at the others only.
  constexpr double kRelative = 0x1p-18;
  const double widest = 1.02 * (item_bound.norm * quantised.max_residual_norm + item_bound.magnitude_weight * quantised.max_magnitude +
                                 epsilon * quantised.max_abs_bias) +
                        2.0 * kRelative * (quantised.max_abs_bias + static_cast<double>(tail) * quantised.max_tail);
  auto first_pass_threshold = [&](double threshold) {
    return float_at_most(threshold - widest - 8.0 * kRelative * (std::fabs(threshold) + widest));
  };
  if (!heap_of_best(k, excluded, also_excluded)) {
    network_.score_items(hidden, scores_.data());
    select_best(k, excluded, also_excluded);
    return;
  }
  const std::size_t row_width = gru_kernels::padded_dimensions(d);
  auto whole_dot = [&](std::uint32_t item) {
    return split ? gru_kernels::row_dot(quantised.code_rows.data() + item * row_width, query_.data(), row_width)
                 : gru_kernels::item_dot(quantised.codes.data(), item, d, query_.data());
  };
  auto whole_score = [&](std::uint32_t item) {
    return bias[item] + static_cast<float>(whole_dot(item)) * quantised.scales[item] * query_scale;
  };
  // T: the k-th best lower bound A_i - B_i of the k eligible items with the best V_i, so at most
  // the k-th best float score (their float scores would be tighter, but each reads d scattered
  // floats).
  double threshold = std::numeric_limits<double>::infinity();
  for (const ScoredItem& scored : best_) {
    threshold = std::min(threshold, static_cast<double>(whole_score(scored.item)) - bound(scored.item));
  }
  // Window by window, items whose V_i may reach T get their whole approximate score A_i; T rises to
  // the k-th best A_i - B_i seen so far, so later windows let fewer items through.
  finishing_.clear();
  lower_bounds_.clear();
  auto lower_first = [](double left, double right) { return left > right; };  // a min-heap of the k best A_i - B_i
  for (std::size_t begin = 0; begin < count; begin += kScanWindow) {
    const std::size_t size = std::min(kScanWindow, count - begin);
    const std::size_t found =
        gru_kernels::indices_at_least(scores_.data() + begin, size, first_pass_threshold(threshold), candidates_.data());
    for (std::size_t index = 0; index < found; ++index) {
      const auto item = static_cast<std::uint32_t>(begin + candidates_[index]);
      if (item == also_excluded || excluded.contains(item)) continue;
      const double item_bound = bound(item);
      const float whole = whole_score(item);
      if (static_cast<double>(whole) + item_bound < threshold) continue;
      finishing_.push_back({item, whole, item_bound});
      lower_bounds_.push_back(static_cast<double>(whole) - item_bound);
      std::push_heap(lower_bounds_.begin(), lower_bounds_.end(), lower_first);
      if (lower_bounds_.size() > k) {
        std::pop_heap(lower_bounds_.begin(), lower_bounds_.end(), lower_first);
        lower_bounds_.pop_back();
      }
      if (lower_bounds_.size() == k) threshold = std::max(threshold, lower_bounds_.front());
    }
  }
  best_.clear();
  for (const Finishing& entry : finishing_) {
    if (static_cast<double>(entry.whole) + entry.bound < threshold) continue;
    best_.push_back({entry.item, network_.score_item(hidden, entry.item)});
  }
  keep_top_k(best_, k);
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
  select_best_exact(session.recurrent_state().hidden.data(), k, excluded, kNoItem);
  emit(Source::next, latest, results);
}

void GruScorer::related(std::uint32_t item, std::size_t k, ExcludedItems excluded, std::vector<Recommendation>* results) {
  std::fill(hidden_.begin(), hidden_.end(), 0.0f);
  network_.step(item, hidden_.data(), step_scratch_.data());
  select_best_exact(hidden_.data(), k, excluded, item);
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
