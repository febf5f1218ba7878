#include "training/model_bundle.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/crc32.hpp"
#include "shelfwise/recipe.hpp"
#include "shelfwise/session_lists.hpp"
#include "shelfwise/string_table.hpp"
#include "training/factor_bundle.hpp"
#include "training/popularity_trainer.hpp"

namespace shelfwise::training {
namespace {

std::string utc_timestamp(const char* format) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof(text), format, &parts);
  return text;
}

void add_neighbour_lists(BundleWriter& writer, const std::string& prefix, const NeighbourLists& lists) {
  writer.add_vector(prefix + ".offsets", DType::u32, lists.offsets);
  writer.add_vector(prefix + ".indices", DType::u32, lists.indices);
  writer.add_vector(prefix + ".weights", DType::f32, lists.weights);
}

// 16-bit item indices when every index fits: the session lists are the bulk of a session-kNN
// bundle (diginetica: 2.7 of 7.1 MB), and a device reads every byte at each load.
void add_session_items(BundleWriter& writer, std::size_t item_count, const std::vector<std::uint32_t>& items) {
  if (item_count > 0x10000) {
    writer.add_vector("sknn.sessions.items", DType::u32, items);
    return;
  }
  const std::vector<std::uint16_t> narrow(items.begin(), items.end());
  writer.add_vector("sknn.sessions.items", DType::u16, narrow);
}

// Each session's length as a byte where every session has at most 255 items (format v4: a
// quarter of the offsets' bytes, and less for a device to read and check at every load); the
// row offsets otherwise, and also for offsets that do not describe sessions (a test's broken
// tables go into the bundle as given).
void add_session_extents(BundleWriter& writer, const std::vector<std::uint32_t>& offsets) {
  const auto as_offsets = [&] { writer.add_vector("sknn.sessions.offsets", DType::u32, offsets); };
  if (offsets.empty() || offsets.front() != 0) return as_offsets();
  std::vector<std::uint8_t> lengths;
  lengths.reserve(offsets.size() - 1);
  for (std::size_t session = 0; session + 1 < offsets.size(); ++session) {
    if (offsets[session + 1] < offsets[session] || offsets[session + 1] - offsets[session] > 0xFF) return as_offsets();
    lengths.push_back(static_cast<std::uint8_t>(offsets[session + 1] - offsets[session]));
  }
  writer.add_vector("sknn.sessions.lengths", DType::u8, lengths);
}

void add_catalog(BundleWriter& writer, const std::vector<CatalogRow>& rows) {
  std::map<std::string, std::uint32_t> category_index;
  for (const auto& row : rows) {
    if (!row.category.empty()) category_index.emplace(row.category, 0);
  }
  std::vector<std::string> category_names;
  for (auto& [name, index] : category_index) {
    index = static_cast<std::uint32_t>(category_names.size());
    category_names.push_back(name);
  }
  std::vector<std::uint32_t> category;
  std::vector<float> price;
  std::vector<std::uint8_t> available;
  std::vector<std::string> titles;
  for (const auto& row : rows) {
    category.push_back(row.category.empty() ? kNoCategory : category_index[row.category]);
    price.push_back(row.price);
    available.push_back(row.available ? 1 : 0);
    titles.push_back(row.title);
  }
  writer.add_vector("catalog.category", DType::u32, category);
  add_string_table(writer, "categories", category_names);
  writer.add_vector("catalog.price", DType::f32, price);
  writer.add_vector("catalog.available", DType::u8, available);
  add_string_table(writer, "catalog.titles", titles);
}

std::uint32_t content_fingerprint(const ModelBundleParts& parts) {
  std::uint32_t crc = crc32(parts.popularity.data(), parts.popularity.size() * sizeof(float));
  if (parts.item_knn != nullptr) {
    crc = crc32(parts.item_knn->next.weights.data(), parts.item_knn->next.weights.size() * sizeof(float), crc);
    crc = crc32(parts.item_knn->related.indices.data(), parts.item_knn->related.indices.size() * sizeof(std::uint32_t), crc);
  }
  if (parts.session_knn != nullptr) {
    crc = crc32(parts.session_knn->session_items.data(), parts.session_knn->session_items.size() * sizeof(std::uint32_t), crc);
  }
  if (parts.item_factors != nullptr) {
    crc = crc32(parts.item_factors->gram.data(), parts.item_factors->gram.size() * sizeof(float), crc);
  }
  if (parts.gru != nullptr) {
    crc = crc32(parts.gru->item_embeddings.data(), static_cast<std::size_t>(parts.gru->item_embeddings.size()) * sizeof(float), crc);
  }
  return crc;
}

}  // namespace

