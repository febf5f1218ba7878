#include <cstdio>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "cli/log_loading.hpp"
#include "cli/prediction_dump.hpp"
#include "cli/progress_bar.hpp"
#include "evaluation/next_item_evaluation.hpp"
#include "shelfwise/json_fields.hpp"

namespace shelfwise::cli {
namespace {

constexpr const char* kEvalHelp = R"(usage: shelfwise eval --model model.swm --events test.csv [--k 20] [--json]

For every session and every prefix, ranks the whole catalogue for the next item and reports
recall@k (= HR@k), MRR@k, coverage@k, the number of predictions and milliseconds per prediction.
  --threads N       evaluate on N threads (metrics do not change; ms per prediction is per thread)
  --predictions FILE  also write every prediction's top-k item ids and scores as JSON lines
  --skip-bad-rows   report malformed rows and go on instead of failing
)";

int evaluate(const CommandLine& line) {
  auto model_path = line.required("model");
  if (!model_path.ok()) return report_failure("eval", model_path.status());
  auto events_path = line.required("events");
  if (!events_path.ok()) return report_failure("eval", events_path.status());
  auto k = line.integer("k", 20, 1, 1000);
  if (!k.ok()) return report_failure("eval", k.status());
  auto threads = line.integer("threads", 1, 1, 64);
  if (!threads.ok()) return report_failure("eval", threads.status());

  auto bytes = read_binary_file(model_path.value());
  if (!bytes.ok()) return report_failure("eval", bytes.status());
  auto model = Model::load(std::move(bytes).value());
  if (!model.ok()) return report_failure("eval", model.status());
  auto log = load_interaction_log(events_path.value(), line.has("skip-bad-rows"));
  if (!log.ok()) return report_failure("eval", log.status());

  Result<evaluation::NextItemMetrics> metrics = [&] {
    ProgressBar bar("evaluating");
    return evaluation::evaluate_next_item(model.value(), log.value(),
                                          {static_cast<std::size_t>(k.value()), static_cast<unsigned>(threads.value())},
                                          [&](double share) { bar.update(share); });
  }();
  if (!metrics.ok()) return report_failure("eval", metrics.status());
  if (const auto predictions_path = line.value("predictions")) {
    Status written = write_predictions(model.value(), log.value(), static_cast<std::size_t>(k.value()), *predictions_path);
    if (!written.ok()) return report_failure("eval", written);
  }
  const auto& result = metrics.value();
  const std::string at = "@" + std::to_string(result.k);
  if (line.has("json")) {
    const nlohmann::json output = {{"recall" + at, result.recall},
                                   {"mrr" + at, result.mrr},
                                   {"coverage" + at, result.coverage},
                                   {"n", result.predictions},
                                   {"sessions", result.sessions},
                                   {"k", result.k},
                                   {"ms_per_prediction", result.ms_per_prediction},
                                   {"ms_p50_per_prediction", result.ms_p50_per_prediction},
                                   {"model", model.value()->version()}};
    std::printf("%s\n", dump_json(output).c_str());
    return 0;
  }
  std::printf("model              %s (%s, %zu items)\n", model.value()->version().c_str(), model.value()->kind_name().c_str(),
              model.value()->item_count());
  std::printf("events             %s (%llu sessions)\n", events_path.value().c_str(),
              static_cast<unsigned long long>(result.sessions));
  std::printf("recall%-12s %.6f\n", at.c_str(), result.recall);
  std::printf("mrr%-15s %.6f\n", at.c_str(), result.mrr);
  std::printf("coverage%-10s %.6f\n", at.c_str(), result.coverage);
  std::printf("n                  %llu\n", static_cast<unsigned long long>(result.predictions));
  std::printf("ms_per_prediction  %.4f\n", result.ms_per_prediction);
  return 0;
}

}  // namespace

int run_eval(const std::vector<std::string>& arguments) {
  auto line = CommandLine::parse(arguments, {"model", "events", "k", "threads", "predictions"}, {"json", "skip-bad-rows", "help"});
  if (!line.ok()) return report_failure("eval", line.status());
  if (line.value().has("help")) {
    std::fputs(kEvalHelp, stdout);
    return 0;
  }
  return evaluate(line.value());
}

}  // namespace shelfwise::cli
