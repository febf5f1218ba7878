// Full-catalogue scoring and fold-in timings, built twice from this one source: natively
// (build/bin/shelfwise_scoring_bench) and by Emscripten with wasm SIMD
// (build/emscripten/node-tools/shelfwise_scoring_bench.js), so `npm run bench` can put wasm and
// native side by side on identical work. A synthetic 100,000 x 64 factor matrix (clustered, as
// trained factors are) is stored in each dtype in an in-memory bundle and loaded as the device
// loads it; a shopper with 20 history events is folded in and the catalogue is scored through the
// ranker's user source (query preparation, kernel, history exclusion, top 20).
// Prints one JSON object: per dtype the p50 milliseconds of a full scoring, plus fold-in times.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/factor_kernels.hpp"
#include "shelfwise/half_float.hpp"
#include "shelfwise/model.hpp"
#include "shelfwise/string_table.hpp"
#include "shelfwise/user_candidates.hpp"
#include "shelfwise/user_vector.hpp"

namespace {

using namespace shelfwise;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kDim = 64;
constexpr std::size_t kSubspaces = 8;

std::uint64_t state = 42;
float uniform() {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<float>(state >> 40) / static_cast<float>(1ULL << 24) * 2.0f - 1.0f;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

template <typename Body>
double p50_ms(int runs, Body body) {
  std::vector<double> times;
  body();  // warm-up
  for (int run = 0; run < runs; ++run) {
    const auto start = Clock::now();
    body();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return median(times);
}

std::vector<std::uint8_t> bundle_for(FactorDType dtype, const std::vector<float>& rows, std::size_t items) {
  nlohmann::json mf = {{"factors", kDim}, {"dtype", std::string(factor_dtype_name(dtype))}, {"regularisation", 5.0}, {"alpha", 1.0}};
  if (dtype == FactorDType::pq) mf["pq_subspaces"] = kSubspaces;
  BundleWriter writer(items, {{"model", {{"kind", "mf"}, {"version", "bench"}}}, {"mf", mf}});
  std::vector<std::string> ids(items);
  for (std::size_t item = 0; item < items; ++item) ids[item] = "SKU-" + std::to_string(item);
  add_string_table(writer, "items", ids);
  writer.add_vector("popularity", DType::f32, std::vector<float>(items, 1.0f));
  writer.add_vector("popularity.head", DType::u32, std::vector<std::uint32_t>{0});
  // A valid Y^T Y stand-in (timing does not depend on it): a scaled identity.
  std::vector<float> gram(kDim * kDim, 0.0f);
  for (std::size_t i = 0; i < kDim; ++i) gram[i * kDim + i] = static_cast<float>(items) / 3.0f;
  writer.add_tensor("mf.gram", DType::f32, {kDim, kDim}, gram.data(), gram.size() * 4);
  const std::uint64_t n = items;
  switch (dtype) {
    case FactorDType::f32:
      writer.add_tensor("mf.item_factors", DType::f32, {n, kDim}, rows.data(), rows.size() * 4);
      break;
    case FactorDType::f16: {
      std::vector<std::uint16_t> halves(rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) halves[i] = float_to_half(rows[i]);
      writer.add_tensor("mf.item_factors", DType::f16, {n, kDim}, halves.data(), halves.size() * 2);
      break;
    }
    case FactorDType::int8: {
      std::vector<std::int8_t> levels(rows.size());
      std::vector<float> scales(items);
      for (std::size_t item = 0; item < items; ++item) {
        float largest = 0.0f;
        for (std::size_t i = 0; i < kDim; ++i) largest = std::max(largest, std::fabs(rows[item * kDim + i]));
        scales[item] = largest / 127.0f;
        for (std::size_t i = 0; i < kDim; ++i) {
          levels[item * kDim + i] = static_cast<std::int8_t>(std::lround(rows[item * kDim + i] / scales[item]));
        }
      }
      writer.add_tensor("mf.item_factors", DType::i8, {n, kDim}, levels.data(), levels.size());
      writer.add_tensor("mf.item_scales", DType::f32, {n}, scales.data(), scales.size() * 4);
      break;
    }
    case FactorDType::pq: {
      // Timing only: codebooks of random centroids, codes drawn uniformly.
      std::vector<float> codebooks(kSubspaces * kernels::kPqCentroids * (kDim / kSubspaces));
      for (float& value : codebooks) value = uniform();
      std::vector<std::uint8_t> codes(items * kSubspaces);
      for (auto& code : codes) code = static_cast<std::uint8_t>((uniform() + 1.0f) * 127.9f);
      writer.add_tensor("mf.pq_codes", DType::u8, {n, kSubspaces}, codes.data(), codes.size());
      writer.add_tensor("mf.pq_codebooks", DType::f32, {kSubspaces, kernels::kPqCentroids, kDim / kSubspaces},
                        codebooks.data(), codebooks.size() * 4);
      break;
    }
  }
  return writer.serialize();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t items = argc > 1 ? static_cast<std::size_t>(std::strtoul(argv[1], nullptr, 10)) : 100000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 30;
  // 200 clusters with spread, like trained factors.
  std::vector<float> centers(200 * kDim);
  for (float& value : centers) value = 0.3f * uniform();
  std::vector<float> rows(items * kDim);
  for (std::size_t item = 0; item < items; ++item) {
    for (std::size_t i = 0; i < kDim; ++i) rows[item * kDim + i] = centers[(item % 200) * kDim + i] + 0.1f * uniform();
  }
  std::string json = "{\"items\":" + std::to_string(items) + ",\"factors\":" + std::to_string(kDim) +
                     ",\"simd\":" + (kernels::simd_enabled() ? "true" : "false");
  for (const FactorDType dtype : {FactorDType::f32, FactorDType::f16, FactorDType::int8, FactorDType::pq}) {
    const std::vector<std::uint8_t> bytes = bundle_for(dtype, rows, items);
    auto model = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
    if (!model.ok()) {
      std::fprintf(stderr, "%s\n", model.status().to_string().c_str());
      return 1;
    }
    UserVector user(model.value());
    for (std::uint32_t event = 0; event < 20; ++event) user.add((event * 7919U) % static_cast<std::uint32_t>(items), EventType::view);
    UserCandidates source(model.value(), user);
    std::size_t found = 0;
    const double score_ms = p50_ms(runs, [&] { found += source.best_items(20).size(); });
    json += ",\"score_" + std::string(factor_dtype_name(dtype)) + "_ms\":" + std::to_string(score_ms);
    if (found == 0) return 1;
    if (dtype == FactorDType::f32) {
      // One event then the k x k solve (what a track() followed by a recommendation costs).
      std::uint32_t next = 1;
      const double event_ms = p50_ms(runs * 10, [&] {
        user.add((next++ * 104729U) % static_cast<std::uint32_t>(items), EventType::view);
        user.vector();
      });
      const double batch_ms = p50_ms(runs, [&] {
        user.clear();
        for (std::uint32_t event = 0; event < 200; ++event) user.add((event * 7919U) % static_cast<std::uint32_t>(items), EventType::view);
        user.vector();
      });
      json += ",\"foldin_event_ms\":" + std::to_string(event_ms) + ",\"foldin_batch200_ms\":" + std::to_string(batch_ms);
    }
  }
  std::printf("%s}\n", json.c_str());
  return 0;
}
