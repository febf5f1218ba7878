#include "shelfwise/candidate_source.hpp"

namespace shelfwise {

Status SessionCandidates::collect(const RankingInputs& inputs, CandidatePool& pool) {
  // In a rerank only the page's items can score; say so to models that score the whole catalogue.
  const ArrayView<std::uint32_t> only_items = inputs.rerank ? inputs.page : ArrayView<std::uint32_t>();
  SHELFWISE_RETURN_IF_ERROR(recommender_.score_session(*inputs.session, &scratch_, only_items));
  for (const Recommendation& scored : scratch_) {
    pool.add(scored.item, CandidateSourceId::session, scored.score, scored.source, scored.because);
  }
  return Status::ok_status();
}

Status ContextCandidates::collect(const RankingInputs& inputs, CandidatePool& pool) {
  for (const std::uint32_t item : inputs.context) {
    SHELFWISE_RETURN_IF_ERROR(recommender_.score_related(item, &scratch_, inputs.rerank ? inputs.page : ArrayView<std::uint32_t>()));
    for (const Recommendation& scored : scratch_) {
      pool.add(scored.item, CandidateSourceId::context, scored.score, scored.source, scored.because);
    }
  }
  return Status::ok_status();
}

Status PopularCandidates::collect(const RankingInputs& inputs, CandidatePool& pool) {
  const ArrayView<float> popularity = inputs.model->popularity();
  if (pool.closed()) {
    // Index loop: add() never inserts into a closed pool, so the vector is stable.
    auto& candidates = pool.candidates();
    for (std::size_t index = 0; index < candidates.size(); ++index) {
      const std::uint32_t item = candidates[index].item;
      if (!is_foreign_item(item)) pool.add(item, CandidateSourceId::popular, popularity[item], Source::popular, kNoItem);
    }
    return Status::ok_status();
  }
  for (const std::uint32_t item : inputs.model->popular_head()) {
    pool.add(item, CandidateSourceId::popular, popularity[item], Source::popular, kNoItem);
  }
  return Status::ok_status();
}

Status PageCandidates::collect(const RankingInputs& inputs, CandidatePool& pool) {
  const auto count = static_cast<float>(inputs.page.size());
  for (std::size_t position = 0; position < inputs.page.size(); ++position) {
    const std::uint32_t item = inputs.page[position];
    if (!pool.add_page_item(item, static_cast<std::uint32_t>(position))) continue;
    if (is_foreign_item(item)) {
      // Foreign items never reach add(); their page score is written directly.
      Candidate& candidate = pool.candidates().back();
      candidate.raw[static_cast<std::size_t>(CandidateSourceId::page)] = (count - static_cast<float>(position)) / count;
      candidate.best[static_cast<std::size_t>(CandidateSourceId::page)] = candidate.raw[static_cast<std::size_t>(CandidateSourceId::page)];
      candidate.signal[static_cast<std::size_t>(CandidateSourceId::page)] = Source::page;
      continue;
    }
    pool.add(item, CandidateSourceId::page, (count - static_cast<float>(position)) / count, Source::page, kNoItem);
  }
  return Status::ok_status();
}

}  // namespace shelfwise
