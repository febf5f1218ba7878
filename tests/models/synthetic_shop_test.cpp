#include "training/synthetic_shop.hpp"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

using shelfwise::training::generate_synthetic_shop;
using shelfwise::training::SyntheticShopFiles;
using shelfwise::training::SyntheticShopOptions;

const char* const kCatalogHeader = "item_id,category,price,title,available";
const char* const kSessionHeader = "session_id,user_id,item_id,timestamp,event";

// The default shop is generated once: most checks read the same data.
const SyntheticShopFiles& default_shop() {
  static const SyntheticShopFiles files = generate_synthetic_shop(SyntheticShopOptions{});
  return files;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

// RFC 4180 fields of one line (no embedded newlines in this data).
std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t index = 0; index < line.size(); ++index) {
    const char character = line[index];
    if (quoted) {
      if (character == '"' && index + 1 < line.size() && line[index + 1] == '"') {
        fields.back().push_back('"');
        ++index;
      } else if (character == '"') {
        quoted = false;
      } else {
        fields.back().push_back(character);
      }
    } else if (character == '"') {
      quoted = true;
    } else if (character == ',') {
      fields.emplace_back();
    } else {
      fields.back().push_back(character);
    }
  }
  return fields;
}

bool all_digits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](char character) { return character >= '0' && character <= '9'; });
}

struct CatalogItem {
  std::string category;
  std::int64_t price_cents = 0;
  bool available = true;
};

// Parses the catalog, failing the test on any malformed row.
std::unordered_map<std::string, CatalogItem> parse_catalog(const std::string& csv) {
  const std::vector<std::string> lines = split_lines(csv);
  REQUIRE(!lines.empty());
  REQUIRE(lines[0] == kCatalogHeader);
  std::unordered_map<std::string, CatalogItem> items;
  std::string problem;
  for (std::size_t index = 1; index < lines.size() && problem.empty(); ++index) {
    const std::vector<std::string> fields = split_fields(lines[index]);
    if (fields.size() != 5) {
      problem = "not 5 fields: " + lines[index];
      break;
    }
    const std::string& price = fields[2];
    const std::size_t dot = price.find('.');
    if (fields[0].rfind("SKU-", 0) != 0 || !all_digits(fields[0].substr(4)) || fields[0].size() < 9) {
      problem = "bad item_id: " + lines[index];
    } else if (fields[1].empty() || !std::all_of(fields[1].begin(), fields[1].end(), [](char character) {
                 return character >= 'a' && character <= 'z';
               })) {
      problem = "bad category: " + lines[index];
    } else if (dot == std::string::npos || dot + 3 != price.size() || !all_digits(price.substr(0, dot)) ||
               !all_digits(price.substr(dot + 1))) {
      problem = "bad price: " + lines[index];
    } else if (fields[3].size() < 5 || fields[3].find_first_of(",\"") != std::string::npos) {
      problem = "bad title: " + lines[index];
    } else if (fields[4] != "0" && fields[4] != "1") {
      problem = "bad available: " + lines[index];
    } else if (items.count(fields[0]) != 0) {
      problem = "duplicate item_id: " + lines[index];
    } else {
      CatalogItem item;
      item.category = fields[1];
      item.price_cents = std::stoll(price.substr(0, dot)) * 100 + std::stoll(price.substr(dot + 1));
      item.available = fields[4] == "1";
      items.emplace(fields[0], item);
    }
  }
  INFO(problem);
  REQUIRE(problem.empty());
  return items;
}

struct Row {
  std::string item;
  std::int64_t timestamp = 0;
  std::string event;
};

struct Session {
  std::int64_t id = 0;
  std::string user;
  std::vector<Row> rows;

  std::vector<std::string> views() const {
    std::vector<std::string> items;
    for (const Row& row : rows) {
      if (row.event == "view") items.push_back(row.item);
    }
    return items;
  }
};

