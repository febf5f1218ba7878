// Writes item factors into a bundle: the manifest's "mf" object and the mf.* tensors, in the
// layout core/include/shelfwise/item_factors.hpp reads. Shared by `train` and `quantize`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/item_factors.hpp"
#include "training/factor_quantisation.hpp"

namespace shelfwise::training {

nlohmann::json factor_manifest(const QuantisedFactors& factors, const FactorHyperparameters& hyperparameters);
void add_factor_tensors(BundleWriter& writer, const QuantisedFactors& factors);

// A copy of `bundle` with its item factors replaced by `factors` (every other tensor and manifest
// key kept as is; model.version set to `version`).
std::vector<std::uint8_t> rewrite_with_factors(const Bundle& bundle, const QuantisedFactors& factors,
                                               const FactorHyperparameters& hyperparameters, const std::string& version);

}  // namespace shelfwise::training
