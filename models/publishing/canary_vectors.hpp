// Canary vectors: a few requests built from a bundle's own items, with the top-k item ids and
// scores that the native core's Recommender gives for them. Published in the channel manifest; a
// device replays them on a freshly loaded bundle before using it, so a model that loads but ranks
// differently there (a miscompiled kernel, a wrong bundle under the right name) is refused.
//
// JSON form (an array), one object per canary:
//   {"request": "recommend", "events": [{"item_id": "...", "type": "view"|"cart"|"purchase"}], "k": 10,
//    "expected": [{"item_id": "...", "score": 0.25}, ...]}
//   {"request": "related", "item_id": "...", "k": 10, "expected": [...]}
// A replay matches when the ids are equal in order and every score is within
// kCanaryScoreTolerance (relative, floored at an absolute 1e-6).
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "shelfwise/model.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise::publishing {

inline constexpr double kCanaryScoreTolerance = 1e-5;
inline constexpr std::size_t kCanaryTopK = 10;

// Deterministic for a given bundle: the same bundle always yields the same canaries.
Result<nlohmann::json> compute_canaries(const Model& model, std::size_t k = kCanaryTopK);

// OK, or CANARY_MISMATCH naming the first canary and rank that differ; BAD_MANIFEST when malformed.
Status check_canaries(const Model& model, const nlohmann::json& canaries);

}  // namespace shelfwise::publishing
