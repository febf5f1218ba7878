#include "cli/session_knn_training.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace shelfwise::cli {
namespace {

// Tuned on diginetica (train_tr -> valid, README.md): HR@20 0.5202, MRR@20 0.1851.
constexpr std::uint32_t kTunedNeighbours = 200;
constexpr double kTunedIdfWeight = 20.0;
constexpr double kTunedNeighbourPositionDecay = 0.9;
constexpr double kTunedSessionPositionDecay = 0.95;
constexpr double kTunedNeighbourRecencyHalfLife = 100000.0;
constexpr double kTunedSessionItemWeight = 3.0;
constexpr double kTunedSimilarityIdfWeight = 10.0;
constexpr double kTunedNeighbourLengthExponent = 0.25;
constexpr double kTunedSimilarityExponent = 1.25;

// A multiple of 0.25 in [minimum, maximum] (the core computes such powers from sqrt alone).
Status check_quarters(const char* flag, double value, double minimum, double maximum) {
  if (!(value >= minimum && value <= maximum) || value * 4.0 != std::floor(value * 4.0)) {
    return Status(ErrorCode::invalid_argument, std::string("--") + flag + " must be a multiple of 0.25 between " +
                                                   std::to_string(minimum) + " and " + std::to_string(maximum));
  }
  return Status::ok_status();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Status parse_weighting(const CommandLine& line, const char* flag, SessionWeighting* out, bool* tune) {
  const auto text = line.value(flag);
  if (!text) return Status::ok_status();
  const auto weighting = session_weighting_from_name(*text);
  if (!weighting) {
    return Status(ErrorCode::invalid_argument, std::string("--") + flag + " must be same, linear, div or quadratic");
  }
  *out = *weighting;
  *tune = false;
  return Status::ok_status();
}

std::string describe(const SessionKnnConfig& config) {
  char text[240];
  std::snprintf(text, sizeof(text), "%5u %7u %9s %9s %5.1f %5u %5.2f %5.2f %7.0f %5.2f %5.1f %5.2f %5.2f", config.neighbours, config.sample_size,
                std::string(session_weighting_name(config.position_weighting)).c_str(),
                std::string(session_weighting_name(config.match_weighting)).c_str(), config.idf_weight, config.max_session_items,
                config.neighbour_position_decay, config.session_position_decay, config.neighbour_recency_half_life,
                config.session_item_weight, config.similarity_idf_weight, config.neighbour_length_exponent,
                config.similarity_exponent);
  return text;
}

}  // namespace

Result<SessionKnnSettings> parse_session_knn_flags(const CommandLine& line) {
  SessionKnnSettings settings;
  SessionKnnConfig& inference = settings.inference;
  // Every setting starts from its value tuned on diginetica (train_tr -> valid); the struct's own
  // defaults are the earlier behaviour, which is what an older bundle without the keys means.
  inference.neighbours = kTunedNeighbours;
  inference.idf_weight = kTunedIdfWeight;
  inference.neighbour_position_decay = kTunedNeighbourPositionDecay;
  inference.similarity_idf_weight = kTunedSimilarityIdfWeight;
  inference.neighbour_length_exponent = kTunedNeighbourLengthExponent;
  inference.similarity_exponent = kTunedSimilarityExponent;
  inference.session_position_decay = kTunedSessionPositionDecay;
  inference.neighbour_recency_half_life = kTunedNeighbourRecencyHalfLife;
  inference.session_item_weight = kTunedSessionItemWeight;
  auto neighbours = line.integer("neighbours", inference.neighbours, 1, 10000);
  auto sample_size = line.integer("sample-size", inference.sample_size, 1, 100000);
  auto max_session_items = line.integer("max-session-items", inference.max_session_items, 1, 1000);
  auto max_sessions = line.integer("max-sessions", 0, 0, 100000000);
  auto idf_weight = line.number("idf-weight", inference.idf_weight);
  auto position_decay = line.number("neighbour-position-decay", inference.neighbour_position_decay);
  auto session_decay = line.number("session-position-decay", inference.session_position_decay);
  auto recency_half_life = line.number("neighbour-recency-half-life", inference.neighbour_recency_half_life);
  auto session_item_weight = line.number("session-item-weight", inference.session_item_weight);
  auto similarity_idf_weight = line.number("similarity-idf-weight", inference.similarity_idf_weight);
  auto length_exponent = line.number("neighbour-length-exponent", inference.neighbour_length_exponent);
  auto similarity_exponent = line.number("similarity-exponent", inference.similarity_exponent);
  for (const Status* status : {&similarity_idf_weight.status(), &length_exponent.status(), &similarity_exponent.status(),
                               &neighbours.status(), &sample_size.status(), &max_session_items.status(), &max_sessions.status(),
                               &idf_weight.status(), &position_decay.status(), &session_decay.status(),
                               &recency_half_life.status(), &session_item_weight.status()}) {
    if (!status->ok()) return *status;
  }
  if (idf_weight.value() < 0.0 || idf_weight.value() > 1e6) {
    return Status(ErrorCode::invalid_argument, "--idf-weight must be between 0 and 1e6");
  }
  inference.neighbours = static_cast<std::uint32_t>(neighbours.value());
  inference.sample_size = static_cast<std::uint32_t>(sample_size.value());
  inference.max_session_items = static_cast<std::uint32_t>(max_session_items.value());
  inference.idf_weight = idf_weight.value();
  if (!(position_decay.value() > 0.0 && position_decay.value() <= 1.0)) {
    return Status(ErrorCode::invalid_argument, "--neighbour-position-decay must be in (0, 1]");
  }
  inference.neighbour_position_decay = position_decay.value();
  if (!(session_decay.value() > 0.0 && session_decay.value() <= 1.0)) {
    return Status(ErrorCode::invalid_argument, "--session-position-decay must be in (0, 1]");
  }
  inference.session_position_decay = session_decay.value();
  if (!(recency_half_life.value() == 0.0 || (recency_half_life.value() >= 1.0 && recency_half_life.value() <= 1e9))) {
    return Status(ErrorCode::invalid_argument, "--neighbour-recency-half-life must be 0 (off) or between 1 and 1e9");
  }
  inference.neighbour_recency_half_life = recency_half_life.value();
  if (!(session_item_weight.value() >= 0.0 && session_item_weight.value() <= 1000.0)) {
    return Status(ErrorCode::invalid_argument, "--session-item-weight must be between 0 and 1000");
  }
  inference.session_item_weight = session_item_weight.value();
  if (!(similarity_idf_weight.value() >= 0.0 && similarity_idf_weight.value() <= 1e6)) {
    return Status(ErrorCode::invalid_argument, "--similarity-idf-weight must be between 0 and 1e6");
  }
  inference.similarity_idf_weight = similarity_idf_weight.value();
  SHELFWISE_RETURN_IF_ERROR(check_quarters("neighbour-length-exponent", length_exponent.value(), 0.0, 2.0));
  inference.neighbour_length_exponent = length_exponent.value();
  SHELFWISE_RETURN_IF_ERROR(check_quarters("similarity-exponent", similarity_exponent.value(), 0.25, 8.0));
  inference.similarity_exponent = similarity_exponent.value();
  settings.storage.max_sessions = static_cast<std::size_t>(max_sessions.value());
  training::SessionKnnTuningOptions& tuning = settings.tuning;
  tuning.tune_neighbours = !line.has("neighbours");
  tuning.tune_sample_size = !line.has("sample-size");
  tuning.tune_max_session_items = !line.has("max-session-items");
  tuning.tune_idf_weight = !line.has("idf-weight");
  tuning.tune_neighbour_position_decay = !line.has("neighbour-position-decay");
  tuning.tune_session_position_decay = !line.has("session-position-decay");
  tuning.tune_neighbour_recency_half_life = !line.has("neighbour-recency-half-life");
  tuning.tune_session_item_weight = !line.has("session-item-weight");
  tuning.tune_similarity_idf_weight = !line.has("similarity-idf-weight");
  tuning.tune_neighbour_length_exponent = !line.has("neighbour-length-exponent");
  tuning.tune_similarity_exponent = !line.has("similarity-exponent");
  SHELFWISE_RETURN_IF_ERROR(parse_weighting(line, "position-weighting", &inference.position_weighting, &tuning.tune_position_weighting));
  SHELFWISE_RETURN_IF_ERROR(parse_weighting(line, "match-weighting", &inference.match_weighting, &tuning.tune_match_weighting));
  return settings;
}

Status train_session_knn(const SessionKnnSettings& settings, const training::InteractionLog& log,
                         const training::InteractionLog* validation, const std::string& validation_path,
                         training::SessionKnnTables* tables, training::ModelBundleParts* parts) {
  const auto start = std::chrono::steady_clock::now();
  *tables = training::train_session_knn(log, parts->item_ids.size(), settings.storage);
  parts->session_knn = tables;
  parts->session_knn_inference = settings.inference;
  const std::size_t kept = tables->session_offsets.size() - 1;
  parts->hyperparameters.update({{"max_sessions", settings.storage.max_sessions}, {"stored_sessions", kept}});
  std::fprintf(stderr, "stored sessions: %zu of %zu (%zu session-item entries) in %.2f s\n", kept, log.sessions.size(),
               tables->session_items.size(), seconds_since(start));
  const training::SessionKnnTuningOptions& tuning = settings.tuning;
  const bool anything_to_tune = tuning.tune_neighbours || tuning.tune_sample_size || tuning.tune_position_weighting ||
                                tuning.tune_match_weighting || tuning.tune_idf_weight || tuning.tune_max_session_items ||
                                tuning.tune_neighbour_position_decay || tuning.tune_session_position_decay ||
                                tuning.tune_neighbour_recency_half_life || tuning.tune_session_item_weight ||
                                tuning.tune_similarity_idf_weight || tuning.tune_neighbour_length_exponent ||
                                tuning.tune_similarity_exponent;
  if (validation == nullptr || !anything_to_tune) return Status::ok_status();

  const auto tuning_start = std::chrono::steady_clock::now();
  std::fprintf(stderr, "tuning on %s (%zu sessions):\n  neigh  sample  position     match   idf items decay sdecay halflife reclk simidf  lenx  simx  recall@%zu   mrr@%zu\n",
               validation_path.c_str(), validation->sessions.size(), tuning.k, tuning.k);
  auto tuned = training::tune_session_knn(*parts, *validation, tuning, [](const training::SessionKnnTrial& trial) {
    std::fprintf(stderr, "  %s  %9.4f  %8.4f\n", describe(trial.inference).c_str(), trial.metrics.recall, trial.metrics.mrr);
  });
  if (!tuned.ok()) return tuned.status();
  const auto& best = tuned.value().best;
  parts->session_knn_inference = best.inference;
  const std::string at = "@" + std::to_string(tuning.k);
  parts->training["validation"] = {{"events_file", validation_path},
                                   {"recall" + at, best.metrics.recall},
                                   {"mrr" + at, best.metrics.mrr},
                                   {"coverage" + at, best.metrics.coverage},
                                   {"n", best.metrics.predictions}};
  std::fprintf(stderr, "chose %s (recall%s %.4f, mrr%s %.4f) in %.1f s\n", describe(best.inference).c_str(), at.c_str(),
               best.metrics.recall, at.c_str(), best.metrics.mrr, seconds_since(tuning_start));
  return Status::ok_status();
}

}  // namespace shelfwise::cli
