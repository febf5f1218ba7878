// The Recommender's path for "gru" models (gru_network.hpp): advances the session's hidden state
// over the events added since the last request (O(d^2) each), scores the whole catalogue (O(n d))
// and keeps the best k.
//
// recommend() and related() return exactly the best k of the float scores of score_items() (score
// descending, then index) without computing them all: approximate scores from the int8 embeddings
// (a quarter of the bytes to stream), each within a proven bound B_i of the float score, give the
// k-th best lower bound T; only items with approximate score + B_i >= T can be in the top k, and
// only those (typically tens) are scored in float. The bound, with h the hidden state, h_q its
// int16 quantisation and eps = (d + 8) * 2^-23 covering the float rounding of both scores:
//   B_i = 1.01 * (|h| * residual_norm_i + (|h - h_q| + eps |h|) * magnitude_i + eps |bias_i|).
// With a rotated copy (gru_quantisation.hpp) the request rotates h to g = R h first, and B_i holds
// g for h plus, in the weight of magnitude_i, the rounding of g and R's distance from orthonormal:
// (eps ||R||_F + gamma) |h|. The first pass sums only the first m codes of every item (P_i); with
// g_t the int16 query's last d - m values, the float score is at most
//   U_i = P_i + 1.02 (|g_t| tail_i + |g| residual_norm_i + w max magnitude + eps max |bias|)
//         + 2^-18 (|P_i| + 2 |bias_i|)
// (1.02 and 2^-18 rather than 1.01 and 2^-20 cover float rounding). The pass stores only
// V_i = P_i + t tail_i, t = 1.02 |g_t| rounded up: the one per-item term that varies much (the
// SIMD pass costs a third less than with all of U_i's). Then U_i <= V_i + 2^-17 |V_i| + W, W the
// rest at the catalogue's largest residual norm and bias (plus V_i's own rounding), which turns T
// into a threshold on V_i. T starts as the k-th best A_i - B_i of the k best V_i; window by
// window, items over the threshold get their whole approximate score A_i (a SIMD dot over the
// item's row of codes in a format-v6 copy, over its codes in the blocks in a v5 one), T rises to
// the k-th best A_i - B_i so far, and at the end only items with A_i + B_i >= T are scored in
// float. On the 100,000-item bench GRU (d = 64) a request finishes about 1,500 items at m = 16 and
// about 5,000 at m = 2 (the trainer's choice with item rows), and scores about 40 in float.
//
// Scratch (the catalogue's scores, the heap) is sized once for the model; a request allocates
// nothing once warm, except a session's hidden vector the first time it meets this model. Not
// thread-safe: one per Recommender.
#pragma once

#include <cstdint>
#include <vector>

#include "shelfwise/gru_network.hpp"
#include "shelfwise/recommender.hpp"
#include "shelfwise/session_state.hpp"
#include "shelfwise/top_k.hpp"

namespace shelfwise {

// The items one request must not return: item -> stamp, matching `stamp` when excluded (the
// recommender's 16-bit request stamps, recommender.hpp).
struct ExcludedItems {
  const std::uint16_t* stamps = nullptr;
  std::uint16_t stamp = 0;
  bool contains(std::uint32_t item) const { return stamps != nullptr && stamps[item] == stamp; }
};

class GruScorer {
 public:
  // The ranker's session and context sources get this many of the best items (open pool).
  static constexpr std::size_t kRankerCandidates = 1000;

  // `network` must outlive the scorer (the Recommender keeps its Model alive).
  explicit GruScorer(const GruNetwork& network);

  // Brings the session's hidden state up to date: folds the events added since the last call,
  // or, for a state another model wrote (or with unseen events already dropped from the
  // session), starts from zeros and folds the retained events. Items outside the model are
  // skipped. Returns the latest known item, or kNoItem for a session without one.
  std::uint32_t advance(const SessionState& session);

  // The best k (score descending, then index) after the session as Source::next, because its
  // latest item; nothing for a session without a known item (the caller falls back).
  void recommend(const SessionState& session, std::size_t k, ExcludedItems excluded, std::vector<Recommendation>* results);
  // The best k after a session of only `item` (never `item` itself), as Source::related.
  void related(std::uint32_t item, std::size_t k, ExcludedItems excluded, std::vector<Recommendation>* results);

  // The ranker's sources: the best kRankerCandidates items, or exactly the model items among
  // `only_items` when it is not empty (a rerank's page; other entries are skipped), with scores
  // exp(s - best) in (0, 1] so they are non-negative and keep the model's ratios of probability.
  void score_session(const SessionState& session, ArrayView<std::uint32_t> only_items,
                     std::vector<Recommendation>* candidates);
  void score_related(std::uint32_t item, ArrayView<std::uint32_t> only_items, std::vector<Recommendation>* candidates);

 private:
  void score_after_item(std::uint32_t item);
  void select_best(std::size_t k, ExcludedItems excluded, std::uint32_t also_excluded);
  // The same best k as score_items() then select_best(), through the int8 embeddings.
  void select_best_exact(const float* hidden, std::size_t k, ExcludedItems excluded, std::uint32_t also_excluded);
  // select_best_exact() through a rotated copy's prefix pass.
  void select_best_rotated(const float* hidden, std::size_t k, ExcludedItems excluded, std::uint32_t also_excluded);
  // The k best of scores_ into best_ (a heap, worst on top), skipping excluded items; false when
  // fewer than k are eligible.
  bool heap_of_best(std::size_t k, ExcludedItems excluded, std::uint32_t also_excluded);
  void emit(Source source, std::uint32_t because, std::vector<Recommendation>* results) const;
  void emit_for_ranker(Source source, std::uint32_t because, ArrayView<std::uint32_t> only_items, std::uint32_t skip,
                       std::vector<Recommendation>* candidates);

  const GruNetwork& network_;
  // Every item's score in the last request: float scores, or approximate ones from the int8 copy
  // (one array for both: select_best_exact falls back to float scores only once it is done with
  // the approximate ones).
  std::vector<float> scores_;
  std::vector<float> hidden_;
  std::vector<float> step_scratch_;
  std::vector<ScoredItem> best_;  // a heap while selecting (worst on top), then sorted best first
  std::vector<std::int16_t> query_;         // the int16 hidden state (padded dimensions)
  std::vector<float> rotated_;              // g = R h for a rotated copy
  // A rotated copy's items left after the prefix: whole approximate score and its bound B_i.
  struct Finishing {
    std::uint32_t item;
    float whole;
    double bound;
  };
  std::vector<Finishing> finishing_;
  std::vector<double> lower_bounds_;
  // Items of one scan window the bound cannot rule out (offsets in the window).
  static constexpr std::size_t kScanWindow = 4096;
  std::vector<std::uint32_t> candidates_;
};

}  // namespace shelfwise
