// The GRU trainer: both losses and the whole minibatch step against finite differences, the
// trainer's forward pass against the core's network on the exported bundle, and a tiny generated
// dataset that only a model with memory can learn.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "evaluation/next_item_evaluation.hpp"
#include "gru_fixture.hpp"
#include "test_support.hpp"
#include "training/gru_losses.hpp"
#include "training/gru_minibatch.hpp"
#include "training/gru_trainer.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"

namespace {

using shelfwise::training::GruGradients;
using shelfwise::training::GruLoss;
using shelfwise::training::GruMinibatch;
using shelfwise::training::GruParameters;
using shelfwise::training::RowMatrix;
using shelfwise::training::SeededRandom;

RowMatrix random_matrix(Eigen::Index rows, Eigen::Index columns, float range, SeededRandom& random) {
  RowMatrix matrix(rows, columns);
  for (Eigen::Index index = 0; index < matrix.size(); ++index) {
    matrix.data()[index] = (2.0f * shelfwise::training::uniform_float(random) - 1.0f) * range;
  }
  return matrix;
}

// Central difference of `loss` in `value`, in double from float evaluations.
template <typename Loss>
double numeric_derivative(float& value, const Loss& loss, float step = 1e-2f) {
  const float saved = value;
  value = saved + step;
  const double up = loss();
  value = saved - step;
  const double down = loss();
  value = saved;
  return (up - down) / (2.0 * static_cast<double>(step));
}

void check_close(double analytic, double numeric) {
  CHECK(analytic == Approx(numeric).margin(3e-3).epsilon(0.03));
}

}  // namespace

TEST_CASE("BPR-max gradients match finite differences, with and without ELU", "[gru]") {
  SeededRandom random(5);
  RowMatrix scores = random_matrix(4, 9, 2.0f, random);
  for (const float elu : {0.0f, 1.0f}) {
    for (const float regularisation : {0.0f, 0.9f}) {
      RowMatrix gradient, unused;
      shelfwise::training::bpr_max_loss(scores, regularisation, elu, &gradient);
      auto loss = [&] { return shelfwise::training::bpr_max_loss(scores, regularisation, elu, &unused); };
      for (Eigen::Index row = 0; row < scores.rows(); ++row) {
        for (Eigen::Index column = 0; column < scores.cols(); ++column) {
          check_close(gradient(row, column), numeric_derivative(scores(row, column), loss));
        }
      }
    }
  }
}

TEST_CASE("cross-entropy gradients match finite differences, with the logq correction", "[gru]") {
  SeededRandom random(6);
  RowMatrix scores = random_matrix(3, 8, 3.0f, random);
  Eigen::VectorXf log_q(8);
  for (Eigen::Index column = 0; column < 8; ++column) log_q[column] = -1.0f - 0.5f * static_cast<float>(column);
  for (const float logq : {0.0f, 1.0f}) {
    RowMatrix gradient, unused;
    const float value = shelfwise::training::cross_entropy_loss(scores, log_q, logq, &gradient);
    CHECK(value > 0.0f);
    auto loss = [&] { return shelfwise::training::cross_entropy_loss(scores, log_q, logq, &unused); };
    for (Eigen::Index row = 0; row < scores.rows(); ++row) {
      CHECK(gradient.row(row).sum() == Approx(0.0).margin(1e-5));  // softmax minus one-hot
      for (Eigen::Index column = 0; column < scores.cols(); ++column) {
        check_close(gradient(row, column), numeric_derivative(scores(row, column), loss));
      }
    }
  }
}

TEST_CASE("the minibatch step's gradients match finite differences for every parameter", "[gru]") {
  SeededRandom random(8);
  GruParameters parameters = shelfwise::training::initial_gru_parameters(12, 5, random);
  parameters.item_embeddings *= 4.0f;
  parameters.input_weights *= 1.5f;
  parameters.item_bias = Eigen::VectorXf::Random(12) * 0.3f;
  parameters.gate_bias = Eigen::VectorXf::Random(15) * 0.3f;
  const RowMatrix hidden = random_matrix(3, 5, 0.8f, random);
  GruMinibatch batch;
  batch.inputs = {1, 4, 1};
  batch.output_items = {2, 5, 7, 9, 0, 2};  // targets, then sampled items (one repeats a target)
  batch.hidden = &hidden;
  batch.embedding_mask = RowMatrix::Constant(3, 5, 1.25f);
  batch.embedding_mask(0, 2) = 0.0f;
  batch.hidden_mask = RowMatrix::Constant(3, 5, 1.5f);
  batch.hidden_mask(1, 3) = 0.0f;
  for (const GruLoss loss_kind : {GruLoss::bpr_max, GruLoss::cross_entropy}) {
    batch.loss = loss_kind;
    batch.bpr_regularisation = 0.5f;
    batch.elu_param = 1.0f;
    RowMatrix next;
    GruGradients gradients;
    shelfwise::training::run_gru_minibatch(parameters, batch, &next, &gradients);
    auto loss = [&] { return shelfwise::training::run_gru_minibatch(parameters, batch, &next, nullptr); };
    for (Eigen::Index index = 0; index < parameters.input_weights.size(); index += 7) {
      INFO("weight " << index << (loss_kind == GruLoss::bpr_max ? " bpr-max" : " cross-entropy"));
      check_close(gradients.input_weights.data()[index], numeric_derivative(parameters.input_weights.data()[index], loss));
      check_close(gradients.hidden_weights.data()[index], numeric_derivative(parameters.hidden_weights.data()[index], loss));
    }
    for (Eigen::Index index = 0; index < parameters.gate_bias.size(); ++index) {
      INFO("gate bias " << index);
      check_close(gradients.gate_bias[index], numeric_derivative(parameters.gate_bias[index], loss));
    }
    // An item's embedding gradient sums its uses as an input and as an output column.
    for (const std::uint32_t item : {1U, 2U, 9U}) {
      for (Eigen::Index j = 0; j < 5; ++j) {
        INFO("embedding of item " << item << " coordinate " << j);
        double analytic = 0.0;
        for (std::size_t row = 0; row < batch.inputs.size(); ++row) {
          if (batch.inputs[row] == item) analytic += gradients.input_rows(static_cast<Eigen::Index>(row), j);
        }
        for (std::size_t column = 0; column < batch.output_items.size(); ++column) {
          if (batch.output_items[column] == item) analytic += gradients.output_rows(static_cast<Eigen::Index>(column), j);
        }
        check_close(analytic, numeric_derivative(parameters.item_embeddings(item, j), loss));
      }
      double bias = 0.0;
      for (std::size_t column = 0; column < batch.output_items.size(); ++column) {
        if (batch.output_items[column] == item) bias += gradients.output_bias[static_cast<Eigen::Index>(column)];
      }
      check_close(bias, numeric_derivative(parameters.item_bias[item], loss));
    }
  }
}

