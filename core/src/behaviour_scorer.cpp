#include "shelfwise/behaviour_scorer.hpp"

namespace shelfwise {

Status score_behaviour(const Model& model, ArrayView<BehaviourEvent> events, const BehaviourContext& context,
                       BehaviourScores* out) {
  const BehaviourModel& behaviour = model.behaviour();
  const std::size_t count = behaviour.features().size();
  out->features.resize(count);
  out->segment = -1;
  out->distances.clear();
  out->standardised.clear();
  out->purchase = out->returning = NAN;
  SHELFWISE_RETURN_IF_ERROR(behaviour.features().compute(events, context, out->features.data()));
  const FeatureStandardiser* standardiser = behaviour.standardiser();
  if (standardiser == nullptr) return Status::ok_status();
  out->standardised.resize(count);
  standardiser->apply(out->features.data(), out->standardised.data());
  if (const SegmentModel* segments = behaviour.segments()) {
    out->distances.resize(segments->segment_count());
    out->segment = static_cast<int>(segments->assign(out->standardised.data(), out->distances.data()));
  }
  const PropensityModel& propensity = behaviour.propensity();
  if (propensity.purchase) out->purchase = propensity.purchase->probability(out->standardised.data());
  if (propensity.returning) out->returning = propensity.returning->probability(out->standardised.data());
  return Status::ok_status();
}

namespace {

JsonValue object(std::initializer_list<std::pair<const char*, JsonValue>> members) {
  JsonValue result = JsonValue::object();
  for (const auto& [key, value] : members) result.set(key, value);
  return result;
}

}  // namespace

JsonValue behaviour_scores_json(const Model& model, const BehaviourScores& scores) {
  const auto& names = model.behaviour().features().names();
  JsonValue features = JsonValue::object();
  for (std::size_t index = 0; index < names.size() && index < scores.features.size(); ++index) {
    features.set(names[index], JsonValue::number(scores.features[index]));
  }
  JsonValue segment;
  if (scores.segment >= 0) {
    JsonValue distances = JsonValue::array();
    for (const float distance : scores.distances) distances.push_back(JsonValue::number(distance));
    segment = object({{"id", JsonValue::integer(scores.segment)}, {"distances", std::move(distances)}});
  }
  return object({{"features", std::move(features)},
                 {"segment", std::move(segment)},
                 {"propensity", object({{"purchase", JsonValue::number(scores.purchase)}, {"return", JsonValue::number(scores.returning)}})}});
}

}  // namespace shelfwise
