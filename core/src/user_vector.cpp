#include "shelfwise/user_vector.hpp"

#include <algorithm>

#include "shelfwise/recommender.hpp"

namespace shelfwise {

UserVector::UserVector(std::shared_ptr<const Model> model) : model_(std::move(model)) {
  factors_ = model_->item_factors();
  if (factors_ == nullptr) return;
  dim_ = factors_->dim();
  const FactorHyperparameters& hyper = factors_->hyperparameters();
  event_weights_ = hyper.event_weights;
  alpha_ = hyper.alpha;
  system_.resize(static_cast<Eigen::Index>(dim_), static_cast<Eigen::Index>(dim_));
  right_side_.resize(static_cast<Eigen::Index>(dim_));
  solution_.resize(static_cast<Eigen::Index>(dim_));
  vector_.assign(dim_, 0.0f);
  row_.assign(dim_, 0.0f);
  contributions_.assign(kMaxExplainedItems * dim_, 0.0f);
  explained_items_.reserve(kMaxExplainedItems);
  clear();
  // One factorisation now sizes the solver's storage (no allocation at the first request) and sets
  // its state: Eigen 3.4's LDLT leaves it uninitialised until compute(), which UBSan reports when
  // a fresh solver is moved into place.
  solver_.compute(system_);
}

void UserVector::clear() {
  history_.clear();
  positive_items_ = 0;
  solved_ = false;
  explanations_ready_ = false;
  if (factors_ == nullptr) return;
  const ArrayView<float> gram = factors_->gram();
  const double lambda = factors_->hyperparameters().regularisation;
  for (std::size_t row = 0; row < dim_; ++row) {
    for (std::size_t column = 0; column < dim_; ++column) {
      system_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column)) = gram[row * dim_ + column];
    }
    system_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(row)) += lambda;
  }
  right_side_.setZero();
}

bool UserVector::in_history(std::uint32_t item) const {
  return std::any_of(history_.begin(), history_.end(), [&](const HistoryItem& entry) { return entry.item == item; });
}

// Plain loops in a fixed order (not Eigen's vectorised products), so native and wasm accumulate
// bit-identical systems.
void UserVector::rank_one_update(const float* row, double scale) {
  for (std::size_t i = 0; i < dim_; ++i) {
    const double scaled = scale * row[i];
    for (std::size_t j = 0; j < dim_; ++j) {
      system_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) += scaled * row[j];
    }
  }
}

void UserVector::add(std::uint32_t item, EventType type) {
  if (factors_ == nullptr || item >= factors_->item_count()) return;
  const double weight = event_weights_[static_cast<std::size_t>(type)];
  auto entry = std::find_if(history_.begin(), history_.end(), [&](const HistoryItem& known) { return known.item == item; });
  if (entry == history_.end()) {
    if (weight <= 0.0) return;
    history_.push_back({item, 0, 0.0});
    entry = history_.end() - 1;
  }
  factors_->row(item, row_.data());
  const bool was_positive = entry->weight > 0.0;
  entry->events += 1;
  entry->weight += weight;
  if (weight > 0.0) {
    rank_one_update(row_.data(), alpha_ * weight);
    // b holds c_i y_i = (1 + alpha r_i) y_i for positive items.
    const double step = was_positive ? alpha_ * weight : 1.0 + alpha_ * entry->weight;
    for (std::size_t i = 0; i < dim_; ++i) right_side_(static_cast<Eigen::Index>(i)) += step * row_[i];
    if (!was_positive) ++positive_items_;
  }
  solved_ = false;
  explanations_ready_ = false;
}

void UserVector::remove(std::uint32_t item, EventType type) {
  if (factors_ == nullptr) return;
  auto entry = std::find_if(history_.begin(), history_.end(), [&](const HistoryItem& known) { return known.item == item; });
  if (entry == history_.end()) return;
  const double weight = std::min(event_weights_[static_cast<std::size_t>(type)], entry->weight);
  factors_->row(item, row_.data());
  entry->events -= 1;
  const double remaining = entry->events == 0 ? 0.0 : entry->weight - weight;
  const double removed = entry->weight - remaining;
  if (removed > 0.0) {
    rank_one_update(row_.data(), -alpha_ * removed);
    const double step = remaining > 0.0 ? alpha_ * removed : 1.0 + alpha_ * entry->weight;
    for (std::size_t i = 0; i < dim_; ++i) right_side_(static_cast<Eigen::Index>(i)) -= step * row_[i];
    if (remaining <= 0.0) --positive_items_;
  }
  entry->weight = remaining;
  if (entry->events == 0) history_.erase(entry);
  solved_ = false;
  explanations_ready_ = false;
}

ArrayView<float> UserVector::vector() {
  if (factors_ == nullptr) return {};
  if (!solved_) {
    if (positive_items_ == 0) {
      std::fill(vector_.begin(), vector_.end(), 0.0f);
    } else {
      solver_.compute(system_);
      solution_ = solver_.solve(right_side_);
      for (std::size_t i = 0; i < dim_; ++i) vector_[i] = static_cast<float>(solution_(static_cast<Eigen::Index>(i)));
    }
    solved_ = true;
  }
  return {vector_.data(), vector_.size()};
}

void UserVector::prepare_explanations() {
  explained_items_.clear();
  for (auto entry = history_.rbegin(); entry != history_.rend() && explained_items_.size() < kMaxExplainedItems; ++entry) {
    if (entry->weight <= 0.0) continue;
    factors_->row(entry->item, row_.data());
    Eigen::VectorXd item_row(static_cast<Eigen::Index>(dim_));
    for (std::size_t i = 0; i < dim_; ++i) item_row(static_cast<Eigen::Index>(i)) = row_[i];
    const Eigen::VectorXd solved = solver_.solve(item_row);
    const double confidence = 1.0 + alpha_ * entry->weight;
    float* contribution = contributions_.data() + explained_items_.size() * dim_;
    for (std::size_t i = 0; i < dim_; ++i) contribution[i] = static_cast<float>(confidence * solved(static_cast<Eigen::Index>(i)));
    explained_items_.push_back(entry->item);
  }
  explanations_ready_ = true;
}

std::uint32_t UserVector::explain(const float* item_row) {
  if (factors_ == nullptr || positive_items_ == 0) return kNoItem;
  vector();
  if (!explanations_ready_) prepare_explanations();
  std::uint32_t best_item = kNoItem;
  float best = 0.0f;
  for (std::size_t index = 0; index < explained_items_.size(); ++index) {
    const float* contribution = contributions_.data() + index * dim_;
    float sum = 0.0f;
    for (std::size_t i = 0; i < dim_; ++i) sum += contribution[i] * item_row[i];
    if (best_item == kNoItem || sum > best) {
      best = sum;
      best_item = explained_items_[index];
    }
  }
  return best_item;
}

}  // namespace shelfwise
