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

nlohmann::json number_or_null(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); }

}  // namespace

nlohmann::json behaviour_scores_json(const Model& model, const BehaviourScores& scores) {
  const auto& names = model.behaviour().features().names();
  nlohmann::json features = nlohmann::json::object();
  for (std::size_t index = 0; index < names.size() && index < scores.features.size(); ++index) {
    features[names[index]] = number_or_null(scores.features[index]);
  }
  nlohmann::json segment = nullptr;
  if (scores.segment >= 0) segment = {{"id", scores.segment}, {"distances", scores.distances}};
  return {{"features", features},
          {"segment", segment},
          {"propensity", {{"purchase", number_or_null(scores.purchase)}, {"return", number_or_null(scores.returning)}}}};
}

}  // namespace shelfwise
