// Session intent: what the visit is about to do, from the features of session_features.hpp.
//
// Heads (logistic models the trainer fits, models/training/intent_trainer.hpp), tensors:
//   "intent.feature_mean"  f32 [F]         standardisation: x' = (x - mean) * scale
//   "intent.feature_scale" f32 [F]
//   "intent.purchase"      f32 [F + 1]     P(the visit ends in a purchase) = sigmoid(w . x' + b)
//   "intent.stage"         f32 [3, F + 1]  softmax over browsing / comparing / about to buy
//   "intent.category"      f32 [3]         optional (needs the catalogue): a conditional logit
//                                          over categories, score_c = w . category_features(c)
// with F = kSessionFeatureCount and the bias last in each row. Labels the heads are fitted to
// (on prefixes of training visits without a purchase yet):
//   purchase      a purchase follows later in the visit;
//   about_to_buy  a cart or purchase within the next 3 events; else
//   comparing     the next event returns to an item already viewed, or stays in the latest
//                 item's category once the visit has seen 2 or more items of it; else browsing;
//   category      the category of the next event's item.
// Once the visit holds a purchase, purchase_probability is 1 and the stage about_to_buy.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "shelfwise/array_view.hpp"
#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/session_features.hpp"

namespace shelfwise {

enum class ShoppingStage : std::uint8_t { browsing = 0, comparing = 1, about_to_buy = 2 };
inline constexpr std::size_t kShoppingStageCount = 3;
std::string_view shopping_stage_name(ShoppingStage stage);

struct Intent {
  float purchase_probability = 0.0f;
  std::array<float, kShoppingStageCount> stage_probabilities{};
  ShoppingStage stage = ShoppingStage::browsing;
  std::uint32_t category = 0xFFFFFFFFU;  // kNoCategory: no category head, or no known event
  float category_probability = 0.0f;
};

class IntentHeads {
 public:
  // nullopt (not an error) when the bundle has no "intent.purchase" tensor.
  static Result<std::optional<IntentHeads>> from_bundle(const Bundle& bundle, bool has_catalog);

  ArrayView<float> feature_mean() const { return feature_mean_; }
  ArrayView<float> feature_scale() const { return feature_scale_; }
  ArrayView<float> purchase() const { return purchase_; }
  ArrayView<float> stage() const { return stage_; }
  ArrayView<float> category() const { return category_; }  // empty when absent

 private:
  ArrayView<float> feature_mean_;
  ArrayView<float> feature_scale_;
  ArrayView<float> purchase_;
  ArrayView<float> stage_;
  ArrayView<float> category_;
};

// Scratch sized once for the model; compute() allocates nothing. The model must have intent
// heads and outlive the scorer. Not thread-safe.
class IntentScorer {
 public:
  IntentScorer(const Model& model, const IntentHeads& heads);
  Intent compute(ArrayView<SessionEvent> events);

 private:
  const Model* model_;
  const IntentHeads* heads_;
  SessionFeatureExtractor features_;
};

}  // namespace shelfwise
