// The shelfwise CLI end to end, run as a process (SHELFWISE_CLI_PATH) on files in a temporary
// folder: generate -> train -> eval -> inspect, exit codes (0 ok, 1 failure, 2 bad usage), and
// failures reported on stderr as "CODE: message".
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/model.hpp"
#include "cli_runner.hpp"
#include "test_support.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace {

namespace fs = std::filesystem;

using shelfwise::testing::cli::Run;
using shelfwise::testing::cli::read_file;

// One temporary folder per test process, removed at exit.
const std::string& temp_dir() {
  static const shelfwise::testing::cli::TempDir dir("shelfwise-cli");
  REQUIRE_FALSE(dir.path().empty());
  return dir.path();
}

std::string in_temp(const std::string& name) { return temp_dir() + "/" + name; }

void write_file(const std::string& path, const std::string& contents) {
  std::ofstream stream(path, std::ios::binary);
  stream << contents;
  REQUIRE(stream.good());
}

Run run_cli(const std::string& arguments) { return shelfwise::testing::cli::run_cli(arguments, temp_dir()); }

// The synthetic shop of this process, generated once.
const std::string& shop() {
  static const std::string dir = [] {
    const std::string out = in_temp("shop");
    const Run generated = run_cli("generate --out '" + out + "' --seed 7 --items 300 --sessions 2000");
    REQUIRE(generated.exit_code == 0);
    return out;
  }();
  return dir;
}

const std::string& itemknn_bundle() {
  static const std::string path = [] {
    const std::string& dir = shop();
    const std::string out = dir + "/m.swm";
    const Run trained = run_cli("train --algo itemknn --events '" + dir + "/train.csv' --catalog '" + dir +
                                "/catalog.csv' --valid '" + dir + "/valid.csv' --out '" + out + "'");
    REQUIRE(trained.exit_code == 0);
    return out;
  }();
  return path;
}

nlohmann::json eval_json(const std::string& model) {
  const Run evaluated = run_cli("eval --model '" + model + "' --events '" + shop() + "/test.csv' --k 20 --json");
  REQUIRE(evaluated.exit_code == 0);
  const nlohmann::json metrics = nlohmann::json::parse(evaluated.out, nullptr, false);
  REQUIRE_FALSE(metrics.is_discarded());
  REQUIRE(metrics.is_object());
  return metrics;
}

double number_at(const nlohmann::json& object, const char* key) {
  INFO("key " << key);
  const auto found = object.find(key);
  REQUIRE(found != object.end());
  REQUIRE(found->is_number());
  return found->get<double>();
}

// A small valid bundle and matching events, for failure cases that need no training run.
std::string fixture_bundle() {
  const std::string path = in_temp("fixture.swm");
  const auto bytes = shelfwise::testing::train_bundle(
      "session_id,user_id,item_id,timestamp,event\ns1,,A,1,\ns1,,B,2,\ns2,,A,3,\ns2,,C,4,\n");
  write_file(path, std::string(bytes.begin(), bytes.end()));
  return path;
}

std::string fixture_events() {
  const std::string path = in_temp("events.csv");
  write_file(path, "session_id,user_id,item_id,timestamp,event\ns1,,A,1,\ns1,,B,2,\n");
  return path;
}

}  // namespace

TEST_CASE("generate writes a seeded shop: catalogue and three splits", "[cli]") {
  const std::string& dir = shop();
  const std::string catalog = read_file(dir + "/catalog.csv");
  CHECK(catalog.rfind("item_id,category,price,title,available\n", 0) == 0);
  CHECK(std::count(catalog.begin(), catalog.end(), '\n') == 301);  // header + 300 items
  for (const char* split : {"train.csv", "valid.csv", "test.csv"}) {
    INFO(split);
    CHECK(read_file(dir + "/" + split).rfind("session_id,user_id,item_id,timestamp,event\n", 0) == 0);
  }
  // The same seed gives the same files.
  const std::string again = in_temp("shop-again");
  REQUIRE(run_cli("generate --out '" + again + "' --seed 7 --items 300 --sessions 2000").exit_code == 0);
  CHECK(read_file(again + "/train.csv") == read_file(dir + "/train.csv"));
  CHECK(read_file(again + "/catalog.csv") == catalog);
}

TEST_CASE("train writes an item-kNN bundle with its catalogue that the core loads", "[cli]") {
  const std::string& path = itemknn_bundle();
  const std::string bytes = read_file(path);
  auto model = shelfwise::Model::load(shelfwise::ByteBuffer::copy_of(bytes.data(), bytes.size()));
  REQUIRE(model.ok());
  CHECK(model.value()->kind() == shelfwise::ModelKind::item_knn);
  CHECK(model.value()->item_count() == 300);
  CHECK(model.value()->catalog() != nullptr);
  CHECK_FALSE(fs::exists(path + ".partial"));
  // Tuning on --valid is recorded in the manifest.
  const auto training = shelfwise::manifest_json(model.value()->bundle())["training"];
  REQUIRE(training.contains("validation"));
  CHECK(training["validation"].contains("recall@20"));
}

