// A tiny shop for the ranker's tests: three categories with co-viewed pairs, a sold-out item,
// one item without category or price, and a clear popularity order (B1 first).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "shelfwise/ranker.hpp"
#include "test_support.hpp"

namespace shelfwise::testing {

inline const char* const kRankingCatalog =
    "item_id,category,price,title,available\n"
    "A1,audio,10,Alpha headphones,1\n"
    "A2,audio,20,Alpha speaker,1\n"
    "A3,audio,30,Alpha amp,1\n"
    "A4,audio,40,Alpha cable,0\n"
    "B1,books,5,Book one,1\n"
    "B2,books,15,Book two,1\n"
    "B3,books,25,Book three,1\n"
    "C1,cameras,300,Camera body,1\n"
    "C2,cameras,150,Camera lens,1\n"
    "D1,,,Mystery box,1\n";

inline std::string ranking_events() {
  std::string csv = "session_id,user_id,item_id,timestamp,event\n";
  int session = 0;
  auto add = [&](std::vector<std::string> items, int times) {
    for (int repeat = 0; repeat < times; ++repeat) {
      ++session;
      for (const auto& item : items) csv += std::to_string(session) + ",," + item + ",,view\n";
    }
  };
  add({"A1", "A2", "A3"}, 5);
  add({"A2", "B1"}, 1);
  add({"B1", "B2", "B3"}, 3);
  add({"C1", "C2"}, 2);
  add({"A1", "C1"}, 1);
  add({"A4", "A1"}, 1);
  add({"B1"}, 4);
  add({"D1"}, 2);
  return csv;
}

inline std::shared_ptr<const Model> ranking_model(const nlohmann::json& recipes = default_recipes_json()) {
  return load_model(train_bundle_with_catalog(ranking_events(), kRankingCatalog, recipes));
}

// A model, its recommender and ranker, and helpers that speak item ids.
struct RankingBench {
  std::shared_ptr<const Model> model = ranking_model();
  Recommender recommender{model};
  Ranker ranker{model, recommender};
  SessionState session;
  Rules rules;
  std::vector<std::uint32_t> context;
  std::vector<std::uint32_t> page;
  std::vector<Recommendation> results;

  std::uint32_t index(const std::string& id) const { return *model->items().find(id); }
  std::string id(std::uint32_t item) const {
    return is_foreign_item(item) ? "foreign#" + std::to_string(item - kForeignItemBase) : std::string(model->items().id(item));
  }
  void event(const std::string& item, EventType type = EventType::view) { session.add({index(item), type, 0.0}); }
  Status set_rules(const std::string& json) {
    auto parsed = parse_rules(json, *model);
    if (!parsed.ok()) return parsed.status();
    rules = parsed.value();
    return Status::ok_status();
  }
  Status rank(const std::string& slot, std::size_t k, bool rerank = false) {
    RankRequest request;
    request.recipe = model->recipes().find(slot);
    request.rules = &rules;
    request.session = &session;
    request.k = k;
    request.context = {context.data(), context.size()};
    request.rerank = rerank;
    request.page = {page.data(), page.size()};
    return ranker.rank(request, &results);
  }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& result : results) out.push_back(id(result.item));
    return out;
  }
  std::string category(const Recommendation& result) const {
    return std::string(model->catalog()->category_name(result.item));
  }
};

}  // namespace shelfwise::testing
