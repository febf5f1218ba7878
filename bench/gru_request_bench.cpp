// One GRU request on a bundle, built twice from this one source: natively
// (build/bin/shelfwise_gru_request_bench) and by Emscripten with wasm SIMD
// (build/emscripten/node-tools/shelfwise_gru_request_bench.js), so `npm run bench` can put wasm
// and native side by side on identical work (wasm_over_native). A request is what the SDK does
// for track() + recommend({ k: 20 }): one event added to the session, the hidden state advanced,
// the catalogue scored, the top 20 kept; every 10 events a new visit.
// Usage: shelfwise_gru_request_bench BUNDLE [RUNS]. Prints {"request_p50_ms": ..., "runs": ...}.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

#include "shelfwise/byte_buffer.hpp"
#include "shelfwise/model.hpp"
#include "shelfwise/recommender.hpp"
#include "shelfwise/session_state.hpp"

int main(int argc, char** argv) {
  using namespace shelfwise;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s BUNDLE [RUNS]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 2 ? std::atoi(argv[2]) : 2000;
  std::ifstream file(argv[1], std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  auto model = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  if (!model.ok()) {
    std::fprintf(stderr, "%s\n", model.status().message().c_str());
    return 1;
  }
  Recommender recommender(model.value());
  const auto items = static_cast<std::uint32_t>(model.value()->item_count());
  SessionState session(200);
  std::vector<Recommendation> results;
  std::vector<double> times;
  const int warmup = 50;
  for (int run = 0; run < warmup + runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    if (run % 10 == 0) session = SessionState(200);
    session.add({static_cast<std::uint32_t>((static_cast<std::uint64_t>(run) * 7919 + 13) % items), EventType::view, 0.0});
    const Status status = recommender.recommend(session, 20, {}, &results);
    const double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", status.message().c_str());
      return 1;
    }
    if (run >= warmup) times.push_back(elapsed);
  }
  std::sort(times.begin(), times.end());
  std::printf("{\"request_p50_ms\": %.6f, \"runs\": %d}\n", times[times.size() / 2], runs);
  return 0;
}
