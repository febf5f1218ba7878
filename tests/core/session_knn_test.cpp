// Session-kNN: the core scorer against a brute-force reading of the V-SKNN definition straight
// from the training log, the validation of the stored-session tensors, and the trainer's bound on
// stored sessions.
#include <algorithm>
#include <cstdlib>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bundle_edit.hpp"
#include "evaluation/next_item_evaluation.hpp"
#include "recommendation_checks.hpp"
#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/recommender.hpp"
#include "shelfwise/json_nlohmann.hpp"
#include "shelfwise/session_lists.hpp"
#include "test_support.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"
#include "training/session_knn_trainer.hpp"

namespace {

using namespace shelfwise;

// A deterministic log of `sessions` sessions over `items` items (ids "i0".."iN"), lengths 2..7,
// with repeated clicks, built from a small linear congruential generator.
std::string random_log(int sessions, int items, std::uint32_t seed) {
  std::string csv = "session_id,user_id,item_id,timestamp,event\n";
  std::uint32_t state = seed;
  auto next = [&state](std::uint32_t bound) {
    state = state * 1664525U + 1013904223U;
    return (state >> 8) % bound;
  };
  for (int session = 0; session < sessions; ++session) {
    const std::uint32_t length = 2 + next(6);
    std::uint32_t item = next(static_cast<std::uint32_t>(items));
    for (std::uint32_t click = 0; click < length; ++click) {
      csv += "s" + std::to_string(session) + ",,i" + std::to_string(item) + ",,view\n";
      // Mostly walk to a nearby item, so sessions overlap the way real ones do.
      if (next(5) != 0) item = (item + 1 + next(3)) % static_cast<std::uint32_t>(items);
    }
  }
  return csv;
}

struct Fixture {
  training::InteractionLog log;
  training::SessionKnnTables tables;
  std::vector<std::uint8_t> bytes;
};

Fixture build(const std::string& csv, const SessionKnnConfig& config, std::size_t max_sessions = 0) {
  Fixture fixture;
  fixture.log = testing::parse_log(csv);
  const std::size_t item_count = fixture.log.item_ids.size();
  fixture.tables = training::train_session_knn(fixture.log, item_count, {max_sessions});
  training::ModelBundleParts parts;
  parts.kind = "sknn";
  parts.version = "sknn-fixture";
  parts.item_ids = fixture.log.item_ids;
  parts.popularity = training::train_popularity(fixture.log, item_count, {});
  parts.session_knn = &fixture.tables;
  parts.session_knn_inference = config;
  fixture.bytes = training::build_model_bundle(parts);
  return fixture;
}

// The bundle with the sessions' extents as row offsets from `tables`, as before format v4.
std::vector<std::uint8_t> with_session_offsets(const std::vector<std::uint8_t>& bytes, const training::SessionKnnTables& tables) {
  testing::BundleEdit edit(bytes);
  edit.remove("sknn.sessions.lengths");
  edit.put("sknn.sessions.offsets", DType::u32, tables.session_offsets);
  return edit.serialize();
}

// The bundle with each item's sessions stored as numbers from `tables`, as before format v3.
std::vector<std::uint8_t> with_numbered_lists(const std::vector<std::uint8_t>& bytes, const training::SessionKnnTables& tables) {
  testing::BundleEdit edit(with_session_offsets(bytes, tables));
  edit.remove("sknn.items.code_offsets");
  edit.remove("sknn.items.session_codes");
  edit.put("sknn.items.offsets", DType::u32, tables.item_offsets);
  edit.put("sknn.items.sessions", DType::u32, tables.item_sessions);
  return edit.serialize();
}

float reference_position_weight(SessionWeighting weighting, std::uint32_t position, std::uint32_t length) {
  const double share = static_cast<double>(position) / length;
  switch (weighting) {
    case SessionWeighting::same: return 1.0f;
    case SessionWeighting::linear: return static_cast<float>(std::max(0.0, 1.0 - 0.1 * (length - position)));
    case SessionWeighting::div: return static_cast<float>(share);
    case SessionWeighting::quadratic: return static_cast<float>(share * share);
  }
  return 0.0f;
}

float reference_match_weight(SessionWeighting weighting, std::uint32_t step) {
  switch (weighting) {
    case SessionWeighting::same: return 1.0f;
    case SessionWeighting::linear: return static_cast<float>(std::max(0.0, 1.0 - 0.1 * (step - 1)));
    case SessionWeighting::div: return static_cast<float>(1.0 / step);
    case SessionWeighting::quadratic: return static_cast<float>(1.0 / (static_cast<double>(step) * step));
  }
  return 0.0f;
}

// V-SKNN read directly off the log (no index): item -> score for the session `query`.
std::map<std::uint32_t, double> reference_scores(const training::InteractionLog& log, const SessionKnnConfig& config,
                                                 const std::vector<std::uint32_t>& query) {
  std::vector<std::set<std::uint32_t>> sessions;
  std::vector<std::vector<std::uint32_t>> click_order;  // distinct items by first click
  std::map<std::uint32_t, int> holding;
  for (const auto& session : log.sessions) {
    std::set<std::uint32_t> items;
    std::vector<std::uint32_t> order;
    for (std::size_t event = 0; event < session.event_count; ++event) {
      const std::uint32_t item = log.events[session.first_event + event].item;
      if (items.insert(item).second) order.push_back(item);
    }
    for (const auto item : items) ++holding[item];
    sessions.push_back(items);
    click_order.push_back(order);
  }
  const std::size_t start = query.size() > config.max_session_items ? query.size() - config.max_session_items : 0;
  const auto length = static_cast<std::uint32_t>(query.size() - start);
  std::map<std::uint32_t, std::uint32_t> last_position;
  for (std::size_t index = start; index < query.size(); ++index) last_position[query[index]] = static_cast<std::uint32_t>(index - start + 1);

  struct Candidate {
    std::size_t session;
    double similarity;
    std::uint32_t step;
    std::uint32_t matched;
  };
  std::vector<Candidate> candidates;
  for (std::size_t session = sessions.size(); session-- > 0 && candidates.size() < config.sample_size;) {
    double similarity = 0.0;
    std::uint32_t latest = 0;
    std::uint32_t matched = 0;
    bool shares = false;
    for (const auto& [item, position] : last_position) {
      if (sessions[session].count(item) == 0) continue;
      shares = true;
      similarity += reference_position_weight(config.position_weighting, position, length) *
                    std::pow(config.session_position_decay, length - position);
      if (position > latest) {
        latest = position;
        matched = item;
      }
    }
    if (config.neighbour_recency_half_life > 0.0) {
      similarity *= std::exp2(-static_cast<double>(sessions.size() - 1 - session) / config.neighbour_recency_half_life);
    }
    if (shares) candidates.push_back({session, similarity, length - latest + 1, matched});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& left, const Candidate& right) { return left.similarity > right.similarity; });
  if (candidates.size() > config.neighbours) candidates.resize(config.neighbours);
  std::map<std::uint32_t, double> scores;
  for (const auto& candidate : candidates) {
    if (candidate.similarity <= 0.0) continue;
    const auto& order = click_order[candidate.session];
    const auto matched_place = std::find(order.begin(), order.end(), candidate.matched) - order.begin();
    for (std::ptrdiff_t place = 0; place < static_cast<std::ptrdiff_t>(order.size()); ++place) {
      const std::uint32_t item = order[place];
      const double idf = std::log(static_cast<double>(sessions.size()) / holding[item]);
      const double distance_weight = std::pow(config.neighbour_position_decay, std::abs(place - matched_place));
      const double reclick = last_position.count(item) != 0 ? config.session_item_weight : 1.0;
      scores[item] += candidate.similarity * reference_match_weight(config.match_weighting, candidate.step) *
                      (1.0 + config.idf_weight * idf) * distance_weight * reclick;
    }
  }
  return scores;
}


