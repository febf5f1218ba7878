#include "training/factor_bundle.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace shelfwise::training {

nlohmann::json factor_manifest(const QuantisedFactors& factors, const FactorHyperparameters& hyperparameters) {
  nlohmann::json mf = {
      {"factors", factors.factors},
      {"dtype", std::string(factor_dtype_name(factors.dtype))},
      {"regularisation", hyperparameters.regularisation},
      {"alpha", hyperparameters.alpha},
      {"event_weights",
       {{"view", hyperparameters.event_weights[0]},
        {"cart", hyperparameters.event_weights[1]},
        {"purchase", hyperparameters.event_weights[2]}}},
  };
  if (factors.dtype == FactorDType::pq) mf["pq_subspaces"] = factors.subspaces;
  return mf;
}

void add_factor_tensors(BundleWriter& writer, const QuantisedFactors& factors) {
  const std::uint64_t n = factors.item_count;
  const std::uint64_t k = factors.factors;
  writer.add_tensor("mf.gram", DType::f32, {k, k}, factors.gram.data(), factors.gram.size() * sizeof(float));
  switch (factors.dtype) {
    case FactorDType::f32:
      writer.add_tensor("mf.item_factors", DType::f32, {n, k}, factors.f32.data(), factors.f32.size() * sizeof(float));
      break;
    case FactorDType::f16:
      writer.add_tensor("mf.item_factors", DType::f16, {n, k}, factors.f16.data(), factors.f16.size() * sizeof(std::uint16_t));
      break;
    case FactorDType::int8:
      writer.add_tensor("mf.item_factors", DType::i8, {n, k}, factors.i8.data(), factors.i8.size());
      writer.add_tensor("mf.item_scales", DType::f32, {n}, factors.scales.data(), factors.scales.size() * sizeof(float));
      break;
    case FactorDType::pq: {
      const std::uint64_t m = factors.subspaces;
      writer.add_tensor("mf.pq_codes", DType::u8, {n, m}, factors.codes.data(), factors.codes.size());
      writer.add_tensor("mf.pq_codebooks", DType::f32, {m, 256, k / m}, factors.codebooks.data(),
                        factors.codebooks.size() * sizeof(float));
      break;
    }
  }
}

std::vector<std::uint8_t> rewrite_with_factors(const Bundle& bundle, const QuantisedFactors& factors,
                                               const FactorHyperparameters& hyperparameters, const std::string& version) {
  nlohmann::json manifest = rewritable_manifest(bundle);
  manifest["mf"] = factor_manifest(factors, hyperparameters);
  manifest["model"]["version"] = version;
  BundleWriter writer(bundle.item_count(), std::move(manifest));
  for (const TensorInfo& tensor : bundle.tensors()) {
    if (tensor.name.rfind("mf.", 0) == 0) continue;
    writer.add_tensor(tensor.name, tensor.dtype, tensor.shape, bundle.bytes().data() + tensor.offset, tensor.size);
  }
  add_factor_tensors(writer, factors);
  return writer.serialize();
}

}  // namespace shelfwise::training
