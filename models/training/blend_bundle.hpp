// A "blend" bundle from two trained bundles of the same item vocabulary: a session-kNN one and an
// item-kNN or GRU one. Their tensors are copied as they are (the item table, popularity and
// catalogue from the other part's bundle); the manifest's "inference" keeps each part's settings
// (a GRU part: an empty "gru" object) and the share of the session-kNN part (model.hpp,
// ModelKind::blend). The mixing weight is chosen on validation
// data by `tune_blend_weight`.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "training/inference_tuning.hpp"

namespace shelfwise::training {

struct BlendParts {
  std::shared_ptr<const Model> other;  // kind itemknn or gru
  std::shared_ptr<const Model> session_knn;
};

// Orders two loaded models into the parts of a blend; INVALID_ARGUMENT unless one is "sknn", the
// other "itemknn" or "gru", and both list the same item ids in the same order.
Result<BlendParts> blend_parts(std::shared_ptr<const Model> first, std::shared_ptr<const Model> second);

// `version` empty: "blend-<time>-<crc of the parts' versions>".
std::vector<std::uint8_t> build_blend_bundle(const BlendParts& parts, double session_knn_weight, const std::string& version,
                                             const nlohmann::json& training);

struct BlendTrial {
  double session_knn_weight;
  evaluation::NextItemMetrics metrics;
};

// A grid over the weight (0, 0.1, ..., 1), then steps of 0.025 around the best.
Result<std::vector<BlendTrial>> tune_blend_weight(const BlendParts& parts, const InteractionLog& validation, std::size_t k,
                                                  unsigned threads, TuningObjective objective, BlendTrial* best,
                                                  const std::function<void(const BlendTrial&)>& on_trial = {});

}  // namespace shelfwise::training
