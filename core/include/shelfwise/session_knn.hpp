// Session-based k-nearest neighbours, the V-SKNN variant of Ludewig & Jannach ("Evaluation of
// session-based recommendation algorithms", 2018), scored over a SessionIndex read in place.
//
// For the current session (its latest `max_session_items` known events, positions 1..L, L the
// latest):
//   1. the session vector gives each distinct item the position weight of its last occurrence
//      times session_position_decay^(L - position) (STAN's lambda_1, by steps instead of time);
//   2. candidate neighbours are the `sample_size` most recent stored sessions that share an item
//      with it (a merge of the items' most-recent-first lists);
//   3. similarity = dot product of the session vector with the candidate's binary item vector
//      (each shared item also times 1 + similarity_idf_weight * IDF), divided by the candidate's
//      distinct-item count^neighbour_length_exponent, raised to similarity_exponent (> 1 lets the
//      closest neighbours dominate), times 2^(-age / neighbour_recency_half_life) when that is > 0, age = how many stored
//      sessions are more recent than the candidate (STAN's lambda_2, by the log's order since the
//      session datasets keep no times); the `neighbours` most similar candidates are kept (ties:
//      the more recent session);
//   4. each item of a neighbour scores similarity * match_weight(step) * (1 + idf_weight *
//      item_weight(item)) * neighbour_position_decay^distance, where step is how far back
//      (1 = latest event) the current session last touched an item the neighbour holds (the
//      "matched" item), and distance is how many places the item stands from the matched one in
//      the neighbour's click order (the sequence-aware weighting of STAN, Garg et al. 2019;
//      decay 1 is plain V-SKNN); an item among the current session's latest max_session_items
//      (a re-click if it comes next) has its contributions multiplied by session_item_weight.
// Only + - * / on floats: native and wasm builds score bit-identically.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/array_view.hpp"
#include "shelfwise/json_value.hpp"
#include "shelfwise/session_index.hpp"
#include "shelfwise/slot_marks.hpp"
#include "shelfwise/session_state.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise {

// Decay functions. Position weights (i of L, steps_back = L - i): same 1, linear
// max(0, 1 - 0.1 steps_back), div i/L, quadratic (i/L)^2. Match weights (step s >= 1): same 1,
// linear max(0, 1 - 0.1 (s - 1)), div 1/s, quadratic 1/s^2.
enum class SessionWeighting : std::uint8_t { same, linear, div, quadratic };

std::string_view session_weighting_name(SessionWeighting weighting);
std::optional<SessionWeighting> session_weighting_from_name(std::string_view name);

// The manifest's "inference" object of an "sknn" bundle; the trainer tunes it on validation data.
// Defaults: what an absent key means (the first bundles' values); the trainer starts from the
// values tuned on diginetica instead (models/cli/session_knn_training.cpp).
struct SessionKnnConfig {
  std::uint32_t neighbours = 100;    // 1..10000
  std::uint32_t sample_size = 500;   // 1..100000
  SessionWeighting position_weighting = SessionWeighting::linear;
  SessionWeighting match_weighting = SessionWeighting::div;
  double idf_weight = 5.0;           // 0..1e6
  std::uint32_t max_session_items = 20;  // 1..1000
  double neighbour_position_decay = 0.8;  // (0, 1]
  // Added after format v1's first sknn bundles; an absent key means the value below, which is
  // the earlier behaviour (so older bundles score as before). The trainer starts from its own
  // values (models/cli/session_knn_training.cpp).
  double session_position_decay = 1.0;       // (0, 1]; 1 = no extra decay
  double neighbour_recency_half_life = 0.0;  // 0 (off) or [1, 1e9] stored sessions
  double session_item_weight = 1.0;          // [0, 1000]; 1 = re-clicks scored like any item
  // Neighbour similarity shaping (absent keys: the earlier behaviour). Exponents are multiples of
  // 0.25 so powers need only sqrt and *, which IEEE rounds identically in native and wasm.
  double similarity_idf_weight = 0.0;      // [0, 1e6]; a shared item adds (1 + x * idf) times its weight
  double neighbour_length_exponent = 0.0;  // 0..2 by 0.25; similarity / (neighbour's distinct items)^x
  double similarity_exponent = 1.0;        // 0.25..8 by 0.25; a neighbour scores with similarity^x
};