// The hand-made index the weighting tests compute by hand, oldest first: s0 = a b c, s1 = c d, s2 = b e.
const char* const kThreeSessions =
    "session_id,user_id,item_id,timestamp,event\n"
    "s0,,a,,\ns0,,b,,\ns0,,c,,\n"
    "s1,,c,,\ns1,,d,,\n"
    "s2,,b,,\ns2,,e,,\n";

// Settings that leave every weighting out, so hand-computed scores stay simple; each test then
// turns on the one setting it pins.
SessionKnnConfig plain_config() {
  SessionKnnConfig plain;
  plain.neighbours = 10;
  plain.sample_size = 10;
  plain.position_weighting = SessionWeighting::same;
  plain.match_weighting = SessionWeighting::same;
  plain.idf_weight = 0.0;
  plain.max_session_items = 10;
  plain.neighbour_position_decay = 1.0;
  return plain;
}

// The 'next' scores by item id of a model stored from `csv`, for a visit of item ids.
std::map<std::string, float> next_scores(const std::string& csv, const SessionKnnConfig& config,
                                         const std::vector<std::string>& visit) {
  const Fixture fixture = build(csv, config);
  auto model = testing::load_model(fixture.bytes);
  Recommender recommender(model);
  SessionState state;
  for (const auto& item : visit) state.add({fixture.log.item_index.at(item), EventType::view, 0.0});
  std::vector<Recommendation> results;
  REQUIRE(recommender.recommend(state, 5, {}, &results).ok());
  std::map<std::string, float> scores;
  for (const auto& result : results) {
    if (result.source == Source::next) scores[fixture.log.item_ids[result.item]] = result.score;
  }
  return scores;
}

void check_scores(const std::map<std::string, float>& scores, const std::map<std::string, double>& expected) {
  REQUIRE(scores.size() == expected.size());
  for (const auto& [item, score] : expected) {
    INFO("item " << item);
    REQUIRE(scores.count(item) == 1);
    CHECK(scores.at(item) == Approx(score).epsilon(1e-6));
  }
}