// Parses one split and checks the per-row and per-session contract of the format.
std::vector<Session> parse_sessions(const std::string& csv) {
  const std::vector<std::string> lines = split_lines(csv);
  REQUIRE(!lines.empty());
  REQUIRE(lines[0] == kSessionHeader);
  std::vector<Session> sessions;
  std::set<std::int64_t> finished_ids;
  std::string problem;
  for (std::size_t index = 1; index < lines.size() && problem.empty(); ++index) {
    const std::vector<std::string> fields = split_fields(lines[index]);
    if (fields.size() != 5) {
      problem = "not 5 fields: " + lines[index];
    } else if (!all_digits(fields[0]) || !all_digits(fields[3])) {
      problem = "bad session_id or timestamp: " + lines[index];
    } else if (!fields[1].empty() &&
               (fields[1][0] != 'U' || fields[1].size() < 6 || !all_digits(fields[1].substr(1)))) {
      problem = "bad user_id: " + lines[index];
    } else if (fields[4] != "view" && fields[4] != "cart" && fields[4] != "purchase") {
      problem = "bad event: " + lines[index];
    } else {
      const std::int64_t id = std::stoll(fields[0]);
      if (sessions.empty() || sessions.back().id != id) {
        if (!sessions.empty()) finished_ids.insert(sessions.back().id);
        if (finished_ids.count(id) != 0) {
          problem = "session rows not contiguous: " + lines[index];
          break;
        }
        sessions.push_back(Session{id, fields[1], {}});
      } else if (sessions.back().user != fields[1]) {
        problem = "user changes inside a session: " + lines[index];
        break;
      }
      sessions.back().rows.push_back(Row{fields[2], std::stoll(fields[3]), fields[4]});
    }
  }
  INFO(problem);
  REQUIRE(problem.empty());
  return sessions;
}

struct ParsedShop {
  std::unordered_map<std::string, CatalogItem> catalog;
  std::vector<Session> splits[3];
};

ParsedShop parse_shop(const SyntheticShopFiles& files) {
  ParsedShop shop;
  shop.catalog = parse_catalog(files.catalog_csv);
  shop.splits[0] = parse_sessions(files.train_csv);
  shop.splits[1] = parse_sessions(files.valid_csv);
  shop.splits[2] = parse_sessions(files.test_csv);
  return shop;
}

const ParsedShop& default_parsed() {
  static const ParsedShop shop = parse_shop(default_shop());
  return shop;
}

// The contract every generated shop must meet, whatever its options.
void check_invariants(const ParsedShop& shop, const std::array<int, 3>& expected_counts) {
  std::string problem;
  std::int64_t previous_split_end = -1;
  std::int64_t previous_id = 0;
  for (int split = 0; split < 3 && problem.empty(); ++split) {
    const std::vector<Session>& sessions = shop.splits[split];
    if (static_cast<int>(sessions.size()) != expected_counts[split]) {
      problem = "split " + std::to_string(split) + " has " + std::to_string(sessions.size()) + " sessions";
      break;
    }
    std::int64_t previous_start = -1;
    std::int64_t split_start = -1;
    std::int64_t split_end = -1;
    for (const Session& session : sessions) {
      if (session.id <= previous_id) problem = "session ids not increasing at " + std::to_string(session.id);
      previous_id = session.id;
      const std::int64_t start = session.rows.front().timestamp;
      if (start < previous_start) problem = "sessions not sorted by start at " + std::to_string(session.id);
      previous_start = start;
      if (session.views().size() < 2) problem = "fewer than 2 views in " + std::to_string(session.id);
      std::set<std::string> viewed;
      std::set<std::string> carted;
      std::int64_t previous_time = start;
      for (const Row& row : session.rows) {
        if (shop.catalog.count(row.item) == 0) problem = "unknown item " + row.item;
        if (row.timestamp < previous_time) problem = "time goes back in " + std::to_string(session.id);
        previous_time = row.timestamp;
        if (row.event == "view") viewed.insert(row.item);
        if (row.event == "cart") {
          if (viewed.count(row.item) == 0) problem = "cart before view in " + std::to_string(session.id);
          carted.insert(row.item);
        }
        if (row.event == "purchase" && carted.count(row.item) == 0) {
          problem = "purchase without cart in " + std::to_string(session.id);
        }
      }
      if (split_start < 0) split_start = start;
      split_end = std::max(split_end, previous_time);
    }
    if (!sessions.empty()) {
      if (split_start <= previous_split_end)
        problem = "split " + std::to_string(split) + " overlaps the one before";
      previous_split_end = split_end;
    }
  }
  INFO(problem);
  REQUIRE(problem.empty());
}

std::map<std::string, int> view_counts(const std::vector<Session>& sessions) {
  std::map<std::string, int> counts;
  for (const Session& session : sessions) {
    for (const std::string& item : session.views()) ++counts[item];
  }
  return counts;
}

}  // namespace

