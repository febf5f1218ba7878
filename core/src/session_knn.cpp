#include "shelfwise/session_knn.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "shelfwise/decimal_text.hpp"
#include "shelfwise/json_fields.hpp"
#include "shelfwise/portable_math.hpp"

namespace shelfwise {
namespace {

constexpr std::string_view kWeightingNames[] = {"same", "linear", "div", "quadratic"};

Status read_bounded(const JsonValue& inference, const std::string& prefix, const char* key, double minimum, double maximum,
                    double* value) {
  const std::string path = prefix + "." + key;
  SHELFWISE_RETURN_IF_ERROR(read_optional_number(inference, key, path, value));
  if (!(*value >= minimum && *value <= maximum)) {
    return Status(ErrorCode::bad_manifest, "manifest field '" + path + "' must be in [" + decimal_text(minimum) + ", " +
                                               decimal_text(maximum) + "]");
  }
  return Status::ok_status();
}

Status read_count(const JsonValue& inference, const std::string& prefix, const char* key, double maximum,
                  std::uint32_t* value) {
  double number = *value;
  SHELFWISE_RETURN_IF_ERROR(read_bounded(inference, prefix, key, 1.0, maximum, &number));
  if (number != static_cast<double>(static_cast<std::uint32_t>(number))) {
    return Status(ErrorCode::bad_manifest, "manifest field '" + prefix + "." + key + "' must be an integer");
  }
  *value = static_cast<std::uint32_t>(number);
  return Status::ok_status();
}

Status read_weighting(const JsonValue& inference, const std::string& prefix, const char* key, SessionWeighting* value) {
  const std::string path = prefix + "." + key;
  if (inference.find(key) == nullptr) return Status::ok_status();
  std::string name;
  SHELFWISE_RETURN_IF_ERROR(read_string(inference, key, path, &name));
  const auto weighting = session_weighting_from_name(name);
  if (!weighting) {
    return Status(ErrorCode::bad_manifest, "manifest field '" + path + "' is '" + name + "'; expected same, linear, div or quadratic");
  }
  *value = *weighting;
  return Status::ok_status();
}

// A multiple of 0.25 in [minimum, maximum], returned as a count of quarters.
Status read_quarters(const JsonValue& inference, const std::string& prefix, const char* key, double minimum, double maximum,
                     double* value) {
  SHELFWISE_RETURN_IF_ERROR(read_bounded(inference, prefix, key, minimum, maximum, value));
  if (*value * 4.0 != std::floor(*value * 4.0)) {
    return Status(ErrorCode::bad_manifest, "manifest field '" + prefix + "." + key + "' must be a multiple of 0.25");
  }
  return Status::ok_status();
}

float linear_decay(std::uint32_t steps_back) {
  const float weight = 1.0f - 0.1f * static_cast<float>(steps_back);
  return weight > 0.0f ? weight : 0.0f;
}

}  // namespace

float quarter_power(float x, std::uint32_t quarters) {
  if (quarters == 4) return x;
  float result = 1.0f;
  for (std::uint32_t whole = 0; whole < quarters / 4; ++whole) result *= x;
  const std::uint32_t rest = quarters % 4;
  if (rest == 0) return result;
  const float root = std::sqrt(x);  // correctly rounded by IEEE 754 everywhere, unlike pow
  if (rest >= 2) result *= root;
  if (rest % 2 == 1) result *= std::sqrt(root);
  return result;
}

std::string_view session_weighting_name(SessionWeighting weighting) { return kWeightingNames[static_cast<int>(weighting)]; }

std::optional<SessionWeighting> session_weighting_from_name(std::string_view name) {
  for (int index = 0; index < 4; ++index) {
    if (kWeightingNames[index] == name) return static_cast<SessionWeighting>(index);
  }
  return std::nullopt;
}

Status read_session_knn_config(const JsonValue& inference, const std::string& path, SessionKnnConfig* config) {
  if (!inference.is_object()) return Status(ErrorCode::bad_manifest, "manifest field '" + path + "' must be an object");
  SHELFWISE_RETURN_IF_ERROR(read_count(inference, path, "neighbours", 10000, &config->neighbours));
  SHELFWISE_RETURN_IF_ERROR(read_count(inference, path, "sample_size", 100000, &config->sample_size));
  SHELFWISE_RETURN_IF_ERROR(read_count(inference, path, "max_session_items", 1000, &config->max_session_items));
  SHELFWISE_RETURN_IF_ERROR(read_bounded(inference, path, "idf_weight", 0.0, 1e6, &config->idf_weight));
  SHELFWISE_RETURN_IF_ERROR(
      read_bounded(inference, path, "neighbour_position_decay", 1e-6, 1.0, &config->neighbour_position_decay));
  SHELFWISE_RETURN_IF_ERROR(read_bounded(inference, path, "session_position_decay", 1e-6, 1.0, &config->session_position_decay));
  SHELFWISE_RETURN_IF_ERROR(read_bounded(inference, path, "session_item_weight", 0.0, 1000.0, &config->session_item_weight));
  SHELFWISE_RETURN_IF_ERROR(
      read_bounded(inference, path, "neighbour_recency_half_life", 0.0, 1e9, &config->neighbour_recency_half_life));
  if (config->neighbour_recency_half_life > 0.0 && config->neighbour_recency_half_life < 1.0) {
    return Status(ErrorCode::bad_manifest, "manifest field '" + path + ".neighbour_recency_half_life' must be 0 or in [1, 1e9]");
  }
  SHELFWISE_RETURN_IF_ERROR(read_bounded(inference, path, "similarity_idf_weight", 0.0, 1e6, &config->similarity_idf_weight));
  SHELFWISE_RETURN_IF_ERROR(read_quarters(inference, path, "neighbour_length_exponent", 0.0, 2.0, &config->neighbour_length_exponent));
  SHELFWISE_RETURN_IF_ERROR(read_quarters(inference, path, "similarity_exponent", 0.25, 8.0, &config->similarity_exponent));
  SHELFWISE_RETURN_IF_ERROR(read_weighting(inference, path, "position_weighting", &config->position_weighting));
  SHELFWISE_RETURN_IF_ERROR(read_weighting(inference, path, "match_weighting", &config->match_weighting));
  return Status::ok_status();
}

nlohmann::json session_knn_config_json(const SessionKnnConfig& config) {
  return {{"neighbours", config.neighbours},
          {"sample_size", config.sample_size},
          {"position_weighting", std::string(session_weighting_name(config.position_weighting))},
          {"match_weighting", std::string(session_weighting_name(config.match_weighting))},
          {"idf_weight", config.idf_weight},
          {"max_session_items", config.max_session_items},
          {"neighbour_position_decay", config.neighbour_position_decay},
          {"session_position_decay", config.session_position_decay},
          {"neighbour_recency_half_life", config.neighbour_recency_half_life},
          {"session_item_weight", config.session_item_weight},
          {"similarity_idf_weight", config.similarity_idf_weight},
          {"neighbour_length_exponent", config.neighbour_length_exponent},
          {"similarity_exponent", config.similarity_exponent}};
}

SessionKnnScorer::SessionKnnScorer(const SessionIndex& index, const SessionKnnConfig& config, std::size_t item_count)
    : index_(&index),
      config_(config),
      idf_weight_(static_cast<float>(config.idf_weight)),
      session_item_weight_(static_cast<float>(config.session_item_weight)),
      recency_rate_(config.neighbour_recency_half_life > 0.0
                        ? static_cast<float>(0.6931471805599453 / config.neighbour_recency_half_life)
                        : 0.0f),
      similarity_idf_weight_(static_cast<float>(config.similarity_idf_weight)),
      length_quarters_(static_cast<std::uint32_t>(config.neighbour_length_exponent * 4.0)),
      similarity_quarters_(static_cast<std::uint32_t>(config.similarity_exponent * 4.0)),
      item_count_(item_count),
      session_marks_(item_count) {
  // Manifests and the CLI cap it at 1000 already; a mark has room for 1024 distinct items.
  config_.max_session_items = std::min(config_.max_session_items, SessionMarks::kSlotMask + 1);
  // Powers by repeated multiplication (no libm: native and wasm agree), cut where they vanish.
  const float decay = static_cast<float>(config.neighbour_position_decay);
  if (decay < 1.0f) {
    for (float weight = 1.0f; weight >= 1e-6f; weight *= decay) distance_weight_.push_back(weight);
  }
  const float session_decay = static_cast<float>(config.session_position_decay);
  session_decay_power_.reserve(config_.max_session_items);
  for (float weight = 1.0f; session_decay_power_.size() < config_.max_session_items; weight *= session_decay) {
    session_decay_power_.push_back(weight);
  }
  distinct_items_.reserve(config_.max_session_items);
  distinct_position_.reserve(config_.max_session_items);
  distinct_weight_.reserve(config_.max_session_items);
  heap_.reserve(config.max_session_items);
  candidates_.reserve(config.sample_size);
}

float SessionKnnScorer::position_weight(std::uint32_t position, std::uint32_t length) const {
  switch (config_.position_weighting) {
    case SessionWeighting::same: return 1.0f;
    case SessionWeighting::linear: return linear_decay(length - position);
    case SessionWeighting::div: return static_cast<float>(position) / static_cast<float>(length);
    case SessionWeighting::quadratic: {
      const float share = static_cast<float>(position) / static_cast<float>(length);
      return share * share;
    }
  }
  return 1.0f;
}

float SessionKnnScorer::match_weight(std::uint32_t step) const {
  switch (config_.match_weighting) {
    case SessionWeighting::same: return 1.0f;
    case SessionWeighting::linear: return linear_decay(step - 1);
    case SessionWeighting::div: return 1.0f / static_cast<float>(step);
    case SessionWeighting::quadratic: return 1.0f / (static_cast<float>(step) * static_cast<float>(step));
  }
  return 1.0f;
}

ArrayView<SessionNeighbour> SessionKnnScorer::find_neighbours(ArrayView<SessionEvent> events) {
  candidates_.clear();
  distinct_items_.clear();
  distinct_position_.clear();
  distinct_weight_.clear();
  heap_.clear();
  session_marks_.next_request();
  std::uint32_t length = 0;
  for (auto event = events.end(); event != events.begin() && length < config_.max_session_items;) {
    --event;
    if (event->item < item_count_) ++length;
  }
  // Backwards, so the first sight of an item is its last position.
  std::uint32_t position = length;
  for (auto event = events.end(); event != events.begin() && position > 0;) {
    --event;
    const std::uint32_t item = event->item;
    if (item >= item_count_) continue;
    if (!session_marks_.marked(item)) {
      session_marks_.mark(item, static_cast<std::uint32_t>(distinct_items_.size()));
      float weight = position_weight(position, length) * session_decay_power_[length - position];
      if (similarity_idf_weight_ > 0.0f) weight *= 1.0f + similarity_idf_weight_ * index_->item_weight(item);
      distinct_items_.push_back(item);
      distinct_position_.push_back(position);
      distinct_weight_.push_back(weight);
    }
    --position;
  }

  // Merge the items' most-recent-first lists: a max-heap on the session index pops sessions in
  // decreasing recency, so a session held by several items comes out consecutively.
  auto later_is_lower = [](const Cursor& left, const Cursor& right) {
    const std::uint32_t left_session = left.list.session();
    const std::uint32_t right_session = right.list.session();
    return left_session < right_session || (left_session == right_session && left.item > right.item);
  };
  for (const std::uint32_t item : distinct_items_) {
    const SessionListCursor sessions = index_->sessions_of(item);
    if (!sessions.done()) heap_.push_back({item, sessions});
  }
  std::make_heap(heap_.begin(), heap_.end(), later_is_lower);
  std::uint32_t previous = 0xFFFFFFFFU;
  while (!heap_.empty() && candidates_.size() < config_.sample_size) {
    std::pop_heap(heap_.begin(), heap_.end(), later_is_lower);
    Cursor& cursor = heap_.back();
    const std::uint32_t session = cursor.list.session();
    cursor.list.advance();
    if (!cursor.list.done()) {
      std::push_heap(heap_.begin(), heap_.end(), later_is_lower);
    } else {
      heap_.pop_back();
    }
    if (session == previous) continue;
    previous = session;
    float similarity = 0.0f;
    std::uint32_t latest_position = 0;
    std::uint32_t matched_item = 0;
    std::uint32_t matched_entry = 0;
    const std::size_t session_length = index_->visit_items_of(session, [&](auto items) {
      for (std::uint32_t entry = 0; entry < items.size(); ++entry) {
        const std::uint32_t item = items[entry];
        if (!session_marks_.marked(item)) continue;
        const std::uint32_t distinct = session_marks_.slot(item);
        similarity += distinct_weight_[distinct];
        if (distinct_position_[distinct] > latest_position) {
          latest_position = distinct_position_[distinct];
          matched_item = item;
          matched_entry = entry;
        }
      }
      return items.size();
    });
    if (length_quarters_ > 0) similarity /= quarter_power(static_cast<float>(session_length), length_quarters_);
    similarity = quarter_power(similarity, similarity_quarters_);
    if (recency_rate_ > 0.0f) {
      const auto age = static_cast<float>(index_->session_count() - 1 - session);
      similarity *= portable_exp(-(age * recency_rate_));
    }
    // Counted as sampled even at zero similarity: the sample is "the most recent sessions".
    candidates_.push_back({session, similarity, matched_item, length - latest_position + 1, matched_entry});
  }

  auto more_similar = [](const SessionNeighbour& left, const SessionNeighbour& right) {
    return left.similarity > right.similarity || (left.similarity == right.similarity && left.session > right.session);
  };
  const std::size_t kept = std::min<std::size_t>(config_.neighbours, candidates_.size());
  std::partial_sort(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(kept), candidates_.end(), more_similar);
  std::size_t positive = 0;
  while (positive < kept && candidates_[positive].similarity > 0.0f) ++positive;
  return {candidates_.data(), positive};
}

}  // namespace shelfwise
