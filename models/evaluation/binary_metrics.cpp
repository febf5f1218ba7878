#include "evaluation/binary_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace shelfwise::evaluation {

BinaryMetrics score_binary(const std::vector<double>& predictions, const std::vector<float>& labels, std::size_t bins) {
  BinaryMetrics metrics;
  metrics.n = std::min(predictions.size(), labels.size());
  bins = std::max<std::size_t>(bins, 1);
  metrics.bins.resize(bins);
  for (std::size_t bin = 0; bin < bins; ++bin) {
    metrics.bins[bin].low = static_cast<double>(bin) / static_cast<double>(bins);
    metrics.bins[bin].high = static_cast<double>(bin + 1) / static_cast<double>(bins);
  }
  if (metrics.n == 0) return metrics;
  std::vector<double> predicted_sum(bins, 0.0), observed_sum(bins, 0.0);
  double squared_error = 0.0;
  for (std::size_t index = 0; index < metrics.n; ++index) {
    const double p = std::clamp(predictions[index], 0.0, 1.0);
    const double y = labels[index] > 0.5f ? 1.0 : 0.0;
    metrics.positives += y > 0.0 ? 1 : 0;
    squared_error += (p - y) * (p - y);
    const std::size_t bin = std::min(bins - 1, static_cast<std::size_t>(p * static_cast<double>(bins)));
    ++metrics.bins[bin].count;
    predicted_sum[bin] += p;
    observed_sum[bin] += y;
  }
  const double n = static_cast<double>(metrics.n);
  metrics.base_rate = static_cast<double>(metrics.positives) / n;
  metrics.brier = squared_error / n;
  for (std::size_t bin = 0; bin < bins; ++bin) {
    ReliabilityBin& entry = metrics.bins[bin];
    if (entry.count == 0) continue;
    entry.mean_predicted = predicted_sum[bin] / static_cast<double>(entry.count);
    entry.observed_rate = observed_sum[bin] / static_cast<double>(entry.count);
    metrics.ece += static_cast<double>(entry.count) / n * std::abs(entry.observed_rate - entry.mean_predicted);
  }
  // AUC from average ranks (ties share their rank).
  const std::size_t negatives = metrics.n - metrics.positives;
  if (metrics.positives == 0 || negatives == 0) return metrics;
  std::vector<std::size_t> order(metrics.n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return predictions[a] < predictions[b]; });
  double positive_rank_sum = 0.0;
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start + 1;
    while (end < order.size() && predictions[order[end]] == predictions[order[start]]) ++end;
    const double average_rank = (static_cast<double>(start) + static_cast<double>(end - 1)) / 2.0 + 1.0;
    for (std::size_t index = start; index < end; ++index) {
      if (labels[order[index]] > 0.5f) positive_rank_sum += average_rank;
    }
    start = end;
  }
  const double positives = static_cast<double>(metrics.positives);
  metrics.auc = (positive_rank_sum - positives * (positives + 1.0) / 2.0) / (positives * static_cast<double>(negatives));
  return metrics;
}

nlohmann::json to_json(const BinaryMetrics& metrics) {
  nlohmann::json bins = nlohmann::json::array();
  for (const auto& bin : metrics.bins) {
    bins.push_back({{"low", bin.low}, {"high", bin.high}, {"count", bin.count},
                    {"mean_predicted", bin.mean_predicted}, {"observed_rate", bin.observed_rate}});
  }
  return {{"n", metrics.n},         {"positives", metrics.positives}, {"base_rate", metrics.base_rate},
          {"auc", metrics.auc},     {"brier", metrics.brier},         {"ece", metrics.ece},
          {"reliability", bins}};
}

void print_binary_metrics(const char* title, const BinaryMetrics& metrics) {
  std::printf("%s: n %zu, positives %zu (base rate %.4f), AUC %.4f, Brier %.4f, ECE %.4f\n", title, metrics.n,
              metrics.positives, metrics.base_rate, metrics.auc, metrics.brier, metrics.ece);
  std::printf("  %-13s %8s %10s %10s\n", "predicted", "count", "mean p", "observed");
  for (const auto& bin : metrics.bins) {
    if (bin.count == 0) continue;
    std::printf("  [%.1f, %.1f)    %8zu %10.4f %10.4f\n", bin.low, bin.high, bin.count, bin.mean_predicted, bin.observed_rate);
  }
}

}  // namespace shelfwise::evaluation
