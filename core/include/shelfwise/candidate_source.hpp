// Where the ranker's candidates come from. A source reads one request's inputs and adds raw,
// non-negative scores to the pool; the ranker divides each source's scores by that source's
// maximum over the pool (so every source lands in [0, 1]) and blends them with the recipe's
// weights. In a rerank the pool is closed: sources can only score the page's own items.
//
// This is the extension point for new signals (a long-term user vector from matrix
// factorisation is the planned one): implement collect() and register the object with
// Ranker::set_source(CandidateSourceId::user, ...); recipes already carry a "user" weight.
#pragma once

#include <vector>

#include "shelfwise/array_view.hpp"
#include "shelfwise/candidate_pool.hpp"
#include "shelfwise/model.hpp"
#include "shelfwise/recommender.hpp"
#include "shelfwise/session_state.hpp"

namespace shelfwise {

// What a source may read for one request. Context and page items are validated by the ranker:
// context items are model indices; page items are model indices or foreign ids.
struct RankingInputs {
  const Model* model = nullptr;
  const SessionState* session = nullptr;
  ArrayView<std::uint32_t> context;
  ArrayView<std::uint32_t> page;
  bool rerank = false;
};

class CandidateSource {
 public:
  virtual ~CandidateSource() = default;
  virtual Status collect(const RankingInputs& inputs, CandidatePool& pool) = 0;
};

// The session model: the Recommender's next/related scores of the visit's items.
class SessionCandidates final : public CandidateSource {
 public:
  explicit SessionCandidates(Recommender& recommender) : recommender_(recommender) {}
  Status collect(const RankingInputs& inputs, CandidatePool& pool) override;

 private:
  Recommender& recommender_;
  std::vector<Recommendation> scratch_;
};

// Item-to-item: the related lists of each context item, summed over the context items.
class ContextCandidates final : public CandidateSource {
 public:
  explicit ContextCandidates(Recommender& recommender) : recommender_(recommender) {}
  Status collect(const RankingInputs& inputs, CandidatePool& pool) override;

 private:
  Recommender& recommender_;
  std::vector<Recommendation> scratch_;
};

// Popularity: the model's popular head when recommending (it is also the fallback that fills a
// short list), each page item's own popularity when reranking.
class PopularCandidates final : public CandidateSource {
 public:
  Status collect(const RankingInputs& inputs, CandidatePool& pool) override;
};

// The page's own list: position p of n scores (n - p) / n, so the shop's order breaks ties. It
// registers the page's items in the pool, so it runs first in a rerank.
class PageCandidates final : public CandidateSource {
 public:
  Status collect(const RankingInputs& inputs, CandidatePool& pool) override;
};

}  // namespace shelfwise
