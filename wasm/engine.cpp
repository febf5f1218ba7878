#include "engine.hpp"

namespace shelfwise::wasm {

std::uintptr_t Engine::reserve_bundle(std::size_t size) {
  staged_ = ByteBuffer(size);
  if (staged_.size() != size || size == 0) {
    staged_ = ByteBuffer();
    return 0;
  }
  return reinterpret_cast<std::uintptr_t>(staged_.data());
}

int Engine::commit_bundle() {
  auto loaded = Model::load(std::move(staged_));
  staged_ = ByteBuffer();
  if (!loaded.ok()) return fail(loaded.status());
  // Scratch is sized for the new model before the swap, so a failure leaves the old one intact.
  auto recommender = std::make_unique<Recommender>(loaded.value());
  std::unique_ptr<IntentScorer> intent_scorer;
  if (const IntentHeads* heads = loaded.value()->intent_heads()) intent_scorer = std::make_unique<IntentScorer>(*loaded.value(), *heads);
  model_ = loaded.value();
  recommender_ = std::move(recommender);
  intent_scorer_ = std::move(intent_scorer);
  error_message_.clear();
  return 0;
}

std::uintptr_t Engine::reserve_exclude(std::size_t count) {
  if (count > kMaxExcluded) return 0;
  exclude_.resize(count == 0 ? 1 : count);
  return reinterpret_cast<std::uintptr_t>(exclude_.data());
}

int Engine::fail(const Status& status) {
  error_message_ = status.message();
  return -static_cast<int>(status.code());
}

int Engine::publish(const Status& status) {
  if (!status.ok()) return fail(status);
  result_items_.clear();
  result_scores_.clear();
  result_sources_.clear();
  result_because_.clear();
  for (const auto& result : results_) {
    result_items_.push_back(result.item);
    result_scores_.push_back(result.score);
    result_sources_.push_back(static_cast<std::uint8_t>(result.source));
    result_because_.push_back(result.because);
  }
  return static_cast<int>(results_.size());
}

int Engine::recommend(const SessionState& session, std::size_t k, std::size_t exclude_count) {
  if (!recommender_) return fail(Status(ErrorCode::no_model, "no model is loaded"));
  if (exclude_count > exclude_.size()) return fail(Status(ErrorCode::invalid_argument, "exclude_count exceeds the reserved list"));
  return publish(recommender_->recommend(session, k, {exclude_.data(), exclude_count}, &results_));
}

int Engine::related(std::uint32_t item, std::size_t k, std::size_t exclude_count) {
  if (!recommender_) return fail(Status(ErrorCode::no_model, "no model is loaded"));
  if (exclude_count > exclude_.size()) return fail(Status(ErrorCode::invalid_argument, "exclude_count exceeds the reserved list"));
  return publish(recommender_->related(item, k, {exclude_.data(), exclude_count}, &results_));
}

}  // namespace shelfwise::wasm

namespace shelfwise::wasm {

const Intent* Engine::intent(const SessionState& session) {
  if (!intent_scorer_) return nullptr;
  const auto& events = session.events();
  intent_ = intent_scorer_->compute({events.data(), events.size()});
  return &intent_;
}

}  // namespace shelfwise::wasm
