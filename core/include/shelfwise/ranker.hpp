// The one engine behind every slot of a shop's pages: candidates from several sources
// (candidate_source.hpp), blended with a recipe's weights (recipe.hpp), then the business rules
// (rules.hpp) in this fixed order:
//
//   1. filter    catalogue attributes: categories / exclude_categories, price range, available
//   2. exclude   items purchased or put in the cart during the visit (per the recipe, overridable),
//                the request's exclusions, the rules' exclude.items and the context items
//   3. boost     score *= factor for every boost rule the item matches (factors multiply; > 1
//                lifts, < 1 buries); then candidates are ordered by score
//   4. pin       pinned items take their fixed positions, if they pass 1 and 2 (filters and
//                exclusions outrank a pin); a pin beyond the end of a shorter list lands last
//   5. cap       at most max_per_category items per category; pins count toward the cap and are
//                never removed by it; items without a category are not capped
//   6. diversity maximal marginal relevance over the free positions (diversity.hpp)
//   7. dedup     every item once: a pinned copy wins over a ranked one, else the first
//
// Blending: each source's raw scores are divided by that source's maximum in the pool, so each
// lies in [0, 1]; score = sum over sources of weight * normalised score. Ties go to the more
// popular item, then the earlier page position, then the lower index.
//
// Explanation of each result: of the shopper-specific sources (session, context, user) the one
// with the largest weighted contribution names its signal (next/related/user) and the shopper's
// item behind it (`because`); with no such contribution, popular or page, with no item. Pinned
// items say Source::pinned.
//
// Not thread-safe; one Ranker per engine. Scratch is sized for the model at construction, and a
// request allocates nothing once its vectors have grown to their working size.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "shelfwise/candidate_source.hpp"
#include "shelfwise/diversity.hpp"
#include "shelfwise/recipe.hpp"
#include "shelfwise/rules.hpp"

namespace shelfwise {

inline constexpr std::size_t kMaxContextItems = 50;

struct RankRequest {
  const Recipe* recipe = nullptr;         // required
  const Rules* rules = nullptr;           // optional; parsed for this ranker's model
  const SessionState* session = nullptr;  // required; its purchases and carts feed rule 2
  std::size_t k = 10;                     // results wanted, 1..kMaxResults
  ArrayView<std::uint32_t> context;       // model indices: the product on the page, the item added
  // rerank: the page's items (model indices or foreign ids, see candidate_pool.hpp); only they
  // can be returned. Otherwise unused.
  bool rerank = false;
  ArrayView<std::uint32_t> page;
  ArrayView<std::uint32_t> exclude;  // model indices that must not appear
};

class Ranker {
 public:
  // `recommender` must be for the same model and outlive the ranker; the session and context
  // sources use its scratch.
  Ranker(std::shared_ptr<const Model> model, Recommender& recommender);

  // Replaces (or, with nullptr, removes) the source for `id`; the built-in ones are set at
  // construction and the user slot is empty.
  void set_source(CandidateSourceId id, std::unique_ptr<CandidateSource> source);

  // Results stay valid until the next call. INVALID_ARGUMENT for k == 0 or a missing recipe or
  // session; LIMIT_EXCEEDED for k, context, page or exclusions over their limits; UNKNOWN_ITEM
  // for a context or page entry that is neither a model index nor a foreign id.
  Status rank(const RankRequest& request, std::vector<Recommendation>* results);

 private:
  Status check(const RankRequest& request) const;
  void mark_exclusions(const RankRequest& request, bool exclude_purchased, bool exclude_in_cart);
  void blend(const SourceWeights& weights);
  bool passes_filter_and_exclusions(std::uint32_t item, const Rules* rules) const;
  void apply_boosts(const Rules& rules);
  void sort_by_score();
  void place_pins(const RankRequest& request);
  void cap_per_category(std::uint32_t cap);
  void diversify(std::size_t free_slots, double lambda);
  void assemble(std::size_t k, std::vector<Recommendation>* results);

  bool has_flag(std::uint32_t item, std::uint8_t flag) const {
    return !is_foreign_item(item) && flag_stamp_[item] == stamp_ && (flags_[item] & flag) != 0;
  }
  void set_flag(std::uint32_t item, std::uint8_t flag);
  float popularity_of(std::uint32_t item) const { return is_foreign_item(item) ? 0.0f : model_->popularity()[item]; }

  std::shared_ptr<const Model> model_;
  std::array<std::unique_ptr<CandidateSource>, kCandidateSourceCount> sources_;
  CandidatePool pool_;
  DiversitySelector diversity_;
  std::vector<std::uint8_t> flags_;
  std::vector<std::uint32_t> flag_stamp_;
  std::uint32_t stamp_ = 0;
  // The free (non-pinned) ranking: pool indices, then item ids and scores for diversity.
  std::vector<std::uint32_t> order_;
  std::vector<std::uint32_t> free_items_;
  std::vector<float> free_scores_;
  std::vector<Source> free_sources_;
  struct PlacedPin {
    std::uint32_t item;
    std::size_t position;
    float score;
  };
  std::vector<PlacedPin> pins_;
  std::vector<std::uint32_t> pinned_items_;
  std::vector<std::uint32_t> category_counts_;
};

}  // namespace shelfwise
