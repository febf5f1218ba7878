#include "training/gru_parameters.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "shelfwise/gru_quantisation.hpp"

namespace shelfwise::training {
namespace {

void fill_uniform(float* values, std::size_t count, float range, SeededRandom& random) {
  for (std::size_t index = 0; index < count; ++index) values[index] = (2.0f * uniform_float(random) - 1.0f) * range;
}

}  // namespace

// From the zero state the reset gate acts on zeros: h = sigmoid(Wz x + bz) * tanh(Wc x + bc).
std::vector<std::uint32_t> prefix_sample_items(const float* popularity, std::size_t popularity_size, std::size_t n) {
  const std::size_t samples = std::min(kPrefixSampleItems, n);
  // Events on an item: its popularity, where that is a positive number.
  auto weight = [&](std::size_t item) {
    return std::isfinite(popularity[item]) && popularity[item] > 0.0f ? static_cast<double>(popularity[item]) : 0.0;
  };
  double mass = 0.0;
  if (popularity_size == n) {
    for (std::size_t i = 0; i < n; ++i) mass += weight(i);
  }
  std::vector<std::uint32_t> items;
  if (!(mass > 0.0)) {
    for (std::size_t sample = 0; sample < samples; ++sample) items.push_back(static_cast<std::uint32_t>(sample * n / samples));
    return items;
  }
  double below = 0.0;  // the mass of the items before `item`
  std::size_t item = 0;
  for (std::size_t sample = 0; sample < samples; ++sample) {
    const double quantile = (static_cast<double>(sample) + 0.5) / static_cast<double>(samples) * mass;
    for (; item + 1 < n; ++item) {
      if (below + weight(item) > quantile) break;
      below += weight(item);
    }
    items.push_back(static_cast<std::uint32_t>(item));
  }
  return items;
}

std::vector<float> one_event_states(const GruParameters& parameters, const std::vector<float>& popularity) {
  const auto d = static_cast<Eigen::Index>(parameters.hidden_size());
  const std::size_t n = parameters.item_count();
  std::vector<float> states;
  // Tests export deliberately mis-shaped parameters for the reader to refuse: no states then (and
  // so the plain copy), rather than reading past a matrix.
  const bool shaped = parameters.item_embeddings.cols() == d && parameters.input_weights.rows() == 3 * d &&
                      parameters.gate_bias.size() == 3 * d && static_cast<std::size_t>(parameters.item_bias.size()) == n;
  if (!shaped) return states;
  for (const std::uint32_t item : prefix_sample_items(popularity.data(), popularity.size(), n)) {
    const Eigen::VectorXf x = parameters.item_embeddings.row(static_cast<Eigen::Index>(item)).transpose();
    const Eigen::VectorXf update = parameters.input_weights.middleRows(d, d) * x + parameters.gate_bias.segment(d, d);
    const Eigen::VectorXf candidate = parameters.input_weights.middleRows(2 * d, d) * x + parameters.gate_bias.segment(2 * d, d);
    for (Eigen::Index j = 0; j < d; ++j) {
      states.push_back(1.0f / (1.0f + std::exp(-update[j])) * std::tanh(candidate[j]));
    }
  }
  return states;
}

GruParameters initial_gru_parameters(std::size_t item_count, std::size_t hidden_size, SeededRandom& random) {
  const auto n = static_cast<Eigen::Index>(item_count);
  const auto d = static_cast<Eigen::Index>(hidden_size);
  GruParameters parameters;
  parameters.item_embeddings.resize(n, d);
  fill_uniform(parameters.item_embeddings.data(), item_count * hidden_size,
               std::sqrt(6.0f / static_cast<float>(item_count + hidden_size)), random);
  parameters.item_bias = Eigen::VectorXf::Zero(n);
  const float gate_range = std::sqrt(6.0f / static_cast<float>(2 * hidden_size));
  parameters.input_weights.resize(3 * d, d);
  parameters.hidden_weights.resize(3 * d, d);
  fill_uniform(parameters.input_weights.data(), 3 * hidden_size * hidden_size, gate_range, random);
  fill_uniform(parameters.hidden_weights.data(), 3 * hidden_size * hidden_size, gate_range, random);
  parameters.gate_bias = Eigen::VectorXf::Zero(3 * d);
  return parameters;
}

void add_gru_tensors(BundleWriter& writer, const GruParameters& parameters, const std::vector<float>& popularity) {
  const std::uint64_t n = parameters.item_count();
  const std::uint64_t d = parameters.hidden_size();
  // Column-major n x d is row-major d x n: one contiguous row of items per dimension.
  const Eigen::MatrixXf by_dimension = parameters.item_embeddings;
  writer.add_tensor("gru.item_embeddings", DType::f32, {d, n}, by_dimension.data(), n * d * sizeof(float));
  // Shapes as they are, not as they should be: the reader is what checks them.
  auto add_matrix = [&](const char* name, const RowMatrix& matrix) {
    const auto rows = static_cast<std::uint64_t>(matrix.rows());
    const auto columns = static_cast<std::uint64_t>(matrix.cols());
    writer.add_tensor(name, DType::f32, {rows, columns}, matrix.data(), rows * columns * sizeof(float));
  };
  auto add_vector = [&](const char* name, const Eigen::VectorXf& vector) {
    const auto size = static_cast<std::uint64_t>(vector.size());
    writer.add_tensor(name, DType::f32, {size}, vector.data(), size * sizeof(float));
  };
  add_vector("gru.item_bias", parameters.item_bias);
  add_matrix("gru.input_weights", parameters.input_weights);
  add_matrix("gru.hidden_weights", parameters.hidden_weights);
  add_vector("gru.gate_bias", parameters.gate_bias);
  add_gru_scoring_copy(writer, by_dimension.data(), parameters.item_bias.data(), d, n, one_event_states(parameters, popularity));
}

void add_gru_scoring_copy(BundleWriter& writer, const float* embeddings, const float* bias, std::size_t d, std::size_t n,
                          const std::vector<float>& sample_states, CopyChoice choice) {
  // Computed here once rather than on every device at every load.
  const GruQuantisedEmbeddings quantised = gru_scoring_copy(embeddings, bias, d, n, sample_states, choice);
  writer.add_tensor("gru.item_codes", DType::i8, {quantised.codes.size()}, quantised.codes.data(), quantised.codes.size());
  for (const auto& [name, values] : {std::pair{"gru.item_code_scales", &quantised.scales},
                                     std::pair{"gru.item_residual_norms", &quantised.residual_norms},
                                     std::pair{"gru.item_magnitudes", &quantised.magnitudes}}) {
    writer.add_tensor(name, DType::f32, {n}, values->data(), n * sizeof(float));
  }
  if (quantised.prefix_dimensions == 0) return;
  writer.add_tensor("gru.item_code_tails", DType::f32, {n}, quantised.tails.data(), n * sizeof(float));
  writer.add_tensor("gru.code_rotation", DType::f32, {d, d}, quantised.rotation.data(), quantised.rotation.size() * sizeof(float));
  writer.add_tensor("gru.code_prefix_dimensions", DType::u32, {1}, &quantised.prefix_dimensions, sizeof(std::uint32_t));
  if (quantised.code_rows.empty()) return;
  writer.add_tensor("gru.item_code_rows", DType::i8, {n, quantised.code_rows.size() / n}, quantised.code_rows.data(),
                    quantised.code_rows.size());
}

}  // namespace shelfwise::training
