#include "training/session_knn_tuning.hpp"

namespace shelfwise::training {
namespace {

constexpr std::uint32_t kNeighboursGrid[] = {50, 100, 200, 400};
constexpr std::uint32_t kSampleSizeGrid[] = {250, 500, 1000, 2000};
constexpr SessionWeighting kWeightingGrid[] = {SessionWeighting::same, SessionWeighting::linear, SessionWeighting::div,
                                               SessionWeighting::quadratic};
constexpr double kIdfWeightGrid[] = {0.0, 1.0, 2.0, 5.0, 10.0, 20.0};
constexpr std::uint32_t kMaxSessionItemsGrid[] = {3, 5, 10, 20};
constexpr double kNeighbourPositionDecayGrid[] = {1.0, 0.9, 0.8, 0.65, 0.5, 0.3};
constexpr double kSessionPositionDecayGrid[] = {1.0, 0.95, 0.9, 0.8, 0.65, 0.5};
constexpr double kNeighbourRecencyHalfLifeGrid[] = {0.0, 100000.0, 30000.0, 10000.0, 3000.0};
constexpr double kSessionItemWeightGrid[] = {1.0, 0.5, 0.75, 1.5, 2.0, 3.0};
constexpr double kSimilarityIdfWeightGrid[] = {0.0, 1.0, 5.0, 10.0};
constexpr double kNeighbourLengthExponentGrid[] = {0.0, 0.25, 0.5};
constexpr double kSimilarityExponentGrid[] = {1.0, 0.75, 1.25, 1.5, 2.0};

bool same_config(const SessionKnnConfig& left, const SessionKnnConfig& right) {
  return left.neighbours == right.neighbours && left.sample_size == right.sample_size &&
         left.position_weighting == right.position_weighting && left.match_weighting == right.match_weighting &&
         left.idf_weight == right.idf_weight && left.max_session_items == right.max_session_items &&
         left.neighbour_position_decay == right.neighbour_position_decay &&
         left.session_position_decay == right.session_position_decay &&
         left.neighbour_recency_half_life == right.neighbour_recency_half_life &&
         left.session_item_weight == right.session_item_weight && left.similarity_idf_weight == right.similarity_idf_weight &&
         left.neighbour_length_exponent == right.neighbour_length_exponent &&
         left.similarity_exponent == right.similarity_exponent;
}

}  // namespace

Result<SessionKnnTuningResult> tune_session_knn(const ModelBundleParts& parts, const InteractionLog& validation,
                                                const SessionKnnTuningOptions& options,
                                                const std::function<void(const SessionKnnTrial&)>& on_trial) {
  SessionKnnTuningResult result;
  ModelBundleParts candidate = parts;
  candidate.version = "tuning";
  auto evaluate = [&](const SessionKnnConfig& inference) -> Result<SessionKnnTrial> {
    for (const auto& trial : result.trials) {
      if (same_config(trial.inference, inference)) return trial;
    }
    candidate.session_knn_inference = inference;
    const std::vector<std::uint8_t> bytes = build_model_bundle(candidate);
    auto model = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
    if (!model.ok()) return model.status();
    auto metrics = evaluation::evaluate_next_item(model.value(), validation, {options.k, options.threads});
    if (!metrics.ok()) return metrics.status();
    SessionKnnTrial trial{inference, metrics.value()};
    result.trials.push_back(trial);
    if (on_trial) on_trial(trial);
    return trial;
  };
  auto start = evaluate(parts.session_knn_inference);
  if (!start.ok()) return start.status();
  result.best = start.value();
  // Tries each value of one setting with the others at their best so far.
  auto sweep = [&](const auto& values, auto assign) -> Status {
    for (const auto value : values) {
      SessionKnnConfig inference = result.best.inference;
      assign(inference, value);
      auto trial = evaluate(inference);
      if (!trial.ok()) return trial.status();
      if (objective_value(trial.value().metrics, options.objective) > objective_value(result.best.metrics, options.objective)) {
        result.best = trial.value();
      }
    }
    return Status::ok_status();
  };
  for (int round = 0; round < 2; ++round) {
    if (options.tune_position_weighting) {
      SHELFWISE_RETURN_IF_ERROR(sweep(kWeightingGrid, [](SessionKnnConfig& c, SessionWeighting v) { c.position_weighting = v; }));
    }
    if (options.tune_session_position_decay) {
      SHELFWISE_RETURN_IF_ERROR(
          sweep(kSessionPositionDecayGrid, [](SessionKnnConfig& c, double v) { c.session_position_decay = v; }));
    }
    if (options.tune_match_weighting) {
      SHELFWISE_RETURN_IF_ERROR(sweep(kWeightingGrid, [](SessionKnnConfig& c, SessionWeighting v) { c.match_weighting = v; }));
    }
    if (options.tune_session_item_weight) {
      SHELFWISE_RETURN_IF_ERROR(sweep(kSessionItemWeightGrid, [](SessionKnnConfig& c, double v) { c.session_item_weight = v; }));
    }
    if (options.tune_neighbour_position_decay) {
      SHELFWISE_RETURN_IF_ERROR(
          sweep(kNeighbourPositionDecayGrid, [](SessionKnnConfig& c, double v) { c.neighbour_position_decay = v; }));
    }
    if (options.tune_idf_weight) {
      SHELFWISE_RETURN_IF_ERROR(sweep(kIdfWeightGrid, [](SessionKnnConfig& c, double v) { c.idf_weight = v; }));
    }
    if (options.tune_neighbours) {
      SHELFWISE_RETURN_IF_ERROR(sweep(kNeighboursGrid, [](SessionKnnConfig& c, std::uint32_t v) { c.neighbours = v; }));
    }
    if (options.tune_sample_size) {
      SHELFWISE_RETURN_IF_ERROR(sweep(kSampleSizeGrid, [](SessionKnnConfig& c, std::uint32_t v) { c.sample_size = v; }));
    }
    if (options.tune_neighbour_recency_half_life) {
      SHELFWISE_RETURN_IF_ERROR(
          sweep(kNeighbourRecencyHalfLifeGrid, [](SessionKnnConfig& c, double v) { c.neighbour_recency_half_life = v; }));
    }
    if (options.tune_similarity_idf_weight) {
      SHELFWISE_RETURN_IF_ERROR(
          sweep(kSimilarityIdfWeightGrid, [](SessionKnnConfig& c, double v) { c.similarity_idf_weight = v; }));
    }
    if (options.tune_neighbour_length_exponent) {
      SHELFWISE_RETURN_IF_ERROR(
          sweep(kNeighbourLengthExponentGrid, [](SessionKnnConfig& c, double v) { c.neighbour_length_exponent = v; }));
    }
    if (options.tune_similarity_exponent) {
      SHELFWISE_RETURN_IF_ERROR(sweep(kSimilarityExponentGrid, [](SessionKnnConfig& c, double v) { c.similarity_exponent = v; }));
    }
    if (options.tune_max_session_items) {
      SHELFWISE_RETURN_IF_ERROR(sweep(kMaxSessionItemsGrid, [](SessionKnnConfig& c, std::uint32_t v) { c.max_session_items = v; }));
    }
  }
  return result;
}

}  // namespace shelfwise::training
