#include "shelfwise/intent.hpp"

#include <cmath>
#include <string>

#include "shelfwise/model.hpp"

namespace shelfwise {
namespace {

constexpr std::string_view kStageNames[] = {"browsing", "comparing", "about_to_buy"};

Status view_of_size(const Bundle& bundle, const char* name, std::size_t size, ArrayView<float>* out) {
  const auto view = bundle.view<float>(name, DType::f32);
  if (!view.ok()) return view.status();
  if (view.value().size() != size) {
    return Status(ErrorCode::shape_mismatch, std::string("tensor '") + name + "' needs " + std::to_string(size) + " values");
  }
  *out = view.value();
  return Status::ok_status();
}

}  // namespace

std::string_view shopping_stage_name(ShoppingStage stage) { return kStageNames[static_cast<int>(stage)]; }

Result<std::optional<IntentHeads>> IntentHeads::from_bundle(const Bundle& bundle, bool has_catalog) {
  if (bundle.find("intent.purchase") == nullptr) return std::optional<IntentHeads>();
  IntentHeads heads;
  constexpr std::size_t features = kSessionFeatureCount;
  SHELFWISE_RETURN_IF_ERROR(view_of_size(bundle, "intent.feature_mean", features, &heads.feature_mean_));
  SHELFWISE_RETURN_IF_ERROR(view_of_size(bundle, "intent.feature_scale", features, &heads.feature_scale_));
  SHELFWISE_RETURN_IF_ERROR(view_of_size(bundle, "intent.purchase", features + 1, &heads.purchase_));
  SHELFWISE_RETURN_IF_ERROR(view_of_size(bundle, "intent.stage", kShoppingStageCount * (features + 1), &heads.stage_));
  if (bundle.find("intent.category") != nullptr) {
    if (!has_catalog) return Status(ErrorCode::bad_tensor, "tensor 'intent.category' needs the bundle's catalogue");
    SHELFWISE_RETURN_IF_ERROR(
        view_of_size(bundle, "intent.category", SessionFeatureExtractor::kCategoryFeatureCount, &heads.category_));
  }
  // Weights are finite (checked by the reader); bound them so that a logit cannot overflow exp().
  for (const ArrayView<float>& weights : {heads.feature_scale_, heads.purchase_, heads.stage_, heads.category_}) {
    for (const float weight : weights) {
      if (std::fabs(weight) > 1e4f) return Status(ErrorCode::bad_tensor, "intent weights must lie within [-1e4, 1e4]");
    }
  }
  for (const float mean : heads.feature_mean_) {
    if (std::fabs(mean) > 1e4f) return Status(ErrorCode::bad_tensor, "tensor 'intent.feature_mean' must lie within [-1e4, 1e4]");
  }
  return std::optional<IntentHeads>(heads);
}

IntentScorer::IntentScorer(const Model& model, const IntentHeads& heads) : model_(&model), heads_(&heads), features_(model) {}

Intent IntentScorer::compute(ArrayView<SessionEvent> events) {
  Intent intent;
  const SessionFeatures raw = features_.compute(events);
  std::array<double, kSessionFeatureCount + 1> x{};
  for (std::size_t feature = 0; feature < kSessionFeatureCount; ++feature) {
    x[feature] = (static_cast<double>(raw[feature]) - heads_->feature_mean()[feature]) * heads_->feature_scale()[feature];
  }
  x[kSessionFeatureCount] = 1.0;
  auto dot = [&x](const float* weights) {
    double sum = 0.0;
    for (std::size_t index = 0; index <= kSessionFeatureCount; ++index) sum += weights[index] * x[index];
    return sum;
  };
  intent.purchase_probability = static_cast<float>(1.0 / (1.0 + std::exp(-dot(heads_->purchase().data()))));
  std::array<double, kShoppingStageCount> logits{};
  double largest = -1e300;
  for (std::size_t stage = 0; stage < kShoppingStageCount; ++stage) {
    logits[stage] = dot(heads_->stage().data() + stage * (kSessionFeatureCount + 1));
    largest = std::max(largest, logits[stage]);
  }
  double total = 0.0;
  for (double& logit : logits) total += (logit = std::exp(logit - largest));
  std::size_t best_stage = 0;
  for (std::size_t stage = 0; stage < kShoppingStageCount; ++stage) {
    intent.stage_probabilities[stage] = static_cast<float>(logits[stage] / total);
    if (logits[stage] > logits[best_stage]) best_stage = stage;
  }
  intent.stage = static_cast<ShoppingStage>(best_stage);
  for (const SessionEvent& event : events) {
    if (event.type == EventType::purchase && event.item < model_->item_count()) {
      intent.purchase_probability = 1.0f;
      intent.stage = ShoppingStage::about_to_buy;
      break;
    }
  }

  const ArrayView<float> category_weights = heads_->category();
  if (category_weights.empty() || raw[0] == 0.0f) return intent;  // no head, or no known event
  const ArrayView<float> rows = features_.category_features(events);
  constexpr std::size_t width = SessionFeatureExtractor::kCategoryFeatureCount;
  const std::size_t categories = rows.size() / width;
  double best_score = -1e300;
  std::uint32_t best_category = 0;
  for (std::size_t category = 0; category < categories; ++category) {
    double score = 0.0;
    for (std::size_t index = 0; index < width; ++index) score += category_weights[index] * rows[category * width + index];
    if (score > best_score) {
      best_score = score;
      best_category = static_cast<std::uint32_t>(category);
    }
  }
  double normaliser = 0.0;
  for (std::size_t category = 0; category < categories; ++category) {
    double score = 0.0;
    for (std::size_t index = 0; index < width; ++index) score += category_weights[index] * rows[category * width + index];
    normaliser += std::exp(score - best_score);
  }
  intent.category = best_category;
  intent.category_probability = static_cast<float>(1.0 / normaliser);
  return intent;
}

}  // namespace shelfwise