// A setting the reader must refuse as bad_manifest, naming the field.
void check_refused(const char* key, double value) {
  INFO(key << " = " << value);
  SessionKnnConfig target;
  const Status status = read_session_knn_config(nlohmann::json{{key, value}}, "inference", &target);
  REQUIRE(!status.ok());
  CHECK(status.code() == ErrorCode::bad_manifest);
  CHECK(status.message().find(std::string("inference.") + key) != std::string::npos);
}

// Recommends `k` for `query` and checks every next-item result against the brute-force reading of
// the log; returns how many there were.
std::size_t check_against_reference(Recommender& recommender, const training::InteractionLog& log, const SessionKnnConfig& config,
                                    const std::vector<std::uint32_t>& query, std::size_t k, std::vector<Recommendation>* results) {
  SessionState state;
  for (const auto item : query) state.add({item, EventType::view, 0.0});
  REQUIRE(recommender.recommend(state, k, {}, results).ok());
  const auto expected = reference_scores(log, config, query);
  REQUIRE(!expected.empty());
  std::size_t scored = 0;
  for (const auto& result : *results) {
    if (result.source != Source::next) continue;
    ++scored;
    INFO("query of " << query.size() << " items, item " << result.item);
    REQUIRE(expected.count(result.item) == 1);
    CHECK(result.score == Approx(expected.at(result.item)).epsilon(1e-5));
  }
  CHECK(scored == std::min(k, expected.size()));
  return scored;
}

}  // namespace

TEST_CASE("session-kNN scores match a brute-force V-SKNN over the log", "[session_knn]") {
  const std::string csv = random_log(80, 40, 7);
  for (const auto position : {SessionWeighting::same, SessionWeighting::linear, SessionWeighting::div, SessionWeighting::quadratic}) {
    SessionKnnConfig config;
    config.neighbours = 6;
    config.sample_size = 15;
    config.position_weighting = position;
    config.match_weighting = position == SessionWeighting::div ? SessionWeighting::quadratic : SessionWeighting::div;
    config.idf_weight = 2.0;
    config.max_session_items = 4;
    config.neighbour_position_decay = position == SessionWeighting::linear ? 1.0 : 0.7;
    // The STAN-style weights, off for one weighting so plain V-SKNN stays covered.
    config.session_position_decay = position == SessionWeighting::same ? 1.0 : 0.8;
    config.neighbour_recency_half_life = position == SessionWeighting::same ? 0.0 : 30.0;
    config.session_item_weight = position == SessionWeighting::same ? 1.0 : 1.7;
    const Fixture fixture = build(csv, config);
    auto model = testing::load_model(fixture.bytes);
    REQUIRE(model->kind() == ModelKind::session_knn);
    REQUIRE(model->session_index()->session_count() == 80);
    Recommender recommender(model);
    std::vector<Recommendation> results;
    // Queries: prefixes of a few logged sessions plus a long one with repeats (exceeds max_session_items).
    std::vector<std::vector<std::uint32_t>> queries = {{0}, {3, 4}, {10, 11, 10, 12}, {5, 6, 7, 8, 9, 5, 20}, {39, 0, 1}};
    for (const auto& query : queries) {
      // Every neighbour item fits in the 40 asked for: all of them are checked.
      CHECK(check_against_reference(recommender, fixture.log, config, query, 40, &results) ==
            reference_scores(fixture.log, config, query).size());
      for (std::size_t rank = 1; rank < results.size(); ++rank) {
        if (results[rank].source == Source::next) CHECK(results[rank - 1].score >= results[rank].score);
      }
    }
  }
}

TEST_CASE("session-kNN requests are repeatable and explain themselves", "[session_knn]") {
  const Fixture fixture = build(random_log(60, 30, 3), SessionKnnConfig{});
  auto model = testing::load_model(fixture.bytes);
  Recommender recommender(model);
  SessionState state;
  state.add({2, EventType::view, 0.0});
  state.add({3, EventType::cart, 0.0});
  std::vector<Recommendation> first;
  std::vector<Recommendation> again;
  REQUIRE(recommender.recommend(state, 10, {}, &first).ok());
  SessionState other;
  other.add({17, EventType::view, 0.0});
  REQUIRE(recommender.recommend(other, 10, {}, &again).ok());
  REQUIRE(recommender.recommend(state, 10, {}, &again).ok());
  testing::require_same_recommendations(first, again);
  for (const Recommendation& result : first) {
    if (result.source == Source::next) CHECK((result.because == 2 || result.because == 3));
  }
  // Related items: the neighbours of a one-item session, never the item itself.
  REQUIRE(recommender.related(3, 10, {}, &again).ok());
  REQUIRE(again.size() == 10);
  CHECK(again[0].source == Source::related);
  for (const auto& result : again) CHECK(result.item != 3);
  // An exclusion is honoured.
  const std::uint32_t excluded = first[0].item;
  REQUIRE(recommender.recommend(state, 10, {&excluded, 1}, &again).ok());
  for (const auto& result : again) CHECK(result.item != excluded);
}

