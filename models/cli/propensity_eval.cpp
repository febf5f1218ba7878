#include "cli/propensity_eval.hpp"

#include <algorithm>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "cli/log_loading.hpp"
#include "evaluation/propensity_evaluation.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace shelfwise::cli {
namespace {

nlohmann::json target_json(const std::optional<evaluation::TargetEvaluation>& target, const std::string& note) {
  if (!target) return {{"skipped", note}};
  return {{"calibrated", evaluation::to_json(target->calibrated)}, {"raw", evaluation::to_json(target->raw)}};
}

void print_target(const char* name, const std::optional<evaluation::TargetEvaluation>& target, const std::string& note) {
  if (!target) {
    std::printf("%s: skipped (%s)\n", name, note.c_str());
    return;
  }
  evaluation::print_binary_metrics((std::string(name) + ", calibrated").c_str(), target->calibrated);
  std::printf("%s, before calibration: AUC %.4f, Brier %.4f, ECE %.4f\n\n", name, target->raw.auc, target->raw.brier,
              target->raw.ece);
}

}  // namespace

int evaluate_propensity_protocol(const CommandLine& line) {
  auto model_path = line.required("model");
  if (!model_path.ok()) return report_failure("eval", model_path.status());
  auto events_path = line.required("events");
  if (!events_path.ok()) return report_failure("eval", events_path.status());
  auto offset = line.number("utc-offset-hours", 0.0);
  if (!offset.ok()) return report_failure("eval", offset.status());
  auto bytes = read_binary_file(model_path.value());
  if (!bytes.ok()) return report_failure("eval", bytes.status());
  auto model = Model::load(std::move(bytes).value());
  if (!model.ok()) return report_failure("eval", model.status());
  const bool skip_bad_rows = line.has("skip-bad-rows");
  auto log = load_interaction_log(events_path.value(), skip_bad_rows);
  if (!log.ok()) return report_failure("eval", log.status());
  // Several history files are separated by commas (earlier events, and later ones for returns).
  std::vector<training::InteractionLog> history;
  if (const auto history_paths = line.value("history")) {
    std::size_t start = 0;
    while (start <= history_paths->size()) {
      const std::size_t comma = std::min(history_paths->find(',', start), history_paths->size());
      auto loaded = load_interaction_log(history_paths->substr(start, comma - start), skip_bad_rows);
      if (!loaded.ok()) return report_failure("eval", loaded.status());
      history.push_back(std::move(loaded).value());
      start = comma + 1;
    }
  }
  std::vector<const training::InteractionLog*> history_logs;
  for (const auto& entry : history) history_logs.push_back(&entry);
  auto result = evaluation::evaluate_propensity(*model.value(), log.value(), history_logs, offset.value());
  if (!result.ok()) return report_failure("eval", result.status());
  const auto& evaluated = result.value();
  if (line.has("json")) {
    const nlohmann::json output = {{"protocol", "propensity"},
                                   {"model", model.value()->version()},
                                   {"purchase", target_json(evaluated.purchase, evaluated.purchase_note)},
                                   {"return", target_json(evaluated.returning, evaluated.return_note)}};
    std::printf("%s\n", dump_json(output).c_str());
    return 0;
  }
  std::printf("model   %s (%s)\nevents  %s\n\n", model.value()->version().c_str(), model.value()->kind_name().c_str(),
              events_path.value().c_str());
  print_target("purchase", evaluated.purchase, evaluated.purchase_note);
  print_target("return", evaluated.returning, evaluated.return_note);
  return 0;
}

}  // namespace shelfwise::cli
