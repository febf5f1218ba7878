// Shared fixtures for the C++ tests: tiny logs and bundles built by the real trainer code.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/model.hpp"
#include "shelfwise/recipe.hpp"
#include "training/interaction_log.hpp"

namespace shelfwise::testing {

// Parses CSV text that the test knows to be valid.
training::InteractionLog parse_log(const std::string& csv);

// Trains an item-kNN (or "pop") bundle from CSV text with default options.
std::vector<std::uint8_t> train_bundle(const std::string& csv, const std::string& kind = "itemknn");

// Trains an item-kNN bundle with a catalogue (item_id,category,price,title,available CSV; items
// only in the catalogue join the vocabulary after the log's) and the given "recipes" (null: none).
std::vector<std::uint8_t> train_bundle_with_catalog(const std::string& events_csv, const std::string& catalog_csv,
                                                    const nlohmann::json& recipes = default_recipes_json());

std::shared_ptr<const Model> load_model(const std::vector<std::uint8_t>& bytes);

// The real-data folder, or "" (after printing a notice) when it is absent.
std::string shared_data_file(const std::string& relative_path);

}  // namespace shelfwise::testing