// x^(quarters / 4) for x >= 0 from sqrt and products only; quarters == 4 returns x itself.
float quarter_power(float x, std::uint32_t quarters);


// Reads the keys present in `inference` (absent keys keep their defaults); BAD_MANIFEST naming
// the field (under `path`, e.g. "inference") for a wrong type or a value out of range.
Status read_session_knn_config(const JsonValue& inference, const std::string& path, SessionKnnConfig* config);
nlohmann::json session_knn_config_json(const SessionKnnConfig& config);

struct SessionNeighbour {
  std::uint32_t session;
  float similarity;
  std::uint32_t matched_item;   // the latest current-session item the neighbour holds
  std::uint32_t match_step;     // 1 = the latest event of the current session
  std::uint32_t matched_entry;  // the matched item's place in the neighbour's items
};

// Per-request scratch for one (index, config) pair, sized once in the constructor: a request
// allocates nothing. The index must outlive the scorer. Not thread-safe.
class SessionKnnScorer {
 public:
  SessionKnnScorer(const SessionIndex& index, const SessionKnnConfig& config, std::size_t item_count);

  // Steps 1-3 for `events` (oldest first; indices >= item_count are ignored). The view is valid
  // until the next call; ordered by decreasing similarity.
  ArrayView<SessionNeighbour> find_neighbours(ArrayView<SessionEvent> events);

  // Step 4: calls visit(item, contribution, matched_item) for every item of every neighbour.
  template <typename Visit>
  void score(ArrayView<SessionEvent> events, Visit&& visit);

 private:
  float position_weight(std::uint32_t position, std::uint32_t length) const;
  float match_weight(std::uint32_t step) const;

  const SessionIndex* index_;
  SessionKnnConfig config_;
  float idf_weight_;
  float session_item_weight_;
  float recency_rate_;  // ln 2 / neighbour_recency_half_life; 0 when off
  float similarity_idf_weight_;
  std::uint32_t length_quarters_;      // neighbour_length_exponent * 4
  std::uint32_t similarity_quarters_;  // similarity_exponent * 4
  // session_position_decay^steps_back for steps_back < max_session_items.
  std::vector<float> session_decay_power_;
  // neighbour_position_decay^distance, 0 beyond the table; empty when the decay is 1 (no weighting).
  std::vector<float> distance_weight_;
  std::size_t item_count_;
  // An item of the current session is marked with its index among the session's distinct items
  // (10 bits: max_session_items is at most 1000), whose last position (1-based) and weight sit in
  // small arrays: one array of the catalogue's size instead of three.
  using SessionMarks = SlotMarks<10>;
  SessionMarks session_marks_;
  std::vector<std::uint32_t> distinct_items_;  // of the current session
  std::vector<std::uint32_t> distinct_position_;
  std::vector<float> distinct_weight_;
  struct Cursor {
    std::uint32_t item;
    SessionListCursor list;
  };
  std::vector<Cursor> heap_;
  std::vector<SessionNeighbour> candidates_;
};

template <typename Visit>
void SessionKnnScorer::score(ArrayView<SessionEvent> events, Visit&& visit) {
  const ArrayView<SessionNeighbour> neighbours = find_neighbours(events);
  for (const SessionNeighbour& neighbour : neighbours) {
    const float base = neighbour.similarity * match_weight(neighbour.match_step);
    if (!(base > 0.0f)) continue;
    index_->visit_items_of(neighbour.session, [&](auto items) {
      for (std::uint32_t entry = 0; entry < items.size(); ++entry) {
        const std::uint32_t item = items[entry];
        float weight = base;
        if (!distance_weight_.empty()) {
          const std::uint32_t distance = entry > neighbour.matched_entry ? entry - neighbour.matched_entry : neighbour.matched_entry - entry;
          if (distance >= distance_weight_.size()) continue;
          weight = base * distance_weight_[distance];
        }
        if (session_marks_.marked(item)) weight *= session_item_weight_;
        visit(item, weight * (1.0f + idf_weight_ * index_->item_weight(item)), neighbour.matched_item);
      }
    });
  }
}

}  // namespace shelfwise
