#include "test_support.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "training/catalog_table.hpp"
#include "training/item_knn_trainer.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"

namespace shelfwise::testing {

training::InteractionLog parse_log(const std::string& csv) {
  auto log = training::parse_interaction_log(csv, "fixture.csv");
  if (!log.ok()) throw std::runtime_error(log.status().to_string());
  return std::move(log).value();
}

std::vector<std::uint8_t> train_bundle(const std::string& csv, const std::string& kind) {
  const training::InteractionLog log = parse_log(csv);
  training::ModelBundleParts parts;
  parts.kind = kind;
  parts.version = kind + "-fixture";
  parts.item_ids = log.item_ids;
  parts.popularity = training::train_popularity(log, log.item_ids.size(), {});
  training::ItemKnnTables tables;
  if (kind == "itemknn") {
    tables = training::train_item_knn(log, log.item_ids.size(), {});
    parts.item_knn = &tables;
  }
  return training::build_model_bundle(parts);
}

std::vector<std::uint8_t> train_bundle_with_catalog(const std::string& events_csv, const std::string& catalog_csv,
                                                    const nlohmann::json& recipes) {
  training::InteractionLog log = parse_log(events_csv);
  auto rows = training::parse_catalog(catalog_csv, "catalog.csv");
  if (!rows.ok()) throw std::runtime_error(rows.status().to_string());
  std::vector<training::CatalogRow> aligned(log.item_ids.size());
  for (std::size_t item = 0; item < aligned.size(); ++item) aligned[item].item_id = log.item_ids[item];
  for (auto& row : rows.value()) {
    const auto found = log.item_index.find(row.item_id);
    if (found != log.item_index.end()) {
      aligned[found->second] = row;
    } else {
      log.item_index.emplace(row.item_id, static_cast<std::uint32_t>(log.item_ids.size()));
      log.item_ids.push_back(row.item_id);
      aligned.push_back(row);
    }
  }
  training::ModelBundleParts parts;
  parts.kind = "itemknn";
  parts.version = "itemknn-catalog-fixture";
  parts.item_ids = log.item_ids;
  parts.popularity = training::train_popularity(log, log.item_ids.size(), {});
  training::ItemKnnTables tables = training::train_item_knn(log, log.item_ids.size(), {});
  parts.item_knn = &tables;
  parts.catalog = aligned;
  parts.recipes = recipes;
  return training::build_model_bundle(parts);
}

std::shared_ptr<const Model> load_model(const std::vector<std::uint8_t>& bytes) {
  auto model = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  if (!model.ok()) throw std::runtime_error(model.status().to_string());
  return model.value();
}

std::string shared_data_file(const std::string& relative_path) {
  const std::string path = std::string(SHELFWISE_SHARED_DATA_DIR) + "/" + relative_path;
  if (!std::ifstream(path).good()) {
    std::printf("NOTICE: %s is absent; skipping the real-data check\n", path.c_str());
    return "";
  }
  return path;
}

}  // namespace shelfwise::testing