TEST_CASE("eval --json reports recall, MRR and coverage well above popularity", "[cli]") {
  const std::string& dir = shop();
  const nlohmann::json knn = eval_json(itemknn_bundle());
  const std::string pop_path = dir + "/pop.swm";
  REQUIRE(run_cli("train --algo pop --events '" + dir + "/train.csv' --out '" + pop_path + "'").exit_code == 0);
  const nlohmann::json pop = eval_json(pop_path);

  for (const nlohmann::json* metrics : {&knn, &pop}) {
    for (const char* key : {"recall@20", "mrr@20", "coverage@20"}) {
      const double value = number_at(*metrics, key);
      CHECK(value >= 0.0);
      CHECK(value <= 1.0);
    }
    CHECK(number_at(*metrics, "n") > 100);
    CHECK(number_at(*metrics, "ms_per_prediction") >= 0.0);
  }
  CHECK(number_at(knn, "n") == number_at(pop, "n"));
  const double knn_recall = number_at(knn, "recall@20");
  const double pop_recall = number_at(pop, "recall@20");
  CHECK(knn_recall > 0.6);
  CHECK(knn_recall > 1.5 * pop_recall);
  CHECK(number_at(knn, "mrr@20") > number_at(knn, "recall@20") / 20.0);
  CHECK(number_at(knn, "coverage@20") > number_at(pop, "coverage@20"));

  SECTION("the text report carries the same metric names") {
    const Run text = run_cli("eval --model '" + itemknn_bundle() + "' --events '" + dir + "/test.csv' --k 20");
    REQUIRE(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("recall@20") && Catch::Contains("mrr@20") && Catch::Contains("coverage@20"));
  }
}

TEST_CASE("inspect prints the manifest and the tensor table", "[cli]") {
  const Run inspected = run_cli("inspect '" + itemknn_bundle() + "'");
  REQUIRE(inspected.exit_code == 0);
  for (const char* tensor : {"items.offsets", "popularity.head", "catalog.titles.bytes", "knn.next.weights",
                             "knn.related.indices", "knn.together.weights"}) {
    CHECK_THAT(inspected.out, Catch::Contains(tensor));
  }
  // 17 tensors, and 3 more for the "frequently bought together" lists (this shop carts pairs).
  CHECK_THAT(inspected.out, Catch::Contains("tensors (20)") && Catch::Contains("format v1"));
  CHECK_THAT(inspected.out, Catch::Contains("\"kind\": \"itemknn\""));

  const Run as_json = run_cli("inspect '" + itemknn_bundle() + "' --json");
  REQUIRE(as_json.exit_code == 0);
  const nlohmann::json manifest = nlohmann::json::parse(as_json.out, nullptr, false);
  REQUIRE(manifest.is_object());
  REQUIRE(manifest.contains("tensors"));
  CHECK(manifest["tensors"].size() == 20);
  CHECK(manifest["item_count"] == 300);
}

TEST_CASE("Bad usage exits with status 2", "[cli]") {
  const std::string model = fixture_bundle();
  const std::string events = fixture_events();
  CHECK(run_cli("").exit_code == 2);
  CHECK(run_cli("frobnicate").exit_code == 2);
  const std::vector<std::string> bad_usages{
       "train --events '" + events + "' --out '" + in_temp("x.swm") + "'",        // no --algo
        "train --algo nope --events '" + events + "' --out '" + in_temp("x.swm") + "'",
        "train --algo gru --events '" + events + "' --out '" + in_temp("x.swm") + "' --loss hinge",
        "train --algo gru --events '" + events + "' --out '" + in_temp("x.swm") + "' --dropout-hidden 1",
        "train --algo pop --events '" + events + "' --out '" + in_temp("x.swm") + "' --recency-decay 2",
        "train --algo sknn --events '" + events + "' --out '" + in_temp("x.swm") + "' --session-position-decay 0",
        "train --algo sknn --events '" + events + "' --out '" + in_temp("x.swm") + "' --neighbour-recency-half-life 0.5",
        "train --algo sknn --events '" + events + "' --out '" + in_temp("x.swm") + "' --session-item-weight -1",
        "eval --model '" + model + "'",                                             // no --events
        "eval --model '" + model + "' --events '" + events + "' --k 0",
        "eval --model '" + model + "' --events '" + events + "' --k many",
        "eval --model '" + model + "' --events '" + events + "' --bogus",
        "eval --model",
        "generate --out '" + in_temp("g") + "' --items abc",
        "inspect"};
  for (const std::string& arguments : bad_usages) {
    const Run result = run_cli(arguments);
    INFO(arguments);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("INVALID_ARGUMENT"));
  }
  CHECK_FALSE(fs::exists(in_temp("x.swm")));
}

