// The shopper's long-term preference as a vector in the item-factor space, learned on the device
// by "folding in" their own history (Hu, Koren & Volinsky 2008): with the bundle's item factors Y
// fixed, the user vector x minimises the same objective the server's ALS minimises per user,
//
//   sum_i c_i (p_i - x^T y_i)^2 + lambda |x|^2,   r_i = sum of the event weights of item i,
//   p_i = [r_i > 0],  c_i = 1 + alpha r_i,
//
// whose solution is x = (Y^T Y + sum_i alpha r_i y_i y_i^T + lambda I)^-1 sum_{r_i > 0} c_i y_i.
// Y^T Y comes precomputed in the bundle, so an event costs O(k^2) (a rank-one update of the
// k x k system, kept in double) and a solve is one k x k LDLT, done lazily at the next vector().
// Per-shopper mutable state: one per shopper (or per engine), never shared, never sent anywhere.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <Eigen/Dense>

#include "shelfwise/array_view.hpp"
#include "shelfwise/model.hpp"
#include "shelfwise/recommender.hpp"
#include "shelfwise/session_state.hpp"

namespace shelfwise {

struct HistoryItem {
  std::uint32_t item = 0;
  std::uint32_t events = 0;  // events recorded for the item (it leaves the history at 0)
  double weight = 0.0;       // r_i, the sum of their event weights
};

class UserVector {
 public:
  // Explanations consider the most recently added distinct items, at most this many.
  static constexpr std::size_t kMaxExplainedItems = 64;

  // A model without item factors gives an inert state: empty() stays true.
  explicit UserVector(std::shared_ptr<const Model> model);

  bool has_factors() const { return factors_ != nullptr; }
  // Records one event (O(k^2)). Items outside the model, and events of weight 0 on items not yet
  // in the history, change nothing.
  void add(std::uint32_t item, EventType type);
  // Forgets one event recorded by add() (O(k^2)): how a bounded history drops its oldest events
  // without a rebuild. Events never added are ignored.
  void remove(std::uint32_t item, EventType type);
  void clear();

  // True while no history item has a positive weight: the user vector is zero.
  bool empty() const { return positive_items_ == 0; }
  const std::vector<HistoryItem>& history() const { return history_; }
  bool in_history(std::uint32_t item) const;

  // x, dim() floats (all zero for an empty history). Solved when the history changed since the
  // last call; the view stays valid until the next add/remove/clear.
  ArrayView<float> vector();
  std::size_t dim() const { return dim_; }

  // The history item contributing most to the score of an item whose (dequantised) factor row is
  // `item_row`: x^T y = sum_i c_i (A^-1 y_i)^T y, so item i contributes c_i (A^-1 y_i)^T y
  // (Hu, Koren & Volinsky, section 5). Only the latest kMaxExplainedItems distinct items are
  // considered. kNoItem for an empty history. Call after vector().
  std::uint32_t explain(const float* item_row);

 private:
  void rank_one_update(const float* row, double scale);
  void prepare_explanations();

  std::shared_ptr<const Model> model_;
  const ItemFactors* factors_ = nullptr;
  std::size_t dim_ = 0;
  std::array<double, kEventTypeCount> event_weights_{};
  double alpha_ = 0.0;
  std::vector<HistoryItem> history_;
  std::size_t positive_items_ = 0;
  Eigen::MatrixXd system_;      // Y^T Y + lambda I + sum alpha r_i y_i y_i^T
  Eigen::VectorXd right_side_;  // sum_{r_i > 0} c_i y_i
  Eigen::LDLT<Eigen::MatrixXd> solver_;
  Eigen::VectorXd solution_;
  std::vector<float> vector_;
  std::vector<float> row_;
  bool solved_ = false;
  bool explanations_ready_ = false;
  std::vector<std::uint32_t> explained_items_;
  std::vector<float> contributions_;  // explained_items_.size() x dim: c_i A^-1 y_i
};

}  // namespace shelfwise