TEST_CASE("session-kNN storage keeps the most recent sessions", "[session_knn]") {
  // With timestamps the recency is the session's latest event, not its place in the file.
  const std::string csv =
      "session_id,user_id,item_id,timestamp,event\n"
      "late,,a,300,\nlate,,b,301,\n"
      "early,,a,100,\nearly,,c,101,\n"
      "middle,,b,200,\nmiddle,,c,201,\nmiddle,,c,202,\n";
  const training::InteractionLog log = testing::parse_log(csv);
  const auto index_of = [&](const char* id) { return log.item_index.at(id); };
  const auto tables = training::train_session_knn(log, log.item_ids.size(), {2});
  REQUIRE(tables.session_offsets == std::vector<std::uint32_t>{0, 2, 4});  // middle (b, c), then late (a, b)
  CHECK(tables.session_items == std::vector<std::uint32_t>{index_of("b"), index_of("c"), index_of("a"), index_of("b")});
  const auto sessions_of = [&](std::uint32_t item) {
    return std::vector<std::uint32_t>(tables.item_sessions.begin() + tables.item_offsets[item],
                                      tables.item_sessions.begin() + tables.item_offsets[item + 1]);
  };
  CHECK(sessions_of(index_of("a")) == std::vector<std::uint32_t>{1});
  CHECK(sessions_of(index_of("b")) == std::vector<std::uint32_t>{1, 0});
  CHECK(sessions_of(index_of("c")) == std::vector<std::uint32_t>{0});
  // IDF comes from all three sessions: each item is in two of them.
  CHECK(tables.item_weight[index_of("a")] == Approx(std::log(1.5)));
}