TEST_CASE("A corrupt bundle makes eval and inspect exit 1 naming the error code", "[cli]") {
  const std::string good_path = fixture_bundle();
  const std::string events = fixture_events();
  const std::string good = read_file(good_path);
  REQUIRE(run_cli("eval --model '" + good_path + "' --events '" + events + "'").exit_code == 0);

  struct Case {
    const char* name;
    std::string bytes;
    const char* code;
  };
  std::string flipped = good;
  flipped[flipped.size() - 1] = static_cast<char>(flipped[flipped.size() - 1] ^ 0x40);  // inside the last tensor
  const Case cases[] = {
      {"text.swm", "this is not a model", "BAD_MAGIC"},
      {"empty.swm", "", "BAD_MAGIC"},
      {"cut.swm", good.substr(0, good.size() / 2), "TRUNCATED"},
      {"flipped.swm", flipped, "CHECKSUM_MISMATCH"},
  };
  for (const auto& entry : cases) {
    const std::string path = in_temp(entry.name);
    write_file(path, entry.bytes);
    INFO(entry.name);
    const Run evaluated = run_cli("eval --model '" + path + "' --events '" + events + "'");
    CHECK(evaluated.exit_code == 1);
    CHECK_THAT(evaluated.err, Catch::Contains(std::string("shelfwise eval: ") + entry.code + ": "));
    const Run inspected = run_cli("inspect '" + path + "'");
    CHECK(inspected.exit_code == 1);
    CHECK_THAT(inspected.err, Catch::Contains(std::string("shelfwise inspect: ") + entry.code + ": "));
    CHECK(inspected.out.empty());
  }
}

TEST_CASE("A missing input file exits 1 with IO_ERROR", "[cli]") {
  const Run evaluated = run_cli("eval --model '" + in_temp("absent.swm") + "' --events '" + fixture_events() + "'");
  CHECK(evaluated.exit_code == 1);
  CHECK_THAT(evaluated.err, Catch::Contains("IO_ERROR") && Catch::Contains("absent.swm"));
  const Run trained = run_cli("train --algo pop --events '" + in_temp("absent.csv") + "' --out '" + in_temp("y.swm") + "'");
  CHECK(trained.exit_code == 1);
  CHECK_THAT(trained.err, Catch::Contains("IO_ERROR"));
}

TEST_CASE("A malformed CSV row is reported with its file and line number", "[cli]") {
  const std::string model = fixture_bundle();
  const std::string events = in_temp("broken.csv");
  write_file(events,
             "session_id,user_id,item_id,timestamp,event\n"
             "s1,,A,1,view\n"
             "s1,,B,2,click\n"  // line 3
             "s1,,C,3,view\n");
  SECTION("eval fails") {
    const Run evaluated = run_cli("eval --model '" + model + "' --events '" + events + "'");
    CHECK(evaluated.exit_code == 1);
    CHECK_THAT(evaluated.err, Catch::Contains("PARSE_ERROR") && Catch::Contains("broken.csv:3: event 'click'"));
  }
  SECTION("train fails") {
    const Run trained = run_cli("train --algo itemknn --events '" + events + "' --out '" + in_temp("z.swm") + "'");
    CHECK(trained.exit_code == 1);
    CHECK_THAT(trained.err, Catch::Contains("broken.csv:3:"));
    CHECK_FALSE(fs::exists(in_temp("z.swm")));
  }
  SECTION("--skip-bad-rows warns and goes on") {
    const Run evaluated = run_cli("eval --model '" + model + "' --events '" + events + "' --skip-bad-rows --json");
    CHECK(evaluated.exit_code == 0);
    CHECK_THAT(evaluated.err, Catch::Contains("warning: skipped 1 malformed rows") && Catch::Contains("broken.csv:3:"));
    const nlohmann::json metrics = nlohmann::json::parse(evaluated.out, nullptr, false);
    REQUIRE(metrics.is_object());
    CHECK(number_at(metrics, "n") == 1);  // A -> C
  }
  SECTION("a bad catalogue row fails training") {
    const std::string catalog = in_temp("catalog.csv");
    write_file(catalog, "item_id,category,price,title,available\nA,toys,1,Ball,1\nB,toys,cheap,Kite,1\n");
    write_file(in_temp("clean.csv"), "session_id,user_id,item_id,timestamp,event\ns1,,A,1,\ns1,,B,2,\n");
    const Run trained = run_cli("train --algo pop --events '" + in_temp("clean.csv") + "' --catalog '" + catalog +
                                "' --out '" + in_temp("c.swm") + "'");
    CHECK(trained.exit_code == 1);
    CHECK_THAT(trained.err, Catch::Contains("PARSE_ERROR") && Catch::Contains("catalog.csv:3: price 'cheap'"));
  }
}
