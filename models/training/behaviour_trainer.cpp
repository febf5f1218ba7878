#include "training/behaviour_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "evaluation/binary_metrics.hpp"
#include "training/kmeans_trainer.hpp"
#include "training/propensity_trainer.hpp"

namespace shelfwise::training {
namespace {

std::string format(const char* pattern, double a, double b = 0.0, double c = 0.0, double d = 0.0) {
  char text[256];
  std::snprintf(text, sizeof(text), pattern, a, b, c, d);
  return text;
}

// The features that set a segment apart: its centroid's largest standardised values.
nlohmann::json describe_segment(const Eigen::MatrixXf& centroids, Eigen::Index segment, const std::vector<std::string>& names,
                                const FeatureStandardiser& standardiser) {
  std::vector<Eigen::Index> order(static_cast<std::size_t>(centroids.cols()));
  for (Eigen::Index feature = 0; feature < centroids.cols(); ++feature) order[feature] = feature;
  std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    return std::abs(centroids(segment, a)) > std::abs(centroids(segment, b));
  });
  nlohmann::json traits = nlohmann::json::array();
  for (std::size_t rank = 0; rank < std::min<std::size_t>(3, order.size()); ++rank) {
    const Eigen::Index feature = order[rank];
    const float z = centroids(segment, feature);
    if (std::abs(z) < 0.25f || standardiser.scale[feature] == 0.0f) break;
    traits.push_back({{"feature", names[feature]},
                      {"z", z},
                      {"value", standardiser.mean[feature] + z / standardiser.scale[feature]}});
  }
  return traits;
}

Status train_segments(const BehaviourExamples& examples, const FeatureStandardiser& standardiser,
                      const std::vector<std::string>& names, const BehaviourTrainingOptions& options,
                      const std::function<void(const std::string&)>& say, BehaviourParts* parts) {
  const Eigen::MatrixXf points = standardise_rows(standardiser, examples.snapshots.features, names.size());
  KMeansOptions kmeans;
  kmeans.k = options.segments;
  kmeans.restarts = options.restarts;
  kmeans.seed = options.seed;
  auto result = train_kmeans(points, kmeans);
  if (!result.ok()) return result.status();
  const KMeansResult& best = result.value();
  nlohmann::json summary = nlohmann::json::array();
  const double n = static_cast<double>(points.rows());
  for (Eigen::Index segment = 0; segment < best.centroids.rows(); ++segment) {
    const double share = static_cast<double>(best.sizes[segment]) / n;
    summary.push_back({{"id", segment}, {"share", share}, {"traits", describe_segment(best.centroids, segment, names, standardiser)}});
    std::string line = format("  segment %2.0f  %5.1f%%", static_cast<double>(segment), 100.0 * share);
    for (const auto& trait : summary.back()["traits"]) {
      line += "  " + trait["feature"].get<std::string>() + format(" %+.2f", trait["z"].get<double>());
    }
    say(line);
  }
  say(format("k-means: k %.0f, %.0f shoppers' visits, inertia %.1f (%.0f iterations, best of the restarts)",
             static_cast<double>(options.segments), n, best.inertia, static_cast<double>(best.iterations)));
  parts->manifest["segments"] = {{"k", options.segments},
                                 {"restarts", options.restarts},
                                 {"seed", options.seed},
                                 {"points", points.rows()},
                                 {"inertia", best.inertia},
                                 {"restart_inertias", best.restart_inertias},
                                 {"summary", summary}};
  FloatTensor centroids{"segments.centroids", {options.segments, names.size()}, {}};
  for (Eigen::Index segment = 0; segment < best.centroids.rows(); ++segment) {
    for (Eigen::Index feature = 0; feature < best.centroids.cols(); ++feature) centroids.values.push_back(best.centroids(segment, feature));
  }
  parts->tensors.push_back(std::move(centroids));
  return Status::ok_status();
}

