// Compact storage of item factors (the formats of core/include/shelfwise/item_factors.hpp):
//   f32   4k bytes per item, exact
//   f16   2k bytes per item, relative error <= 2^-11 per value
//   int8  k + 4 bytes per item: symmetric per-row scale max|y| / 127, error <= scale / 2 per value
//   pq    m bytes per item: product quantisation (Jegou, Douze & Schmid 2011), k-means with 256
//         centroids in each of m subspaces of k/m dimensions, scored by lookup tables
// Every format ships the gram Y^T Y of its own dequantised rows, so the device's fold-in solves
// exactly the problem whose factors it scores with.
#pragma once

#include <cstdint>
#include <vector>

#include "shelfwise/item_factors.hpp"

namespace shelfwise::training {

struct QuantisationOptions {
  std::size_t pq_subspaces = 8;  // bytes per item; must divide k
  int kmeans_iterations = 20;
  // k-means learns each codebook from at most this many rows (a seeded sample): 256 per centroid.
  std::size_t kmeans_sample = 256 * 256;
  std::uint64_t seed = 42;
  unsigned threads = 1;
};

struct QuantisedFactors {
  FactorDType dtype = FactorDType::f32;
  std::size_t item_count = 0;
  std::size_t factors = 0;
  std::size_t subspaces = 0;            // pq
  std::vector<float> f32;               // f32
  std::vector<std::uint16_t> f16;       // f16
  std::vector<std::int8_t> i8;          // int8
  std::vector<float> scales;            // int8
  std::vector<std::uint8_t> codes;      // pq: item_count x subspaces
  std::vector<float> codebooks;         // pq: subspaces x 256 x (factors / subspaces)
  std::vector<float> dequantised;       // item_count x factors, what the device will read
  std::vector<float> gram;              // factors x factors, of `dequantised`
};

// `rows` is item_count x factors. INVALID_ARGUMENT when pq_subspaces does not divide factors.
Result<QuantisedFactors> quantise_factors(const std::vector<float>& rows, std::size_t item_count, std::size_t factors,
                                          FactorDType dtype, const QuantisationOptions& options);

}  // namespace shelfwise::training
