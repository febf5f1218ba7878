// The ranker's working set for one request: every candidate item once, with the raw score each
// source gave it and the best single contribution (for the explanation). Sized for the model once;
// reset() is O(1) and a request allocates nothing once the vectors have grown to their working size.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "shelfwise/recipe.hpp"
#include "shelfwise/recommender.hpp"

namespace shelfwise {

// Items of a rerank list that the model does not know are carried as kForeignItemBase + n, n
// numbering the distinct unknown ids of the request; they keep their place in the pool and in
// results so nothing the page listed is lost. Model indices are below kMaxItemCount (< 2^31).
inline constexpr std::uint32_t kForeignItemBase = 0x80000000U;
inline constexpr std::size_t kMaxPageItems = 1000;
inline bool is_foreign_item(std::uint32_t item) { return item >= kForeignItemBase; }

inline constexpr std::uint32_t kNotOnPage = 0xFFFFFFFFU;

struct Candidate {
  std::uint32_t item = 0;
  std::uint32_t page_position = kNotOnPage;  // first position in the page's list
  std::array<float, kCandidateSourceCount> raw{};          // summed raw score per source
  // Largest single contribution per source (-1: none yet), with the item and signal behind it.
  std::array<float, kCandidateSourceCount> best{-1.0f, -1.0f, -1.0f, -1.0f, -1.0f};
  std::array<std::uint32_t, kCandidateSourceCount> because{kNoItem, kNoItem, kNoItem, kNoItem, kNoItem};
  std::array<Source, kCandidateSourceCount> signal{};
  // Filled by the ranker: blended (then boosted) score and the explanation.
  float score = 0.0f;
  Source source = Source::popular;
  std::uint32_t explained_by = kNoItem;
};

class CandidatePool {
 public:
  explicit CandidatePool(std::size_t item_count);

  // Empties the pool. A closed pool (rerank) only accepts contributions to items already
  // registered with add_page_item(); an open one admits every model item it is given.
  void reset(bool closed);
  bool closed() const { return closed_; }

  // Registers a page item (model index or foreign id) at `position`; a repeated item keeps its
  // first position. Returns false when the item was already there.
  bool add_page_item(std::uint32_t item, std::uint32_t position);
  // Adds a non-negative raw score from `source` for model item `item`.
  void add(std::uint32_t item, CandidateSourceId source, float contribution, Source signal, std::uint32_t because);

  std::vector<Candidate>& candidates() { return candidates_; }
  const std::vector<Candidate>& candidates() const { return candidates_; }
  // Largest summed raw score of `source` over the pool (0 when it gave nothing).
  float max_raw(CandidateSourceId source) const;

 private:
  Candidate* find_or_insert(std::uint32_t item);

  std::vector<std::uint32_t> slot_;        // model item -> index in candidates_, valid when stamp matches
  std::vector<std::uint32_t> slot_stamp_;
  std::vector<std::uint32_t> foreign_slot_;  // foreign number -> index in candidates_ (kNotOnPage = none)
  std::uint32_t stamp_ = 0;
  bool closed_ = false;
  std::vector<Candidate> candidates_;
};

}  // namespace shelfwise
