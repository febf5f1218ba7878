// libFuzzer target: the body of the edge worker's POST /rerank, taken to the core the way the
// worker takes it. The worker checks the body in JS (js/edge/rerank_request.js; its own property
// test is tests/js/edge_worker.test.mjs) and the SDK (Personalizer.rerank) hands the core item
// indices, the visit, the slot, k and the rules as JSON text through wasm/engine.hpp: this harness
// applies the same checks in C++ (lengths counted in bytes, not UTF-16 units) and drives the same
// Engine (compiled natively), one engine for every input as one worker isolate serves every
// request. The input is the request body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "engine.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace {

using shelfwise::SessionEvent;
using shelfwise::SessionState;
using shelfwise::wasm::Engine;

// js/edge/rerank_request.js LIMITS.
constexpr std::size_t kMaxItems = 1000;
constexpr std::size_t kMaxSessionEvents = 200;
constexpr std::size_t kMaxK = 1000;
constexpr std::size_t kMaxItemIdLength = 256;
constexpr std::size_t kMaxSlotLength = 64;

Engine& engine() {
  static Engine* instance = [] {
    std::ifstream file(SHELFWISE_FUZZ_MODEL_PATH, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    auto* made = new Engine();
    const std::uintptr_t address = made->reserve_bundle(bytes.size());
    if (address == 0) std::abort();
    std::memcpy(reinterpret_cast<void*>(address), bytes.data(), bytes.size());
    if (made->commit_bundle() != 0) std::abort();
    return made;
  }();
  return *instance;
}

bool item_id(const nlohmann::json& value) {
  return value.is_string() && !value.get_ref<const std::string&>().empty() && value.get_ref<const std::string&>().size() <= kMaxItemIdLength;
}

int index_of(const Engine& engine, const std::string& id) {
  const auto found = engine.model().items().find(id);
  return found ? static_cast<int>(*found) : -1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Engine& core = engine();
  const nlohmann::json body = nlohmann::json::parse(data, data + size, nullptr, false);
  // rerank_request.js: every refusal below is a 4xx before the core sees anything.
  if (body.is_discarded() || !body.is_object()) return 0;
  for (const auto& member : body.items()) {
    static const std::set<std::string> known = {"items", "session", "slot", "k", "rules", "context"};
    if (known.count(member.key()) == 0) return 0;
  }
  if (!body.contains("items") || !body["items"].is_array() || body["items"].size() > kMaxItems) return 0;
  std::vector<std::uint32_t> page;
  for (const auto& value : body["items"]) {
    if (!item_id(value)) return 0;
    const int index = index_of(core, value.get<std::string>());
    if (index < 0) return 0;  // 422 UNKNOWN_ITEM
    page.push_back(static_cast<std::uint32_t>(index));
  }
  std::string slot = "category-rerank";
  if (body.contains("slot") && !body["slot"].is_null()) {
    if (!body["slot"].is_string()) return 0;
    slot = body["slot"].get<std::string>();
    if (slot.empty() || slot.size() > kMaxSlotLength) return 0;
  }
  std::size_t k = page.empty() ? 1 : page.size();
  if (body.contains("k") && !body["k"].is_null()) {
    const nlohmann::json& value = body["k"];
    if (!value.is_number()) return 0;
    const double number = value.get<double>();
    if (!(number >= 1) || number > static_cast<double>(kMaxK) || number != static_cast<double>(static_cast<std::size_t>(number))) return 0;
    k = static_cast<std::size_t>(number);
  }
  std::string rules;  // Personalizer's rulesText(): "" for none, a string as it is, an object as JSON
  if (body.contains("rules") && !body["rules"].is_null()) {
    if (body["rules"].is_string()) {
      rules = body["rules"].get<std::string>();
    } else if (body["rules"].is_object()) {
      rules = shelfwise::dump_json(body["rules"]);
    } else {
      return 0;
    }
  }
  SessionState session;  // the SDK's session, 200 events by default; unknown ids are not added
  if (body.contains("session")) {
    const nlohmann::json& events = body["session"];
    if (!events.is_array() || events.size() > kMaxSessionEvents) return 0;
    double time = 0;
    for (const auto& event : events) {
      std::string id;
      int type = 0;
      if (event.is_string()) {
        id = event.get<std::string>();
      } else if (event.is_object()) {
        if (event.contains("type") && !event["type"].is_null()) {
          const nlohmann::json& name = event["type"];
          if (name == "cart") type = 1;
          else if (name == "purchase") type = 2;
          else if (name != "view") return 0;
        }
        if (!event.contains("itemId")) return 0;
        id = event["itemId"].is_string() ? event["itemId"].get<std::string>() : "";
      } else {
        return 0;
      }
      if (id.empty() || id.size() > kMaxItemIdLength) return 0;
      time += 1;
      const int index = index_of(core, id);
      if (index >= 0) session.add(SessionEvent{static_cast<std::uint32_t>(index), static_cast<shelfwise::EventType>(type), time});
    }
  }
  std::vector<std::uint32_t> context;  // Personalizer's checkContext(): known ids only, at most 50
  if (body.contains("context") && !body["context"].is_null()) {
    const nlohmann::json& value = body["context"];
    if (!value.is_object()) return 0;
    std::vector<std::string> ids;
    for (const auto& member : value.items()) {
      if (member.key() == "itemId") {
        if (!item_id(member.value())) return 0;
        ids.push_back(member.value().get<std::string>());
      } else if (member.key() == "items") {
        if (!member.value().is_array()) return 0;
        for (const auto& id : member.value()) {
          if (!item_id(id)) return 0;
          ids.push_back(id.get<std::string>());
        }
      } else {
        return 0;
      }
    }
    if (ids.size() > shelfwise::kMaxContextItems) return 0;
    for (const std::string& id : ids) {
      const int index = index_of(core, id);
      if (index >= 0) context.push_back(static_cast<std::uint32_t>(index));
    }
  }
  if (page.empty()) return 0;  // the SDK answers [] without the core

  if (core.reserve_exclude(0) == 0) std::abort();
  const std::uintptr_t context_address = core.reserve_context(context.size());
  const std::uintptr_t page_address = core.reserve_page(page.size());
  if (context_address == 0 || page_address == 0) std::abort();
  if (!context.empty()) std::memcpy(reinterpret_cast<void*>(context_address), context.data(), context.size() * sizeof(std::uint32_t));
  std::memcpy(reinterpret_cast<void*>(page_address), page.data(), page.size() * sizeof(std::uint32_t));
  const int count = core.rank(session, slot, k, context.size(), true, page.size(), 0, rules);
  if (count < 0) {
    if (core.error_message().empty()) __builtin_trap();  // every refusal names its cause
    return 0;
  }
  // A rerank returns at most k of the page's own items, each once.
  if (static_cast<std::size_t>(count) > k) __builtin_trap();
  const auto* items = reinterpret_cast<const std::uint32_t*>(core.result_items());
  std::set<std::uint32_t> seen;
  const std::set<std::uint32_t> on_page(page.begin(), page.end());
  for (int rank = 0; rank < count; ++rank) {
    if (on_page.count(items[rank]) == 0 || !seen.insert(items[rank]).second) __builtin_trap();
  }
  return 0;
}
