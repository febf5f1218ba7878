// The device side of behaviour: the SDK stages the shopper's events (model indices, kinds, times)
// here, then one call computes features, segment, propensities and affinities for the engine's
// current model (core/include/shelfwise/behaviour_scorer.hpp, affinities.hpp) and leaves them as
// one JSON value. Kept apart from Engine so it owns its own staging memory. Plain C++.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine.hpp"
#include "shelfwise/affinities.hpp"
#include "shelfwise/behaviour_scorer.hpp"
#include "shelfwise/json_value.hpp"

namespace shelfwise::wasm {

class BehaviourStage {
 public:
  // Room for `count` events: three parallel arrays the caller fills (u32 item or 0xFFFFFFFF for
  // an unknown item, u8 kind 0 view / 1 cart / 2 purchase, f64 unix seconds). The address of the
  // items; 0 above kMaxBehaviourEvents.
  std::uintptr_t reserve(std::size_t count);
  std::uintptr_t types() const { return reinterpret_cast<std::uintptr_t>(types_.data()); }
  std::uintptr_t times() const { return reinterpret_cast<std::uintptr_t>(times_.data()); }

  // Computes for the first `count` staged events. `hour` outside [0, 24) = unknown; `device`
  // 0 unknown, 1 desktop, 2 mobile, 3 tablet. Returns 0 or -ErrorCode (message in the engine's
  // style through error_message()); the result is result().
  int compute(const Engine& engine, std::size_t count, double now, double hour, int device, double half_life_days);
  const JsonValue& result() const { return result_; }
  const std::string& error_message() const { return error_message_; }

 private:
  int fail(const Status& status);

  std::vector<std::uint32_t> items_;
  std::vector<std::uint8_t> types_;
  std::vector<double> times_;
  std::vector<BehaviourEvent> events_;
  BehaviourScores scores_;
  Affinities affinities_;
  JsonValue result_;
  std::string error_message_;
};

}  // namespace shelfwise::wasm
