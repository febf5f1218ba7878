// The fold-in (user_vector.hpp): the incremental O(k^2) updates plus one LDLT give the solution
// of the regularised least-squares problem solved directly over the whole catalogue (property
// test over random factors and histories), in every dtype; removal undoes an event; explanations
// name the history item with the largest contribution.
#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include "core/factor_fixture.hpp"
#include "shelfwise/user_vector.hpp"

namespace shelfwise {
namespace {

using testing::FactorBundleOptions;

struct Event {
  std::uint32_t item;
  EventType type;
};

std::vector<Event> random_history(std::size_t items, std::size_t count, std::uint64_t seed) {
  training::SeededRandom random(seed);
  std::vector<Event> events;
  for (std::size_t index = 0; index < count; ++index) {
    // Few distinct items, so repeats (confidence above 1 + alpha) happen.
    events.push_back({static_cast<std::uint32_t>(random.below(items / 3)), static_cast<EventType>(random.below(3))});
  }
  return events;
}

// (Y^T C Y + lambda I) x = Y^T C p over all n items, C = diag(1 + alpha r), p = [r > 0]: the
// textbook form, with the dense n x n weights and no Y^T Y trick.
Eigen::VectorXd direct_solution(const ItemFactors& factors, const std::vector<Event>& events) {
  const auto n = static_cast<Eigen::Index>(factors.item_count());
  const auto k = static_cast<Eigen::Index>(factors.dim());
  Eigen::MatrixXd y(n, k);
  std::vector<float> row(factors.dim());
  for (Eigen::Index item = 0; item < n; ++item) {
    factors.row(static_cast<std::uint32_t>(item), row.data());
    for (Eigen::Index column = 0; column < k; ++column) y(item, column) = row[static_cast<std::size_t>(column)];
  }
  Eigen::VectorXd r = Eigen::VectorXd::Zero(n);
  for (const Event& event : events) r(event.item) += factors.hyperparameters().event_weights[static_cast<std::size_t>(event.type)];
  const Eigen::VectorXd confidence = (factors.hyperparameters().alpha * r).array() + 1.0;
  const Eigen::VectorXd preference = (r.array() > 0.0).cast<double>();
  const Eigen::MatrixXd system = y.transpose() * confidence.asDiagonal() * y +
                                 factors.hyperparameters().regularisation * Eigen::MatrixXd::Identity(k, k);
  const Eigen::VectorXd right = y.transpose() * (confidence.array() * preference.array()).matrix();
  return system.colPivHouseholderQr().solve(right);
}

double relative_difference(ArrayView<float> vector, const Eigen::VectorXd& expected) {
  double difference = 0.0;
  for (std::size_t i = 0; i < vector.size(); ++i) difference = std::max(difference, std::fabs(vector[i] - expected(static_cast<Eigen::Index>(i))));
  return difference / std::max(1e-12, expected.cwiseAbs().maxCoeff());
}

TEST_CASE("fold-in equals a direct solve of the regularised least-squares problem", "[fold-in]") {
  for (const FactorDType dtype : {FactorDType::f32, FactorDType::f16, FactorDType::int8, FactorDType::pq}) {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      FactorBundleOptions options;
      options.dtype = dtype;
      options.seed = seed;
      options.items = 60 + 7 * seed;
      options.factors = seed % 2 == 0 ? 16 : 24;
      options.pq_subspaces = 4;
      options.alpha = 0.5 * static_cast<double>(seed);
      const auto model = testing::load_model(testing::factor_bundle(options));
      REQUIRE(model->item_factors() != nullptr);
      UserVector user(model);
      const std::vector<Event> events = random_history(options.items, 5 + 4 * seed, seed + 40);
      for (const Event& event : events) user.add(event.item, event.type);
      INFO("dtype " << factor_dtype_name(dtype) << ", seed " << seed);
      // The gram is stored as f32: relative error ~1e-7 in the system, well inside 1e-4.
      CHECK(relative_difference(user.vector(), direct_solution(*model->item_factors(), events)) < 1e-4);
    }
  }
}

TEST_CASE("fold-in: order, batches and removals do not change the solution", "[fold-in]") {
  FactorBundleOptions options;
  options.items = 80;
  const auto model = testing::load_model(testing::factor_bundle(options));
  const std::vector<Event> events = random_history(options.items, 30, 3);
  UserVector forward(model);
  for (const Event& event : events) forward.add(event.item, event.type);
  const std::vector<float> expected(forward.vector().begin(), forward.vector().end());

  UserVector backward(model);
  for (auto event = events.rbegin(); event != events.rend(); ++event) backward.add(event->item, event->type);
  UserVector stepwise(model);
  const std::vector<Event> extra = random_history(options.items, 12, 99);
  for (std::size_t index = 0; index < events.size(); ++index) {
    stepwise.add(events[index].item, events[index].type);
    stepwise.vector();  // solving between events must not disturb the accumulated system
    if (index < extra.size()) stepwise.add(extra[index].item, extra[index].type);
  }
  for (const Event& event : extra) stepwise.remove(event.item, event.type);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(backward.vector()[i] == Approx(expected[i]).margin(1e-6));
    CHECK(stepwise.vector()[i] == Approx(expected[i]).margin(1e-5));
  }
  CHECK(stepwise.history().size() == forward.history().size());

