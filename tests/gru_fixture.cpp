#include "gru_fixture.hpp"

#include <cmath>
#include <string>

#include "test_support.hpp"
#include "training/model_bundle.hpp"

namespace shelfwise::testing {

GruFixture make_gru_fixture(std::size_t item_count, std::size_t hidden_size, std::uint64_t seed) {
  return make_gru_fixture(item_count, hidden_size, seed, [](training::GruParameters&) {});
}

GruFixture make_gru_fixture(std::size_t item_count, std::size_t hidden_size, std::uint64_t seed,
                            const std::function<void(training::GruParameters&)>& adjust) {
  GruFixture fixture;
  training::SeededRandom random(seed);
  fixture.parameters = training::initial_gru_parameters(item_count, hidden_size, random);
  // Larger than the trainer's start, so the gates leave their linear range.
  fixture.parameters.item_embeddings *= 20.0f;
  for (Eigen::Index item = 0; item < fixture.parameters.item_bias.size(); ++item) {
    fixture.parameters.item_bias[item] = training::uniform_float(random) - 0.5f;
  }
  for (Eigen::Index row = 0; row < fixture.parameters.gate_bias.size(); ++row) {
    fixture.parameters.gate_bias[row] = training::uniform_float(random) - 0.5f;
  }
  adjust(fixture.parameters);
  training::ModelBundleParts parts;
  parts.kind = "gru";
  parts.version = "gru-fixture";
  for (std::size_t item = 0; item < item_count; ++item) {
    parts.item_ids.push_back("i" + std::to_string(item));
    parts.popularity.push_back(1.0f - static_cast<float>(item) / static_cast<float>(item_count));
  }
  parts.gru = &fixture.parameters;
  fixture.bytes = training::build_model_bundle(parts);
  fixture.model = load_model(fixture.bytes);
  return fixture;
}

std::vector<double> reference_gru_step(const training::GruParameters& parameters, std::uint32_t item,
                                       const std::vector<double>& hidden) {
  const std::size_t d = parameters.hidden_size();
  auto sigmoid = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  auto pre_activation = [&](std::size_t row, const std::vector<double>& recurrent) {
    double sum = parameters.gate_bias[static_cast<Eigen::Index>(row)];
    for (std::size_t j = 0; j < d; ++j) {
      sum += static_cast<double>(parameters.input_weights(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(j))) *
             parameters.item_embeddings(item, static_cast<Eigen::Index>(j));
      sum += static_cast<double>(parameters.hidden_weights(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(j))) *
             recurrent[j];
    }
    return sum;
  };
  std::vector<double> reset_hidden(d), update(d), next(d);
  for (std::size_t i = 0; i < d; ++i) {
    reset_hidden[i] = sigmoid(pre_activation(i, hidden)) * hidden[i];
    update[i] = sigmoid(pre_activation(d + i, hidden));
  }
  for (std::size_t i = 0; i < d; ++i) {
    const double candidate = std::tanh(pre_activation(2 * d + i, reset_hidden));
    next[i] = (1.0 - update[i]) * hidden[i] + update[i] * candidate;
  }
  return next;
}

std::vector<double> reference_gru_scores(const training::GruParameters& parameters, const std::vector<double>& hidden) {
  std::vector<double> scores(parameters.item_count());
  for (std::size_t item = 0; item < scores.size(); ++item) {
    double sum = parameters.item_bias[static_cast<Eigen::Index>(item)];
    for (std::size_t j = 0; j < hidden.size(); ++j) {
      sum += static_cast<double>(parameters.item_embeddings(static_cast<Eigen::Index>(item), static_cast<Eigen::Index>(j))) * hidden[j];
    }
    scores[item] = sum;
  }
  return scores;
}

}  // namespace shelfwise::testing