TEST_CASE("session-kNN bundles with broken tensors or settings are refused", "[session_knn]") {
  // And one long session, to break in the middle.
  std::string csv = random_log(30, 20, 5);
  for (int item = 0; item < 12; ++item) csv += "long,,i" + std::to_string(item) + ",,view\n";
  const auto training_log = testing::parse_log(csv);
  const std::size_t item_count = training_log.item_ids.size();
  const auto good = training::train_session_knn(training_log, item_count, {});
  auto bytes_with = [&](const training::SessionKnnTables& tables, const SessionKnnConfig& config) {
    training::ModelBundleParts parts;
    parts.kind = "sknn";
    parts.version = "broken";
    parts.item_ids = training_log.item_ids;
    parts.popularity = training::train_popularity(training_log, item_count, {});
    parts.session_knn = &tables;
    parts.session_knn_inference = config;
    return training::build_model_bundle(parts);
  };
  auto bundle_with = [&](const training::SessionKnnTables& tables, const SessionKnnConfig& config) {
    const auto bytes = bytes_with(tables, config);
    return Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  };
  REQUIRE(bundle_with(good, {}).ok());
  // Breakages of the item lists a trainer cannot write as varints: into a bundle before v3.
  const auto good_bytes = bytes_with(good, {});
  auto numbered_bundle_with = [&](const training::SessionKnnTables& tables) {
    const auto bytes = with_numbered_lists(good_bytes, tables);
    return Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  };
  REQUIRE(numbered_bundle_with(good).ok());

  auto unordered = good;
  // Swap the first two sessions of the first item listed in two or more sessions.
  for (std::size_t item = 0; item < item_count; ++item) {
    if (unordered.item_offsets[item + 1] - unordered.item_offsets[item] >= 2) {
      std::swap(unordered.item_sessions[unordered.item_offsets[item]], unordered.item_sessions[unordered.item_offsets[item] + 1]);
      break;
    }
  }
  auto loaded = numbered_bundle_with(unordered);
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);

  // The lists are checked laid end to end (a rise may only come where a list starts): a repeat
  // inside the last list with two entries, and a session past the end in the last non-empty
  // list, are each found and named.
  std::size_t last_pair = item_count;
  std::size_t last_listed = item_count;
  for (std::size_t item = 0; item < item_count; ++item) {
    const std::size_t length = good.item_offsets[item + 1] - good.item_offsets[item];
    if (length >= 2) last_pair = item;
    if (length >= 1) last_listed = item;
  }
  REQUIRE(last_pair < item_count);
  auto repeated = good;
  repeated.item_sessions[repeated.item_offsets[last_pair] + 1] = repeated.item_sessions[repeated.item_offsets[last_pair]];
  loaded = numbered_bundle_with(repeated);
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  CHECK(loaded.status().message().find("item " + std::to_string(last_pair) + " must list") != std::string::npos);
  auto past_the_end = good;
  past_the_end.item_sessions[past_the_end.item_offsets[last_listed]] = static_cast<std::uint32_t>(good.session_offsets.size() - 1);
  loaded = numbered_bundle_with(past_the_end);
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  CHECK(loaded.status().message().find("item " + std::to_string(last_listed) + " must list") != std::string::npos);
  auto falling_offsets = good;
  falling_offsets.session_offsets[2] = falling_offsets.session_offsets[1] - 1;
  loaded = bundle_with(falling_offsets, {});
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  CHECK(loaded.status().message().find("'sknn.sessions.offsets' decreases at row 2") != std::string::npos);

  // Session lengths (format v4): lengths that add up to one entry more or less than the sessions'
  // items, and lengths next to offsets, are refused.
  REQUIRE(testing::BundleEdit(good_bytes).has("sknn.sessions.lengths"));
  const std::vector<std::uint8_t> good_lengths = testing::BundleEdit(good_bytes).tensor("sknn.sessions.lengths").bytes;
  auto load_lengths = [&](const std::vector<std::uint8_t>& lengths, bool with_offsets) {
    testing::BundleEdit edit(good_bytes);
    edit.put("sknn.sessions.lengths", DType::u8, lengths);
    if (with_offsets) edit.put("sknn.sessions.offsets", DType::u32, good.session_offsets);
    const auto bytes = edit.serialize();
    return Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  };
  REQUIRE(good_lengths.size() + 1 == good.session_offsets.size());
  REQUIRE(load_lengths(good_lengths, false).ok());
  for (const int change : {-1, 1}) {
    auto wrong_sum = good_lengths;
    wrong_sum[wrong_sum.size() / 2] = static_cast<std::uint8_t>(wrong_sum[wrong_sum.size() / 2] + change);
    loaded = load_lengths(wrong_sum, false);
    REQUIRE(!loaded.ok());
    CHECK(loaded.status().code() == ErrorCode::shape_mismatch);
    CHECK(loaded.status().message().find("'sknn.sessions.lengths' adds up to") != std::string::npos);
  }
  loaded = load_lengths(good_lengths, true);
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  CHECK(loaded.status().message().find("a bundle stores one of them") != std::string::npos);

  auto out_of_range = good;
  out_of_range.session_items[0] = static_cast<std::uint32_t>(item_count);
  loaded = bundle_with(out_of_range, {});
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);

  auto duplicate = good;
  REQUIRE(duplicate.session_offsets[1] >= 2);
  duplicate.session_items[1] = duplicate.session_items[0];
  loaded = bundle_with(duplicate, {});
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  CHECK(loaded.status().message().find("session 0 must list distinct") != std::string::npos);
  std::size_t long_session = 0;
  while (long_session + 1 < good.session_offsets.size() && good.session_offsets[long_session + 1] - good.session_offsets[long_session] < 12) {
    ++long_session;
  }
  REQUIRE(long_session + 1 < good.session_offsets.size());
  auto long_duplicate = good;
  const std::uint32_t long_end = long_duplicate.session_offsets[long_session + 1];
  long_duplicate.session_items[long_end - 1] = long_duplicate.session_items[long_end - 12];
  loaded = bundle_with(long_duplicate, {});
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  CHECK(loaded.status().message().find("session " + std::to_string(long_session) + " must list distinct") != std::string::npos);
  auto long_out_of_range = good;
  long_out_of_range.session_items[long_end - 2] = static_cast<std::uint32_t>(item_count);
  loaded = bundle_with(long_out_of_range, {});
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);

  auto short_offsets = good;
  short_offsets.item_offsets.pop_back();
  loaded = bundle_with(short_offsets, {});
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::shape_mismatch);
  loaded = numbered_bundle_with(short_offsets);
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::shape_mismatch);

  // Varint lists: a code count that differs from the entries, a list whose first session was
  // never stored, and a list ending inside a code are refused, naming the tensor and the item.
  const std::uint32_t session_count = static_cast<std::uint32_t>(good.session_offsets.size() - 1);
  REQUIRE(session_count < 0x7F);
  const SessionListCodes good_codes =
      encode_session_lists({good.item_offsets.data(), good.item_offsets.size()}, {good.item_sessions.data(), good.item_sessions.size()},
                           session_count);
  auto load_codes = [&](const SessionListCodes& codes) {
    testing::BundleEdit edit(good_bytes);
    edit.put("sknn.items.code_offsets", DType::u32, codes.offsets);
    edit.put("sknn.items.session_codes", DType::u8, codes.bytes);
    const auto bytes = edit.serialize();
    return Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  };
  REQUIRE(load_codes(good_codes).ok());
  auto extra_code = good_codes;
  extra_code.bytes.insert(extra_code.bytes.begin() + extra_code.offsets[last_listed + 1], std::uint8_t{0});
  for (std::size_t item = last_listed + 1; item < extra_code.offsets.size(); ++item) ++extra_code.offsets[item];
  loaded = load_codes(extra_code);
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::shape_mismatch);
  CHECK(loaded.status().message().find("'sknn.items.session_codes'") != std::string::npos);
  auto unstored = good_codes;
  unstored.bytes[unstored.offsets[last_listed]] = static_cast<std::uint8_t>(session_count);  // an age past the oldest
  loaded = load_codes(unstored);
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  CHECK(loaded.status().message().find("item " + std::to_string(last_listed) + " must list") != std::string::npos);
  // The first list's final code gains a continuation bit, running into the next list; one more
  // code at the very end keeps the count. The first list is the one named.
  std::size_t first_listed = 0;
  while (good_codes.offsets[first_listed + 1] == good_codes.offsets[first_listed]) ++first_listed;
  REQUIRE(first_listed < last_listed);
  auto straddling = good_codes;
  straddling.bytes[straddling.offsets[first_listed + 1] - 1] |= 0x80U;
  straddling.bytes.push_back(0);
  ++straddling.offsets.back();
  loaded = load_codes(straddling);
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  CHECK(loaded.status().message().find("item " + std::to_string(first_listed) + " must list") != std::string::npos);

  auto negative = good;
  negative.item_weight[1] = -1.0f;
  loaded = bundle_with(negative, {});
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_tensor);

  SessionKnnConfig zero_sample;
  zero_sample.sample_size = 0;
  loaded = bundle_with(good, zero_sample);
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_manifest);
  CHECK(loaded.status().message().find("inference.sample_size") != std::string::npos);
}