TEST_CASE("the trainer's forward pass and the core's network compute the same state", "[gru]") {
  const auto fixture = shelfwise::testing::make_gru_fixture(20, 6, 4);
  RowMatrix hidden = RowMatrix::Zero(2, 6);
  GruMinibatch batch;
  batch.hidden = &hidden;
  batch.output_items = {0, 1};
  RowMatrix next;
  std::vector<std::vector<float>> core(2, std::vector<float>(6, 0.0f));
  std::vector<float> scratch(fixture.model->gru()->step_scratch_size());
  const std::vector<std::vector<std::uint32_t>> sessions = {{3, 7, 19}, {0, 0, 11}};
  for (std::size_t position = 0; position < 3; ++position) {
    batch.inputs = {sessions[0][position], sessions[1][position]};
    shelfwise::training::run_gru_minibatch(fixture.parameters, batch, &next, nullptr);
    hidden = next;
    for (std::size_t row = 0; row < 2; ++row) {
      fixture.model->gru()->step(sessions[row][position], core[row].data(), scratch.data());
      for (Eigen::Index j = 0; j < 6; ++j) {
        CHECK(hidden(static_cast<Eigen::Index>(row), j) == Approx(core[row][static_cast<std::size_t>(j)]).margin(1e-5));
      }
    }
  }
}

TEST_CASE("training on a tiny generated dataset learns what needs memory", "[gru]") {
  // Pairs (a_k, b_k) around one hub item h: sessions "a_k h b_k". After "a_k h" only the item
  // two clicks back tells b_k apart: a first-order model gets 1 in 8 of those right at rank 1.
  constexpr int kPairs = 8;
  std::string csv = "session_id,user_id,item_id,timestamp,event\n";
  SeededRandom random(12);
  for (int session = 0; session < 1600; ++session) {
    const int pair = static_cast<int>(random.below(kPairs));
    const std::string id = "s" + std::to_string(session);
    csv += id + ",,a" + std::to_string(pair) + ",,\n" + id + ",,hub,,\n" + id + ",,b" + std::to_string(pair) + ",,\n";
  }
  const auto log = shelfwise::testing::parse_log(csv);
  shelfwise::training::GruTrainingOptions options;
  options.hidden_size = 16;
  options.epochs = 6;
  options.batch_size = 16;
  options.negatives = 8;
  options.dropout_embedding = 0.0f;
  options.dropout_hidden = 0.0f;
  options.learning_rate = 0.1f;
  options.momentum = 0.2f;
  options.seed = 3;
  std::vector<double> losses;
  const GruParameters parameters = shelfwise::training::train_gru(
      log, log.item_ids.size(), options, {},
      [&](const shelfwise::training::GruEpochReport& report, const GruParameters&) { losses.push_back(report.loss_per_event); });
  REQUIRE(losses.size() == 6);
  CHECK(losses.back() < losses.front());

  shelfwise::training::ModelBundleParts parts;
  parts.kind = "gru";
  parts.version = "gru-memory";
  parts.item_ids = log.item_ids;
  parts.popularity = shelfwise::training::train_popularity(log, log.item_ids.size(), {});
  parts.gru = &parameters;
  const auto model = shelfwise::testing::load_model(shelfwise::training::build_model_bundle(parts));
  // Held-out sessions of the same process: 2 predictions each (hub, then b_k).
  std::string held_out = "session_id,user_id,item_id,timestamp,event\n";
  for (int pair = 0; pair < kPairs; ++pair) {
    const std::string id = "t" + std::to_string(pair);
    held_out += id + ",,a" + std::to_string(pair) + ",,\n" + id + ",,hub,,\n" + id + ",,b" + std::to_string(pair) + ",,\n";
  }
  const auto test_log = shelfwise::testing::parse_log(held_out);
  auto metrics = shelfwise::evaluation::evaluate_next_item(model, test_log, {1, 1});
  REQUIRE(metrics.ok());
  CHECK(metrics.value().predictions == 2 * kPairs);
  // Every hub and every b_k at rank 1 (a first-order model: all hubs, 1 in 8 b_k = 0.5625).
  CHECK(metrics.value().recall == Approx(1.0));
}
