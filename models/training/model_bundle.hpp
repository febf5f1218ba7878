// Turns trained parts into a .swm bundle (format in core/include/shelfwise/bundle_format.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/model.hpp"
#include "shelfwise/recipe.hpp"
#include "training/catalog_table.hpp"
#include "training/gru_parameters.hpp"
#include "training/item_knn_trainer.hpp"

namespace shelfwise::training {

struct ModelBundleParts {
  std::string kind;     // "pop", "itemknn" or "gru"
  std::string version;  // empty: derived from the kind, the time and the content
  std::vector<std::string> item_ids;
  std::vector<float> popularity;
  const ItemKnnTables* item_knn = nullptr;
  const GruParameters* gru = nullptr;
  // Rows aligned with item_ids, or empty for no catalogue.
  std::vector<CatalogRow> catalog;
  InferenceConfig inference;
  // The manifest's "recipes" (the ranker's slots); null leaves the key out, as older bundles do.
  nlohmann::json recipes = default_recipes_json();
  nlohmann::json hyperparameters = nlohmann::json::object();
  nlohmann::json training = nlohmann::json::object();
};

std::vector<std::uint8_t> build_model_bundle(const ModelBundleParts& parts);

}  // namespace shelfwise::training
