#include <cstdio>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "cli/log_loading.hpp"
#include "cli/prediction_dump.hpp"
#include "cli/progress_bar.hpp"
#include "cli/propensity_eval.hpp"
#include "evaluation/next_for_user_evaluation.hpp"
#include "evaluation/next_item_evaluation.hpp"
#include "training/intent_trainer.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace shelfwise::cli {
namespace {

constexpr const char* kEvalHelp = R"(usage: shelfwise eval --model model.swm --events test.csv [--k 20] [--json]
       shelfwise eval --protocol propensity --model model.swm --events valid.csv [--history train.csv] [--json]
       shelfwise eval --protocol next-for-user --model model.swm --history train.csv --events valid.csv [--k 10] [--json]

--protocol next-item (default): for every session and every prefix, ranks the whole catalogue for
the next item and reports recall@k (= HR@k), MRR@k, coverage@k, the number of predictions and
milliseconds per prediction.
--protocol next-for-user: for each user of --events (user_id, or the session when anonymous),
folds their rows of --history into a user vector as the device does and ranks every item outside
that history for their first row in --events; reports HR@k and NDCG@k (--json: hr@k, ndcg@k, n),
the item-factor dtype and bytes, so quantised bundles show their quality cost.
  --threads N       evaluate on N threads (metrics do not change; ms per prediction is per thread)
  --intent          evaluate the session-intent heads instead (needs a model trained with --intent
                    and events with cart/purchase rows): purchase AUC, Brier score, calibration
                    error, accuracies against majority baselines
  --predictions FILE  also write every prediction's top-k item ids and scores as JSON lines
  --skip-bad-rows   report malformed rows and go on instead of failing

--protocol propensity scores the bundle's purchase and return models (train --propensity) on the
sessions of --events, built as in training; --history A.csv[,B.csv] gives users their other
events: earlier ones as context, later ones to tell whether they came back (a visit counts only
when its whole return horizon lies inside the data). Prints AUC, Brier score, expected calibration error and reliability bins (10 equal-width
bins), calibrated and before calibration. --json keys: "purchase"/"return" with "calibrated" and
"raw" {n, positives, base_rate, auc, brier, ece, reliability}.
  --utc-offset-hours X   the shop's time zone for the hour-of-day feature, as in training (default 0)
)";

void print_factor_summary(const Model& model) {
  if (const ItemFactors* factors = model.item_factors()) {
    std::printf("factors            %zu x %zu as %s, %llu bytes (%.2f bytes per item)\n", factors->item_count(), factors->dim(),
                std::string(factor_dtype_name(factors->dtype())).c_str(),
                static_cast<unsigned long long>(factors->factor_bytes()),
                static_cast<double>(factors->factor_bytes()) / static_cast<double>(factors->item_count()));
  } else {
    std::printf("factors            none (popularity ranking)\n");
  }
}

