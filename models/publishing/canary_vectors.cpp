#include "publishing/canary_vectors.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "shelfwise/recommender.hpp"

namespace shelfwise::publishing {
namespace {

const char* const kEventTypeNames[kEventTypeCount] = {"view", "cart", "purchase"};

struct CanaryRequest {
  bool related = false;
  std::uint32_t item = 0;               // related
  std::vector<SessionEvent> events;     // recommend
};

// The sessions exercise every tensor a device reads: an empty one (popularity), the most popular
// item, items spread across the vocabulary (the neighbour tables far from the head), the most
// connected item, a cart event, and the related lists.
std::vector<CanaryRequest> choose_requests(const Model& model) {
  const auto count = static_cast<std::uint32_t>(model.item_count());
  const std::uint32_t head = model.popular_head().empty() ? 0 : model.popular_head()[0];
  std::uint32_t most_connected = head;
  if (const NeighbourTable* next = model.next_neighbours()) {
    std::size_t longest = 0;
    for (std::uint32_t item = 0; item < count; ++item) {
      if (next->neighbours(item).size() > longest) {
        longest = next->neighbours(item).size();
        most_connected = item;
      }
    }
  }
  std::vector<CanaryRequest> requests(5);
  requests[1].events = {{head, EventType::view, 0.0}};
  requests[2].events = {{count / 4, EventType::view, 0.0}, {count / 2, EventType::view, 0.0}, {(3 * count) / 4, EventType::cart, 0.0}};
  requests[3].events = {{most_connected, EventType::view, 0.0}};
  requests[4].related = true;
  requests[4].item = count > 1 ? count / 3 : 0;
  return requests;
}

Status run(Recommender& recommender, const CanaryRequest& request, std::size_t k, std::vector<Recommendation>* results) {
  if (request.related) return recommender.related(request.item, k, {}, results);
  SessionState session;
  for (const SessionEvent& event : request.events) session.add(event);
  return recommender.recommend(session, k, {}, results);
}

bool scores_match(double expected, double actual) {
  return std::fabs(expected - actual) <= std::max(1e-6, kCanaryScoreTolerance * std::fabs(expected));
}

Status malformed(std::size_t index, const std::string& what) {
  return Status(ErrorCode::bad_manifest, "canaries[" + std::to_string(index) + "]: " + what);
}

Status item_index(const Model& model, const nlohmann::json& value, std::size_t index, std::uint32_t* out) {
  if (!value.is_string()) return malformed(index, "item_id must be a string");
  const auto found = model.items().find(value.get_ref<const std::string&>());
  if (!found) return Status(ErrorCode::canary_mismatch, "canaries[" + std::to_string(index) + "]: item '" + value.get<std::string>() + "' is not in the bundle");
  *out = *found;
  return Status::ok_status();
}

Result<CanaryRequest> parse_request(const Model& model, const nlohmann::json& canary, std::size_t index) {
  CanaryRequest request;
  if (!canary.is_object() || !canary.contains("request") || !canary["request"].is_string()) return malformed(index, "request is missing");
  const std::string& kind = canary["request"].get_ref<const std::string&>();
  if (kind == "related") {
    request.related = true;
    SHELFWISE_RETURN_IF_ERROR(item_index(model, canary.contains("item_id") ? canary["item_id"] : nlohmann::json(), index, &request.item));
    return request;
  }
  if (kind != "recommend") return malformed(index, "request '" + kind + "' is not recommend or related");
  if (!canary.contains("events") || !canary["events"].is_array()) return malformed(index, "events must be an array");
  for (const auto& event : canary["events"]) {
    SessionEvent parsed;
    SHELFWISE_RETURN_IF_ERROR(item_index(model, event.is_object() && event.contains("item_id") ? event["item_id"] : nlohmann::json(), index, &parsed.item));
    const std::string type = event.contains("type") && event["type"].is_string() ? event["type"].get<std::string>() : "";
    const auto* name = std::find(std::begin(kEventTypeNames), std::end(kEventTypeNames), type);
    if (name == std::end(kEventTypeNames)) return malformed(index, "event type '" + type + "' is not view, cart or purchase");
    parsed.type = static_cast<EventType>(name - std::begin(kEventTypeNames));
    request.events.push_back(parsed);
  }
  return request;
}

}  // namespace

Result<nlohmann::json> compute_canaries(const Model& model, std::size_t k) {
  if (model.item_count() == 0) return Status(ErrorCode::invalid_argument, "the model has no items");
  Recommender recommender(std::shared_ptr<const Model>(std::shared_ptr<const Model>(), &model));
  nlohmann::json canaries = nlohmann::json::array();
  std::vector<Recommendation> results;
  for (const CanaryRequest& request : choose_requests(model)) {
    SHELFWISE_RETURN_IF_ERROR(run(recommender, request, k, &results));
    nlohmann::json canary = {{"request", request.related ? "related" : "recommend"}, {"k", k}};
    if (request.related) {
      canary["item_id"] = std::string(model.items().id(request.item));
    } else {
      canary["events"] = nlohmann::json::array();
      for (const SessionEvent& event : request.events) {
        canary["events"].push_back({{"item_id", std::string(model.items().id(event.item))},
                                    {"type", kEventTypeNames[static_cast<int>(event.type)]}});
      }
    }
    canary["expected"] = nlohmann::json::array();
    for (const Recommendation& result : results) {
      canary["expected"].push_back({{"item_id", std::string(model.items().id(result.item))}, {"score", static_cast<double>(result.score)}});
    }
    canaries.push_back(std::move(canary));
  }
  return canaries;
}

Status check_canaries(const Model& model, const nlohmann::json& canaries) {
  if (!canaries.is_array() || canaries.empty()) return Status(ErrorCode::bad_manifest, "canaries must be a non-empty array");
  // Aliasing constructor: the recommender borrows the caller's model without owning it.
  Recommender recommender(std::shared_ptr<const Model>(std::shared_ptr<const Model>(), &model));
  std::vector<Recommendation> results;
  for (std::size_t index = 0; index < canaries.size(); ++index) {
    const nlohmann::json& canary = canaries[index];
    auto request = parse_request(model, canary, index);
    if (!request.ok()) return request.status();
    if (!canary.contains("k") || !canary["k"].is_number_unsigned()) return malformed(index, "k must be a positive integer");
    if (!canary.contains("expected") || !canary["expected"].is_array()) return malformed(index, "expected must be an array");
    const nlohmann::json& expected = canary["expected"];
    SHELFWISE_RETURN_IF_ERROR(run(recommender, request.value(), canary["k"].get<std::size_t>(), &results));
    if (results.size() != expected.size()) {
      return Status(ErrorCode::canary_mismatch, "canaries[" + std::to_string(index) + "]: " + std::to_string(results.size()) +
                                                    " results, expected " + std::to_string(expected.size()));
    }
    for (std::size_t rank = 0; rank < results.size(); ++rank) {
      const nlohmann::json& want = expected[rank];
      const bool well_formed = want.is_object() && want.contains("item_id") && want["item_id"].is_string() &&
                               want.contains("score") && want["score"].is_number();
      if (!well_formed) return malformed(index, "expected[" + std::to_string(rank) + "] needs item_id and score");
      const std::string actual_id(model.items().id(results[rank].item));
      if (actual_id != want["item_id"].get_ref<const std::string&>() || !scores_match(want["score"].get<double>(), results[rank].score)) {
        return Status(ErrorCode::canary_mismatch, "canaries[" + std::to_string(index) + "] rank " + std::to_string(rank) + ": got " +
                                                      actual_id + " (" + std::to_string(results[rank].score) + "), expected " +
                                                      want["item_id"].get<std::string>() + " (" + std::to_string(want["score"].get<double>()) + ")");
      }
    }
  }
  return Status::ok_status();
}

}  // namespace shelfwise::publishing
