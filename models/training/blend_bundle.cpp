#include "training/blend_bundle.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/crc32.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace shelfwise::training {
namespace {

std::string utc_now(const char* format) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof(text), format, &parts);
  return text;
}

void copy_tensor(BundleWriter& writer, const Bundle& bundle, const TensorInfo& tensor) {
  writer.add_tensor(tensor.name, tensor.dtype, tensor.shape, bundle.bytes().data() + tensor.offset, tensor.size);
}

nlohmann::json member_or_empty(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found == object.end() ? nlohmann::json::object() : *found;
}

}  // namespace

Result<BlendParts> blend_parts(std::shared_ptr<const Model> first, std::shared_ptr<const Model> second) {
  if (first->kind() == ModelKind::session_knn) std::swap(first, second);
  if ((first->kind() != ModelKind::item_knn && first->kind() != ModelKind::gru) || second->kind() != ModelKind::session_knn) {
    return Status(ErrorCode::invalid_argument, "a blend needs one sknn model and one itemknn or gru model, not " + first->kind_name() +
                                                   " and " + second->kind_name());
  }
  if (first->item_count() != second->item_count()) {
    return Status(ErrorCode::invalid_argument, "the models know different items (" + std::to_string(first->item_count()) +
                                                   " vs " + std::to_string(second->item_count()) +
                                                   "): train both on the same events");
  }
  for (std::uint32_t item = 0; item < first->item_count(); ++item) {
    if (first->items().id(item) != second->items().id(item)) {
      return Status(ErrorCode::invalid_argument, "the models order their items differently (item " + std::to_string(item) +
                                                     "): train both on the same events");
    }
  }
  return BlendParts{first, second};
}

std::vector<std::uint8_t> build_blend_bundle(const BlendParts& parts, double session_knn_weight, const std::string& version,
                                             const nlohmann::json& training) {
  const nlohmann::json other_manifest = manifest_json(parts.other->bundle());
  const std::string other_key = parts.other->kind() == ModelKind::gru ? "gru" : "itemknn";
  const nlohmann::json sknn_manifest = manifest_json(parts.session_knn->bundle());
  std::string name = version;
  if (name.empty()) {
    const std::string part_versions = parts.other->version() + "+" + parts.session_knn->version();
    char fingerprint[16];
    std::snprintf(fingerprint, sizeof(fingerprint), "%08x", crc32(part_versions.data(), part_versions.size()));
    name = "blend-" + utc_now("%Y%m%dT%H%M%SZ") + "-" + fingerprint;
  }
  nlohmann::json manifest = {
      {"model", {{"kind", "blend"}, {"version", name}, {"created_at", utc_now("%Y-%m-%dT%H:%M:%SZ")}}},
      {"hyperparameters",
       {{other_key, member_or_empty(other_manifest, "hyperparameters")}, {"sknn", member_or_empty(sknn_manifest, "hyperparameters")}}},
      {"inference",
       {{"sknn_weight", session_knn_weight},
        {other_key, member_or_empty(other_manifest, "inference")},
        {"sknn", member_or_empty(sknn_manifest, "inference")}}},
      {"training", training},
  };
  BundleWriter writer(parts.other->item_count(), std::move(manifest));
  for (const TensorInfo& tensor : parts.other->bundle().tensors()) copy_tensor(writer, parts.other->bundle(), tensor);
  for (const TensorInfo& tensor : parts.session_knn->bundle().tensors()) {
    if (tensor.name.rfind("sknn.", 0) == 0) copy_tensor(writer, parts.session_knn->bundle(), tensor);
  }
  return writer.serialize();
}

Result<std::vector<BlendTrial>> tune_blend_weight(const BlendParts& parts, const InteractionLog& validation, std::size_t k,
                                                  unsigned threads, TuningObjective objective, BlendTrial* best,
                                                  const std::function<void(const BlendTrial&)>& on_trial) {
  std::vector<BlendTrial> trials;
  auto evaluate = [&](double weight) -> Status {
    if (weight < 0.0 || weight > 1.0) return Status::ok_status();
    for (const auto& trial : trials) {
      if (std::fabs(trial.session_knn_weight - weight) < 1e-9) return Status::ok_status();
    }
    const std::vector<std::uint8_t> bytes = build_blend_bundle(parts, weight, "tuning", nlohmann::json::object());
    auto model = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
    if (!model.ok()) return model.status();
    auto metrics = evaluation::evaluate_next_item(model.value(), validation, {k, threads});
    if (!metrics.ok()) return metrics.status();
    trials.push_back({weight, metrics.value()});
    if (on_trial) on_trial(trials.back());
    if (trials.size() == 1 || objective_value(metrics.value(), objective) > objective_value(best->metrics, objective)) {
      *best = trials.back();
    }
    return Status::ok_status();
  };
  for (int step = 0; step <= 10; ++step) SHELFWISE_RETURN_IF_ERROR(evaluate(step / 10.0));
  const double coarse = best->session_knn_weight;
  for (const double offset : {-0.075, -0.05, -0.025, 0.025, 0.05, 0.075}) SHELFWISE_RETURN_IF_ERROR(evaluate(coarse + offset));
  return trials;
}

}  // namespace shelfwise::training
