#include "training/model_bundle.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/crc32.hpp"
#include "shelfwise/recipe.hpp"
#include "shelfwise/string_table.hpp"
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
      {"inference",
       {{"recency_decay", parts.inference.recency_decay},
        {"related_weight", parts.inference.related_weight},
        {"max_session_items", parts.inference.max_session_items}}},
      {"training", parts.training},
  };
  if (!parts.recipes.is_null()) manifest["recipes"] = parts.recipes;
  BundleWriter writer(parts.item_ids.size(), std::move(manifest));
  add_string_table(writer, "items", parts.item_ids);
  writer.add_vector("popularity", DType::f32, parts.popularity);
  writer.add_vector("popularity.head", DType::u32, popular_head(parts.popularity, Model::kPopularHeadSize));
  if (!parts.catalog.empty()) add_catalog(writer, parts.catalog);
  if (parts.item_knn != nullptr) {
    add_neighbour_lists(writer, "knn.next", parts.item_knn->next);
    add_neighbour_lists(writer, "knn.related", parts.item_knn->related);
  }
  if (parts.gru != nullptr) add_gru_tensors(writer, *parts.gru);
  return writer.serialize();
}

}  // namespace shelfwise::training
