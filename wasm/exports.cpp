// The wasm surface: plain C functions (no Embind), wrapped for the SDK by js/src/core_binding.js.
// Objects (Engine, SessionState, BehaviourStage) cross as addresses; numbers as numbers; bulk
// data (bundle bytes, item lists, results) as addresses into wasm memory that JS reads with typed
// arrays. Text goes in through two staging slots (sw_text_in: JS writes UTF-8 there, the call
// takes its byte length) and comes out through one (a call returns the byte length of the text
// it left at sw_text_out(), valid until the next call that returns text). Structured results
// (intent, behaviour, attributes, the manifest) come out the same way in the binary JSON form of
// json_binary.hpp, which the SDK decodes to objects. Errors are values: a negative return is
// -ErrorCode, the message is read with sw_engine_error_message.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "behaviour_stage.hpp"
#include "engine.hpp"
#include "shelfwise/json_binary.hpp"
#include "shelfwise/status.hpp"

namespace {

using shelfwise::SessionState;
using shelfwise::wasm::BehaviourStage;
using shelfwise::wasm::Engine;

std::string text_in[2];
std::string text_out;

std::string_view input(int slot, std::size_t size) { return std::string_view(text_in[slot].data(), size < text_in[slot].size() ? size : text_in[slot].size()); }

int output(std::string text) {
  text_out = std::move(text);
  return static_cast<int>(text_out.size());
}

int output_view(std::string_view text) { return output(std::string(text)); }

int output_value(const shelfwise::JsonValue& value) {
  text_out.clear();
  shelfwise::encode_json_binary(value, &text_out);
  return static_cast<int>(text_out.size());
}

shelfwise::JsonValue string_value(std::string_view text) { return shelfwise::JsonValue::string(std::string(text)); }

}  // namespace