TEST_CASE("same seed gives identical files, another seed different ones", "[synthetic_shop]") {
  const SyntheticShopFiles& first = default_shop();
  const SyntheticShopFiles again = generate_synthetic_shop(SyntheticShopOptions{});
  CHECK(first.catalog_csv == again.catalog_csv);
  CHECK(first.train_csv == again.train_csv);
  CHECK(first.valid_csv == again.valid_csv);
  CHECK(first.test_csv == again.test_csv);

  SyntheticShopOptions other_seed;
  other_seed.seed = 43;
  const SyntheticShopFiles other = generate_synthetic_shop(other_seed);
  CHECK(first.catalog_csv != other.catalog_csv);
  CHECK(first.train_csv != other.train_csv);
  CHECK(first.valid_csv != other.valid_csv);
  CHECK(first.test_csv != other.test_csv);
}

TEST_CASE("catalog depends only on seed, item and category counts", "[synthetic_shop]") {
  SyntheticShopOptions fewer_sessions;
  fewer_sessions.train_session_count = 100;
  fewer_sessions.days = 7;
  fewer_sessions.user_count = 10;
  CHECK(generate_synthetic_shop(fewer_sessions).catalog_csv == default_shop().catalog_csv);
}

TEST_CASE("headers are exact and files end with a newline", "[synthetic_shop]") {
  const SyntheticShopFiles& files = default_shop();
  CHECK(files.catalog_csv.rfind(std::string(kCatalogHeader) + "\n", 0) == 0);
  for (const std::string* csv : {&files.train_csv, &files.valid_csv, &files.test_csv}) {
    CHECK(csv->rfind(std::string(kSessionHeader) + "\n", 0) == 0);
    CHECK(csv->back() == '\n');
  }
  CHECK(files.catalog_csv.back() == '\n');
}

TEST_CASE("default shop meets the format contract", "[synthetic_shop]") {
  const SyntheticShopOptions options;
  const ParsedShop& shop = default_parsed();
  CHECK(shop.catalog.size() == static_cast<std::size_t>(options.item_count));
  check_invariants(shop,
                   {options.train_session_count, options.valid_session_count, options.test_session_count});
}

TEST_CASE("catalog has categories, price levels and mostly available items", "[synthetic_shop]") {
  const ParsedShop& shop = default_parsed();
  std::map<std::string, std::vector<std::int64_t>> prices;
  int available = 0;
  for (const auto& entry : shop.catalog) {
    prices[entry.second.category].push_back(entry.second.price_cents);
    available += entry.second.available ? 1 : 0;
  }
  CHECK(prices.size() == static_cast<std::size_t>(SyntheticShopOptions{}.category_count));
  const double available_share = static_cast<double>(available) / static_cast<double>(shop.catalog.size());
  CHECK(available_share > 0.9);
  CHECK(available_share < 0.99);

  // Category medians must spread widely: a cheap shelf and a dear one, not one global level.
  std::vector<std::int64_t> medians;
  for (auto& entry : prices) {
    std::sort(entry.second.begin(), entry.second.end());
    medians.push_back(entry.second[entry.second.size() / 2]);
  }
  std::sort(medians.begin(), medians.end());
  CHECK(medians.back() > 5 * medians.front());
}

TEST_CASE("session times follow a daily cycle", "[synthetic_shop]") {
  const ParsedShop& shop = default_parsed();
  int evening = 0;
  int night = 0;
  for (const Session& session : shop.splits[0]) {
    const std::int64_t hour = (session.rows.front().timestamp / 3600) % 24;
    if (hour >= 18 && hour < 22) ++evening;
    if (hour >= 2 && hour < 6) ++night;
  }
  CHECK(evening > 3 * night);
}

TEST_CASE("session lengths, anonymity and repeat views look like real logs", "[synthetic_shop]") {
  const ParsedShop& shop = default_parsed();
  std::size_t views = 0;
  std::size_t longest = 0;
  int anonymous = 0;
  int with_repeat = 0;
  for (const Session& session : shop.splits[0]) {
    const std::vector<std::string> items = session.views();
    views += items.size();
    longest = std::max(longest, items.size());
    anonymous += session.user.empty() ? 1 : 0;
    const std::set<std::string> distinct(items.begin(), items.end());
    with_repeat += distinct.size() < items.size() ? 1 : 0;
  }
  const double sessions = static_cast<double>(shop.splits[0].size());
  const double mean_length = static_cast<double>(views) / sessions;
  CHECK(mean_length > 4.0);
  CHECK(mean_length < 6.5);
  CHECK(longest <= 40);
  CHECK(longest >= 20);
  CHECK(anonymous / sessions > 0.3);
  CHECK(anonymous / sessions < 0.5);
  CHECK(with_repeat / sessions > 0.05);
  CHECK(with_repeat / sessions < 0.5);
}

