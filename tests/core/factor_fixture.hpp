// Bundles with item factors for the fold-in, kernel and ranker tests: random factors (seeded) or
// ALS trained on a log, stored in any dtype by the real quantiser and bundle writer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/model.hpp"
#include "shelfwise/string_table.hpp"
#include "test_support.hpp"
#include "training/factor_bundle.hpp"
#include "training/seeded_random.hpp"

namespace shelfwise::testing {

// Uniform values in [-1, 1) (times `scale`) from integer draws.
inline std::vector<float> random_values(std::size_t count, std::uint64_t seed, float scale = 1.0f) {
  training::SeededRandom random(seed);
  std::vector<float> values(count);
  for (float& value : values) value = scale * (static_cast<float>(random.below(1U << 20)) / static_cast<float>(1U << 19) - 1.0f);
  return values;
}

struct FactorBundleOptions {
  std::size_t items = 50;
  std::size_t factors = 16;
  FactorDType dtype = FactorDType::f32;
  std::size_t pq_subspaces = 4;
  std::uint64_t seed = 1;
  double regularisation = 0.5;
  double alpha = 4.0;
  std::array<double, kEventTypeCount> event_weights{1.0, 2.0, 4.0};
};

// A bundle of kind "mf": items "I0".."I<n-1>", popularity decreasing with the index.
inline std::vector<std::uint8_t> factor_bundle(const FactorBundleOptions& options, std::vector<float>* rows_out = nullptr) {
  const std::vector<float> rows = random_values(options.items * options.factors, options.seed, 0.5f);
  training::QuantisationOptions quantisation;
  quantisation.pq_subspaces = options.pq_subspaces;
  quantisation.kmeans_iterations = 8;
  auto factors = training::quantise_factors(rows, options.items, options.factors, options.dtype, quantisation);
  REQUIRE(factors.ok());
  if (rows_out != nullptr) *rows_out = rows;
  FactorHyperparameters hyper;
  hyper.factors = options.factors;
  hyper.regularisation = options.regularisation;
  hyper.alpha = options.alpha;
  hyper.event_weights = options.event_weights;
  nlohmann::json manifest = {{"model", {{"kind", "mf"}, {"version", "mf-test"}}}, {"mf", training::factor_manifest(factors.value(), hyper)}};
  BundleWriter writer(options.items, manifest);
  std::vector<std::string> ids;
  std::vector<float> popularity;
  std::vector<std::uint32_t> head;
  for (std::size_t item = 0; item < options.items; ++item) {
    ids.push_back("I" + std::to_string(item));
    popularity.push_back(1.0f / static_cast<float>(item + 1));
    head.push_back(static_cast<std::uint32_t>(item));
  }
  add_string_table(writer, "items", ids);
  writer.add_vector("popularity", DType::f32, popularity);
  writer.add_vector("popularity.head", DType::u32, head);
  training::add_factor_tensors(writer, factors.value());
  return writer.serialize();
}

}  // namespace shelfwise::testing
