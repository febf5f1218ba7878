#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "cli/blend_training.hpp"
#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/factor_options.hpp"
#include "cli/file_io.hpp"
#include "cli/gru_training.hpp"
#include "cli/log_loading.hpp"
#include "cli/progress_bar.hpp"
#include "cli/session_knn_training.hpp"
#include "evaluation/next_for_user_evaluation.hpp"
#include "training/catalog_table.hpp"
#include "training/intent_trainer.hpp"
#include "training/co_purchase_trainer.hpp"
#include "training/inference_tuning.hpp"
#include "training/item_knn_trainer.hpp"
#include "training/behaviour_trainer.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"

namespace shelfwise::cli {
namespace {

constexpr const char* kTrainHelp = R"(usage: shelfwise train --algo pop|itemknn|sknn|mf|gru --events train.csv --out model.swm [--segments K] [--propensity] [options]
       shelfwise train --algo blend --models itemknn.swm,sknn.swm --valid valid.csv --out blend.swm  (or gru.swm,sknn.swm)

  --algo ALGO               pop: time-decayed popularity; itemknn: item-to-item neighbours;
                            sknn: session-based kNN over stored sessions (V-SKNN);
                            mf: implicit-feedback ALS item factors (the SDK folds the shopper in);
                            gru: GRU4Rec-style recurrent network (its flags below)
  --with-mf                 itemknn: also train and ship item factors (the ranker's user source)
  --events FILE             training interactions (session_id,user_id,item_id,timestamp,event)
  --catalog FILE            optional catalogue (item_id,category,price,title,available)
  --valid FILE              validation interactions: tune the inference weights on them
                            (mf: report next-for-user HR@10 / NDCG@10 on them, history = --events)
  --out FILE                the bundle to write (.swm)
  --neighbours N            itemknn: neighbours kept per item (default 100);
                            sknn: neighbour sessions that score (tuned, else 200)
  --max-gap N               clicks apart that still count for "next" (default 10)
  --gap-exponent X          a pair g clicks apart counts 1/g^X (default 1)
  --row-normalisation X     divide each "next" row by its total^X (default 1)
  --related-window N        clicks apart that count for "related" (default 10)
  --together-neighbours N   itemknn: "frequently bought together" entries kept per item, from
                            items carted or bought in the same session (default 20; 0 leaves them out)
  --together-min-sessions N sessions a pair must be carted/bought together in (default 1)
  --recency-decay X         fix the session recency decay instead of tuning it (default 0.7)
  --related-weight X        fix the weight of the related lists instead of tuning it (default 0.1)
sknn (each of these fixes the setting; without it the setting is tuned on --valid):
  --sample-size N           most recent sessions sharing an item that are compared (else 500)
  --position-weighting W    weight of a session item by position: same|linear|div|quadratic (else linear)
  --match-weighting W       neighbour weight by how far back it matches: same|linear|div|quadratic (else div)
  --idf-weight X            item score times (1 + X * idf) (else 20)
  --max-session-items N     latest session events used (else 20)
  --neighbour-position-decay X  a neighbour's item d places from the shared one counts X^d (else 0.9)
  --session-position-decay X    a session item s steps before the latest also counts X^s (else 0.95)
  --neighbour-recency-half-life N  a neighbour N stored sessions older than the newest counts half
                            (by the log's order; 0 = no recency weight) (else 100000)
  --session-item-weight X   scores of items already in the session (re-clicks) times X (else 3)
  --similarity-idf-weight X an item shared with a neighbour adds (1 + X * idf) times its weight
                            to the similarity (else 10)
  --neighbour-length-exponent X  similarity / (neighbour's distinct items)^X, X in 0..2 by 0.25 (else 0.25)
  --similarity-exponent X   a neighbour's items score with similarity^X, X in 0.25..8 by 0.25 (else 1.25)
  --max-sessions N          keep only the N most recent training sessions in the bundle (default 0 = all)
blend (an sknn bundle and an itemknn or gru bundle trained on the same events, mixed per request):
  --models A.swm,B.swm      the two bundles
  --sknn-weight X           fix the share of the sknn part in [0, 1] instead of tuning it on --valid
intent:
  --intent                  also fit the session-intent heads (purchase probability, stage, heading
                            category) on the events, which need cart/purchase rows; with --valid,
                            report AUC, calibration and accuracy against majority baselines
  --half-life-days X        popularity half-life with timestamps (default 14)
  --k N                     cut-off of the tuning metric (default 20)
  --tune-metric recall|mrr|sum  what tuning maximises (default sum)
  --threads N               threads for tuning and GRU training (default: all cores)
  --model-version TEXT      version string (default: kind, time and content hash)
  --skip-bad-rows           report malformed rows and go on instead of failing

Shopper behaviour (any --algo; written into the same bundle):
  --segments K              k-means micro-segments over the behaviour features (1..256)
  --segment-restarts N      k-means++ restarts, the best kept (default 5)
  --seed N                  seed of the k-means restarts (default 42)
  --propensity              purchase-in-this-visit and return propensity (calibrated logistic)
  --return-horizon-days X   "returns" = comes back within X days (default 7)
  --utc-offset-hours X      the shop's time zone, for the hour-of-day feature (default 0)
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

// Fits the intent heads against the model the other parts make, then (with --valid) scores them
// through the core and records the metrics in the manifest.
Status fit_intent_heads(training::ModelBundleParts& parts, const training::InteractionLog& log,
                        const std::optional<std::string>& valid_path, bool skip_bad_rows, training::IntentWeights* weights) {
  Timer timer;
  parts.intent = nullptr;
  const std::vector<std::uint8_t> base = training::build_model_bundle(parts);
  auto base_model = Model::load(ByteBuffer::copy_of(base.data(), base.size()));
  if (!base_model.ok()) return base_model.status();
  auto fitted = training::fit_intent(*base_model.value(), log);
  if (!fitted.ok()) return fitted.status();
  *weights = std::move(fitted).value();
  parts.intent = weights;
  std::fprintf(stderr, "intent heads fitted in %.2f s%s\n", timer.seconds(), weights->category.empty() ? " (no catalogue: no category head)" : "");
  if (!valid_path) return Status::ok_status();
  auto validation = load_interaction_log(*valid_path, skip_bad_rows);
  if (!validation.ok()) return validation.status();
  const std::vector<std::uint8_t> bytes = training::build_model_bundle(parts);
  auto model = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  if (!model.ok()) return model.status();
  auto metrics = training::evaluate_intent(*model.value(), validation.value());
  if (!metrics.ok()) return metrics.status();
  const auto& m = metrics.value();
  std::fprintf(stderr,
               "intent on %s (%llu prefixes): purchase AUC %.4f, Brier %.4f, ECE %.4f, accuracy %.4f (majority %.4f); "
               "stage accuracy %.4f (majority %.4f); category accuracy %.4f (majority %.4f, latest item's %.4f)\n",
               valid_path->c_str(), static_cast<unsigned long long>(m.examples), m.purchase_auc, m.purchase_brier,
               m.purchase_calibration_error, m.purchase_accuracy, m.purchase_majority_accuracy, m.stage_accuracy,
               m.stage_majority_accuracy, m.category_accuracy, m.category_majority_accuracy, m.category_latest_accuracy);
  parts.training["intent_validation"] = m.to_json();
  parts.training["intent_validation"]["events_file"] = *valid_path;
  return Status::ok_status();
}

// Segments and propensity are trained on the features of the bundle being built (its catalogue
// defines them), so the item model is assembled once first.
Status train_behaviour_parts(const CommandLine& line, const training::InteractionLog& log,
                             const training::ModelBundleParts& parts, training::BehaviourParts* out) {
  training::BehaviourTrainingOptions options;
  auto segments = line.integer("segments", 0, 1, static_cast<long long>(kMaxSegments));
  auto restarts = line.integer("segment-restarts", 5, 1, 100);
  auto seed = line.integer("seed", 42, 0, 1LL << 62);
  auto horizon = line.number("return-horizon-days", options.examples.return_horizon_days);
  auto offset = line.number("utc-offset-hours", 0.0);
  for (const Status* status : {&segments.status(), &restarts.status(), &seed.status(), &horizon.status(), &offset.status()}) {
    SHELFWISE_RETURN_IF_ERROR(*status);
  }
  if (!(horizon.value() > 0.0 && horizon.value() <= 365.0)) {
    return Status(ErrorCode::invalid_argument, "--return-horizon-days must be in (0, 365]");
  }
  if (!(offset.value() >= -14.0 && offset.value() <= 14.0)) {
    return Status(ErrorCode::invalid_argument, "--utc-offset-hours must be in [-14, 14]");
  }
  options.segments = line.has("segments") ? static_cast<std::size_t>(segments.value()) : 0;
  options.restarts = static_cast<std::size_t>(restarts.value());
  options.seed = static_cast<std::uint64_t>(seed.value());
  options.propensity = line.has("propensity");
  options.examples.return_horizon_days = horizon.value();
  options.examples.utc_offset_hours = offset.value();
  const std::vector<std::uint8_t> base = training::build_model_bundle(parts);
  auto model = Model::load(ByteBuffer::copy_of(base.data(), base.size()));
  if (!model.ok()) return model.status();
  Timer timer;
  auto trained = training::train_behaviour(*model.value(), log, options,
                                           [](const std::string& text) { std::fprintf(stderr, "%s\n", text.c_str()); });
  if (!trained.ok()) return trained.status();
  *out = std::move(trained).value();
  std::fprintf(stderr, "behaviour: %zu features, trained in %.2f s\n", model.value()->behaviour().features().size(), timer.seconds());
  return Status::ok_status();
}

int train(const CommandLine& line) {
  auto algo = line.required("algo");
  if (!algo.ok()) return report_failure("train", algo.status());
  if (algo.value() == "blend") return train_blend(line);
  if (algo.value() != "pop" && algo.value() != "itemknn" && algo.value() != "sknn" && algo.value() != "mf" &&
      algo.value() != "gru") {
    return report_failure("train", Status(ErrorCode::invalid_argument, "--algo must be pop, itemknn, sknn, mf, gru or blend"));
  }
  const bool with_factors = algo.value() == "mf" || line.has("with-mf");
  if (line.has("with-mf") && algo.value() != "itemknn") {
    return report_failure("train", Status(ErrorCode::invalid_argument, "--with-mf goes with --algo itemknn"));
  }
  auto events_path = line.required("events");
  if (!events_path.ok()) return report_failure("train", events_path.status());
  auto out_path = line.required("out");
  if (!out_path.ok()) return report_failure("train", out_path.status());

  training::ItemKnnOptions knn;
  training::PopularityOptions popularity_options;
  training::CoPurchaseOptions together_options;
  InferenceConfig inference;
  auto neighbours = line.integer("neighbours", knn.neighbours, 1, 10000);
  auto max_gap = line.integer("max-gap", knn.max_gap, 1, 1000);
  auto related_window = line.integer("related-window", knn.related_window, 0, 1000);
  auto together_neighbours = line.integer("together-neighbours", together_options.neighbours, 0, 1000);
  auto together_min_sessions = line.integer("together-min-sessions", together_options.min_sessions, 1, 1000000);
  auto gap_exponent = line.number("gap-exponent", knn.gap_exponent);
  auto row_normalisation = line.number("row-normalisation", knn.row_normalisation);
  auto recency_decay = line.number("recency-decay", inference.recency_decay);
  auto related_weight = line.number("related-weight", inference.related_weight);
  auto half_life = line.number("half-life-days", popularity_options.half_life_days);
  auto k = line.integer("k", 20, 1, 1000);
  auto threads = line.integer("threads", std::max(1U, std::thread::hardware_concurrency()), 1, 64);
  for (const Status* status : {&neighbours.status(), &max_gap.status(), &related_window.status(), &gap_exponent.status(),
                               &row_normalisation.status(), &recency_decay.status(), &related_weight.status(),
                               &half_life.status(), &k.status(), &threads.status(),
                               &together_neighbours.status(), &together_min_sessions.status()}) {
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
  together_options.neighbours = static_cast<std::uint32_t>(together_neighbours.value());
  together_options.min_sessions = static_cast<std::uint32_t>(together_min_sessions.value());
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
  SessionKnnSettings session_knn;
  if (algo.value() == "sknn") {
    auto parsed = parse_session_knn_flags(line);
    if (!parsed.ok()) return report_failure("train", parsed.status());
    session_knn = parsed.value();
    session_knn.tuning.k = tuning.k;
    session_knn.tuning.threads = tuning.threads;
    session_knn.tuning.objective = tuning.objective;
  }
  FactorSettings factor_settings;
  if (with_factors) {
    auto parsed = parse_factor_settings(line, static_cast<unsigned>(threads.value()));
    if (!parsed.ok()) return report_failure("train", parsed.status());
    factor_settings = parsed.value();
  } else {
    for (const std::string& flag : factor_flags()) {
      // --seed also seeds the GRU and the k-means segments.
      if (flag != "seed" && line.has(flag)) return report_failure("train", Status(ErrorCode::invalid_argument, "--" + flag + " needs --algo mf or --with-mf"));
    }
  }

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
  training::NeighbourLists together;
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
    if (together_options.neighbours > 0) {
      together = training::train_co_purchase(log.value(), item_count, together_options);
      if (!together.indices.empty()) parts.together = &together;
      parts.hyperparameters.update({{"together_neighbours", together_options.neighbours},
                                    {"together_min_sessions", together_options.min_sessions}});
      std::fprintf(stderr, "bought-together lists: %zu entries%s\n", together.indices.size(),
                   together.indices.empty() ? " (no session carted two items: left out)" : "");
    }
  }
  parts.training = {{"events_file", events_path.value()},
                    {"sessions", log.value().sessions.size()},
                    {"events", log.value().events.size()}};
  training::SessionKnnTables session_tables;
  if (parts.kind == "sknn") {
    std::optional<training::InteractionLog> validation;
    const auto valid_path = line.value("valid");
    if (valid_path) {
      auto loaded = load_interaction_log(*valid_path, skip_bad_rows);
      if (!loaded.ok()) return report_failure("train", loaded.status());
      validation = std::move(loaded).value();
    }
    Status trained = train_session_knn(session_knn, log.value(), validation ? &*validation : nullptr, valid_path.value_or(""),
                                       &session_tables, &parts);
    if (!trained.ok()) return report_failure("train", trained);
  }
  training::QuantisedFactors factors;
  if (with_factors) {
    Status trained = train_factors(log.value(), item_count, factor_settings, parts, &factors);
    if (!trained.ok()) return report_failure("train", trained);
  }
  if (const auto valid_path = line.value("valid"); valid_path && parts.kind == "mf") {
    // The device's own fold-in, scored on the validation rows: what the defaults were tuned on.
    auto validation = load_interaction_log(*valid_path, skip_bad_rows);
    if (!validation.ok()) return report_failure("train", validation.status());
    const std::vector<std::uint8_t> draft = training::build_model_bundle(parts);
    auto model = Model::load(ByteBuffer::copy_of(draft.data(), draft.size()));
    if (!model.ok()) return report_failure("train", model.status());
    auto metrics = evaluation::evaluate_next_for_user(model.value(), log.value(), validation.value(),
                                                      {10, static_cast<unsigned>(threads.value())});
    if (!metrics.ok()) return report_failure("train", metrics.status());
    parts.training["validation"] = {{"events_file", *valid_path},
                                    {"protocol", "next-for-user"},
                                    {"hr@10", metrics.value().hit_rate},
                                    {"ndcg@10", metrics.value().ndcg},
                                    {"n", metrics.value().users}};
    std::fprintf(stderr, "validation (next-for-user on %s): hr@10 %.4f, ndcg@10 %.4f, n %llu\n", valid_path->c_str(),
                 metrics.value().hit_rate, metrics.value().ndcg, static_cast<unsigned long long>(metrics.value().users));
  }
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
  training::IntentWeights intent_weights;
  if (line.has("intent")) {
    Status fitted = fit_intent_heads(parts, log.value(), line.value("valid"), skip_bad_rows, &intent_weights);
    if (!fitted.ok()) return report_failure("train", fitted);
  }
  training::BehaviourParts behaviour;
  if (line.has("segments") || line.has("propensity")) {
    Status trained = train_behaviour_parts(line, log.value(), parts, &behaviour);
    if (!trained.ok()) return report_failure("train", trained);
    parts.behaviour = &behaviour;
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
  std::set<std::string> flags = {"algo", "events", "catalog", "valid", "out", "neighbours", "max-gap", "gap-exponent",
                                 "row-normalisation", "related-window", "recency-decay", "related-weight", "half-life-days",
                                 "k", "tune-metric", "threads", "model-version", "sample-size", "position-weighting",
                                 "match-weighting", "idf-weight", "max-session-items", "max-sessions", "neighbour-position-decay",
                                 "session-position-decay", "neighbour-recency-half-life", "session-item-weight",
                                 "similarity-idf-weight", "neighbour-length-exponent", "similarity-exponent",
                                 "models", "sknn-weight", "together-neighbours", "together-min-sessions", "segments",
                                 "segment-restarts", "seed", "return-horizon-days", "utc-offset-hours"};
  flags.insert(factor_flags().begin(), factor_flags().end());
  flags.insert(gru_value_flags().begin(), gru_value_flags().end());
  auto line = CommandLine::parse(arguments, flags, {"skip-bad-rows", "intent", "propensity", "with-mf", "help"});
  if (!line.ok()) return report_failure("train", line.status());
  if (line.value().has("help")) {
    std::fputs(kTrainHelp, stdout);
    std::fputs(kFactorHelp, stdout);
    std::fputs(kGruTrainHelp, stdout);
    return 0;
  }
  return train(line.value());
}

}  // namespace shelfwise::cli
