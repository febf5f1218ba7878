// Quantisation error bounds of each dtype (factor_quantisation.hpp), and that what the device
// reads back (ItemFactors::row) is exactly the quantiser's own dequantised matrix with its gram.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/factor_fixture.hpp"
#include "training/als_trainer.hpp"
#include "training/factor_quantisation.hpp"

namespace shelfwise {
namespace {

using testing::random_values;

TEST_CASE("f16 and int8 stay within their error bounds", "[quantisation]") {
  const std::size_t n = 200;
  const std::size_t k = 24;
  const std::vector<float> rows = random_values(n * k, 8, 3.0f);
  auto f16 = training::quantise_factors(rows, n, k, FactorDType::f16, {});
  auto int8 = training::quantise_factors(rows, n, k, FactorDType::int8, {});
  REQUIRE(f16.ok());
  REQUIRE(int8.ok());
  for (std::size_t item = 0; item < n; ++item) {
    float largest = 0.0f;
    for (std::size_t i = 0; i < k; ++i) largest = std::max(largest, std::fabs(rows[item * k + i]));
    CHECK(int8.value().scales[item] == Approx(largest / 127.0f));
    for (std::size_t i = 0; i < k; ++i) {
      const float value = rows[item * k + i];
      CHECK(std::fabs(f16.value().dequantised[item * k + i] - value) <= std::fabs(value) / 2048.0f + 6e-8f);
      CHECK(std::fabs(int8.value().dequantised[item * k + i] - value) <= int8.value().scales[item] * 0.5f * 1.0001f);
    }
  }
}

TEST_CASE("product quantisation beats a single centroid and reconstructs from its codes", "[quantisation]") {
  const std::size_t n = 3000;
  const std::size_t k = 16;
  // Clustered rows (as trained factors are), so 256 centroids per subspace fit them well.
  std::vector<float> rows(n * k);
  const std::vector<float> centers = random_values(20 * k, 2, 1.0f);
  const std::vector<float> noise = random_values(n * k, 3, 0.05f);
  for (std::size_t item = 0; item < n; ++item) {
    for (std::size_t i = 0; i < k; ++i) rows[item * k + i] = centers[(item % 20) * k + i] + noise[item * k + i];
  }
  training::QuantisationOptions options;
  options.pq_subspaces = 4;
  options.threads = 2;
  auto pq = training::quantise_factors(rows, n, k, FactorDType::pq, options);
  REQUIRE(pq.ok());
  const auto& stored = pq.value();
  REQUIRE(stored.codes.size() == n * 4);
  REQUIRE(stored.codebooks.size() == 4 * 256 * 4);
  std::vector<double> mean(k, 0.0);
  for (std::size_t item = 0; item < n; ++item) {
    for (std::size_t i = 0; i < k; ++i) mean[i] += rows[item * k + i] / static_cast<double>(n);
  }
  double error = 0.0;
  double spread = 0.0;
  for (std::size_t item = 0; item < n; ++item) {
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t s = i / 4;
      const float decoded = stored.codebooks[(s * 256 + stored.codes[item * 4 + s]) * 4 + i % 4];
      CHECK(decoded == stored.dequantised[item * k + i]);
      error += std::pow(rows[item * k + i] - decoded, 2);
      spread += std::pow(rows[item * k + i] - mean[i], 2);
    }
  }
  // Within-cluster noise is 0.05 wide (variance ~8e-4 per value): PQ gets close to it.
  CHECK(error / static_cast<double>(n * k) < 1e-3);
  CHECK(error < 0.01 * spread);

  options.pq_subspaces = 5;
  CHECK(training::quantise_factors(rows, n, k, FactorDType::pq, options).status().code() == ErrorCode::invalid_argument);
  std::vector<float> broken = rows;
  broken[7] = std::nanf("");
  CHECK(training::quantise_factors(broken, n, k, FactorDType::f32, {}).status().code() == ErrorCode::non_finite);
}

TEST_CASE("the device reads back the quantiser's dequantised rows and their gram", "[quantisation]") {
  for (const FactorDType dtype : {FactorDType::f32, FactorDType::f16, FactorDType::int8, FactorDType::pq}) {
    testing::FactorBundleOptions options;
    options.items = 300;
    options.factors = 16;
    options.dtype = dtype;
    std::vector<float> original;
    const auto model = testing::load_model(testing::factor_bundle(options, &original));
    training::QuantisationOptions quantisation;
    quantisation.pq_subspaces = options.pq_subspaces;
    quantisation.kmeans_iterations = 8;
    auto expected = training::quantise_factors(original, options.items, options.factors, dtype, quantisation);
    REQUIRE(expected.ok());
    const ItemFactors& factors = *model->item_factors();
    std::vector<float> row(16);
    for (std::uint32_t item = 0; item < options.items; ++item) {
      factors.row(item, row.data());
      for (std::size_t i = 0; i < 16; ++i) REQUIRE(row[i] == expected.value().dequantised[item * 16 + i]);
    }
    const std::vector<double> gram = training::gram_matrix(expected.value().dequantised, options.items, 16);
    for (std::size_t i = 0; i < gram.size(); ++i) CHECK(factors.gram()[i] == static_cast<float>(gram[i]));
  }
}

}  // namespace
}  // namespace shelfwise
