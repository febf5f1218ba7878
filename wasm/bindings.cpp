// The Embind surface. Strings cross as std::string; bulk data (bundle bytes, exclusion lists,
// results) crosses as addresses into wasm memory that the JS layer reads with typed arrays.
#include <emscripten/bind.h>

#include "behaviour_stage.hpp"
#include "engine.hpp"
#include "shelfwise/json_fields.hpp"
#include "shelfwise/status.hpp"

namespace {

using shelfwise::SessionState;
using shelfwise::wasm::Engine;

std::string error_code_names() {
  // A JSON array indexed by code number: the JS error table is built from this, never retyped.
  nlohmann::json names = nlohmann::json::array();
  for (int code = 0; code < shelfwise::error_code_count(); ++code) {
    names.push_back(std::string(shelfwise::error_code_name(static_cast<shelfwise::ErrorCode>(code))));
  }
  return names.dump();
}

int item_index(const Engine& engine, const std::string& id) {
  if (!engine.has_model()) return -1;
  const auto found = engine.model().items().find(id);
  return found ? static_cast<int>(*found) : -1;
}

std::string item_id(const Engine& engine, std::uint32_t index) {
  if (!engine.has_model() || index >= engine.model().item_count()) return "";
  return std::string(engine.model().items().id(index));
}

std::size_t item_count(const Engine& engine) { return engine.has_model() ? engine.model().item_count() : 0; }

std::string model_kind(const Engine& engine) { return engine.has_model() ? engine.model().kind_name() : ""; }

std::string model_version(const Engine& engine) { return engine.has_model() ? engine.model().version() : ""; }

// The manifest without its tensor table (the SDK's modelInfo()).
std::string model_manifest(const Engine& engine) {
  if (!engine.has_model()) return "{}";
  nlohmann::json manifest = engine.model().bundle().manifest();
  manifest.erase("tensors");
  return shelfwise::dump_json(manifest);
}

bool has_catalog(const Engine& engine) { return engine.has_model() && engine.model().catalog() != nullptr; }

// One product's attributes as JSON, or "null" without a catalogue or for a bad index.
std::string item_attributes(const Engine& engine, std::uint32_t index) {
  if (!has_catalog(engine) || index >= engine.model().item_count()) return "null";
  const shelfwise::Catalog& catalog = *engine.model().catalog();
  nlohmann::json attributes = {{"title", std::string(catalog.title(index))},
                               {"category", std::string(catalog.category_name(index))},
                               {"available", catalog.available(index)}};
  attributes["price"] = catalog.price(index) < 0.0f ? nlohmann::json(nullptr) : nlohmann::json(catalog.price(index));
  return shelfwise::dump_json(attributes);
}

// The visit's intent as JSON for the SDK's intent(), or "null" when the model has no intent heads.
std::string session_intent(Engine& engine, const SessionState& session) {
  const shelfwise::Intent* intent = engine.intent(session);
  if (intent == nullptr) return "null";
  nlohmann::json stages = nlohmann::json::object();
  for (std::size_t stage = 0; stage < shelfwise::kShoppingStageCount; ++stage) {
    stages[std::string(shelfwise::shopping_stage_name(static_cast<shelfwise::ShoppingStage>(stage)))] = intent->stage_probabilities[stage];
  }
  nlohmann::json output = {{"purchaseProbability", intent->purchase_probability},
                           {"stage", std::string(shelfwise::shopping_stage_name(intent->stage))},
                           {"stages", stages},
                           {"category", nullptr},
                           {"categoryProbability", nullptr}};
  const shelfwise::Catalog* catalog = engine.model().catalog();
  if (intent->category != shelfwise::kNoCategory && catalog != nullptr && intent->category < catalog->category_count()) {
    output["category"] = std::string(catalog->category_label(intent->category));
    output["categoryProbability"] = intent->category_probability;
  }
  return shelfwise::dump_json(output);
}

void session_add(SessionState& session, std::uint32_t item, int type, double time) {
  const int clamped = type < 0 || type >= shelfwise::kEventTypeCount ? 0 : type;
  session.add({item, static_cast<shelfwise::EventType>(clamped), time});
}

std::size_t session_size(const SessionState& session) { return session.events().size(); }

}  // namespace

EMSCRIPTEN_BINDINGS(shelfwise) {
  emscripten::function("errorCodeNames", &error_code_names);

  emscripten::class_<SessionState>("Session")
      .constructor<std::size_t>()
      .function("add", &session_add)
      .function("clear", &SessionState::clear)
      .function("size", &session_size);

  emscripten::class_<Engine>("Engine")
      .constructor<>()
      .function("reserveBundle", &Engine::reserve_bundle)
      .function("commitBundle", &Engine::commit_bundle)
      .function("hasModel", &Engine::has_model)
      .function("errorMessage", &Engine::error_message)
      .function("reserveExclude", &Engine::reserve_exclude)
      .function("recommend", &Engine::recommend)
      .function("related", &Engine::related)
      .function("boughtTogether", &Engine::bought_together)
      .function("reserveContext", &Engine::reserve_context)
      .function("reservePage", &Engine::reserve_page)
      .function("rank", &Engine::rank)
      .function("intent", &session_intent)
      .function("hasItemFactors", &Engine::has_item_factors)
      .function("userAdd", &Engine::user_add)
      .function("userRemove", &Engine::user_remove)
      .function("userClear", &Engine::user_clear)
      .function("userHistoryItems", &Engine::user_history_items)
      .function("resultItems", &Engine::result_items)
      .function("resultScores", &Engine::result_scores)
      .function("resultSources", &Engine::result_sources)
      .function("resultBecause", &Engine::result_because)
      .function("itemIndex", &item_index)
      .function("itemId", &item_id)
      .function("itemCount", &item_count)
      .function("kind", &model_kind)
      .function("version", &model_version)
      .function("manifest", &model_manifest)
      .function("hasCatalog", &has_catalog)
      .function("itemAttributes", &item_attributes);

  emscripten::class_<shelfwise::wasm::BehaviourStage>("Behaviour")
      .constructor<>()
      .function("reserve", &shelfwise::wasm::BehaviourStage::reserve)
      .function("types", &shelfwise::wasm::BehaviourStage::types)
      .function("times", &shelfwise::wasm::BehaviourStage::times)
      .function("compute", &shelfwise::wasm::BehaviourStage::compute)
      .function("resultJson", &shelfwise::wasm::BehaviourStage::result_json)
      .function("errorMessage", &shelfwise::wasm::BehaviourStage::error_message);
}
