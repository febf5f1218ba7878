#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "cli/gru_training.hpp"
#include "cli/log_loading.hpp"
#include "cli/progress_bar.hpp"
#include "training/catalog_table.hpp"
#include "training/inference_tuning.hpp"
#include "training/item_knn_trainer.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"

namespace shelfwise::cli {
namespace {

constexpr const char* kTrainHelp = R"(usage: shelfwise train --algo pop|itemknn|gru --events train.csv --out model.swm [options]

  --algo pop|itemknn|gru    pop: time-decayed popularity; itemknn: item-to-item neighbours;
                            gru: GRU4Rec-style recurrent network (its flags below)
  --events FILE             training interactions (session_id,user_id,item_id,timestamp,event)
  --catalog FILE            optional catalogue (item_id,category,price,title,available)
  --valid FILE              validation interactions: tune the inference weights on them
  --out FILE                the bundle to write (.swm)
  --neighbours N            neighbours kept per item (default 100)
  --max-gap N               clicks apart that still count for "next" (default 10)
  --gap-exponent X          a pair g clicks apart counts 1/g^X (default 1)
  --row-normalisation X     divide each "next" row by its total^X (default 1)
  --related-window N        clicks apart that count for "related" (default 10)
  --recency-decay X         fix the session recency decay instead of tuning it (default 0.7)
  --related-weight X        fix the weight of the related lists instead of tuning it (default 0.1)
  --half-life-days X        popularity half-life with timestamps (default 14)
  --k N                     cut-off of the tuning metric (default 20)
  --tune-metric recall|mrr|sum  what tuning maximises (default sum)
  --threads N               threads for tuning and GRU training (default: all cores)
  --model-version TEXT      version string (default: kind, time and content hash)
  --skip-bad-rows           report malformed rows and go on instead of failing
)";

struct Timer {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
};

// Vocabulary = items of the log in order of appearance, then catalogue items never seen in it.
Status merge_catalog(const std::string& path, training::InteractionLog& log, std::vector<training::CatalogRow>* aligned) {
  auto text = read_text_file(path);
  if (!text.ok()) return text.status();
  auto rows = training::parse_catalog(text.value(), path);
  if (!rows.ok()) return rows.status();
  std::vector<training::CatalogRow> by_item(log.item_ids.size());
  std::vector<bool> described(log.item_ids.size(), false);
  for (auto& row : rows.value()) {
    auto [entry, added] = log.item_index.emplace(row.item_id, static_cast<std::uint32_t>(log.item_ids.size()));
    if (added) {
      log.item_ids.push_back(row.item_id);
      by_item.emplace_back();
      described.push_back(false);
    }
    described[entry->second] = true;
    by_item[entry->second] = std::move(row);
  }
  std::size_t undescribed = 0;
  for (std::size_t item = 0; item < by_item.size(); ++item) {
    if (!described[item]) {
      by_item[item].item_id = log.item_ids[item];
      ++undescribed;
    }
  }
  if (undescribed > 0) std::fprintf(stderr, "warning: %zu items of the events are not in the catalogue\n", undescribed);
  *aligned = std::move(by_item);
  return Status::ok_status();
}

int train(const CommandLine& line) {
  auto algo = line.required("algo");
  if (!algo.ok()) return report_failure("train", algo.status());
  if (algo.value() != "pop" && algo.value() != "itemknn" && algo.value() != "gru") {
    return report_failure("train", Status(ErrorCode::invalid_argument, "--algo must be pop, itemknn or gru"));
  }
  auto events_path = line.required("events");
  if (!events_path.ok()) return report_failure("train", events_path.status());
  auto out_path = line.required("out");
  if (!out_path.ok()) return report_failure("train", out_path.status());

  training::ItemKnnOptions knn;
  training::PopularityOptions popularity_options;
  InferenceConfig inference;
  auto neighbours = line.integer("neighbours", knn.neighbours, 1, 10000);
  auto max_gap = line.integer("max-gap", knn.max_gap, 1, 1000);
  auto related_window = line.integer("related-window", knn.related_window, 0, 1000);
  auto gap_exponent = line.number("gap-exponent", knn.gap_exponent);
  auto row_normalisation = line.number("row-normalisation", knn.row_normalisation);
  auto recency_decay = line.number("recency-decay", inference.recency_decay);
  auto related_weight = line.number("related-weight", inference.related_weight);
  auto half_life = line.number("half-life-days", popularity_options.half_life_days);
  auto k = line.integer("k", 20, 1, 1000);
  auto threads = line.integer("threads", std::max(1U, std::thread::hardware_concurrency()), 1, 64);
  for (const Status* status : {&neighbours.status(), &max_gap.status(), &related_window.status(), &gap_exponent.status(),
                               &row_normalisation.status(), &recency_decay.status(), &related_weight.status(),
                               &half_life.status(), &k.status(), &threads.status()}) {
    if (!status->ok()) return report_failure("train", *status);
  }
  if (recency_decay.value() <= 0.0 || recency_decay.value() > 1.0 || related_weight.value() < 0.0 || half_life.value() <= 0.0) {
    return report_failure("train", Status(ErrorCode::invalid_argument,
                                          "--recency-decay must be in (0, 1], --related-weight >= 0, --half-life-days > 0"));
  }
  knn.neighbours = static_cast<std::uint32_t>(neighbours.value());
  knn.max_gap = static_cast<std::uint32_t>(max_gap.value());
  knn.related_window = static_cast<std::uint32_t>(related_window.value());
  knn.gap_exponent = gap_exponent.value();
  knn.row_normalisation = row_normalisation.value();
  inference.recency_decay = recency_decay.value();
  inference.related_weight = related_weight.value();
  popularity_options.half_life_days = half_life.value();
  training::TuningOptions tuning;
  tuning.k = static_cast<std::size_t>(k.value());
  tuning.threads = static_cast<unsigned>(threads.value());
  tuning.tune_recency_decay = !line.has("recency-decay");
  tuning.tune_related_weight = !line.has("related-weight");
  const std::string metric = line.value("tune-metric").value_or("sum");
  if (metric == "recall") {
    tuning.objective = training::TuningObjective::recall;
  } else if (metric == "mrr") {
    tuning.objective = training::TuningObjective::mrr;
  } else if (metric != "sum") {
    return report_failure("train", Status(ErrorCode::invalid_argument, "--tune-metric must be recall, mrr or sum"));
  }
  const bool skip_bad_rows = line.has("skip-bad-rows");

  Timer total;
  auto log = load_interaction_log(events_path.value(), skip_bad_rows);
  if (!log.ok()) return report_failure("train", log.status());
  training::ModelBundleParts parts;
  parts.kind = algo.value();
  parts.version = line.value("model-version").value_or("");
  if (const auto catalog_path = line.value("catalog")) {
    Status merged = merge_catalog(*catalog_path, log.value(), &parts.catalog);
    if (!merged.ok()) return report_failure("train", merged);
  }
  const std::size_t item_count = log.value().item_ids.size();
  if (item_count == 0) return report_failure("train", Status(ErrorCode::invalid_argument, "no items to train on"));
  std::fprintf(stderr, "read %zu sessions, %zu events, %zu items in %.2f s\n", log.value().sessions.size(),
               log.value().events.size(), item_count, total.seconds());

  parts.item_ids = log.value().item_ids;
  parts.popularity = training::train_popularity(log.value(), item_count, popularity_options);
  parts.inference = inference;
  parts.hyperparameters = {{"popularity_half_life_days", popularity_options.half_life_days},
                           {"popularity_uses_timestamps", log.value().has_timestamps}};
  training::ItemKnnTables tables;
  if (parts.kind == "itemknn") {
    Timer knn_timer;
    {
      ProgressBar bar("neighbours");
      tables = training::train_item_knn(log.value(), item_count, knn, [&](double share) { bar.update(share); });
    }
    parts.item_knn = &tables;
    parts.hyperparameters.update({{"neighbours", knn.neighbours},
                                  {"max_gap", knn.max_gap},
                                  {"gap_exponent", knn.gap_exponent},
                                  {"row_normalisation", knn.row_normalisation},
                                  {"related_window", knn.related_window}});
    std::fprintf(stderr, "neighbour lists: %zu next, %zu related entries in %.2f s\n", tables.next.indices.size(),
                 tables.related.indices.size(), knn_timer.seconds());
  }
  parts.training = {{"events_file", events_path.value()},
                    {"sessions", log.value().sessions.size()},
                    {"events", log.value().events.size()}};
  training::GruParameters gru_parameters;
  if (parts.kind == "gru") {
    std::optional<training::InteractionLog> validation;
    if (const auto valid_path = line.value("valid")) {
      auto loaded = load_interaction_log(*valid_path, skip_bad_rows);
      if (!loaded.ok()) return report_failure("train", loaded.status());
      validation = std::move(loaded).value();
    }
    GruRun run;
    run.log = &log.value();
    run.valid = validation ? &*validation : nullptr;
    run.item_count = item_count;
    run.k = tuning.k;
    run.threads = tuning.threads;
    Status trained = train_gru_model(line, run, parts, &gru_parameters);
    if (!trained.ok()) return report_failure("train", trained);
  }

  if (const auto valid_path = line.value("valid"); valid_path && parts.kind == "itemknn" &&
                                                   (tuning.tune_recency_decay || tuning.tune_related_weight)) {
    auto validation = load_interaction_log(*valid_path, skip_bad_rows);
    if (!validation.ok()) return report_failure("train", validation.status());
    Timer tuning_timer;
    std::fprintf(stderr, "tuning on %s (%zu sessions):\n  recency_decay related_weight  recall@%zu   mrr@%zu\n",
                 valid_path->c_str(), validation.value().sessions.size(), tuning.k, tuning.k);
    auto tuned = training::tune_inference(parts, validation.value(), tuning, [&](const training::TuningTrial& trial) {
      std::fprintf(stderr, "  %13.2f %14.2f  %9.4f  %8.4f\n", trial.inference.recency_decay, trial.inference.related_weight,
                   trial.metrics.recall, trial.metrics.mrr);
    });
    if (!tuned.ok()) return report_failure("train", tuned.status());
    const auto& best = tuned.value().best;
    parts.inference = best.inference;
    const std::string at = "@" + std::to_string(tuning.k);
    parts.training["validation"] = {{"events_file", *valid_path},
                                    {"recall" + at, best.metrics.recall},
                                    {"mrr" + at, best.metrics.mrr},
                                    {"coverage" + at, best.metrics.coverage},
                                    {"n", best.metrics.predictions},
                                    {"objective", metric}};
    std::fprintf(stderr, "chose recency_decay %.2f, related_weight %.2f (recall%s %.4f, mrr%s %.4f) in %.1f s\n",
                 best.inference.recency_decay, best.inference.related_weight, at.c_str(), best.metrics.recall, at.c_str(),
                 best.metrics.mrr, tuning_timer.seconds());
  }
  parts.training["seconds"] = total.seconds();

  const std::vector<std::uint8_t> bytes = training::build_model_bundle(parts);
  // Never write a bundle the device would reject.
  auto check = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  if (!check.ok()) return report_failure("train", check.status());
  Status written = write_file_atomically(out_path.value(), bytes.data(), bytes.size());
  if (!written.ok()) return report_failure("train", written);
  std::printf("wrote %s: %s, %zu items, %zu bytes, version %s (%.2f s)\n", out_path.value().c_str(), parts.kind.c_str(),
              item_count, bytes.size(), check.value()->version().c_str(), total.seconds());
  return 0;
}

}  // namespace

int run_train(const std::vector<std::string>& arguments) {
  std::set<std::string> value_flags = {"algo", "events", "catalog", "valid", "out", "neighbours", "max-gap",
                                       "gap-exponent", "row-normalisation", "related-window", "recency-decay",
                                       "related-weight", "half-life-days", "k", "tune-metric", "threads", "model-version"};
  value_flags.insert(gru_value_flags().begin(), gru_value_flags().end());
  auto line = CommandLine::parse(arguments, value_flags, {"skip-bad-rows", "help"});
  if (!line.ok()) return report_failure("train", line.status());
  if (line.value().has("help")) {
    std::fputs(kTrainHelp, stdout);
    std::fputs(kGruTrainHelp, stdout);
    return 0;
  }
  return train(line.value());
}

}  // namespace shelfwise::cli
