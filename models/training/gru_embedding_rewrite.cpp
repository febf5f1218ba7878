#include "training/gru_embedding_rewrite.hpp"

#include <algorithm>
#include <iterator>

#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/gru_quantisation.hpp"
#include "shelfwise/half_float.hpp"
#include "shelfwise/json_nlohmann.hpp"
#include "training/gru_parameters.hpp"

namespace shelfwise::training {

std::vector<std::uint8_t> rewrite_gru_embeddings(const Bundle& bundle, const GruNetwork& network, DType dtype,
                                                 const std::string& version, CopyChoice choice) {
  const std::size_t n = network.item_count();
  const std::size_t d = network.hidden_size();
  std::vector<float> values(d * n);
  for (std::size_t j = 0; j < d; ++j) {
    for (std::size_t i = 0; i < n; ++i) values[j * n + i] = network.embedding(static_cast<std::uint32_t>(i), j);
  }
  std::vector<std::uint16_t> halves;
  if (dtype == DType::f16) {
    halves.resize(values.size());
    for (std::size_t index = 0; index < values.size(); ++index) {
      halves[index] = float_to_half(values[index]);
      values[index] = half_to_float(halves[index]);  // what the device will read
    }
  }
  nlohmann::json manifest = rewritable_manifest(bundle);
  manifest["model"]["version"] = version;
  BundleWriter writer(bundle.item_count(), std::move(manifest));
  for (const TensorInfo& tensor : bundle.tensors()) {
    const bool replaced = tensor.name == "gru.item_embeddings" ||
                          std::any_of(std::begin(kGruScoringCopyTensors), std::end(kGruScoringCopyTensors),
                                      [&](const char* name) { return tensor.name == name; });
    if (!replaced) writer.add_tensor(tensor.name, tensor.dtype, tensor.shape, bundle.bytes().data() + tensor.offset, tensor.size);
  }
  if (dtype == DType::f16) {
    writer.add_tensor("gru.item_embeddings", DType::f16, {d, n}, halves.data(), halves.size() * sizeof(std::uint16_t));
  } else {
    writer.add_tensor("gru.item_embeddings", DType::f32, {d, n}, values.data(), values.size() * sizeof(float));
  }
  std::vector<float> states;
  std::vector<float> hidden(d), scratch(network.step_scratch_size());
  const auto popularity = bundle.view<float>("popularity", DType::f32);
  const ArrayView<float> weights = popularity.ok() ? popularity.value() : ArrayView<float>();
  for (const std::uint32_t item : prefix_sample_items(weights.data(), weights.size(), n)) {
    std::fill(hidden.begin(), hidden.end(), 0.0f);
    network.step(item, hidden.data(), scratch.data());
    states.insert(states.end(), hidden.begin(), hidden.end());
  }
  add_gru_scoring_copy(writer, values.data(), network.item_bias(), d, n, states, choice);
  return writer.serialize();
}

}  // namespace shelfwise::training
