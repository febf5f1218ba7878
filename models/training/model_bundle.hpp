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
#include "training/intent_trainer.hpp"
#include "training/behaviour_trainer.hpp"
#include "training/factor_quantisation.hpp"
#include "training/gru_parameters.hpp"
#include "training/item_knn_trainer.hpp"
#include "training/session_knn_trainer.hpp"

namespace shelfwise::training {

struct ModelBundleParts {
  std::string kind;     // "pop", "itemknn", "sknn", "mf" or "gru"
  std::string version;  // empty: derived from the kind, the time and the content
  std::vector<std::string> item_ids;
  std::vector<float> popularity;
  const ItemKnnTables* item_knn = nullptr;
  const SessionKnnTables* session_knn = nullptr;
  const IntentWeights* intent = nullptr;  // optional session-intent heads
  // Optional "frequently bought together" lists (co_purchase_trainer.hpp), as tensors "knn.together.*".
  const NeighbourLists* together = nullptr;
  // Matrix-factorisation item factors (required for "mf", optional for "itemknn").
  const QuantisedFactors* item_factors = nullptr;
  FactorHyperparameters factor_hyperparameters;
  const GruParameters* gru = nullptr;
  // Rows aligned with item_ids, or empty for no catalogue.
  std::vector<CatalogRow> catalog;
  InferenceConfig inference;              // itemknn
  SessionKnnConfig session_knn_inference;  // sknn
  // The manifest's "recipes" (the ranker's slots); null leaves the key out, as older bundles do.
  nlohmann::json recipes = default_recipes_json();
  nlohmann::json hyperparameters = nlohmann::json::object();
  nlohmann::json training = nlohmann::json::object();
  // Segments and propensity (behaviour_trainer.hpp): manifest keys and f32 tensors, or null.
  const BehaviourParts* behaviour = nullptr;
};

std::vector<std::uint8_t> build_model_bundle(const ModelBundleParts& parts);

}  // namespace shelfwise::training
