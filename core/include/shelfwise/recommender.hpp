// Scores the catalogue for one model. Owns the scratch memory (one slot per item, sized once for
// the model), so a call allocates nothing after warm-up; not thread-safe: one per thread/engine.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "shelfwise/model.hpp"
#include "shelfwise/session_state.hpp"
#include "shelfwise/top_k.hpp"

namespace shelfwise {

inline constexpr std::uint32_t kNoItem = 0xFFFFFFFFU;
inline constexpr std::size_t kMaxResults = 1000;
inline constexpr std::size_t kMaxExcluded = 100000;

// Where a recommendation came from: the explanation the page can show. next/related: the neighbour
// lists of a session or context item (`because` names it); popular: popularity; page: the page's
// own list (rerank); pinned: a pin rule placed it; user: a long-term user vector (reserved).
enum class Source : std::uint8_t { next = 0, related = 1, popular = 2, page = 3, pinned = 4, user = 5 };

struct Recommendation {
  std::uint32_t item;
  float score;
  Source source;
  std::uint32_t because;  // the session (or context) item that contributed most, or kNoItem
};

class GruScorer;

class Recommender {
 public:
  explicit Recommender(std::shared_ptr<const Model> model);
  ~Recommender();

  const Model& model() const { return *model_; }

  // What the shopper is likely to want next, from the session's latest items (recency-weighted
  // sum of their neighbour lists), topped up by popularity. Items in `exclude` never appear.
  // Session events naming indices outside this model are ignored. Results stay valid until the
  // next call. INVALID_ARGUMENT for k == 0; LIMIT_EXCEEDED for k > kMaxResults or too many exclusions.
  Status recommend(const SessionState& session, std::size_t k, ArrayView<std::uint32_t> exclude,
                   std::vector<Recommendation>* results);

  // Items shown with `item` ("related items"): its symmetric list, then its directional list,
  // then popularity; never the item itself.
  Status related(std::uint32_t item, std::size_t k, ArrayView<std::uint32_t> exclude,
                 std::vector<Recommendation>* results);

  // Every item the session's neighbour lists reach, scored and explained as recommend() does, in
  // no particular order: no exclusions, no top-k, no popularity top-up (the ranker's session
  // source). Reuses `candidates`' capacity. A model that scores the whole catalogue (gru) gives
  // its best GruScorer::kRankerCandidates items, or, when `only_items` is not empty (a rerank's
  // page), those of them it knows; scores are then exp(s - best), in (0, 1].
  Status score_session(const SessionState& session, std::vector<Recommendation>* candidates,
                       ArrayView<std::uint32_t> only_items = {});
  // The same for the lists of one item, scored as related() does (the ranker's context source).
  // UNKNOWN_ITEM for an index outside the model.
  Status score_related(std::uint32_t item, std::vector<Recommendation>* candidates,
                       ArrayView<std::uint32_t> only_items = {});

 private:
  void accumulate_session(const SessionState& session);
  void accumulate_related(std::uint32_t item);
  void collect_touched(std::vector<Recommendation>* candidates) const;
  Status begin_request(std::size_t k, ArrayView<std::uint32_t> exclude);
  void accumulate(std::uint32_t item, float contribution, Source source, std::uint32_t because);
  // Turns the touched candidates into the top k, fills up from popularity, and clears scratch.
  void finish_request(std::size_t k, std::vector<Recommendation>* results);
  void fill_from_popularity(std::size_t k, std::vector<Recommendation>* results);
  bool is_excluded(std::uint32_t item) const { return excluded_stamp_[item] == stamp_; }
  bool is_touched(std::uint32_t item) const { return touched_stamp_[item] == stamp_; }

  std::shared_ptr<const Model> model_;
  std::vector<float> scores_;
  std::vector<float> best_contribution_;
  std::vector<std::uint32_t> because_;
  std::vector<Source> source_;
  std::vector<std::uint32_t> touched_;
  std::vector<std::uint32_t> excluded_stamp_;
  std::vector<std::uint32_t> touched_stamp_;
  std::vector<std::uint32_t> chosen_stamp_;
  std::uint32_t stamp_ = 0;
  std::vector<ScoredItem> candidates_;
  std::unique_ptr<GruScorer> gru_;  // for "gru" models: scores the whole catalogue instead
};

}  // namespace shelfwise
