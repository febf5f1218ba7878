// Matrix factorisation through the CLI: train --algo mf (and itemknn --with-mf), eval --protocol
// next-for-user, quantize to every dtype with inspect showing the sizes, and the errors bad
// flags and inputs get. Quality is checked on a log with planted tastes (users keep to one group
// of items; the synthetic shop's next items follow popularity too closely to tell models apart)
// and on movielens-100k when ../shared/data is present.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "models/cli_runner.hpp"
#include "shelfwise/model.hpp"
#include "test_support.hpp"
#include "training/seeded_random.hpp"

namespace {

using shelfwise::testing::cli::Run;

const std::string& temp_dir() {
  static const shelfwise::testing::cli::TempDir dir("shelfwise-mf-cli");
  REQUIRE_FALSE(dir.path().empty());
  return dir.path();
}

Run run_cli(const std::string& arguments) { return shelfwise::testing::cli::run_cli(arguments, temp_dir()); }

const std::string& shop() {
  static const std::string dir = [] {
    const std::string out = temp_dir() + "/shop";
    REQUIRE(run_cli("generate --out '" + out + "' --seed 5 --items 300 --sessions 3000 --users 300").exit_code == 0);
    return out;
  }();
  return dir;
}

void write_file(const std::string& path, const std::string& contents) {
  std::ofstream stream(path, std::ios::binary);
  stream << contents;
  REQUIRE(stream.good());
}

// train.csv / valid.csv of 600 users, each keeping (90% of the time) to one of 12 groups of 30
// items: 12 views each to learn from, then one more view of their group to predict.
const std::string& planted() {
  static const std::string dir = [] {
    const std::string out = temp_dir() + "/planted";
    std::filesystem::create_directories(out);
    shelfwise::training::SeededRandom random(17);
    std::string train = "session_id,user_id,item_id,timestamp,event\n";
    std::string valid = train;
    for (int user = 0; user < 600; ++user) {
      const int group = user % 12;
      for (int event = 0; event <= 12; ++event) {
        const bool noise = event < 12 && random.below(10) == 0;
        const int item = noise ? static_cast<int>(random.below(360)) : group * 30 + static_cast<int>(random.below(30));
        (event < 12 ? train : valid) += "s" + std::to_string(user) + ",u" + std::to_string(user) + ",i" + std::to_string(item) + ",,view\n";
      }
    }
    write_file(out + "/train.csv", train);
    write_file(out + "/valid.csv", valid);
    return out;
  }();
  return dir;
}

const std::string& mf_bundle() {
  static const std::string path = [] {
    const std::string out = temp_dir() + "/mf.swm";
    const Run trained = run_cli("train --algo mf --events '" + planted() + "/train.csv' --valid '" + planted() +
                                "/valid.csv' --factors 16 --iterations 6 --threads 2 --out '" + out + "'");
    REQUIRE(trained.exit_code == 0);
    CHECK_THAT(trained.err, Catch::Contains("validation (next-for-user"));
    return out;
  }();
  return path;
}

nlohmann::json next_for_user(const std::string& model, const std::string& history, const std::string& events, int k = 10) {
  const Run run = run_cli("eval --protocol next-for-user --model '" + model + "' --history '" + history + "' --events '" +
                          events + "' --k " + std::to_string(k) + " --json");
  REQUIRE(run.exit_code == 0);
  return nlohmann::json::parse(run.out);
}

TEST_CASE("train --algo mf writes a bundle whose fold-in beats popularity on planted tastes", "[mf-cli]") {
  const Run inspected = run_cli("inspect '" + mf_bundle() + "'");
  REQUIRE(inspected.exit_code == 0);
  CHECK_THAT(inspected.out, Catch::Contains("\"kind\": \"mf\""));
  CHECK_THAT(inspected.out, Catch::Contains("mf.item_factors"));
  CHECK_THAT(inspected.out, Catch::Contains("as f32"));

  const Run pop = run_cli("train --algo pop --events '" + planted() + "/train.csv' --out '" + temp_dir() + "/pop.swm'");
  REQUIRE(pop.exit_code == 0);
  const nlohmann::json mf = next_for_user(mf_bundle(), planted() + "/train.csv", planted() + "/valid.csv");
  const nlohmann::json popularity = next_for_user(temp_dir() + "/pop.swm", planted() + "/train.csv", planted() + "/valid.csv");
  for (const char* key : {"hr@10", "ndcg@10", "n", "k", "model", "users_without_history", "dtype"}) CHECK(mf.contains(key));
  CHECK(mf["n"] == popularity["n"]);
  CHECK(mf["n"] == 600);
  CHECK(mf["users_without_history"] == 0);
  CHECK(mf["dtype"] == "f32");
  CHECK(popularity["dtype"].is_null());
  // A user's group has 30 items, about 10 of them in the history: a top 10 from it hits often.
  CHECK(mf["hr@10"].get<double>() > 0.3);
  CHECK(mf["hr@10"].get<double>() > 3.0 * popularity["hr@10"].get<double>());
  CHECK(mf["ndcg@10"].get<double>() > 3.0 * popularity["ndcg@10"].get<double>());
}

TEST_CASE("quantize stores the factors in every dtype; inspect and eval show size and quality", "[mf-cli]") {
  const nlohmann::json reference = next_for_user(mf_bundle(), planted() + "/train.csv", planted() + "/valid.csv", 20);
  std::uint64_t f32_bytes = 0;
  for (const char* dtype : {"f32", "f16", "int8", "pq"}) {
    const std::string out = temp_dir() + "/mf-" + dtype + ".swm";
    const Run quantised = run_cli("quantize --in '" + mf_bundle() + "' --out '" + out + "' --dtype " + dtype + " --pq-subspaces 4");
    REQUIRE(quantised.exit_code == 0);
    const Run inspected = run_cli("inspect '" + out + "'");
    CHECK_THAT(inspected.out, Catch::Contains(std::string("as ") + dtype));
    auto model = shelfwise::Model::load(shelfwise::ByteBuffer::copy_of(shelfwise::testing::cli::read_file(out).data(),
                                                                       shelfwise::testing::cli::read_file(out).size()));
    REQUIRE(model.ok());
    const shelfwise::ItemFactors* factors = model.value()->item_factors();
    REQUIRE(factors != nullptr);
    CHECK(shelfwise::factor_dtype_name(factors->dtype()) == dtype);
    const std::uint64_t bytes = factors->factor_bytes();
    if (std::string(dtype) == "f32") f32_bytes = bytes;
    if (std::string(dtype) == "f16") CHECK(bytes * 2 == f32_bytes);
    if (std::string(dtype) == "int8") CHECK(bytes < f32_bytes / 3);
    const nlohmann::json metrics = next_for_user(out, planted() + "/train.csv", planted() + "/valid.csv", 20);
    CHECK(metrics["dtype"] == dtype);
    CHECK(metrics["model"].get<std::string>().find(dtype) != std::string::npos);
    // f16 and int8 cost (almost) nothing; pq with 4 bytes per item of 16 factors keeps most of it.
    const double floor = std::string(dtype) == "pq" ? 0.8 : 0.97;
    CHECK(metrics["hr@20"].get<double>() >= floor * reference["hr@20"].get<double>());
  }
}

TEST_CASE("itemknn --with-mf ships both the neighbour lists and the item factors", "[mf-cli]") {
  const std::string out = temp_dir() + "/knn-mf.swm";
  const Run trained = run_cli("train --algo itemknn --with-mf --factors 8 --iterations 2 --dtype int8 --events '" + shop() +
                              "/train.csv' --catalog '" + shop() + "/catalog.csv' --out '" + out + "'");
  REQUIRE(trained.exit_code == 0);
  const std::string bytes = shelfwise::testing::cli::read_file(out);
  auto model = shelfwise::Model::load(shelfwise::ByteBuffer::copy_of(bytes.data(), bytes.size()));
  REQUIRE(model.ok());
  CHECK(model.value()->kind() == shelfwise::ModelKind::item_knn);
  CHECK(model.value()->next_neighbours() != nullptr);
  REQUIRE(model.value()->item_factors() != nullptr);
  CHECK(model.value()->item_factors()->dtype() == shelfwise::FactorDType::int8);
}

TEST_CASE("bad matrix-factorisation flags and inputs are refused with a code", "[mf-cli]") {
  const std::string train = "--events '" + planted() + "/train.csv' --out '" + temp_dir() + "/x.swm'";
  const std::pair<std::string, std::string> cases[] = {
      {"train --algo mf --factors 12 " + train, "multiple of 8"},
      {"train --algo mf --dtype int4 " + train, "--dtype"},
      {"train --algo mf --dtype pq --factors 16 --pq-subspaces 5 " + train, "--pq-subspaces"},
      {"train --algo mf --alpha 0 " + train, "--alpha"},
      {"train --algo mf --event-weights 1,2 " + train, "--event-weights"},
      {"train --algo pop --with-mf " + train, "--with-mf"},
      {"train --algo pop --factors 16 " + train, "--factors needs"},
      {"eval --protocol next-for-user --model '" + mf_bundle() + "' --events '" + planted() + "/valid.csv'", "--history"},
      {"eval --protocol sideways --model '" + mf_bundle() + "' --events '" + planted() + "/valid.csv'", "--protocol"},
      {"quantize --in '" + mf_bundle() + "' --out '" + temp_dir() + "/y.swm' --dtype f8", "--dtype"},
  };
  for (const auto& [arguments, mention] : cases) {
    const Run run = run_cli(arguments);
    CHECK(run.exit_code != 0);
    CHECK_THAT(run.err, Catch::Contains("INVALID_ARGUMENT") && Catch::Contains(mention));
  }
  const Run pop = run_cli("train --algo pop " + train);
  REQUIRE(pop.exit_code == 0);
  const Run no_factors = run_cli("quantize --in '" + temp_dir() + "/x.swm' --out '" + temp_dir() + "/y.swm' --dtype pq");
  CHECK(no_factors.exit_code != 0);
  CHECK_THAT(no_factors.err, Catch::Contains("INVALID_ARGUMENT") && Catch::Contains("no item factors"));
}

TEST_CASE("on movielens-100k the fold-in beats popularity by a wide margin", "[mf-cli][real-data]") {
  const std::string train = shelfwise::testing::shared_data_file("movielens-100k/train.csv");
  const std::string valid = shelfwise::testing::shared_data_file("movielens-100k/valid.csv");
  if (train.empty() || valid.empty()) return;
  const std::string mf = temp_dir() + "/ml-mf.swm";
  const std::string pop = temp_dir() + "/ml-pop.swm";
  REQUIRE(run_cli("train --algo mf --events '" + train + "' --threads 2 --out '" + mf + "'").exit_code == 0);
  REQUIRE(run_cli("train --algo pop --events '" + train + "' --out '" + pop + "'").exit_code == 0);
  const nlohmann::json folded = next_for_user(mf, train, valid);
  const nlohmann::json popularity = next_for_user(pop, train, valid);
  CHECK(folded["n"] == 943);
  CHECK(folded["hr@10"].get<double>() > 1.8 * popularity["hr@10"].get<double>());
  CHECK(folded["ndcg@10"].get<double>() > 1.8 * popularity["ndcg@10"].get<double>());
}

}  // namespace