int evaluate_next_for_user(const CommandLine& line, const std::shared_ptr<const Model>& model, const std::string& events_path,
                           std::size_t k, unsigned threads) {
  auto history_path = line.required("history");
  if (!history_path.ok()) return report_failure("eval", history_path.status());
  auto history = load_interaction_log(history_path.value(), line.has("skip-bad-rows"));
  if (!history.ok()) return report_failure("eval", history.status());
  auto events = load_interaction_log(events_path, line.has("skip-bad-rows"));
  if (!events.ok()) return report_failure("eval", events.status());
  Result<evaluation::NextForUserMetrics> metrics = [&] {
    ProgressBar bar("evaluating");
    return evaluation::evaluate_next_for_user(model, history.value(), events.value(), {k, threads},
                                              [&](double share) { bar.update(share); });
  }();
  if (!metrics.ok()) return report_failure("eval", metrics.status());
  const auto& result = metrics.value();
  const std::string at = "@" + std::to_string(result.k);
  const ItemFactors* factors = model->item_factors();
  if (line.has("json")) {
    const nlohmann::json output = {{"protocol", "next-for-user"},
                                   {"hr" + at, result.hit_rate},
                                   {"ndcg" + at, result.ndcg},
                                   {"n", result.users},
                                   {"users_without_history", result.users_without_history},
                                   {"k", result.k},
                                   {"ms_per_user", result.ms_per_user},
                                   {"dtype", factors ? nlohmann::json(std::string(factor_dtype_name(factors->dtype()))) : nlohmann::json(nullptr)},
                                   {"factor_bytes", factors ? factors->factor_bytes() : 0},
                                   {"model", model->version()}};
    std::printf("%s\n", dump_json(output).c_str());
    return 0;
  }
  std::printf("model              %s (%s, %zu items)\n", model->version().c_str(), model->kind_name().c_str(), model->item_count());
  print_factor_summary(*model);
  std::printf("history            %s\n", history_path.value().c_str());
  std::printf("events             %s (%llu users, %llu without history)\n", events_path.c_str(),
              static_cast<unsigned long long>(result.users), static_cast<unsigned long long>(result.users_without_history));
  std::printf("hr%-16s %.6f\n", at.c_str(), result.hit_rate);
  std::printf("ndcg%-14s %.6f\n", at.c_str(), result.ndcg);
  std::printf("n                  %llu\n", static_cast<unsigned long long>(result.users));
  std::printf("ms_per_user        %.4f\n", result.ms_per_user);
  return 0;
}

int evaluate(const CommandLine& line) {
  const std::string protocol = line.value("protocol").value_or("next-item");
  if (protocol == "propensity") return evaluate_propensity_protocol(line);
  if (protocol != "next-item" && protocol != "next-for-user") {
    return report_failure("eval", Status(ErrorCode::invalid_argument, "--protocol must be next-item, next-for-user or propensity"));
  }
  if (protocol == "next-item" && line.has("history")) {
    return report_failure("eval", Status(ErrorCode::invalid_argument, "--history goes with --protocol next-for-user or propensity"));
  }
  auto model_path = line.required("model");
  if (!model_path.ok()) return report_failure("eval", model_path.status());
  auto events_path = line.required("events");
  if (!events_path.ok()) return report_failure("eval", events_path.status());
  auto k = line.integer("k", protocol == "next-item" ? 20 : 10, 1, 1000);
  if (!k.ok()) return report_failure("eval", k.status());
  auto threads = line.integer("threads", 1, 1, 64);
  if (!threads.ok()) return report_failure("eval", threads.status());

  auto bytes = read_binary_file(model_path.value());
  if (!bytes.ok()) return report_failure("eval", bytes.status());
  auto model = Model::load(std::move(bytes).value());
  if (!model.ok()) return report_failure("eval", model.status());
  if (protocol == "next-for-user") {
    return evaluate_next_for_user(line, model.value(), events_path.value(), static_cast<std::size_t>(k.value()),
                                  static_cast<unsigned>(threads.value()));
  }
  auto log = load_interaction_log(events_path.value(), line.has("skip-bad-rows"));
  if (!log.ok()) return report_failure("eval", log.status());
  if (line.has("intent")) {
    auto intent = training::evaluate_intent(*model.value(), log.value());
    if (!intent.ok()) return report_failure("eval", intent.status());
    nlohmann::json output = intent.value().to_json();
    output["model"] = model.value()->version();
    std::printf("%s\n", dump_json(output, line.has("json") ? -1 : 2).c_str());
    return 0;
  }

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
  auto line = CommandLine::parse(arguments, {"model", "events", "k", "threads", "protocol", "history", "utc-offset-hours",
                                  "predictions"},
                                 {"json", "skip-bad-rows", "intent", "help"});
  if (!line.ok()) return report_failure("eval", line.status());
  if (line.value().has("help")) {
    std::fputs(kEvalHelp, stdout);
    return 0;
  }
  return evaluate(line.value());
}

}  // namespace shelfwise::cli
