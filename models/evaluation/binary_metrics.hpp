// How good probabilities are: ranking (AUC) and calibration (reliability bins, expected
// calibration error, Brier score).
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

namespace shelfwise::evaluation {

struct ReliabilityBin {
  double low = 0.0, high = 0.0;  // predicted probability range [low, high)
  std::size_t count = 0;
  double mean_predicted = 0.0;
  double observed_rate = 0.0;
};

struct BinaryMetrics {
  std::size_t n = 0;
  std::size_t positives = 0;
  double base_rate = 0.0;
  double auc = 0.5;     // Mann–Whitney, ties count half; 0.5 when one class is absent
  double brier = 0.0;   // mean (p - y)²
  double ece = 0.0;     // Σ_bins (count/n)·|observed - predicted|
  std::vector<ReliabilityBin> bins;
};

// `bins` equal-width bins over [0, 1].
BinaryMetrics score_binary(const std::vector<double>& predictions, const std::vector<float>& labels, std::size_t bins = 10);

nlohmann::json to_json(const BinaryMetrics& metrics);

// A human-readable block: the summary line and the reliability table.
void print_binary_metrics(const char* title, const BinaryMetrics& metrics);

}  // namespace shelfwise::evaluation
