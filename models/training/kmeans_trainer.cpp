#include "training/kmeans_trainer.hpp"

#include <cmath>
#include <limits>

#include "shelfwise/segment_model.hpp"
#include "training/seeded_random.hpp"

namespace shelfwise::training {
namespace {

double uniform(SeededRandom& random) { return static_cast<double>(random.next_u64() >> 11) * 0x1.0p-53; }

// Squared distances of every point to every centroid: |x|² - 2 x·c + |c|², clamped at 0.
Eigen::MatrixXf squared_distances(const Eigen::MatrixXf& points, const Eigen::VectorXf& point_norms,
                                  const Eigen::MatrixXf& centroids) {
  Eigen::MatrixXf result = -2.0f * points * centroids.transpose();
  result.colwise() += point_norms;
  result.rowwise() += centroids.rowwise().squaredNorm().transpose();
  return result.cwiseMax(0.0f);
}

// k-means++: each next centre is drawn with probability proportional to its squared distance
// to the nearest centre chosen so far.
Eigen::MatrixXf seed_centroids(const Eigen::MatrixXf& points, std::size_t k, SeededRandom& random) {
  const Eigen::Index n = points.rows();
  Eigen::MatrixXf centroids(static_cast<Eigen::Index>(k), points.cols());
  centroids.row(0) = points.row(static_cast<Eigen::Index>(random.below(static_cast<std::uint64_t>(n))));
  Eigen::VectorXd nearest = (points.rowwise() - centroids.row(0)).rowwise().squaredNorm().cast<double>();
  for (std::size_t chosen = 1; chosen < k; ++chosen) {
    const double total = nearest.sum();
    Eigen::Index pick = static_cast<Eigen::Index>(random.below(static_cast<std::uint64_t>(n)));
    if (total > 0.0) {
      double target = uniform(random) * total;
      for (Eigen::Index index = 0; index < n; ++index) {
        target -= nearest[index];
        if (target <= 0.0 && nearest[index] > 0.0) {
          pick = index;
          break;
        }
      }
    }
    centroids.row(static_cast<Eigen::Index>(chosen)) = points.row(pick);
    const Eigen::VectorXd distance =
        (points.rowwise() - points.row(pick)).rowwise().squaredNorm().cast<double>();
    nearest = nearest.cwiseMin(distance);
  }
  return centroids;
}

KMeansResult lloyd(const Eigen::MatrixXf& points, const Eigen::VectorXf& norms, Eigen::MatrixXf centroids,
                   std::size_t max_iterations) {
  const Eigen::Index n = points.rows();
  const Eigen::Index k = centroids.rows();
  KMeansResult result;
  result.assignment.assign(static_cast<std::size_t>(n), std::numeric_limits<std::uint32_t>::max());
  Eigen::VectorXf best(n);
  for (std::size_t iteration = 0; iteration < max_iterations; ++iteration) {
    const Eigen::MatrixXf distances = squared_distances(points, norms, centroids);
    bool changed = false;
    for (Eigen::Index index = 0; index < n; ++index) {
      Eigen::Index nearest = 0;
      best[index] = distances.row(index).minCoeff(&nearest);
      if (result.assignment[index] != static_cast<std::uint32_t>(nearest)) {
        result.assignment[index] = static_cast<std::uint32_t>(nearest);
        changed = true;
      }
    }
    result.iterations = iteration + 1;
    if (!changed) break;
    Eigen::MatrixXf sums = Eigen::MatrixXf::Zero(k, points.cols());
    std::vector<std::size_t> counts(static_cast<std::size_t>(k), 0);
    for (Eigen::Index index = 0; index < n; ++index) {
      sums.row(result.assignment[index]) += points.row(index);
      ++counts[result.assignment[index]];
    }
    for (Eigen::Index segment = 0; segment < k; ++segment) {
      if (counts[segment] > 0) {
        centroids.row(segment) = sums.row(segment) / static_cast<float>(counts[segment]);
        continue;
      }
      // An empty segment takes the point worst served by its centroid.
      Eigen::Index farthest = 0;
      best.maxCoeff(&farthest);
      centroids.row(segment) = points.row(farthest);
      best[farthest] = 0.0f;
    }
  }
  result.centroids = std::move(centroids);
  result.sizes.assign(static_cast<std::size_t>(k), 0);
  result.inertia = 0.0;
  const Eigen::MatrixXf distances = squared_distances(points, norms, result.centroids);
  for (Eigen::Index index = 0; index < n; ++index) {
    Eigen::Index nearest = 0;
    result.inertia += distances.row(index).minCoeff(&nearest);
    result.assignment[index] = static_cast<std::uint32_t>(nearest);
    ++result.sizes[static_cast<std::size_t>(nearest)];
  }
  return result;
}

}  // namespace

FeatureStandardiser fit_standardiser(const std::vector<float>& rows, std::size_t feature_count) {
  FeatureStandardiser standardiser;
  standardiser.mean.assign(feature_count, 0.0f);
  standardiser.scale.assign(feature_count, 0.0f);
  const std::size_t n = feature_count == 0 ? 0 : rows.size() / feature_count;
  for (std::size_t feature = 0; feature < feature_count; ++feature) {
    double sum = 0.0, squares = 0.0, known = 0.0;
    for (std::size_t row = 0; row < n; ++row) {
      const float value = rows[row * feature_count + feature];
      if (std::isnan(value)) continue;
      sum += value;
      squares += static_cast<double>(value) * value;
      known += 1.0;
    }
    if (known == 0.0) continue;
    const double mean = sum / known;
    const double variance = std::max(0.0, squares / known - mean * mean);
    standardiser.mean[feature] = static_cast<float>(mean);
    standardiser.scale[feature] = variance > 1e-10 ? static_cast<float>(1.0 / std::sqrt(variance)) : 0.0f;
  }
  return standardiser;
}

Eigen::MatrixXf standardise_rows(const FeatureStandardiser& standardiser, const std::vector<float>& rows,
                                 std::size_t feature_count) {
  const std::size_t n = feature_count == 0 ? 0 : rows.size() / feature_count;
  Eigen::MatrixXf matrix(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(feature_count));
  std::vector<float> z(feature_count);
  for (std::size_t row = 0; row < n; ++row) {
    standardiser.apply(rows.data() + row * feature_count, z.data());
    for (std::size_t feature = 0; feature < feature_count; ++feature) {
      matrix(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(feature)) = z[feature];
    }
  }
  return matrix;
}

Result<KMeansResult> train_kmeans(const Eigen::MatrixXf& points, const KMeansOptions& options) {
  if (options.k == 0 || options.k > kMaxSegments) {
    return Status(ErrorCode::invalid_argument, "k must be from 1 to " + std::to_string(kMaxSegments));
  }
  if (static_cast<std::size_t>(points.rows()) < options.k) {
    return Status(ErrorCode::invalid_argument, "k-means needs at least k = " + std::to_string(options.k) +
                                                   " shoppers; there are " + std::to_string(points.rows()));
  }
  if (options.restarts == 0 || options.max_iterations == 0) {
    return Status(ErrorCode::invalid_argument, "k-means needs at least one restart and one iteration");
  }
  const Eigen::VectorXf norms = points.rowwise().squaredNorm();
  KMeansResult best;
  best.inertia = std::numeric_limits<double>::infinity();
  std::vector<double> inertias;
  for (std::size_t restart = 0; restart < options.restarts; ++restart) {
    SeededRandom random(options.seed, restart);
    KMeansResult result = lloyd(points, norms, seed_centroids(points, options.k, random), options.max_iterations);
    inertias.push_back(result.inertia);
    if (result.inertia < best.inertia) best = std::move(result);
  }
  best.restart_inertias = std::move(inertias);
  return best;
}

}  // namespace shelfwise::training
