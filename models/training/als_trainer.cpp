#include "training/als_trainer.hpp"

#include <atomic>
#include <cmath>
#include <thread>

#include <Eigen/Dense>

#include "training/seeded_random.hpp"

namespace shelfwise::training {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Runs body(first, end) over [0, count) in chunks on `threads` threads.
template <typename Body>
void parallel_rows(std::size_t count, unsigned threads, const Body& body) {
  constexpr std::size_t kChunk = 64;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t first = next.fetch_add(kChunk); first < count; first = next.fetch_add(kChunk)) {
      body(first, std::min(count, first + kChunk));
    }
  };
  std::vector<std::thread> pool;
  for (unsigned thread = 1; thread < std::max(1U, threads); ++thread) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
}

// Solves every row of `solved` given the fixed side: for row u with entries (j, r),
//   (F^T F + lambda I + sum alpha r f_j f_j^T) x_u = sum (1 + alpha r) f_j.
void solve_side(const std::vector<std::size_t>& offsets, const std::vector<PreferenceEntry>& entries,
                const std::vector<float>& fixed, std::size_t fixed_count, std::vector<float>& solved, std::size_t solved_count,
                const AlsOptions& options) {
  const auto k = static_cast<Eigen::Index>(options.factors);
  const std::vector<double> gram_values = gram_matrix(fixed, fixed_count, options.factors);
  Eigen::MatrixXd base = Eigen::Map<const RowMatrix>(gram_values.data(), k, k);
  base.diagonal().array() += options.regularisation;
  parallel_rows(solved_count, options.threads, [&](std::size_t first, std::size_t end) {
    Eigen::MatrixXd system(k, k);
    Eigen::VectorXd right(k);
    Eigen::LDLT<Eigen::MatrixXd> solver(k);
    RowMatrix gathered;
    Eigen::VectorXd confidence;
    for (std::size_t row = first; row < end; ++row) {
      const std::size_t begin = offsets[row];
      const auto count = static_cast<Eigen::Index>(offsets[row + 1] - begin);
      float* out = solved.data() + row * options.factors;
      if (count == 0) {
        std::fill(out, out + options.factors, 0.0f);
        continue;
      }
      gathered.resize(count, k);
      confidence.resize(count);
      for (Eigen::Index index = 0; index < count; ++index) {
        const PreferenceEntry& entry = entries[begin + static_cast<std::size_t>(index)];
        const float* source = fixed.data() + static_cast<std::size_t>(entry.index) * options.factors;
        for (Eigen::Index column = 0; column < k; ++column) gathered(index, column) = source[column];
        confidence(index) = options.alpha * entry.weight;
      }
      system = base;
      system.noalias() += gathered.transpose() * (confidence.asDiagonal() * gathered);
      right.noalias() = gathered.transpose() * (confidence.array() + 1.0).matrix();
      solver.compute(system);
      const Eigen::VectorXd x = solver.solve(right);
      for (Eigen::Index column = 0; column < k; ++column) out[column] = static_cast<float>(x(column));
    }
  });
}

}  // namespace

std::vector<double> gram_matrix(const std::vector<float>& rows, std::size_t count, std::size_t factors) {
  const auto k = static_cast<Eigen::Index>(factors);
  const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> matrix(
      rows.data(), static_cast<Eigen::Index>(count), k);
  RowMatrix gram = matrix.cast<double>().transpose() * matrix.cast<double>();
  // Exactly symmetric, so the bundle's copy passes the reader's symmetry check after rounding.
  for (Eigen::Index row = 0; row < k; ++row) {
    for (Eigen::Index column = 0; column < row; ++column) gram(column, row) = gram(row, column);
  }
  return std::vector<double>(gram.data(), gram.data() + k * k);
}

double als_loss(const PreferenceMatrix& matrix, const AlsFactors& factors, const AlsOptions& options) {
  const std::size_t k = factors.factors;
  const std::vector<double> gram = gram_matrix(factors.item_factors, matrix.item_count, k);
  double loss = 0.0;
  double norms = 0.0;
  for (std::size_t user = 0; user < matrix.user_count; ++user) {
    const float* x = factors.user_factors.data() + user * k;
    // Every pair as if unobserved: sum_i (x^T y_i)^2 = x^T (Y^T Y) x.
    for (std::size_t row = 0; row < k; ++row) {
      double dot = 0.0;
      for (std::size_t column = 0; column < k; ++column) dot += gram[row * k + column] * x[column];
      loss += x[row] * dot;
      norms += static_cast<double>(x[row]) * x[row];
    }
    for (std::size_t index = matrix.user_offsets[user]; index < matrix.user_offsets[user + 1]; ++index) {
      const PreferenceEntry& entry = matrix.by_user[index];
      const float* y = factors.item_factors.data() + static_cast<std::size_t>(entry.index) * k;
      double score = 0.0;
      for (std::size_t column = 0; column < k; ++column) score += static_cast<double>(x[column]) * y[column];
      const double confidence = 1.0 + options.alpha * entry.weight;
      loss += confidence * (1.0 - score) * (1.0 - score) - score * score;
    }
  }
  for (const float value : factors.item_factors) norms += static_cast<double>(value) * value;
  return loss + options.regularisation * norms;
}

AlsFactors train_als(const PreferenceMatrix& matrix, const AlsOptions& options, const std::function<void(int, double)>& on_iteration) {
  AlsFactors factors;
  factors.factors = options.factors;
  factors.user_factors.assign(matrix.user_count * options.factors, 0.0f);
  factors.item_factors.resize(matrix.item_count * options.factors);
  // Small random item factors; integer draws keep the start identical on every platform.
  SeededRandom random(options.seed, 7);
  const double scale = 0.1 / std::sqrt(static_cast<double>(options.factors));
  for (float& value : factors.item_factors) {
    value = static_cast<float>((static_cast<double>(random.below(1U << 24)) / (1U << 24) - 0.5) * 2.0 * scale);
  }
  for (int iteration = 1; iteration <= options.iterations; ++iteration) {
    solve_side(matrix.user_offsets, matrix.by_user, factors.item_factors, matrix.item_count, factors.user_factors,
               matrix.user_count, options);
    solve_side(matrix.item_offsets, matrix.by_item, factors.user_factors, matrix.user_count, factors.item_factors,
               matrix.item_count, options);
    factors.loss.push_back(als_loss(matrix, factors, options));
    if (on_iteration) on_iteration(iteration, factors.loss.back());
  }
  return factors;
}

}  // namespace shelfwise::training