  for (const Event& event : events) forward.remove(event.item, event.type);
  CHECK(forward.empty());
  CHECK(forward.history().empty());
  for (const float value : forward.vector()) CHECK(value == 0.0f);
}

TEST_CASE("fold-in ignores unknown items and zero-weight events; explanations name the top contributor", "[fold-in]") {
  FactorBundleOptions options;
  options.items = 40;
  options.event_weights = {1.0, 0.0, 3.0};  // carts carry no preference here
  const auto model = testing::load_model(testing::factor_bundle(options));
  UserVector user(model);
  user.add(1000, EventType::view);
  user.add(5, EventType::cart);
  CHECK(user.empty());
  CHECK(user.explain(std::vector<float>(options.factors, 1.0f).data()) == kNoItem);
  user.add(5, EventType::view);
  user.add(9, EventType::purchase);
  user.add(12, EventType::view);
  REQUIRE_FALSE(user.empty());

  // Contribution of history item i to item j: c_i (A^-1 y_i)^T y_j; recompute it directly.
  const ItemFactors& factors = *model->item_factors();
  const auto k = static_cast<Eigen::Index>(factors.dim());
  Eigen::MatrixXd system = Eigen::MatrixXd::Identity(k, k) * options.regularisation;
  std::vector<float> row(factors.dim());
  for (std::uint32_t item = 0; item < factors.item_count(); ++item) {
    factors.row(item, row.data());
    const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXf>(row.data(), k).cast<double>();
    const double r = item == 5 ? 1.0 : item == 9 ? 3.0 : item == 12 ? 1.0 : 0.0;
    system += (1.0 + options.alpha * r) * y * y.transpose();
  }
  for (std::uint32_t target = 0; target < 20; ++target) {
    factors.row(target, row.data());
    const Eigen::VectorXd y_target = Eigen::Map<const Eigen::VectorXf>(row.data(), k).cast<double>();
    std::uint32_t best = kNoItem;
    double best_contribution = 0.0;
    for (const auto& [item, r] : std::vector<std::pair<std::uint32_t, double>>{{5, 1.0}, {9, 3.0}, {12, 1.0}}) {
      std::vector<float> history_row(factors.dim());
      factors.row(item, history_row.data());
      const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXf>(history_row.data(), k).cast<double>();
      const double contribution = (1.0 + options.alpha * r) * system.ldlt().solve(y).dot(y_target);
      if (best == kNoItem || contribution > best_contribution + 1e-9) {
        best = item;
        best_contribution = contribution;
      }
    }
    CHECK(user.explain(row.data()) == best);
  }
}

TEST_CASE("a model without item factors gives an inert user vector", "[fold-in]") {
  const auto model = testing::load_model(testing::train_bundle("session_id,user_id,item_id,timestamp,event\n1,,A,,\n1,,B,,\n"));
  UserVector user(model);
  CHECK_FALSE(user.has_factors());
  user.add(0, EventType::view);
  CHECK(user.empty());
  CHECK(user.vector().empty());
}

}  // namespace
}  // namespace shelfwise
