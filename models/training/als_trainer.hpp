// Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky,
// "Collaborative Filtering for Implicit Feedback Datasets", ICDM 2008). Minimises
//
//   sum_{u,i} c_ui (p_ui - x_u^T y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2)
//
// over every (user, item) pair, observed or not, with c = 1 + alpha r and p = [r > 0]. Each
// half-step solves every row exactly (the k x k system of user_vector.hpp, with the YᵀY trick so
// unobserved pairs cost nothing), in parallel over rows on `threads` threads; so the loss never
// increases. The device folds shoppers in with the same system; only item factors are shipped.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "training/preference_matrix.hpp"

namespace shelfwise::training {

// Defaults from next-for-user HR@10 on the validation splits (fold-in, history excluded): on
// amazon-games (the e-commerce set) alpha 10 beat alpha 1 (0.0846 vs 0.0706 at k 64, lambda 5);
// movielens-100k (dense ratings) prefers alpha 1 (0.158 vs 0.144; grid k 32-128, lambda 1-50,
// alpha 1-40), so pass --alpha 1 there. scripts/mf_report.sh reproduces the comparison.
struct AlsOptions {
  std::size_t factors = 64;
  double regularisation = 5.0;
  double alpha = 10.0;
  int iterations = 12;
  unsigned threads = 1;
  std::uint64_t seed = 42;
  std::array<double, kEventTypeCount> event_weights{1.0, 2.0, 4.0};  // view, cart, purchase
};

struct AlsFactors {
  std::size_t factors = 0;
  std::vector<float> item_factors;  // item_count x factors, row-major
  std::vector<float> user_factors;  // user_count x factors (server-side only, never shipped)
  std::vector<double> loss;         // the objective after each iteration
};

// `on_iteration(iteration, loss)` after each full iteration (users then items).
AlsFactors train_als(const PreferenceMatrix& matrix, const AlsOptions& options,
                     const std::function<void(int, double)>& on_iteration = {});

// The objective above for the given factors, in O(entries * k + (users + items) * k^2).
double als_loss(const PreferenceMatrix& matrix, const AlsFactors& factors, const AlsOptions& options);

// Y^T Y in double (row-major k x k) of `rows` (count x k).
std::vector<double> gram_matrix(const std::vector<float>& rows, std::size_t count, std::size_t factors);

}  // namespace shelfwise::training
