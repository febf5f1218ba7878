#include "evaluation/propensity_evaluation.hpp"

#include "shelfwise/recommender.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace shelfwise::evaluation {
namespace {

TargetEvaluation score_target(const CalibratedLogistic& model, const FeatureStandardiser& standardiser,
                              const training::BehaviourExampleSet& set) {
  std::vector<double> calibrated, raw;
  std::vector<float> z(set.feature_count);
  for (std::size_t row = 0; row < set.rows(); ++row) {
    standardiser.apply(set.row(row), z.data());
    const double probability = model.raw_probability(z.data());
    raw.push_back(probability);
    calibrated.push_back(model.calibrate(probability));
  }
  return {score_binary(calibrated, set.labels), score_binary(raw, set.labels)};
}

}  // namespace

Result<PropensityEvaluation> evaluate_propensity(const Model& model, const training::InteractionLog& events,
                                                 const std::vector<const training::InteractionLog*>& history,
                                                 double utc_offset_hours) {
  const BehaviourModel& behaviour = model.behaviour();
  const PropensityModel& propensity = behaviour.propensity();
  if (propensity.empty() || behaviour.standardiser() == nullptr) {
    return Status(ErrorCode::unsupported_model, "the bundle has no propensity model (train with --propensity)");
  }
  training::BehaviourExampleOptions options;
  options.utc_offset_hours = utc_offset_hours;
  const nlohmann::json manifest = manifest_json(model.bundle());
  if (propensity.returning) {
    const auto& fields = manifest["propensity"]["return"];
    if (fields.contains("horizon_days") && fields["horizon_days"].is_number()) {
      options.return_horizon_days = fields["horizon_days"].get<double>();
    }
  }
  const training::ItemMapper by_id = [&model](const training::InteractionLog& log, std::uint32_t item) {
    const auto found = model.items().find(log.item_ids[item]);
    return found ? *found : kNoItem;
  };
  auto examples = training::build_behaviour_examples(behaviour.features(), events, history, by_id, options);
  if (!examples.ok()) return examples.status();
  const auto& built = examples.value();
  PropensityEvaluation result;
  if (!propensity.purchase) result.purchase_note = "the bundle has no purchase model";
  else if (!built.has_purchases) result.purchase_note = "the log has no purchase events";
  else result.purchase = score_target(*propensity.purchase, *behaviour.standardiser(), built.purchase);
  if (!propensity.returning) result.return_note = "the bundle has no return model";
  else if (built.returning.rows() == 0) {
    result.return_note = "no visit of a known user with timestamps has its whole return horizon inside the data given";
  }
  else result.returning = score_target(*propensity.returning, *behaviour.standardiser(), built.returning);
  return result;
}

}  // namespace shelfwise::evaluation
