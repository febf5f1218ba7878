#include "behaviour_stage.hpp"

namespace shelfwise::wasm {

std::uintptr_t BehaviourStage::reserve(std::size_t count) {
  if (count > kMaxBehaviourEvents) return 0;
  const std::size_t size = count == 0 ? 1 : count;
  items_.resize(size);
  types_.resize(size);
  times_.resize(size);
  return reinterpret_cast<std::uintptr_t>(items_.data());
}

int BehaviourStage::fail(const Status& status) {
  error_message_ = status.message();
  result_ = JsonValue();
  return -static_cast<int>(status.code());
}

int BehaviourStage::compute(const Engine& engine, std::size_t count, double now, double hour, int device,
                            double half_life_days) {
  if (!engine.has_model()) return fail(Status(ErrorCode::no_model, "no model is loaded"));
  if (count > items_.size() || (count > 0 && items_.empty())) {
    return fail(Status(ErrorCode::invalid_argument, "behaviour event count exceeds the reserved list"));
  }
  if (device < 0 || device >= kDeviceCount) return fail(Status(ErrorCode::invalid_argument, "device must be 0 to 3"));
  events_.resize(count);
  for (std::size_t index = 0; index < count; ++index) {
    if (types_[index] >= kEventTypeCount) return fail(Status(ErrorCode::invalid_argument, "behaviour event kind must be 0, 1 or 2"));
    events_[index] = {items_[index], static_cast<EventType>(types_[index]), times_[index]};
  }
  const Model& model = engine.model();
  BehaviourContext context;
  context.now = now;
  context.local_hour = hour;
  context.device = static_cast<Device>(device);
  const ArrayView<BehaviourEvent> events(events_.data(), events_.size());
  const Status scored = score_behaviour(model, events, context, &scores_);
  if (!scored.ok()) return fail(scored);
  JsonValue result = behaviour_scores_json(model, scores_);
  if (model.catalog() != nullptr) {
    AffinityOptions options;
    options.half_life_days = half_life_days;
    const Status computed = compute_affinities(model.behaviour().features(), events, now, options, &affinities_);
    if (!computed.ok()) return fail(computed);
    result.set("affinities", affinities_json(model.behaviour().features(), affinities_, options));
  } else {
    result.set("affinities", JsonValue());
  }
  result_ = std::move(result);
  error_message_.clear();
  return 0;
}

}  // namespace shelfwise::wasm
