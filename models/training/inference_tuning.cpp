#include "training/inference_tuning.hpp"

#include <cmath>

namespace shelfwise::training {
namespace {

constexpr double kRecencyDecayGrid[] = {1.0, 0.85, 0.7, 0.55, 0.4, 0.25, 0.1};
constexpr double kRelatedWeightGrid[] = {0.0, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0};

}  // namespace

double objective_value(const evaluation::NextItemMetrics& metrics, TuningObjective objective) {
  switch (objective) {
    case TuningObjective::recall: return metrics.recall;
    case TuningObjective::mrr: return metrics.mrr;
    case TuningObjective::recall_plus_mrr: return metrics.recall + metrics.mrr;
  }
  return 0.0;
}

Result<TuningResult> tune_inference(const ModelBundleParts& parts, const InteractionLog& validation,
                                    const TuningOptions& options, const std::function<void(const TuningTrial&)>& on_trial) {
  TuningResult result;
  ModelBundleParts candidate = parts;
  candidate.version = "tuning";
  auto evaluate = [&](const InferenceConfig& inference) -> Result<TuningTrial> {
    for (const auto& trial : result.trials) {
      if (trial.inference.recency_decay == inference.recency_decay && trial.inference.related_weight == inference.related_weight) {
        return trial;
      }
    }
    candidate.inference = inference;
    const std::vector<std::uint8_t> bytes = build_model_bundle(candidate);
    auto model = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
    if (!model.ok()) return model.status();
    auto metrics = evaluation::evaluate_next_item(model.value(), validation, {options.k, options.threads});
    if (!metrics.ok()) return metrics.status();
    TuningTrial trial{inference, metrics.value()};
    result.trials.push_back(trial);
    if (on_trial) on_trial(trial);
    return trial;
  };

  auto start = evaluate(parts.inference);
  if (!start.ok()) return start.status();
  result.best = start.value();
  // Two rounds of coordinate search: the two weights interact only mildly.
  for (int round = 0; round < 2; ++round) {
    if (options.tune_recency_decay) {
      for (const double decay : kRecencyDecayGrid) {
        InferenceConfig inference = result.best.inference;
        inference.recency_decay = decay;
        auto trial = evaluate(inference);
        if (!trial.ok()) return trial.status();
        if (objective_value(trial.value().metrics, options.objective) > objective_value(result.best.metrics, options.objective)) {
          result.best = trial.value();
        }
      }
    }
    if (options.tune_related_weight) {
      for (const double weight : kRelatedWeightGrid) {
        InferenceConfig inference = result.best.inference;
        inference.related_weight = weight;
        auto trial = evaluate(inference);
        if (!trial.ok()) return trial.status();
        if (objective_value(trial.value().metrics, options.objective) > objective_value(result.best.metrics, options.objective)) {
          result.best = trial.value();
        }
      }
    }
  }
  return result;
}

}  // namespace shelfwise::training