extern "C" {

// Room for `size` bytes of UTF-8 in input slot 0 or 1; its address.
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_text_in(int slot, std::size_t size) {
  std::string& buffer = text_in[slot == 0 ? 0 : 1];
  buffer.resize(size);
  return reinterpret_cast<std::uintptr_t>(buffer.data());
}

EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_text_out() { return reinterpret_cast<std::uintptr_t>(text_out.data()); }

// An array of the stable code names, indexed by code number.
EMSCRIPTEN_KEEPALIVE int sw_error_code_names() {
  shelfwise::JsonValue names = shelfwise::JsonValue::array();
  for (int code = 0; code < shelfwise::error_code_count(); ++code) {
    names.push_back(string_value(shelfwise::error_code_name(static_cast<shelfwise::ErrorCode>(code))));
  }
  return output_value(names);
}

// Sessions.
EMSCRIPTEN_KEEPALIVE SessionState* sw_session_new(std::size_t max_events) { return new SessionState(max_events); }
EMSCRIPTEN_KEEPALIVE void sw_session_delete(SessionState* session) { delete session; }
EMSCRIPTEN_KEEPALIVE void sw_session_add(SessionState* session, std::uint32_t item, int type, double time) {
  const int clamped = type < 0 || type >= shelfwise::kEventTypeCount ? 0 : type;
  session->add({item, static_cast<shelfwise::EventType>(clamped), time});
}
EMSCRIPTEN_KEEPALIVE void sw_session_clear(SessionState* session) { session->clear(); }
EMSCRIPTEN_KEEPALIVE std::size_t sw_session_size(const SessionState* session) { return session->events().size(); }

// Engines (engine.hpp has the contract of each call).
EMSCRIPTEN_KEEPALIVE Engine* sw_engine_new() { return new Engine(); }
EMSCRIPTEN_KEEPALIVE void sw_engine_delete(Engine* engine) { delete engine; }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_engine_reserve_bundle(Engine* engine, std::size_t size) { return engine->reserve_bundle(size); }
EMSCRIPTEN_KEEPALIVE int sw_engine_commit_bundle(Engine* engine) { return engine->commit_bundle(); }
EMSCRIPTEN_KEEPALIVE int sw_engine_has_model(const Engine* engine) { return engine->has_model() ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE int sw_engine_error_message(const Engine* engine) { return output(engine->error_message()); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_engine_reserve_exclude(Engine* engine, std::size_t count) { return engine->reserve_exclude(count); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_engine_reserve_context(Engine* engine, std::size_t count) { return engine->reserve_context(count); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_engine_reserve_page(Engine* engine, std::size_t count) { return engine->reserve_page(count); }
EMSCRIPTEN_KEEPALIVE int sw_engine_recommend(Engine* engine, const SessionState* session, std::size_t k, std::size_t exclude_count) {
  return engine->recommend(*session, k, exclude_count);
}
EMSCRIPTEN_KEEPALIVE int sw_engine_related(Engine* engine, std::uint32_t item, std::size_t k, std::size_t exclude_count) {
  return engine->related(item, k, exclude_count);
}
EMSCRIPTEN_KEEPALIVE int sw_engine_bought_together(Engine* engine, std::uint32_t item, std::size_t k, std::size_t exclude_count) {
  return engine->bought_together(item, k, exclude_count);
}
// The slot name is input slot 0 (`slot_size` bytes), the rules text input slot 1.
EMSCRIPTEN_KEEPALIVE int sw_engine_rank(Engine* engine, const SessionState* session, std::size_t slot_size, std::size_t k,
                                        std::size_t context_count, int rerank, std::size_t page_count, std::size_t exclude_count,
                                        std::size_t rules_size) {
  return engine->rank(*session, std::string(input(0, slot_size)), k, context_count, rerank != 0, page_count, exclude_count,
                      std::string(input(1, rules_size)));
}
EMSCRIPTEN_KEEPALIVE int sw_engine_has_item_factors(const Engine* engine) { return engine->has_item_factors() ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE void sw_engine_user_add(Engine* engine, std::uint32_t item, int type) { engine->user_add(item, type); }
EMSCRIPTEN_KEEPALIVE void sw_engine_user_remove(Engine* engine, std::uint32_t item, int type) { engine->user_remove(item, type); }
EMSCRIPTEN_KEEPALIVE void sw_engine_user_clear(Engine* engine) { engine->user_clear(); }
EMSCRIPTEN_KEEPALIVE std::size_t sw_engine_user_history_items(const Engine* engine) { return engine->user_history_items(); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_engine_result_items(const Engine* engine) { return engine->result_items(); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_engine_result_scores(const Engine* engine) { return engine->result_scores(); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_engine_result_sources(const Engine* engine) { return engine->result_sources(); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_engine_result_because(const Engine* engine) { return engine->result_because(); }

// The model index of the item id in input slot 0, or -1.
EMSCRIPTEN_KEEPALIVE int sw_engine_item_index(const Engine* engine, std::size_t id_size) {
  if (!engine->has_model()) return -1;
  const auto found = engine->model().items().find(input(0, id_size));
  return found ? static_cast<int>(*found) : -1;
}
EMSCRIPTEN_KEEPALIVE int sw_engine_item_id(const Engine* engine, std::uint32_t index) {
  if (!engine->has_model() || index >= engine->model().item_count()) return output(std::string());
  return output_view(engine->model().items().id(index));
}
EMSCRIPTEN_KEEPALIVE std::size_t sw_engine_item_count(const Engine* engine) { return engine->has_model() ? engine->model().item_count() : 0; }
EMSCRIPTEN_KEEPALIVE int sw_engine_kind(const Engine* engine) { return output(engine->has_model() ? engine->model().kind_name() : ""); }
EMSCRIPTEN_KEEPALIVE int sw_engine_version(const Engine* engine) { return output(engine->has_model() ? engine->model().version() : ""); }

// The manifest without its tensor table (the SDK's modelInfo()).
EMSCRIPTEN_KEEPALIVE int sw_engine_manifest(const Engine* engine) {
  if (!engine->has_model()) return output_value(shelfwise::JsonValue::object());
  shelfwise::JsonValue manifest = engine->model().bundle().manifest();
  manifest.erase("tensors");
  return output_value(manifest);
}

EMSCRIPTEN_KEEPALIVE int sw_engine_has_catalog(const Engine* engine) {
  return engine->has_model() && engine->model().catalog() != nullptr ? 1 : 0;
}

// One product's attributes, or null without a catalogue or for a bad index.
EMSCRIPTEN_KEEPALIVE int sw_engine_item_attributes(const Engine* engine, std::uint32_t index) {
  if (sw_engine_has_catalog(engine) == 0 || index >= engine->model().item_count()) return output_value(shelfwise::JsonValue());
  const shelfwise::Catalog& catalog = *engine->model().catalog();
  shelfwise::JsonValue attributes = shelfwise::JsonValue::object();
  attributes.set("title", string_value(catalog.title(index)));
  attributes.set("category", string_value(catalog.category_name(index)));
  attributes.set("available", shelfwise::JsonValue::boolean(catalog.available(index)));
  attributes.set("price", catalog.price(index) < 0.0f ? shelfwise::JsonValue() : shelfwise::JsonValue::number(catalog.price(index)));
  return output_value(attributes);
}

// The visit's intent for the SDK's intent(), or null when the model has no intent heads.
EMSCRIPTEN_KEEPALIVE int sw_engine_intent(Engine* engine, const SessionState* session) {
  using shelfwise::JsonValue;
  const shelfwise::Intent* intent = engine->intent(*session);
  if (intent == nullptr) return output_value(JsonValue());
  JsonValue stages = JsonValue::object();
  for (std::size_t stage = 0; stage < shelfwise::kShoppingStageCount; ++stage) {
    stages.set(std::string(shelfwise::shopping_stage_name(static_cast<shelfwise::ShoppingStage>(stage))),
               JsonValue::number(intent->stage_probabilities[stage]));
  }
  JsonValue result = JsonValue::object();
  result.set("purchaseProbability", JsonValue::number(intent->purchase_probability));
  result.set("stage", string_value(shelfwise::shopping_stage_name(intent->stage)));
  result.set("stages", std::move(stages));
  result.set("category", JsonValue());
  result.set("categoryProbability", JsonValue());
  const shelfwise::Catalog* catalog = engine->model().catalog();
  if (intent->category != shelfwise::kNoCategory && catalog != nullptr && intent->category < catalog->category_count()) {
    result.set("category", string_value(catalog->category_label(intent->category)));
    result.set("categoryProbability", JsonValue::number(intent->category_probability));
  }
  return output_value(result);
}

// Behaviour staging (behaviour_stage.hpp).
EMSCRIPTEN_KEEPALIVE BehaviourStage* sw_behaviour_new() { return new BehaviourStage(); }
EMSCRIPTEN_KEEPALIVE void sw_behaviour_delete(BehaviourStage* stage) { delete stage; }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_behaviour_reserve(BehaviourStage* stage, std::size_t count) { return stage->reserve(count); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_behaviour_types(const BehaviourStage* stage) { return stage->types(); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t sw_behaviour_times(const BehaviourStage* stage) { return stage->times(); }
EMSCRIPTEN_KEEPALIVE int sw_behaviour_compute(BehaviourStage* stage, const Engine* engine, std::size_t count, double now, double hour,
                                              int device, double half_life_days) {
  return stage->compute(*engine, count, now, hour, device, half_life_days);
}
EMSCRIPTEN_KEEPALIVE int sw_behaviour_result(const BehaviourStage* stage) { return output_value(stage->result()); }
EMSCRIPTEN_KEEPALIVE int sw_behaviour_error_message(const BehaviourStage* stage) { return output(stage->error_message()); }

}  // extern "C"
