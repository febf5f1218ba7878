// train_item_knn: "next" (directional, 1/gap^exponent, rows normalised) and "related" (symmetric
// cosine, no self-pairs) neighbour lists, top-M per item, strongest first.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"
#include "training/item_knn_trainer.hpp"

namespace {

using shelfwise::training::InteractionLog;
using shelfwise::training::ItemKnnOptions;
using shelfwise::training::ItemKnnTables;
using shelfwise::training::NeighbourLists;
using shelfwise::training::train_item_knn;

// "A B C ; A C" -> a log with one session per ';'-separated group of space-separated items.
InteractionLog log_of(const std::string& sessions) {
  std::string text = "session_id,user_id,item_id,timestamp,event\n";
  int session = 0;
  std::string item;
  auto flush_item = [&] {
    if (!item.empty()) text += "s" + std::to_string(session) + ",," + item + ",,\n";
    item.clear();
  };
  for (const char character : sessions) {
    if (character == ' ') {
      flush_item();
    } else if (character == ';') {
      flush_item();
      ++session;
    } else {
      item += character;
    }
  }
  flush_item();
  return shelfwise::testing::parse_log(text);
}

// Row `source` as item id -> weight, by ids.
std::map<std::string, float> row_of(const NeighbourLists& lists, const InteractionLog& log, const std::string& source) {
  std::map<std::string, float> row;
  const std::uint32_t index = log.item_index.at(source);
  for (std::uint32_t entry = lists.offsets[index]; entry < lists.offsets[index + 1]; ++entry) {
    row[log.item_ids[lists.indices[entry]]] = lists.weights[entry];
  }
  return row;
}

std::vector<std::string> row_order(const NeighbourLists& lists, const InteractionLog& log, const std::string& source) {
  std::vector<std::string> order;
  const std::uint32_t index = log.item_index.at(source);
  for (std::uint32_t entry = lists.offsets[index]; entry < lists.offsets[index + 1]; ++entry) {
    order.push_back(log.item_ids[lists.indices[entry]]);
  }
  return order;
}

ItemKnnOptions raw_counts() {
  ItemKnnOptions options;
  options.row_normalisation = 0.0;  // keep the summed 1/gap weights
  return options;
}

void check_shape(const NeighbourLists& lists, std::size_t item_count) {
  REQUIRE(lists.offsets.size() == item_count + 1);
  CHECK(lists.offsets.front() == 0);
  CHECK(lists.offsets.back() == lists.indices.size());
  CHECK(lists.weights.size() == lists.indices.size());
  for (std::size_t row = 1; row < lists.offsets.size(); ++row) CHECK(lists.offsets[row] >= lists.offsets[row - 1]);
  for (const std::uint32_t index : lists.indices) CHECK(index < item_count);
}

}  // namespace

TEST_CASE("Next pairs count 1/gap up to max_gap", "[knn][next]") {
  const auto log = log_of("A B C D");
  const auto tables = train_item_knn(log, log.item_ids.size(), raw_counts());
  const auto a = row_of(tables.next, log, "A");
  REQUIRE(a.size() == 3);
  CHECK(a.at("B") == Approx(1.0));
  CHECK(a.at("C") == Approx(0.5));
  CHECK(a.at("D") == Approx(1.0 / 3.0));
  CHECK(row_of(tables.next, log, "D").empty());  // nothing follows D
  CHECK(row_of(tables.next, log, "B").count("A") == 0);  // "next" is directional
}

TEST_CASE("Next weights sum over sessions and follow gap_exponent and max_gap", "[knn][next]") {
  const auto log = log_of("A B C ; A C ; A X C");
  SECTION("summed over sessions") {
    const auto a = row_of(train_item_knn(log, log.item_ids.size(), raw_counts()).next, log, "A");
    CHECK(a.at("C") == Approx(0.5 + 1.0 + 0.5));
    CHECK(a.at("B") == Approx(1.0));
    CHECK(a.at("X") == Approx(1.0));
  }
  SECTION("gap exponent 2") {
    ItemKnnOptions options = raw_counts();
    options.gap_exponent = 2.0;
    const auto a = row_of(train_item_knn(log, log.item_ids.size(), options).next, log, "A");
    CHECK(a.at("C") == Approx(0.25 + 1.0 + 0.25));
  }
  SECTION("max_gap 1 keeps adjacent clicks only") {
    ItemKnnOptions options = raw_counts();
    options.max_gap = 1;
    const auto a = row_of(train_item_knn(log, log.item_ids.size(), options).next, log, "A");
    CHECK(a.at("C") == Approx(1.0));
  }
}

TEST_CASE("Row normalisation 1 turns each next row into a distribution", "[knn][next]") {
  const auto log = log_of("A B C ; A C ; B C A");
  const auto tables = train_item_knn(log, log.item_ids.size(), {});
  for (const std::string item : {"A", "B"}) {
    double total = 0.0;
    for (const auto& [target, weight] : row_of(tables.next, log, item)) total += weight;
    INFO("row " << item);
    CHECK(total == Approx(1.0));
  }
  // A: B 1, C 0.5 + 1 = 1.5 -> B 0.4, C 0.6.
  const auto a = row_of(tables.next, log, "A");
  CHECK(a.at("B") == Approx(0.4));
  CHECK(a.at("C") == Approx(0.6));
}