TEST_CASE("carts and purchases happen at realistic rates, cheap items more", "[synthetic_shop]") {
  const ParsedShop& shop = default_parsed();
  int carting = 0;
  int purchasing = 0;
  std::map<std::string, int> carts;
  for (const Session& session : shop.splits[0]) {
    bool carted = false;
    bool purchased = false;
    for (const Row& row : session.rows) {
      if (row.event == "cart") {
        carted = true;
        ++carts[row.item];
        CHECK(shop.catalog.at(row.item).available);
      }
      purchased = purchased || row.event == "purchase";
    }
    carting += carted ? 1 : 0;
    purchasing += purchased ? 1 : 0;
  }
  const double cart_rate = static_cast<double>(carting) / static_cast<double>(shop.splits[0].size());
  const double purchase_rate = static_cast<double>(purchasing) / static_cast<double>(carting);
  CHECK(cart_rate > 0.05);
  CHECK(cart_rate < 0.2);
  CHECK(purchase_rate > 0.2);
  CHECK(purchase_rate < 0.5);

  // Carts per view, for items below vs above the median catalog price.
  std::vector<std::int64_t> all_prices;
  for (const auto& entry : shop.catalog) all_prices.push_back(entry.second.price_cents);
  std::sort(all_prices.begin(), all_prices.end());
  const std::int64_t median = all_prices[all_prices.size() / 2];
  double views_by_cheapness[2] = {0, 0};
  double carts_by_cheapness[2] = {0, 0};
  for (const auto& entry : view_counts(shop.splits[0])) {
    const int cheap = shop.catalog.at(entry.first).price_cents < median ? 1 : 0;
    views_by_cheapness[cheap] += entry.second;
    const auto found = carts.find(entry.first);
    carts_by_cheapness[cheap] += found == carts.end() ? 0 : found->second;
  }
  CHECK(carts_by_cheapness[1] / views_by_cheapness[1] > 1.2 * carts_by_cheapness[0] / views_by_cheapness[0]);
}

TEST_CASE("item popularity is skewed", "[synthetic_shop]") {
  const ParsedShop& shop = default_parsed();
  std::vector<int> counts;
  double total = 0;
  for (const auto& entry : view_counts(shop.splits[0])) {
    counts.push_back(entry.second);
    total += entry.second;
  }
  std::sort(counts.rbegin(), counts.rend());
  const std::size_t top_tenth = shop.catalog.size() / 10;
  double top_views = 0;
  for (std::size_t index = 0; index < top_tenth && index < counts.size(); ++index) top_views += counts[index];
  CHECK(top_views / total > 0.4);
}

TEST_CASE("next click is learnable from the current one", "[synthetic_shop]") {
  const ParsedShop& shop = default_parsed();
  const std::vector<Session>& train = shop.splits[0];

  // Consecutive clicks mostly stay in one category; chance level would be ~1/6 here.
  double pairs = 0;
  double same_category = 0;
  for (const Session& session : train) {
    const std::vector<std::string> items = session.views();
    for (std::size_t index = 1; index < items.size(); ++index) {
      pairs += 1;
      same_category +=
          shop.catalog.at(items[index - 1]).category == shop.catalog.at(items[index]).category ? 1 : 0;
    }
  }
  CHECK(same_category / pairs > 0.6);

  // A bigram table fitted on the first 80% of train predicts the held-out next click far
  // better than always guessing the most popular item: the sequence structure is there.
  const std::size_t fit_end = train.size() * 4 / 5;
  std::map<std::string, std::map<std::string, int>> followers;
  std::map<std::string, int> popularity;
  for (std::size_t index = 0; index < fit_end; ++index) {
    const std::vector<std::string> items = train[index].views();
    for (std::size_t step = 0; step < items.size(); ++step) {
      ++popularity[items[step]];
      if (step > 0) ++followers[items[step - 1]][items[step]];
    }
  }
  const auto most_frequent = [](const std::map<std::string, int>& counts) {
    return std::max_element(counts.begin(), counts.end(),
                            [](const auto& left, const auto& right) { return left.second < right.second; })
        ->first;
  };
  const std::string most_popular = most_frequent(popularity);
  double held_out = 0;
  double bigram_hits = 0;
  double popular_hits = 0;
  for (std::size_t index = fit_end; index < train.size(); ++index) {
    const std::vector<std::string> items = train[index].views();
    for (std::size_t step = 1; step < items.size(); ++step) {
      held_out += 1;
      const auto found = followers.find(items[step - 1]);
      if (found != followers.end() && most_frequent(found->second) == items[step]) bigram_hits += 1;
      if (most_popular == items[step]) popular_hits += 1;
    }
  }
  CHECK(bigram_hits / held_out > 0.25);
  CHECK(bigram_hits > 5 * popular_hits);
}

