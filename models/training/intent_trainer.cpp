#include "training/intent_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <Eigen/Dense>

#include "shelfwise/intent.hpp"

namespace shelfwise::training {
namespace {

constexpr std::size_t kFeatures = kSessionFeatureCount;
constexpr std::size_t kWidth = SessionFeatureExtractor::kCategoryFeatureCount;
constexpr std::size_t kAboutToBuyWindow = 3;

// One visit mapped to the model's item indices (unknown items get an index >= item_count, which
// every core function skips).
std::vector<SessionEvent> model_events(const Model& model, const InteractionLog& log, const LogSession& session,
                                       const std::vector<std::uint32_t>& model_index) {
  std::vector<SessionEvent> events;
  for (std::size_t position = 0; position < session.event_count; ++position) {
    const LogEvent& event = log.events[session.first_event + position];
    const double time = event.timestamp == kNoTimestamp ? 0.0 : static_cast<double>(event.timestamp);
    events.push_back({model_index[event.item], event.type, time});
  }
  (void)model;
  return events;
}

std::vector<std::uint32_t> map_items(const Model& model, const InteractionLog& log) {
  std::vector<std::uint32_t> index(log.item_ids.size(), 0xFFFFFFFFU);
  for (std::size_t item = 0; item < log.item_ids.size(); ++item) {
    if (auto found = model.items().find(log.item_ids[item])) index[item] = *found;
  }
  return index;
}

struct Labels {
  int purchase;
  int stage;
  int category;  // -1: unknown
  int latest_category;
};

// Labels of the prefix of `length` events (intent.hpp).
Labels label_prefix(const Model& model, const std::vector<SessionEvent>& events, std::size_t length) {
  const Catalog* catalog = model.catalog();
  const std::size_t item_count = model.item_count();
  auto category_of = [&](std::uint32_t item) -> int {
    if (catalog == nullptr || item >= item_count) return -1;
    const std::uint32_t category = catalog->category_index(item);
    return category == kNoCategory ? -1 : static_cast<int>(category);
  };
  Labels labels{0, static_cast<int>(ShoppingStage::browsing), -1, -1};
  for (std::size_t index = length; index < events.size(); ++index) {
    if (events[index].type == EventType::purchase) labels.purchase = 1;
  }
  const SessionEvent& next = events[length];
  const SessionEvent& latest = events[length - 1];
  labels.category = category_of(next.item);
  labels.latest_category = category_of(latest.item);
  for (std::size_t index = length; index < events.size() && index < length + kAboutToBuyWindow; ++index) {
    if (events[index].type != EventType::view) labels.stage = static_cast<int>(ShoppingStage::about_to_buy);
  }
  if (labels.stage == static_cast<int>(ShoppingStage::about_to_buy)) return labels;
  bool revisits = false;
  std::vector<std::uint32_t> in_latest_category;
  for (std::size_t index = 0; index < length; ++index) {
    if (events[index].item == next.item && next.item < item_count) revisits = true;
    if (labels.latest_category >= 0 && category_of(events[index].item) == labels.latest_category) {
      in_latest_category.push_back(events[index].item);
    }
  }
  std::sort(in_latest_category.begin(), in_latest_category.end());
  const auto distinct = std::unique(in_latest_category.begin(), in_latest_category.end()) - in_latest_category.begin();
  const bool stays = labels.latest_category >= 0 && labels.category == labels.latest_category && distinct >= 2;
  if (revisits || stays) labels.stage = static_cast<int>(ShoppingStage::comparing);
  return labels;
}

template <typename Visit>
void for_each_prefix(const Model& model, const InteractionLog& log, Visit&& visit) {
  const std::vector<std::uint32_t> index = map_items(model, log);
  for (const LogSession& session : log.sessions) {
    const std::vector<SessionEvent> events = model_events(model, log, session, index);
    for (std::size_t length = 1; length < events.size(); ++length) {
      if (events[length - 1].type == EventType::purchase) break;  // the visit has bought: nothing left to predict
      visit(events, length, label_prefix(model, events, length));
    }
  }
}

double sigmoid(double value) { return 1.0 / (1.0 + std::exp(-value)); }

}  // namespace

Result<IntentWeights> fit_intent(const Model& model, const InteractionLog& log, const IntentFitOptions& options) {
  SessionFeatureExtractor extractor(model);
  std::vector<SessionFeatures> rows;
  std::vector<Labels> labels;
  std::vector<float> category_rows;
  const bool with_categories = model.catalog() != nullptr && model.catalog()->category_count() > 0;
  for_each_prefix(model, log, [&](const std::vector<SessionEvent>& events, std::size_t length, const Labels& label) {
    const ArrayView<SessionEvent> prefix(events.data(), length);
    rows.push_back(extractor.compute(prefix));
    labels.push_back(label);
    if (with_categories && label.category >= 0) {
      const ArrayView<float> features = extractor.category_features(prefix);
      category_rows.insert(category_rows.end(), features.begin(), features.end());
      category_rows.push_back(static_cast<float>(label.category));  // the target rides along
    }
  });
  const std::size_t count = rows.size();
  if (count == 0) return Status(ErrorCode::invalid_argument, "intent: the log has no visit with two or more known events");
  const std::size_t purchases = std::count_if(labels.begin(), labels.end(), [](const Labels& label) { return label.purchase == 1; });
  if (purchases == 0 || purchases == count) {
    return Status(ErrorCode::invalid_argument, "intent: the log needs visits that end in a purchase and visits that do not");
  }

  IntentWeights weights;
  Eigen::MatrixXd x(count, kFeatures + 1);
  for (std::size_t row = 0; row < count; ++row) {
    for (std::size_t feature = 0; feature < kFeatures; ++feature) x(row, feature) = rows[row][feature];
  }
  for (std::size_t feature = 0; feature < kFeatures; ++feature) {
    const double mean = x.col(feature).mean();
    const double deviation = std::sqrt((x.col(feature).array() - mean).square().mean());
    // A constant feature carries nothing; scale 0 keeps it out instead of duplicating the bias.
    const double scale = deviation > 1e-9 ? 1.0 / deviation : 0.0;
    weights.feature_mean.push_back(static_cast<float>(mean));
    weights.feature_scale.push_back(static_cast<float>(scale));
    x.col(feature) = ((x.col(feature).array() - static_cast<double>(weights.feature_mean.back())) *
                      static_cast<double>(weights.feature_scale.back()))
                         .matrix();
  }
  x.col(kFeatures).setOnes();
  const double l2 = options.l2 * static_cast<double>(count);
  Eigen::VectorXd ridge = Eigen::VectorXd::Constant(kFeatures + 1, l2);
  ridge(kFeatures) = 0.0;

  // Purchase: logistic regression by Newton's method (14 weights: the Hessian is tiny).
  Eigen::VectorXd y(count);
  for (std::size_t row = 0; row < count; ++row) y(row) = labels[row].purchase;
  Eigen::VectorXd w = Eigen::VectorXd::Zero(kFeatures + 1);
  for (int iteration = 0; iteration < 30; ++iteration) {
    const Eigen::VectorXd p = (x * w).unaryExpr([](double value) { return sigmoid(value); });
    const Eigen::VectorXd gradient = x.transpose() * (y - p) - ridge.cwiseProduct(w);
    const Eigen::VectorXd curvature = p.cwiseProduct((1.0 - p.array()).matrix());
    Eigen::MatrixXd hessian = x.transpose() * curvature.asDiagonal() * x;
    hessian.diagonal() += ridge + Eigen::VectorXd::Constant(kFeatures + 1, 1e-9);
    const Eigen::VectorXd step = hessian.ldlt().solve(gradient);
    w += step;
    if (step.norm() < 1e-8) break;
  }
  for (std::size_t index = 0; index <= kFeatures; ++index) weights.purchase.push_back(static_cast<float>(w(index)));

  // Stage: softmax regression by gradient ascent on the mean log-likelihood (features standardised).
  Eigen::MatrixXd targets = Eigen::MatrixXd::Zero(count, kShoppingStageCount);
  for (std::size_t row = 0; row < count; ++row) targets(row, labels[row].stage) = 1.0;
  Eigen::MatrixXd stage_weights = Eigen::MatrixXd::Zero(kFeatures + 1, kShoppingStageCount);
  const Eigen::MatrixXd ridge_matrix = ridge.asDiagonal();
  for (int iteration = 0; iteration < options.stage_iterations; ++iteration) {
    Eigen::MatrixXd logits = x * stage_weights;
    for (Eigen::Index row = 0; row < logits.rows(); ++row) {
      const double largest = logits.row(row).maxCoeff();
      logits.row(row) = (logits.row(row).array() - largest).exp().matrix();
      logits.row(row) /= logits.row(row).sum();
    }
    const Eigen::MatrixXd gradient = (x.transpose() * (targets - logits) - ridge_matrix * stage_weights) / static_cast<double>(count);
    stage_weights += 1.0 * gradient;
  }
  for (std::size_t stage = 0; stage < kShoppingStageCount; ++stage) {
    for (std::size_t index = 0; index <= kFeatures; ++index) weights.stage.push_back(static_cast<float>(stage_weights(index, stage)));
  }

  // Category: a conditional logit, one weight per category feature shared by all categories.
  if (with_categories && !category_rows.empty()) {
    const std::size_t categories = model.catalog()->category_count();
    const std::size_t stride = categories * kWidth + 1;
    const std::size_t examples = category_rows.size() / stride;
    Eigen::Vector3d theta = Eigen::Vector3d::Zero();
    std::vector<double> scores(categories);
    for (int iteration = 0; iteration < options.category_iterations; ++iteration) {
      Eigen::Vector3d gradient = Eigen::Vector3d::Zero();
      for (std::size_t example = 0; example < examples; ++example) {
        const float* row = category_rows.data() + example * stride;
        const auto target = static_cast<std::size_t>(row[categories * kWidth]);
        double largest = -1e300;
        for (std::size_t category = 0; category < categories; ++category) {
          scores[category] = theta(0) * row[category * kWidth] + theta(1) * row[category * kWidth + 1] + theta(2) * row[category * kWidth + 2];
          largest = std::max(largest, scores[category]);
        }
        double total = 0.0;
        for (double& score : scores) total += (score = std::exp(score - largest));
        for (std::size_t category = 0; category < categories; ++category) {
          const double weight = (category == target ? 1.0 : 0.0) - scores[category] / total;
          for (std::size_t index = 0; index < kWidth; ++index) gradient(index) += weight * row[category * kWidth + index];
        }
      }
      theta += 0.5 * (gradient / static_cast<double>(examples) - options.l2 * theta);
    }
    for (std::size_t index = 0; index < kWidth; ++index) weights.category.push_back(static_cast<float>(theta(index)));
  }
  return weights;
}

nlohmann::json IntentMetrics::to_json() const {
  return {{"examples", examples},
          {"purchase_rate", purchase_rate},
          {"purchase_auc", purchase_auc},
          {"purchase_brier", purchase_brier},
          {"purchase_calibration_error", purchase_calibration_error},
          {"purchase_accuracy", purchase_accuracy},
          {"purchase_majority_accuracy", purchase_majority_accuracy},
          {"stage_accuracy", stage_accuracy},
          {"stage_majority_accuracy", stage_majority_accuracy},
          {"stage_shares", stage_shares},
          {"category_examples", category_examples},
          {"category_accuracy", category_accuracy},
          {"category_majority_accuracy", category_majority_accuracy},
          {"category_latest_accuracy", category_latest_accuracy}};
}

Result<IntentMetrics> evaluate_intent(const Model& model, const InteractionLog& log) {
  const IntentHeads* heads = model.intent_heads();
  if (heads == nullptr) return Status(ErrorCode::invalid_argument, "the model has no intent heads (train it with --intent)");
  IntentScorer scorer(model, *heads);
  std::vector<std::pair<double, int>> purchase;  // (probability, label)
  std::vector<std::uint64_t> stage_counts(kShoppingStageCount, 0);
  std::vector<std::uint64_t> category_counts(model.catalog() ? model.catalog()->category_count() : 0, 0);
  IntentMetrics metrics;
  double stage_hits = 0.0;
  double category_hits = 0.0;
  double latest_hits = 0.0;
  for_each_prefix(model, log, [&](const std::vector<SessionEvent>& events, std::size_t length, const Labels& label) {
    const Intent intent = scorer.compute({events.data(), length});
    purchase.emplace_back(intent.purchase_probability, label.purchase);
    ++stage_counts[label.stage];
    if (static_cast<int>(intent.stage) == label.stage) stage_hits += 1.0;
    if (label.category >= 0 && !heads->category().empty()) {
      ++metrics.category_examples;
      ++category_counts[label.category];
      if (static_cast<int>(intent.category) == label.category) category_hits += 1.0;
      if (label.latest_category == label.category) latest_hits += 1.0;
    }
  });
  const std::size_t count = purchase.size();
  if (count == 0) return Status(ErrorCode::invalid_argument, "intent: the log has no visit with two or more known events");
  metrics.examples = count;
  double positives = 0.0;
  double brier = 0.0;
  double correct = 0.0;
  std::vector<double> bin_probability(10, 0.0);
  std::vector<double> bin_positive(10, 0.0);
  std::vector<double> bin_count(10, 0.0);
  for (const auto& [probability, label] : purchase) {
    positives += label;
    brier += (probability - label) * (probability - label);
    correct += (probability >= 0.5) == (label == 1) ? 1.0 : 0.0;
    const std::size_t bin = std::min<std::size_t>(9, static_cast<std::size_t>(probability * 10.0));
    bin_probability[bin] += probability;
    bin_positive[bin] += label;
    bin_count[bin] += 1.0;
  }
  metrics.purchase_rate = positives / count;
  metrics.purchase_brier = brier / count;
  metrics.purchase_accuracy = correct / count;
  metrics.purchase_majority_accuracy = std::max(metrics.purchase_rate, 1.0 - metrics.purchase_rate);
  for (std::size_t bin = 0; bin < 10; ++bin) {
    metrics.purchase_calibration_error += std::fabs(bin_probability[bin] - bin_positive[bin]) / count;
  }
  // AUC = P(a positive outranks a negative), ties counting half (Mann-Whitney with mid-ranks).
  std::sort(purchase.begin(), purchase.end());
  double positive_rank_sum = 0.0;
  for (std::size_t start = 0; start < count;) {
    std::size_t end = start;
    while (end < count && purchase[end].first == purchase[start].first) ++end;
    const double mid_rank = (static_cast<double>(start) + static_cast<double>(end) + 1.0) / 2.0;
    for (std::size_t index = start; index < end; ++index) positive_rank_sum += purchase[index].second * mid_rank;
    start = end;
  }
  const double negatives = static_cast<double>(count) - positives;
  metrics.purchase_auc = positives > 0 && negatives > 0
                             ? (positive_rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
                             : 0.5;
  metrics.stage_accuracy = stage_hits / count;
  for (const std::uint64_t stage_count : stage_counts) metrics.stage_shares.push_back(static_cast<double>(stage_count) / count);
  metrics.stage_majority_accuracy = *std::max_element(metrics.stage_shares.begin(), metrics.stage_shares.end());
  if (metrics.category_examples > 0) {
    const double examples = static_cast<double>(metrics.category_examples);
    metrics.category_accuracy = category_hits / examples;
    metrics.category_latest_accuracy = latest_hits / examples;
    metrics.category_majority_accuracy =
        static_cast<double>(*std::max_element(category_counts.begin(), category_counts.end())) / examples;
  }
  return metrics;
}

}  // namespace shelfwise::training
