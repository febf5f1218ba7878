// Scores the catalogue for one model. Owns the scratch memory (one slot per item, sized once for
// the model), so a call allocates nothing after warm-up; not thread-safe: one per thread/engine.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "shelfwise/model.hpp"
#include "shelfwise/part_scores.hpp"
#include "shelfwise/scratch_array.hpp"
#include "shelfwise/session_state.hpp"
#include "shelfwise/top_k.hpp"

namespace shelfwise {

inline constexpr std::uint32_t kNoItem = 0xFFFFFFFFU;
inline constexpr std::size_t kMaxResults = 1000;
inline constexpr std::size_t kMaxExcluded = 100000;

// Where a recommendation came from: the explanation the page can show. next/related: the neighbour
// lists of a session or context item (`because` names it); popular: popularity; page: the page's
// own list (rerank); pinned: a pin rule placed it; user: a long-term user vector (reserved);
// together: the "frequently bought together" list of `because`.
enum class Source : std::uint8_t { next = 0, related = 1, popular = 2, page = 3, pinned = 4, user = 5, together = 6 };

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

  // What the shopper is likely to want next, from the session's latest items (item-kNN: the
  // recency-weighted sum of their neighbour lists; session-kNN: the items of the most similar
  // stored sessions, session_knn.hpp; blend: its parts, mixed as model.hpp says), topped up by popularity. Items in `exclude` never appear.
  // Session events naming indices outside this model are ignored. Results stay valid until the
  // next call. INVALID_ARGUMENT for k == 0; LIMIT_EXCEEDED for k > kMaxResults or too many exclusions.
  Status recommend(const SessionState& session, std::size_t k, ArrayView<std::uint32_t> exclude,
                   std::vector<Recommendation>* results);

  // Items shown with `item` ("related items"): its symmetric list, then its directional list
  // (session-kNN: the neighbours of a one-item session; gru and a blend with a GRU part: the
  // network after a one-item session), then popularity; never the item itself.
  Status related(std::uint32_t item, std::size_t k, ArrayView<std::uint32_t> exclude,
                 std::vector<Recommendation>* results);

  // Items carted or bought in the same sessions as `item` ("frequently bought together"): its
  // together list only, strongest first, never the item itself and never topped up, so fewer than
  // k (none for a bundle without the lists) is a real answer. UNKNOWN_ITEM for an index outside
  // the model.
  Status bought_together(std::uint32_t item, std::size_t k, ArrayView<std::uint32_t> exclude,
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
  // Turns the touched candidates into the top k and (unless told not to) fills up from popularity.
  void finish_request(std::size_t k, std::vector<Recommendation>* results, bool top_up_from_popularity = true);
  // Calls emit(item, contribution, source, because) for the item-kNN lists of the session's items.
  template <typename Emit>
  void score_item_knn(const SessionState& session, Emit&& emit) const;
  // Scores one part of a blend into blend_part_, scales it to a maximum of `weight`, adds it.
  template <typename Score>
  void mix_part(double weight, Score&& score);
  void fill_from_popularity(std::size_t k, std::vector<Recommendation>* results);
  bool is_excluded(std::uint32_t item) const { return excluded_stamp_[item] == stamp_; }
  bool is_touched(std::uint32_t item) const { return touched_stamp_[item] == stamp_; }

  std::shared_ptr<const Model> model_;
  std::unique_ptr<SessionKnnScorer> session_knn_;  // for kinds "sknn" and "blend"
  std::unique_ptr<PartScores> blend_part_;         // for kind "blend"
  // Per-item accumulation (accumulate()): empty for a model that never accumulates. An entry
  // holds this request's values only while the item is touched (touched_stamp_).
  ScratchArray<float> scores_;
  ScratchArray<float> best_contribution_;
  ScratchArray<std::uint32_t> because_;
  ScratchArray<Source> source_;
  std::vector<std::uint32_t> touched_;
  // Per-item request stamps, 16 bits: half the pages a load touches (two arrays of the catalogue's
  // size, zeroed), reset once every 65,535 requests when the stamp wraps.
  std::vector<std::uint16_t> excluded_stamp_;
  std::vector<std::uint16_t> touched_stamp_;
  std::uint16_t stamp_ = 0;
  std::vector<ScoredItem> candidates_;
  // For "gru" models (scores the whole catalogue instead) and a blend's GRU part.
  std::unique_ptr<GruScorer> gru_;
  std::vector<Recommendation> gru_candidates_;  // a blend's GRU part in one request
};

}  // namespace shelfwise
