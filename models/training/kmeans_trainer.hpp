// k-means over standardised behaviour features (Lloyd's algorithm with k-means++ seeding, several
// restarts, the one with the least inertia kept), plus the standardisation itself.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "shelfwise/behaviour_model.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise::training {

// Mean and 1/standard deviation of each column over its known (non-NaN) values; a column that is
// constant or never known gets scale 0 (it cannot separate shoppers) and mean 0 when never known.
FeatureStandardiser fit_standardiser(const std::vector<float>& rows, std::size_t feature_count);

// Standardised rows as an n × F matrix (unknown values become 0, the mean).
Eigen::MatrixXf standardise_rows(const FeatureStandardiser& standardiser, const std::vector<float>& rows,
                                 std::size_t feature_count);

struct KMeansOptions {
  std::size_t k = 8;
  std::size_t restarts = 5;
  std::size_t max_iterations = 100;
  std::uint64_t seed = 42;
};

struct KMeansResult {
  Eigen::MatrixXf centroids;                 // k × F
  std::vector<std::uint32_t> assignment;     // per point
  std::vector<std::size_t> sizes;            // points per segment
  double inertia = 0.0;                      // sum of squared distances to the assigned centroid
  std::size_t iterations = 0;                // of the kept restart
  std::vector<double> restart_inertias;
};

// INVALID_ARGUMENT when k is 0 or exceeds the number of distinct points' count (n < k).
Result<KMeansResult> train_kmeans(const Eigen::MatrixXf& points, const KMeansOptions& options);

}  // namespace shelfwise::training
