#include "engine.hpp"

#include "shelfwise/user_candidates.hpp"

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
  auto user = std::make_unique<UserVector>(loaded.value());
  // Parsed rules hold the old model's indices.
  rules_ready_ = false;
  rules_text_.clear();
  ranker_.reset();
  model_ = loaded.value();
  recommender_ = std::move(recommender);
  user_ = std::move(user);
  intent_scorer_ = std::move(intent_scorer);
  error_message_.clear();
  return 0;
}

std::uintptr_t Engine::reserve_exclude(std::size_t count) {
  if (count > kMaxExcluded) return 0;
  exclude_.resize(count == 0 ? 1 : count);
  return reinterpret_cast<std::uintptr_t>(exclude_.data());
}

std::uintptr_t Engine::reserve_context(std::size_t count) {
  if (count > kMaxContextItems) return 0;
  context_.resize(count == 0 ? 1 : count);
  return reinterpret_cast<std::uintptr_t>(context_.data());
}

std::uintptr_t Engine::reserve_page(std::size_t count) {
  if (count > kMaxPageItems) return 0;
  page_.resize(count == 0 ? 1 : count);
  return reinterpret_cast<std::uintptr_t>(page_.data());
}

namespace {
bool valid_event_type(int type) { return type >= 0 && type < kEventTypeCount; }
}  // namespace

void Engine::user_add(std::uint32_t item, int type) {
  if (user_ && valid_event_type(type)) user_->add(item, static_cast<EventType>(type));
}

void Engine::user_remove(std::uint32_t item, int type) {
  if (user_ && valid_event_type(type)) user_->remove(item, static_cast<EventType>(type));
}

void Engine::user_clear() {
  if (user_) user_->clear();
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

int Engine::bought_together(std::uint32_t item, std::size_t k, std::size_t exclude_count) {
  if (!recommender_) return fail(Status(ErrorCode::no_model, "no model is loaded"));
  if (exclude_count > exclude_.size()) return fail(Status(ErrorCode::invalid_argument, "exclude_count exceeds the reserved list"));
  return publish(recommender_->bought_together(item, k, {exclude_.data(), exclude_count}, &results_));
}

Status Engine::prepare_rules(const std::string& rules_json) {
  if (rules_ready_ && rules_json == rules_text_) return Status::ok_status();
  rules_ready_ = false;
  auto parsed = parse_rules(rules_json, *model_);
  if (!parsed.ok()) return parsed.status();
  rules_ = std::move(parsed).value();
  rules_text_ = rules_json;
  rules_ready_ = true;
  return Status::ok_status();
}

// Built at the first ranked request rather than at load: its per-item scratch is memory touched
// for the first time (page faults: about 10 ms of a 43,000-item model's load on a cloud VM), and a
// page that only asks for recommend() never needs it.
Ranker& Engine::ranker() {
  if (!ranker_) {
    ranker_ = std::make_unique<Ranker>(model_, *recommender_);
    if (user_->has_factors()) ranker_->set_source(CandidateSourceId::user, std::make_unique<UserCandidates>(model_, *user_));
  }
  return *ranker_;
}

int Engine::rank(const SessionState& session, const std::string& slot, std::size_t k, std::size_t context_count,
                 bool rerank, std::size_t page_count, std::size_t exclude_count, const std::string& rules_json) {
  if (!model_) return fail(Status(ErrorCode::no_model, "no model is loaded"));
  if (context_count > context_.size() || page_count > page_.size() || exclude_count > exclude_.size()) {
    return fail(Status(ErrorCode::invalid_argument, "a count exceeds its reserved list"));
  }
  const Recipe* recipe = model_->recipes().find(slot);
  if (recipe == nullptr) {
    return fail(Status(ErrorCode::invalid_argument,
                       "slot '" + slot + "' has no recipe in this bundle (it has: " + model_->recipes().names() + ")"));
  }
  const Status rules = prepare_rules(rules_json);
  if (!rules.ok()) return fail(rules);
  RankRequest request;
  request.recipe = recipe;
  request.rules = &rules_;
  request.session = &session;
  request.k = k;
  request.context = {context_.data(), context_count};
  request.rerank = rerank;
  request.page = {page_.data(), page_count};
  request.exclude = {exclude_.data(), exclude_count};
  return publish(ranker().rank(request, &results_));
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