TEST_CASE("returning users keep their category preferences", "[synthetic_shop]") {
  const ParsedShop& shop = default_parsed();
  std::map<std::string, std::map<std::string, int>> user_categories;
  std::map<std::string, int> all_categories;
  for (const Session& session : shop.splits[0]) {
    const std::string& category = shop.catalog.at(session.rows.front().item).category;
    ++all_categories[category];
    if (!session.user.empty()) ++user_categories[session.user][category];
  }
  int best_overall = 0;
  int sessions = 0;
  for (const auto& entry : all_categories) {
    best_overall = std::max(best_overall, entry.second);
    sessions += entry.second;
  }
  // Share of a user's sessions in their own top category vs the shop's top category share.
  double loyal_share = 0;
  int returning = 0;
  for (const auto& user : user_categories) {
    int total = 0;
    int best = 0;
    for (const auto& entry : user.second) {
      total += entry.second;
      best = std::max(best, entry.second);
    }
    if (total < 3) continue;
    loyal_share += static_cast<double>(best) / total;
    ++returning;
  }
  REQUIRE(returning > 100);
  CHECK(loyal_share / returning > static_cast<double>(best_overall) / sessions + 0.2);
}

TEST_CASE("invalid options are clamped to a sensible shop", "[synthetic_shop]") {
  SyntheticShopOptions options;
  options.item_count = -5;
  options.category_count = 1000;
  options.user_count = -1;
  options.train_session_count = 40;
  options.valid_session_count = -3;
  options.test_session_count = 7;
  options.days = 0;
  options.start_time = -100;
  const SyntheticShopFiles files = generate_synthetic_shop(options);
  const ParsedShop shop = parse_shop(files);

  std::set<std::string> categories;
  for (const auto& entry : shop.catalog) categories.insert(entry.second.category);
  CHECK(categories.size() >= 16);
  CHECK(shop.catalog.size() == 5 * categories.size());
  CHECK(files.valid_csv == std::string(kSessionHeader) + "\n");
  check_invariants(shop, {40, 0, 7});
  for (int split : {0, 2}) {
    for (const Session& session : shop.splits[split]) {
      CHECK(session.user.empty());
      CHECK(session.rows.front().timestamp >= 0);
      CHECK(session.rows.back().timestamp < 86400);
    }
  }

  SyntheticShopOptions empty;
  empty.train_session_count = 0;
  empty.valid_session_count = 0;
  empty.test_session_count = 0;
  const SyntheticShopFiles empty_files = generate_synthetic_shop(empty);
  CHECK(empty_files.train_csv == std::string(kSessionHeader) + "\n");
  CHECK(empty_files.test_csv == std::string(kSessionHeader) + "\n");
  CHECK(split_lines(empty_files.catalog_csv).size() == 3001);
}

TEST_CASE("small shops keep the contract across seeds", "[synthetic_shop]") {
  for (std::uint64_t seed : {1ULL, 2ULL, 3ULL, 0xFFFFFFFFFFFFFFFFULL}) {
    SyntheticShopOptions options;
    options.seed = seed;
    options.item_count = 40;
    options.category_count = 3;
    options.user_count = 5;
    options.train_session_count = 300;
    options.valid_session_count = 30;
    options.test_session_count = 1;
    options.days = 1;
    INFO("seed " << seed);
    const ParsedShop shop = parse_shop(generate_synthetic_shop(options));
    CHECK(shop.catalog.size() == 40);
    check_invariants(shop, {300, 30, 1});
  }
}

TEST_CASE("a one-day shop with lopsided splits still splits strictly by time", "[synthetic_shop]") {
  SyntheticShopOptions options;
  options.item_count = 200;
  options.train_session_count = 2000;
  options.valid_session_count = 1;
  options.test_session_count = 1;
  options.days = 1;
  const ParsedShop shop = parse_shop(generate_synthetic_shop(options));
  check_invariants(shop, {2000, 1, 1});
  CHECK(shop.splits[0].back().rows.back().timestamp < shop.splits[1].front().rows.front().timestamp);
  CHECK(shop.splits[1].back().rows.back().timestamp < shop.splits[2].front().rows.front().timestamp);
}