// Adds one calibrated target; false (and a notice) when the examples cannot train it.
Result<bool> train_target(const char* target, const BehaviourExampleSet& set, const FeatureStandardiser& standardiser,
                          nlohmann::json fields, const std::function<void(const std::string&)>& say, BehaviourParts* parts) {
  const std::size_t positives = static_cast<std::size_t>(std::count(set.labels.begin(), set.labels.end(), 1.0f));
  if (positives == 0 || positives == set.rows()) {
    say(std::string("propensity '") + target + "': skipped, " + std::to_string(set.rows()) + " examples of one class only");
    return false;
  }
  const Eigen::MatrixXf z = standardise_rows(standardiser, set.features, set.feature_count);
  auto fit = fit_propensity(z, set.labels, set.times);
  if (!fit.ok()) return fit.status();
  const PropensityFit& result = fit.value();
  // How the held-out calibration slice looks before calibration (after it, it is fitted to it).
  std::vector<std::size_t> order(set.rows());
  for (std::size_t index = 0; index < order.size(); ++index) order[index] = index;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return set.times[a] < set.times[b]; });
  std::vector<double> raw;
  std::vector<float> labels;
  std::vector<float> row(set.feature_count);
  for (std::size_t index = result.train_rows; index < order.size(); ++index) {
    for (std::size_t feature = 0; feature < set.feature_count; ++feature) row[feature] = z(order[index], feature);
    raw.push_back(result.model.raw_probability(row.data()));
    labels.push_back(set.labels[order[index]]);
  }
  const auto held_out = evaluation::score_binary(raw, labels);
  fields["examples"] = set.rows();
  fields["positives"] = positives;
  fields["train_rows"] = result.train_rows;
  fields["calibration_rows"] = result.calibration_rows;
  fields["calibration_slice"] = {{"auc", held_out.auc}, {"ece_before_calibration", held_out.ece}, {"brier", held_out.brier}};
  parts->manifest["propensity"][target] = fields;
  say(std::string("propensity '") + target + "': " + std::to_string(set.rows()) + " examples, " + std::to_string(positives) +
      " positive; later " + std::to_string(result.calibration_rows) + " held out for calibration: " +
      format("AUC %.4f, ECE before calibration %.4f", held_out.auc, held_out.ece));
  const std::string prefix = std::string("propensity.") + target;
  parts->tensors.push_back({prefix + ".weights", {set.feature_count + 1}, result.model.weights()});
  const auto& knots = result.model.knots();
  if (!knots.empty()) parts->tensors.push_back({prefix + ".calibration", {knots.size() / 2, 2}, knots});
  return true;
}

}  // namespace

Result<BehaviourParts> train_behaviour(const Model& model, const InteractionLog& log, const BehaviourTrainingOptions& options,
                                       const std::function<void(const std::string&)>& say) {
  const BehaviourFeatures& features = model.behaviour().features();
  const ItemMapper identity = [](const InteractionLog&, std::uint32_t item) { return item; };
  auto built = build_behaviour_examples(features, log, {}, identity, options.examples);
  if (!built.ok()) return built.status();
  const BehaviourExamples& examples = built.value();
  if (examples.snapshots.rows() == 0) return Status(ErrorCode::invalid_argument, "no shoppers' visits to learn behaviour from");
  BehaviourParts parts;
  parts.manifest["behaviour"] = features.manifest_json();
  const FeatureStandardiser standardiser = fit_standardiser(examples.snapshots.features, features.size());
  parts.tensors.push_back({"behaviour.mean", {features.size()}, standardiser.mean});
  parts.tensors.push_back({"behaviour.scale", {features.size()}, standardiser.scale});
  if (options.segments > 0) SHELFWISE_RETURN_IF_ERROR(train_segments(examples, standardiser, features.names(), options, say, &parts));
  if (!options.propensity) return parts;
  parts.manifest["propensity"] = nlohmann::json::object();
  bool trained = false;
  if (examples.has_purchases) {
    auto purchase = train_target("purchase", examples.purchase, standardiser, nlohmann::json::object(), say, &parts);
    if (!purchase.ok()) return purchase.status();
    trained = purchase.value();
  } else {
    say("propensity 'purchase': skipped, the log has no purchase events");
  }
  if (examples.returning.rows() > 0) {
    auto returning = train_target("return", examples.returning, standardiser,
                                  {{"horizon_days", options.examples.return_horizon_days}}, say, &parts);
    if (!returning.ok()) return returning.status();
    trained = trained || returning.value();
  } else {
    say("propensity 'return': skipped, the log has no returning users with timestamps");
  }
  if (!trained) {
    return Status(ErrorCode::invalid_argument, "--propensity: the log has neither purchases nor returning users with timestamps");
  }
  return parts;
}

}  // namespace shelfwise::training