TEST_CASE("Self-pairs appear in next but never in related", "[knn][related]") {
  const auto log = log_of("A A B ; B B ; C A A");
  const auto tables = train_item_knn(log, log.item_ids.size(), raw_counts());
  const auto next_a = row_of(tables.next, log, "A");
  REQUIRE(next_a.count("A") == 1);
  CHECK(next_a.at("A") == Approx(2.0));  // A A twice at gap 1
  CHECK(row_of(tables.next, log, "B").count("B") == 1);
  for (std::uint32_t item = 0; item < log.item_ids.size(); ++item) {
    for (std::uint32_t entry = tables.related.offsets[item]; entry < tables.related.offsets[item + 1]; ++entry) {
      CHECK(tables.related.indices[entry] != item);
    }
  }
}

TEST_CASE("Related weights are cosine co-occurrence and symmetric", "[knn][related]") {
  const auto log = log_of("A B ; A C ; A B D ; E");
  const auto tables = train_item_knn(log, log.item_ids.size(), {});
  // n(A) = 3, n(B) = 2, n(C) = 1, n(D) = 1; c(A,B) = 2, c(A,C) = 1, c(A,D) = 1, c(B,D) = 1.
  const auto a = row_of(tables.related, log, "A");
  CHECK(a.at("B") == Approx(2.0 / std::sqrt(6.0)));
  CHECK(a.at("C") == Approx(1.0 / std::sqrt(3.0)));
  CHECK(a.at("D") == Approx(1.0 / std::sqrt(3.0)));
  CHECK(row_of(tables.related, log, "B").at("D") == Approx(1.0 / std::sqrt(2.0)));
  CHECK(row_of(tables.related, log, "E").empty());
  // Every entry (a, b, w) has its mirror (b, a, w).
  for (std::uint32_t source = 0; source < log.item_ids.size(); ++source) {
    for (const auto& [target, weight] : row_of(tables.related, log, log.item_ids[source])) {
      const auto mirror = row_of(tables.related, log, target);
      INFO(log.item_ids[source] << " -> " << target);
      REQUIRE(mirror.count(log.item_ids[source]) == 1);
      CHECK(mirror.at(log.item_ids[source]) == weight);
    }
  }
}

TEST_CASE("Related pairs stay within related_window clicks", "[knn][related]") {
  const auto log = log_of("A B C D");
  ItemKnnOptions options;
  options.related_window = 2;
  const auto tables = train_item_knn(log, log.item_ids.size(), options);
  const auto a = row_of(tables.related, log, "A");
  CHECK(a.count("B") == 1);
  CHECK(a.count("C") == 1);
  CHECK(a.count("D") == 0);
  CHECK(row_of(tables.next, log, "A").count("D") == 1);  // max_gap 10 still reaches it
  options.related_window = 0;
  CHECK(train_item_knn(log, log.item_ids.size(), options).related.indices.empty());
}

TEST_CASE("Rows keep the top neighbours, strongest first, ties by index", "[knn]") {
  // A is followed by B at gaps 1 (three times), C at gap 1 (twice), D at gap 1 (once), and E/F at
  // gap 1 once each.
  const auto log = log_of("A B ; A B ; A B ; A C ; A C ; A D ; A F ; A E");
  ItemKnnOptions options = raw_counts();
  SECTION("all of them") {
    const auto tables = train_item_knn(log, log.item_ids.size(), options);
    // D, F and E tie at 1: by index (D=3, F=4, E=5 in order of appearance).
    CHECK(row_order(tables.next, log, "A") == std::vector<std::string>{"B", "C", "D", "F", "E"});
  }
  SECTION("the strongest two") {
    options.neighbours = 2;
    const auto tables = train_item_knn(log, log.item_ids.size(), options);
    CHECK(row_order(tables.next, log, "A") == std::vector<std::string>{"B", "C"});
    check_shape(tables.next, log.item_ids.size());
    check_shape(tables.related, log.item_ids.size());
    for (std::uint32_t item = 0; item < log.item_ids.size(); ++item) {
      CHECK(tables.related.offsets[item + 1] - tables.related.offsets[item] <= 2);
    }
  }
  SECTION("the strongest four cut inside a tie") {
    options.neighbours = 4;
    const auto tables = train_item_knn(log, log.item_ids.size(), options);
    CHECK(row_order(tables.next, log, "A") == std::vector<std::string>{"B", "C", "D", "F"});
  }
  SECTION("weights never increase along a row") {
    const auto tables = train_item_knn(log_of("A B C A D B ; C A B ; D D A C B"), 4, {});
    for (const auto* lists : {&tables.next, &tables.related}) {
      for (std::uint32_t item = 0; item < 4; ++item) {
        for (std::uint32_t entry = lists->offsets[item] + 1; entry < lists->offsets[item + 1]; ++entry) {
          CHECK(lists->weights[entry - 1] >= lists->weights[entry]);
        }
      }
    }
  }
}

TEST_CASE("Offsets cover every item, with empty rows for items never seen", "[knn]") {
  const auto log = log_of("A B ; C");
  const auto tables = train_item_knn(log, 5, {});  // two catalogue items beyond the log
  check_shape(tables.next, 5);
  check_shape(tables.related, 5);
  CHECK(tables.next.offsets == std::vector<std::uint32_t>{0, 1, 1, 1, 1, 1});
  CHECK(tables.related.offsets == std::vector<std::uint32_t>{0, 1, 2, 2, 2, 2});
  for (const float weight : tables.next.weights) CHECK(weight > 0.0f);
}

TEST_CASE("Progress is reported up to completion", "[knn]") {
  const auto log = log_of("A B ; B C");
  std::vector<double> shares;
  (void)train_item_knn(log, log.item_ids.size(), {}, [&](double share) { shares.push_back(share); });
  REQUIRE_FALSE(shares.empty());
  CHECK(shares.back() == 1.0);
  for (std::size_t index = 1; index < shares.size(); ++index) CHECK(shares[index] >= shares[index - 1]);
}
