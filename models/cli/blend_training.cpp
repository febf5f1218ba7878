#include "cli/blend_training.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "cli/log_loading.hpp"
#include "training/blend_bundle.hpp"

namespace shelfwise::cli {
namespace {

Result<std::shared_ptr<const Model>> load_model_file(const std::string& path) {
  auto bytes = read_binary_file(path);
  if (!bytes.ok()) return bytes.status();
  auto model = Model::load(std::move(bytes).value());
  if (!model.ok()) return Status(model.status().code(), path + ": " + model.status().message());
  return model.value();
}

}  // namespace

int train_blend(const CommandLine& line) {
  const auto start = std::chrono::steady_clock::now();
  auto models = line.required("models");
  if (!models.ok()) return report_failure("train", models.status());
  auto out_path = line.required("out");
  if (!out_path.ok()) return report_failure("train", out_path.status());
  const std::string& list = models.value();
  const auto comma = list.find(',');
  if (comma == std::string::npos || list.find(',', comma + 1) != std::string::npos) {
    return report_failure("train", Status(ErrorCode::invalid_argument, "--models must name two bundles: itemknn.swm,sknn.swm or gru.swm,sknn.swm"));
  }
  auto k = line.integer("k", 20, 1, 1000);
  auto threads = line.integer("threads", std::max(1U, std::thread::hardware_concurrency()), 1, 64);
  auto fixed_weight = line.number("sknn-weight", 0.5);
  for (const Status* status : {&k.status(), &threads.status(), &fixed_weight.status()}) {
    if (!status->ok()) return report_failure("train", *status);
  }
  if (fixed_weight.value() < 0.0 || fixed_weight.value() > 1.0) {
    return report_failure("train", Status(ErrorCode::invalid_argument, "--sknn-weight must be between 0 and 1"));
  }
  training::TuningObjective objective = training::TuningObjective::recall_plus_mrr;
  const std::string metric = line.value("tune-metric").value_or("sum");
  if (metric == "recall") {
    objective = training::TuningObjective::recall;
  } else if (metric == "mrr") {
    objective = training::TuningObjective::mrr;
  } else if (metric != "sum") {
    return report_failure("train", Status(ErrorCode::invalid_argument, "--tune-metric must be recall, mrr or sum"));
  }
  const auto valid_path = line.value("valid");
  if (!valid_path && !line.has("sknn-weight")) {
    return report_failure("train", Status(ErrorCode::invalid_argument, "a blend needs --valid to tune its weight, or --sknn-weight"));
  }

  auto first = load_model_file(list.substr(0, comma));
  if (!first.ok()) return report_failure("train", first.status());
  auto second = load_model_file(list.substr(comma + 1));
  if (!second.ok()) return report_failure("train", second.status());
  auto parts = training::blend_parts(first.value(), second.value());
  if (!parts.ok()) return report_failure("train", parts.status());

  double weight = fixed_weight.value();
  nlohmann::json training = {{"parts", {parts.value().other->version(), parts.value().session_knn->version()}}};
  if (!line.has("sknn-weight")) {
    auto validation = load_interaction_log(*valid_path, line.has("skip-bad-rows"));
    if (!validation.ok()) return report_failure("train", validation.status());
    std::fprintf(stderr, "tuning on %s (%zu sessions):\n  sknn_weight  recall@%lld   mrr@%lld\n", valid_path->c_str(),
                 validation.value().sessions.size(), k.value(), k.value());
    training::BlendTrial best{};
    auto tuned = training::tune_blend_weight(parts.value(), validation.value(), static_cast<std::size_t>(k.value()),
                                             static_cast<unsigned>(threads.value()), objective, &best,
                                             [](const training::BlendTrial& trial) {
                                               std::fprintf(stderr, "  %11.3f  %9.4f  %8.4f\n", trial.session_knn_weight,
                                                            trial.metrics.recall, trial.metrics.mrr);
                                             });
    if (!tuned.ok()) return report_failure("train", tuned.status());
    weight = best.session_knn_weight;
    const std::string at = "@" + std::to_string(k.value());
    training["validation"] = {{"events_file", *valid_path},
                              {"recall" + at, best.metrics.recall},
                              {"mrr" + at, best.metrics.mrr},
                              {"coverage" + at, best.metrics.coverage},
                              {"n", best.metrics.predictions},
                              {"objective", metric}};
    std::fprintf(stderr, "chose sknn_weight %.3f (recall%s %.4f, mrr%s %.4f)\n", weight, at.c_str(), best.metrics.recall,
                 at.c_str(), best.metrics.mrr);
  }
  training["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::vector<std::uint8_t> bytes =
      training::build_blend_bundle(parts.value(), weight, line.value("model-version").value_or(""), training);
  auto check = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  if (!check.ok()) return report_failure("train", check.status());
  Status written = write_file_atomically(out_path.value(), bytes.data(), bytes.size());
  if (!written.ok()) return report_failure("train", written);
  std::printf("wrote %s: blend (sknn weight %.3f), %zu items, %zu bytes, version %s\n", out_path.value().c_str(), weight,
              check.value()->item_count(), bytes.size(), check.value()->version().c_str());
  return 0;
}

}  // namespace shelfwise::cli