// Bundles written before format v2 store the session lists as u32, and before v3 each item's
// sessions as plain numbers; the trainer now writes u16 where every item index fits, and varint
// codes. All three layouts must load and score alike.
TEST_CASE("session-kNN reads the session lists of every format version alike", "[session_knn]") {
  const Fixture fixture = build(random_log(120, 50, 11), SessionKnnConfig{});
  auto current = testing::load_model(fixture.bytes);
  const Bundle& source = current->bundle();
  REQUIRE(source.find("sknn.sessions.items")->dtype == DType::u16);
  CHECK(source.find("sknn.items.sessions") == nullptr);
  CHECK(source.find("sknn.sessions.offsets") == nullptr);
  CHECK(source.find("sknn.sessions.lengths")->dtype == DType::u8);
  CHECK(source.format_version() == 4);

  // As a v3 writer stored it: the sessions' extents as row offsets.
  const auto offset_bytes = with_session_offsets(fixture.bytes, fixture.tables);
  auto with_offsets = testing::load_model(offset_bytes);
  CHECK(with_offsets->bundle().format_version() == 3);
  CHECK(offset_bytes.size() > fixture.bytes.size());

  // As a v2 writer stored it: the item lists as numbers too.
  const auto numbered_bytes = with_numbered_lists(fixture.bytes, fixture.tables);
  auto numbered = testing::load_model(numbered_bytes);
  CHECK(numbered->bundle().format_version() == 2);
  CHECK(numbered_bytes.size() > fixture.bytes.size());

  // As a v1 writer stored it: the session lists widened to u32 too.
  testing::BundleEdit widened(numbered_bytes);
  widened.put("sknn.sessions.items", DType::u32, fixture.tables.session_items);
  const auto wide_bytes = widened.serialize();
  auto wide = testing::load_model(wide_bytes);
  CHECK(wide->bundle().format_version() == 1);
  CHECK(wide_bytes.size() > numbered_bytes.size());

  Recommender current_recommender(current);
  std::vector<Recommendation> from_current;
  for (const auto& older : {with_offsets, numbered, wide}) {
    Recommender older_recommender(older);
    std::vector<Recommendation> from_older;
    for (std::uint32_t first = 0; first < 50; ++first) {
      SessionState state;
      state.add({first, EventType::view, 0.0});
      state.add({(first * 7 + 3) % 50, EventType::view, 0.0});
      REQUIRE(current_recommender.recommend(state, 20, {}, &from_current).ok());
      REQUIRE(older_recommender.recommend(state, 20, {}, &from_older).ok());
      testing::require_same_recommendations(from_current, from_older);
    }
  }
}

// A session of more than 255 items has no length in a byte: such a model keeps the row offsets
// (format v3) and scores as the brute-force reading of the log does.
TEST_CASE("session-kNN keeps row offsets for a session longer than a byte can count", "[session_knn]") {
  std::string csv = random_log(30, 400, 5);
  for (int item = 0; item < 300; ++item) csv += "long,,i" + std::to_string(item) + ",,view\n";
  const Fixture fixture = build(csv, SessionKnnConfig{});
  auto model = testing::load_model(fixture.bytes);
  CHECK(model->bundle().find("sknn.sessions.lengths") == nullptr);
  CHECK(model->bundle().find("sknn.sessions.offsets") != nullptr);
  CHECK(model->bundle().format_version() == 3);
  const auto long_item = static_cast<std::uint32_t>(
      std::find(fixture.log.item_ids.begin(), fixture.log.item_ids.end(), "i250") - fixture.log.item_ids.begin());
  REQUIRE(long_item < fixture.log.item_ids.size());
  Recommender recommender(model);
  std::vector<Recommendation> results;
  check_against_reference(recommender, fixture.log, SessionKnnConfig{}, {long_item}, 40, &results);
}

