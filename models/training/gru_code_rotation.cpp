#include "training/gru_code_rotation.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "shelfwise/gru_kernels.hpp"

namespace shelfwise::training {
namespace {

// The rank whose score the simulated requests must reach (the SDK's usual k).
constexpr std::size_t kRankedForPrefix = 20;

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The m (even, at least 2) of the cheapest simulated request (gru_code_rotation.hpp). `rotated` is
// [d, n], the rotated embeddings by dimension.
std::uint32_t choose_prefix(const RowMatrixD& rotated, const float* bias, const Eigen::MatrixXd& queries_by_column, std::size_t d,
                            std::size_t n, double* best_cost) {
  *best_cost = 1.0;
  const std::size_t padded = gru_kernels::padded_dimensions(d);
  std::vector<std::size_t> prefixes;
  for (std::size_t m = 2; m < d; m += m < 16 ? 2 : 8) prefixes.push_back(m);
  if (prefixes.empty() || n < 2 * kRankedForPrefix) return static_cast<std::uint32_t>(padded);  // nothing to gain
  // Every item's squared norm from dimension prefixes[p] on.
  std::vector<std::vector<double>> tail_squares(prefixes.size(), std::vector<double>(n, 0.0));
  for (std::size_t p = 0; p < prefixes.size(); ++p) {
    for (std::size_t j = prefixes[p]; j < d; ++j) {
      for (std::size_t i = 0; i < n; ++i) tail_squares[p][i] += rotated(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) *
                                                               rotated(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i));
    }
  }
  std::vector<double> survivors(prefixes.size(), 0.0);
  std::vector<double> partial(n);
  const auto queries = static_cast<std::size_t>(queries_by_column.cols());
  if (queries == 0) return static_cast<std::uint32_t>(padded);
  for (std::size_t sample = 0; sample < queries; ++sample) {
    const Eigen::VectorXd query = queries_by_column.col(static_cast<Eigen::Index>(sample));
    const Eigen::VectorXd scores = rotated.transpose() * query;
    std::vector<double> ranked(scores.data(), scores.data() + n);
    for (std::size_t i = 0; i < n; ++i) ranked[i] += bias[i];
    std::nth_element(ranked.begin(), ranked.begin() + (kRankedForPrefix - 1), ranked.end(), std::greater<double>());
    const double threshold = ranked[kRankedForPrefix - 1];
    std::copy(bias, bias + n, partial.begin());
    std::size_t summed = 0;
    double query_tail = query.squaredNorm();
    for (std::size_t p = 0; p < prefixes.size(); ++p) {
      for (; summed < prefixes[p]; ++summed) {
        const double weight = query(static_cast<Eigen::Index>(summed));
        query_tail -= weight * weight;
        for (std::size_t i = 0; i < n; ++i) partial[i] += rotated(static_cast<Eigen::Index>(summed), static_cast<Eigen::Index>(i)) * weight;
      }
      const double query_tail_norm = std::sqrt(std::max(0.0, query_tail));
      std::size_t kept = 0;
      for (std::size_t i = 0; i < n; ++i) kept += partial[i] + query_tail_norm * std::sqrt(tail_squares[p][i]) >= threshold ? 1 : 0;
      survivors[p] += static_cast<double>(kept) / static_cast<double>(n * queries);
    }
  }
  std::size_t best = padded;
  for (std::size_t p = 0; p < prefixes.size(); ++p) {
    const double m = static_cast<double>(prefixes[p]);
    const double cost = m / static_cast<double>(d) + kFinishCost * survivors[p];
    if (cost < *best_cost) {
      *best_cost = cost;
      best = prefixes[p];
    }
  }
  return static_cast<std::uint32_t>(best);
}

}  // namespace

GruQuantisedEmbeddings rotated_scoring_copy(const float* embeddings, const float* bias, std::size_t d, std::size_t n,
                                            const std::vector<float>& sample_states, double* predicted_cost,
                                            std::uint32_t prefix) {
  const auto rows = static_cast<Eigen::Index>(d);
  const auto columns = static_cast<Eigen::Index>(n);
  const RowMatrixD by_dimension = Eigen::Map<const RowMatrixF>(embeddings, rows, columns).cast<double>();
  const Eigen::MatrixXd second_moments = by_dimension * by_dimension.transpose();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(second_moments);
  // Eigen orders eigenvalues ascending: direction r is eigenvector d - 1 - r.
  const RowMatrixF rotation = solver.eigenvectors().rowwise().reverse().cast<float>();  // [k, r]: column r is direction r
  // The stored (float) directions applied in double, then rounded once: the device's bound covers
  // that rounding (gru_scorer.hpp's eps |g| term).
  const RowMatrixF rotated = (rotation.cast<double>().transpose() * by_dimension).cast<float>();
  GruQuantisedEmbeddings copy = quantise_gru_embeddings(rotated.data(), d, n);
  copy.rotation.assign(rotation.data(), rotation.data() + rotation.size());
  const Eigen::Index states = static_cast<Eigen::Index>(sample_states.size() / std::max<std::size_t>(d, 1));
  const Eigen::MatrixXd queries =
      rotation.cast<double>().transpose() * Eigen::Map<const Eigen::MatrixXf>(sample_states.data(), rows, states).cast<double>();
  double cost = 1.0;
  copy.prefix_dimensions = prefix != 0 ? prefix : choose_prefix(rotated.cast<double>(), bias, queries, d, n, &cost);
  if (predicted_cost != nullptr) *predicted_cost = cost;
  copy.tails = code_tail_norms(copy.codes.data(), copy.scales.data(), d, n, copy.prefix_dimensions);
  add_code_rows(&copy, d, n);
  return copy;
}

GruQuantisedEmbeddings gru_scoring_copy(const float* embeddings, const float* bias, std::size_t d, std::size_t n,
                                        const std::vector<float>& sample_states, CopyChoice choice) {
  if (choice.rotation == CopyRotation::never) return quantise_gru_embeddings(embeddings, d, n);
  double cost = 1.0;
  GruQuantisedEmbeddings rotated = rotated_scoring_copy(embeddings, bias, d, n, sample_states, &cost, choice.prefix);
  if (choice.rotation == CopyRotation::always || cost <= kRotationWorth) return rotated;
  return quantise_gru_embeddings(embeddings, d, n);
}

}  // namespace shelfwise::training