std::vector<std::uint8_t> build_model_bundle(const ModelBundleParts& parts) {
  std::string version = parts.version;
  if (version.empty()) {
    char fingerprint[16];
    std::snprintf(fingerprint, sizeof(fingerprint), "%08x", content_fingerprint(parts));
    version = parts.kind + "-" + utc_timestamp("%Y%m%dT%H%M%SZ") + "-" + fingerprint;
  }
  nlohmann::json manifest = {
      {"model", {{"kind", parts.kind}, {"version", version}, {"created_at", utc_timestamp("%Y-%m-%dT%H:%M:%SZ")}}},
      {"hyperparameters", parts.hyperparameters},
      {"inference", parts.kind == "sknn" ? session_knn_config_json(parts.session_knn_inference)
                                         : nlohmann::json{{"recency_decay", parts.inference.recency_decay},
                                                          {"related_weight", parts.inference.related_weight},
                                                          {"max_session_items", parts.inference.max_session_items}}},
      {"training", parts.training},
  };
  if (!parts.recipes.is_null()) manifest["recipes"] = parts.recipes;
  if (parts.behaviour != nullptr) manifest.update(parts.behaviour->manifest);
  if (parts.item_factors != nullptr) manifest["mf"] = factor_manifest(*parts.item_factors, parts.factor_hyperparameters);
  BundleWriter writer(parts.item_ids.size(), std::move(manifest));
  add_string_table(writer, "items", parts.item_ids);
  writer.add_vector("popularity", DType::f32, parts.popularity);
  writer.add_vector("popularity.head", DType::u32, popular_head(parts.popularity, Model::kPopularHeadSize));
  if (!parts.catalog.empty()) add_catalog(writer, parts.catalog);
  if (parts.item_knn != nullptr) {
    add_neighbour_lists(writer, "knn.next", parts.item_knn->next);
    add_neighbour_lists(writer, "knn.related", parts.item_knn->related);
  }
  if (parts.session_knn != nullptr) {
    add_session_extents(writer, parts.session_knn->session_offsets);
    add_session_items(writer, parts.item_ids.size(), parts.session_knn->session_items);
    const auto& tables = *parts.session_knn;
    const SessionListCodes codes =
        encode_session_lists({tables.item_offsets.data(), tables.item_offsets.size()},
                             {tables.item_sessions.data(), tables.item_sessions.size()},
                             static_cast<std::uint32_t>(tables.session_offsets.size() - 1));
    writer.add_vector("sknn.items.code_offsets", DType::u32, codes.offsets);
    writer.add_vector("sknn.items.session_codes", DType::u8, codes.bytes);
    writer.add_vector("sknn.item_weight", DType::f32, parts.session_knn->item_weight);
  }
  if (parts.intent != nullptr) {
    writer.add_vector("intent.feature_mean", DType::f32, parts.intent->feature_mean);
    writer.add_vector("intent.feature_scale", DType::f32, parts.intent->feature_scale);
    writer.add_vector("intent.purchase", DType::f32, parts.intent->purchase);
    writer.add_tensor("intent.stage", DType::f32, {kShoppingStageCount, kSessionFeatureCount + 1}, parts.intent->stage.data(),
                      parts.intent->stage.size() * sizeof(float));
    if (!parts.intent->category.empty()) writer.add_vector("intent.category", DType::f32, parts.intent->category);
  }
  if (parts.together != nullptr) add_neighbour_lists(writer, "knn.together", *parts.together);
  if (parts.behaviour != nullptr) {
    for (const auto& tensor : parts.behaviour->tensors) {
      writer.add_tensor(tensor.name, DType::f32, tensor.shape, tensor.values.data(), tensor.values.size() * sizeof(float));
    }
  }
  if (parts.item_factors != nullptr) add_factor_tensors(writer, *parts.item_factors);
  if (parts.gru != nullptr) add_gru_tensors(writer, *parts.gru, parts.popularity);
  return writer.serialize();
}

}  // namespace shelfwise::training