TEST_CASE("session-kNN reaches the literature's V-SKNN numbers on diginetica", "[session_knn][real_data]") {
  const std::string train_path = testing::shared_data_file("diginetica/train_tr.csv");
  const std::string valid_path = testing::shared_data_file("diginetica/valid.csv");
  if (train_path.empty() || valid_path.empty()) return;
  const auto read = [](const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), {});
  };
  const training::InteractionLog train = testing::parse_log(read(train_path));
  const training::InteractionLog valid = testing::parse_log(read(valid_path));
  const auto tables = training::train_session_knn(train, train.item_ids.size(), {});
  training::ModelBundleParts parts;
  parts.kind = "sknn";
  parts.version = "diginetica-test";
  parts.item_ids = train.item_ids;
  parts.popularity = training::train_popularity(train, train.item_ids.size(), {});
  parts.session_knn = &tables;  // default settings = the ones tuned on this split
  auto model = testing::load_model(training::build_model_bundle(parts));
  auto metrics = evaluation::evaluate_next_item(model, valid, {20, 2});
  REQUIRE(metrics.ok());
  CHECK(metrics.value().predictions == 68956);
  CHECK(metrics.value().recall >= 0.50);
  CHECK(metrics.value().mrr >= 0.175);
}

// The STAN-style weights added to V-SKNN, pinned on a hand-made index of three sessions (oldest
// first): s0 = a b c, s1 = c d, s2 = b e. The visit is b, c. With same/same weighting, no IDF and no
// neighbour position decay every item of a neighbour scores the neighbour's similarity, so each
// expected score below is a sum worked out by hand.
TEST_CASE("session-kNN session position decay, neighbour recency and re-click weight", "[session_knn]") {
  const std::string csv = kThreeSessions;
  const SessionKnnConfig plain = plain_config();
  auto scores_of = [&](const SessionKnnConfig& config) { return next_scores(csv, config, {"b", "c"}); };
  const auto check = check_scores;
  // Similarities: s0 holds b and c (2), s1 holds c (1), s2 holds b (1).
  check(scores_of(plain), {{"a", 2.0}, {"b", 3.0}, {"c", 3.0}, {"d", 1.0}, {"e", 1.0}});

  SECTION("session_position_decay: b, one step before the latest, weighs 0.5") {
    SessionKnnConfig config = plain;
    config.session_position_decay = 0.5;  // s0: 1.5, s1: 1, s2: 0.5
    check(scores_of(config), {{"a", 1.5}, {"b", 2.0}, {"c", 2.5}, {"d", 1.0}, {"e", 0.5}});
  }
  SECTION("neighbour_recency_half_life: each older stored session counts half") {
    SessionKnnConfig config = plain;
    config.neighbour_recency_half_life = 1.0;  // s0: 2 * 0.25, s1: 1 * 0.5, s2: 1
    check(scores_of(config), {{"a", 0.5}, {"b", 1.5}, {"c", 1.0}, {"d", 0.5}, {"e", 1.0}});
    // The recency-weighted similarity also picks the neighbours: with one neighbour, s2 wins.
    config.neighbours = 1;
    check(scores_of(config), {{"b", 1.0}, {"e", 1.0}});
  }
  SECTION("session_item_weight: the visit's own items b and c are scaled") {
    SessionKnnConfig config = plain;
    config.session_item_weight = 2.0;
    check(scores_of(config), {{"a", 2.0}, {"b", 6.0}, {"c", 6.0}, {"d", 1.0}, {"e", 1.0}});
    config.session_item_weight = 0.5;
    check(scores_of(config), {{"a", 2.0}, {"b", 1.5}, {"c", 1.5}, {"d", 1.0}, {"e", 1.0}});
  }
}

TEST_CASE("session-kNN STAN settings: absent keys keep the earlier behaviour, bad values are refused", "[session_knn]") {
  SessionKnnConfig config;
  REQUIRE(read_session_knn_config(nlohmann::json{{"neighbours", 50}}, "inference", &config).ok());
  CHECK(config.neighbours == 50);
  CHECK(config.session_position_decay == 1.0);
  CHECK(config.neighbour_recency_half_life == 0.0);
  CHECK(config.session_item_weight == 1.0);
  const auto written = session_knn_config_json(config);
  SessionKnnConfig read_back;
  REQUIRE(read_session_knn_config(written, "inference", &read_back).ok());
  CHECK(read_back.session_position_decay == config.session_position_decay);

  const std::pair<const char*, double> bad[] = {{"session_position_decay", 0.0},    {"session_position_decay", 1.5},
                                                {"neighbour_recency_half_life", -1.0}, {"neighbour_recency_half_life", 0.5},
                                                {"neighbour_recency_half_life", 2e9}, {"session_item_weight", -0.1},
                                                {"session_item_weight", 1001.0}};
  for (const auto& [key, value] : bad) check_refused(key, value);
  CHECK(read_session_knn_config(nlohmann::json{{"session_item_weight", "2"}}, "inference", &config).code() ==
        ErrorCode::bad_manifest);
}

