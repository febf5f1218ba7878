// The ranker's `user` source (candidate_source.hpp): the shopper's folded-in user vector
// (user_vector.hpp) scored against every item of the catalogue with the bundle's compact item
// factors (item_factors.hpp, factor_kernels.hpp); the history's own items are never proposed.
// Recommending, it adds the kCandidates best items with a positive score; reranking, it scores
// the page's items. Scores are the predicted preference x^T y, negative ones dropped (the ranker
// wants non-negative raw scores). Each candidate is explained by the history item contributing
// most to its score (UserVector::explain).
//
// Register with Ranker::set_source(CandidateSourceId::user, ...) for a model with item factors.
// Scratch (one float per item) is allocated at construction; a request allocates nothing.
#pragma once

#include <memory>
#include <vector>

#include "shelfwise/candidate_source.hpp"
#include "shelfwise/item_factors.hpp"
#include "shelfwise/top_k.hpp"
#include "shelfwise/user_vector.hpp"

namespace shelfwise {

class UserCandidates final : public CandidateSource {
 public:
  static constexpr std::size_t kCandidates = 200;

  // `user` must be for the same model and outlive this source.
  UserCandidates(std::shared_ptr<const Model> model, UserVector& user);
  Status collect(const RankingInputs& inputs, CandidatePool& pool) override;

  // The kCandidates (at most `limit`) best-scoring items outside the history, best first; what
  // collect() adds when recommending. Valid until the next call.
  const std::vector<ScoredItem>& best_items(std::size_t limit = kCandidates);

 private:
  std::shared_ptr<const Model> model_;
  const ItemFactors* factors_;
  UserVector& user_;
  PreparedQuery query_;
  std::vector<float> scores_;
  std::vector<float> row_;
  std::vector<ScoredItem> best_;
};

}  // namespace shelfwise