TEST_CASE("session-kNN similarity shaping: IDF in the similarity, neighbour length, similarity exponent", "[session_knn]") {
  // Stored: s0 {a, b, c}, s1 {c, d}, s2 {b, e}; IDF = ln(3 / sessions holding): a ln 3, b and c ln 1.5.
  const std::string csv = kThreeSessions;
  const SessionKnnConfig plain = plain_config();
  auto scores_of = [&](const SessionKnnConfig& config, const std::vector<std::string>& visit) {
    return next_scores(csv, config, visit);
  };
  const auto check = check_scores;
  SECTION("similarity_idf_weight: a rare shared item counts more") {
    check(scores_of(plain, {"a", "c"}), {{"a", 2.0}, {"b", 2.0}, {"c", 3.0}, {"d", 1.0}});
    SessionKnnConfig config = plain;
    config.similarity_idf_weight = 1.0;
    const double s0 = (1.0 + std::log(3.0)) + (1.0 + std::log(1.5));  // shares a and c
    const double s1 = 1.0 + std::log(1.5);                             // shares c
    check(scores_of(config, {"a", "c"}), {{"a", s0}, {"b", s0}, {"c", s0 + s1}, {"d", s1}});
  }
  SECTION("neighbour_length_exponent: similarity over the neighbour's distinct items^x") {
    SessionKnnConfig config = plain;
    config.neighbour_length_exponent = 0.5;
    const double s0 = 2.0 / std::sqrt(3.0);
    const double s12 = 1.0 / std::sqrt(2.0);
    check(scores_of(config, {"b", "c"}), {{"a", s0}, {"b", s0 + s12}, {"c", s0 + s12}, {"d", s12}, {"e", s12}});
  }
  SECTION("similarity_exponent: the closest neighbour dominates") {
    SessionKnnConfig config = plain;
    config.similarity_exponent = 2.0;  // s0: 2^2, s1 and s2: 1
    check(scores_of(config, {"b", "c"}), {{"a", 4.0}, {"b", 5.0}, {"c", 5.0}, {"d", 1.0}, {"e", 1.0}});
    config.similarity_exponent = 1.5;
    const double s0 = 2.0 * std::sqrt(2.0);
    check(scores_of(config, {"b", "c"}), {{"a", s0}, {"b", s0 + 1.0}, {"c", s0 + 1.0}, {"d", 1.0}, {"e", 1.0}});
  }
}

TEST_CASE("quarter_power computes x^(q/4) from square roots", "[session_knn]") {
  CHECK(quarter_power(16.0f, 0) == 1.0f);
  CHECK(quarter_power(16.0f, 1) == 2.0f);
  CHECK(quarter_power(16.0f, 2) == 4.0f);
  CHECK(quarter_power(16.0f, 3) == 8.0f);
  CHECK(quarter_power(16.0f, 4) == 16.0f);
  CHECK(quarter_power(16.0f, 5) == 32.0f);
  CHECK(quarter_power(16.0f, 8) == 256.0f);
  CHECK(quarter_power(0.3f, 4) == 0.3f);  // the plain similarity, bit for bit
  CHECK(quarter_power(0.0f, 5) == 0.0f);
}

TEST_CASE("session-kNN similarity settings: absent keys keep the earlier behaviour, bad values are refused", "[session_knn]") {
  SessionKnnConfig config;
  REQUIRE(read_session_knn_config(nlohmann::json::object(), "inference", &config).ok());
  CHECK(config.similarity_idf_weight == 0.0);
  CHECK(config.neighbour_length_exponent == 0.0);
  CHECK(config.similarity_exponent == 1.0);
  config.similarity_idf_weight = 10.0;
  config.neighbour_length_exponent = 0.25;
  config.similarity_exponent = 1.25;
  SessionKnnConfig read_back;
  REQUIRE(read_session_knn_config(session_knn_config_json(config), "inference", &read_back).ok());
  CHECK(read_back.similarity_idf_weight == 10.0);
  CHECK(read_back.neighbour_length_exponent == 0.25);
  CHECK(read_back.similarity_exponent == 1.25);
  const std::pair<const char*, double> bad[] = {{"similarity_idf_weight", -1.0},    {"neighbour_length_exponent", 0.3},
                                                {"neighbour_length_exponent", 2.25}, {"neighbour_length_exponent", -0.25},
                                                {"similarity_exponent", 0.0},        {"similarity_exponent", 1.1},
                                                {"similarity_exponent", 8.25}};
  for (const auto& [key, value] : bad) check_refused(key, value);
}
