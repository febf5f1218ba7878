#include "training/synthetic_shop.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "training/seeded_random.hpp"

namespace shelfwise::training {
namespace {

// ---------------------------------------------------------------------------------------------
// Built-in vocabulary. The order matters: the default 12 categories are the first 12, chosen so
// that most of them find their complement among themselves.

struct CategorySpec {
  const char* name;
  std::int64_t median_cents;
  std::int64_t sigma_log2_q16;             // spread of log2(price), Q16 fixed point
  std::array<const char*, 3> complements;  // first one in use wins; nullptr ends the list
  std::array<const char*, 8> line_words;   // product-line adjectives / brands
  std::array<const char*, 8> nouns;
};

constexpr std::int64_t kQ16 = 65536;

constexpr CategorySpec kCategorySpecs[] = {
    {"shoes",
     7000,
     kQ16 * 7 / 10,
     {"sports", "fashion", nullptr},
     {"Trail", "Urban", "Classic", "Court", "Canvas", "Leather", "Winter", "Summit"},
     {"Runner Shoe", "Sneaker", "Boot", "Loafer", "Sandal", "Slip-On", "Hiking Shoe", "Chelsea Boot"}},
    {"sports",
     3500,
     kQ16,
     {"shoes", "outdoor", nullptr},
     {"Flex", "Sprint", "Titan", "Apex", "Core", "Velocity", "Endurance", "Pulse"},
     {"Yoga Mat", "Dumbbell", "Tennis Racket", "Football", "Water Bottle", "Resistance Band", "Gym Bag",
      "Cycling Helmet"}},
    {"outdoor",
     6000,
     kQ16 * 11 / 10,
     {"sports", "shoes", nullptr},
     {"Alpine", "Ridge", "Basecamp", "Nomad", "Forest", "Polar", "Canyon", "Glacier"},
     {"Tent", "Backpack", "Sleeping Bag", "Headlamp", "Rain Jacket", "Camp Stove", "Trekking Pole",
      "Water Filter"}},
    {"electronics",
     12000,
     kQ16 * 13 / 10,
     {"office", "music", nullptr},
     {"Volt", "Nova", "Pixel", "Quantum", "Aero", "Vertex", "Echo", "Zenith"},
     {"Headphones", "Smartwatch", "Bluetooth Speaker", "Tablet", "Power Bank", "Webcam", "Monitor",
      "Wireless Earbuds"}},
    {"office",
     1500,
     kQ16,
     {"electronics", "books", nullptr},
     {"Executive", "Slim", "Modular", "Studio", "Metro", "Clear", "Paper Trail", "Ledger"},
     {"Notebook", "Desk Organizer", "Office Chair", "Stapler", "Fountain Pen", "Desk Lamp", "Whiteboard",
      "File Cabinet"}},
    {"kitchen",
     3000,
     kQ16,
     {"grocery", "home", nullptr},
     {"Chef", "Copper", "Rustic", "Nordic", "Ceramic", "Steel", "Bistro", "Artisan"},
     {"Skillet", "Knife Set", "Dutch Oven", "Kettle", "Cutting Board", "Blender", "Mixing Bowl",
      "Coffee Grinder"}},
    {"grocery",
     800,
     kQ16 * 7 / 10,
     {"kitchen", "health", nullptr},
     {"Organic", "Farm", "Golden", "Fresh", "Wholesome", "Sunrise", "Harvest", "Valley"},
     {"Coffee Beans", "Olive Oil", "Green Tea", "Honey", "Pasta", "Granola", "Dark Chocolate", "Spice Mix"}},
    {"toys",
     2500,
     kQ16 * 9 / 10,
     {"baby", "books", nullptr},
     {"Rainbow", "Super", "Magic", "Rocket", "Jungle", "Robo", "Happy", "Galaxy"},
     {"Building Blocks", "Puzzle", "Plush Bear", "Race Car", "Doll House", "Board Game", "Kite",
      "Train Set"}},
    {"baby",
     3000,
     kQ16,
     {"toys", "health", nullptr},
     {"Little", "Cuddle", "Sweet", "Dreamy", "Gentle", "Tiny", "Sunny", "Lullaby"},
     {"Stroller", "Baby Monitor", "Crib Sheet", "Bottle Set", "Teether", "Diaper Bag", "High Chair",
      "Swaddle"}},
    {"beauty",
     2000,
     kQ16 * 8 / 10,
     {"jewelry", "health", nullptr},
     {"Velvet", "Pure", "Glow", "Silk", "Bloom", "Radiant", "Coral", "Amber"},
     {"Lipstick", "Face Serum", "Moisturizer", "Eye Palette", "Perfume", "Hair Oil", "Face Mask",
      "Nail Polish"}},
    {"jewelry",
     15000,
     kQ16 * 12 / 10,
     {"beauty", "fashion", nullptr},
     {"Sterling", "Golden", "Diamond", "Pearl", "Rose Gold", "Vintage", "Celestial", "Royal"},
     {"Necklace", "Ring", "Bracelet", "Earrings", "Pendant", "Watch", "Anklet", "Brooch"}},
    {"books",
     1400,
     kQ16 * 5 / 10,
     {"music", "toys", "office"},
     {"Midnight", "Silent", "Hidden", "Golden", "Lost", "Crimson", "Northern", "Paper Moon"},
     {"Novel", "Cookbook", "Travel Guide", "Biography", "Thriller", "Poetry Collection", "Atlas",
      "Field Guide"}},
    {"music",
     4000,
     kQ16 * 14 / 10,
     {"books", "electronics", nullptr},
     {"Studio", "Acoustic", "Electric", "Concert", "Jazz", "Indie", "Stage", "Vinyl Age"},
     {"Guitar", "Keyboard", "Ukulele", "Drum Pad", "Microphone", "Vinyl Record", "Guitar Strings",
      "Headphone Amp"}},
    {"garden",
     2500,
     kQ16,
     {"tools", "outdoor", nullptr},
     {"Green", "Meadow", "Willow", "Cedar", "Terra", "Orchard", "Fern", "Sunflower"},
     {"Planter", "Watering Can", "Hose Reel", "Seed Kit", "Pruning Shears", "Garden Gloves", "Bird Feeder",
      "Compost Bin"}},
    {"tools",
     4500,
     kQ16 * 11 / 10,
     {"garden", "electronics", nullptr},
     {"Heavy Duty", "Precision", "Torque", "Iron", "Craft", "Workshop", "Rapid", "Forge"},
     {"Drill", "Screwdriver Set", "Hammer", "Wrench Set", "Tape Measure", "Circular Saw", "Tool Box",
      "Spirit Level"}},
    {"pets",
     2000,
     kQ16,
     {"grocery", "home", "outdoor"},
     {"Cozy", "Snuggle", "Wild", "Fetch", "Paws", "Buddy", "Whisker", "Tails"},
     {"Dog Bed", "Cat Tree", "Chew Toy", "Leash", "Food Bowl", "Pet Carrier", "Scratching Post", "Aquarium"}},
    {"home",
     4000,
     kQ16,
     {"kitchen", "garden", nullptr},
     {"Modern", "Linen", "Coastal", "Hearth", "Loft", "Harbor", "Oak", "Maple"},
     {"Throw Pillow", "Blanket", "Table Lamp", "Wall Clock", "Rug", "Candle", "Vase", "Picture Frame"}},
    {"fashion",
     4000,
     kQ16 * 8 / 10,
     {"shoes", "jewelry", nullptr},
     {"Slim Fit", "Oversized", "Denim", "Cashmere", "Weekend", "Tailored", "Street", "Heritage"},
     {"T-Shirt", "Jeans", "Hoodie", "Dress", "Jacket", "Sweater", "Scarf", "Shirt"}},
    {"automotive",
     3500,
     kQ16,
     {"tools", "electronics", nullptr},
     {"Turbo", "Road", "Rally", "Garage", "Highway", "Nitro", "Cruise", "Piston"},
     {"Car Charger", "Dash Cam", "Floor Mat", "Tire Inflator", "Seat Cover", "Car Wax", "Jump Starter",
      "Phone Mount"}},
    {"health",
     2500,
     kQ16 * 9 / 10,
     {"sports", "beauty", nullptr},
     {"Vital", "Active", "Daily", "Balance", "Zen", "Care", "Well", "Restore"},
     {"Vitamin Pack", "Thermometer", "Massage Gun", "First Aid Kit", "Protein Powder",
      "Blood Pressure Monitor", "Heating Pad", "Pill Organizer"}},
};

constexpr int kCategorySpecCount = static_cast<int>(sizeof(kCategorySpecs) / sizeof(kCategorySpecs[0]));

// Empty strings on purpose: many titles carry no variant word.
constexpr std::array<const char*, 12> kVariantWords = {"",     "",     "",    "Pro", "Lite", "Max",
                                                       "Plus", "Mini", "Eco", "XL",  "Duo",  "Select"};

// round(2^(k/64) * 65536): a table instead of exp2 keeps prices free of libm differences.
constexpr std::array<std::int64_t, 64> kPowerOfTwoFractionQ16 = {
    65536,  66250,  66971,  67700,  68438,  69183,  69936,  70698,  71468,  72246,  73032,  73828,  74632,
    75444,  76266,  77096,  77936,  78785,  79642,  80510,  81386,  82273,  83169,  84074,  84990,  85915,
    86851,  87796,  88752,  89719,  90696,  91684,  92682,  93691,  94711,  95743,  96785,  97839,  98905,
    99982,  101070, 102171, 103283, 104408, 105545, 106694, 107856, 109031, 110218, 111418, 112631, 113858,
    115098, 116351, 117618, 118899, 120194, 121502, 122825, 124163, 125515, 126882, 128263, 129660};

// Relative traffic per UTC hour (evening peak) and per weekday (Monday first; Sunday evening
// browsing is the busiest, Saturday the quietest, as in typical shop logs).
constexpr std::array<std::uint64_t, 24> kHourTraffic = {3, 2, 1, 1, 1, 1, 2, 3,  4,  5,  5, 6,
                                                        7, 6, 6, 6, 6, 7, 8, 10, 12, 12, 9, 6};
constexpr std::array<std::uint64_t, 7> kWeekdayTraffic = {11, 10, 10, 10, 9, 8, 12};

// Browsing behaviour, per thousand clicks. Together these make the next click mostly a
// function of the current item: the cluster order alone explains ~42% of steps.
constexpr std::uint64_t kRepeatPerMille = 50;      // reload / re-open the same item
constexpr std::uint64_t kBackPerMille = 40;        // back button to the previous item
constexpr std::uint64_t kSuccessorPerMille = 420;  // next item in the cluster's order
constexpr std::uint64_t kSameClusterPerMille = 280;
constexpr std::uint64_t kRelatedClusterPerMille = 120;
constexpr std::uint64_t kComplementPerMille = 60;
// The remaining 30 per mille jump anywhere, by global popularity.
static_assert(kRepeatPerMille + kBackPerMille + kSuccessorPerMille + kSameClusterPerMille +
                  kRelatedClusterPerMille + kComplementPerMille <=
              1000);

constexpr int kMinClusterSize = 5;
constexpr int kMaxClusterSize = 20;
constexpr int kMinSessionClicks = 2;
constexpr int kMaxSessionClicks = 40;
constexpr std::uint32_t kContinueClickPpm = 750000;  // geometric tail: mean 2 + 3 clicks
constexpr std::uint32_t kAnonymousPpm = 400000;
constexpr std::uint32_t kPreferredCategoryPpm = 800000;
constexpr std::uint32_t kAvailablePpm = 950000;
constexpr std::uint32_t kPurchasePpm = 350000;
constexpr std::uint32_t kSecondCartPpm = 200000;
constexpr std::uint32_t kComplementFixedClusterPpm = 700000;

constexpr std::int64_t kSecondsPerHour = 3600;
constexpr std::int64_t kSecondsPerDay = 86400;

constexpr std::int64_t kMinDwellSeconds = 5;
constexpr std::int64_t kMaxDwellSeconds = 180;
constexpr std::int64_t kMaxLastCartSeconds = 40;  // cart after the last view
constexpr std::int64_t kMaxCheckoutSeconds = 240;
constexpr std::int64_t kMaxSessionSeconds =
    (kMaxSessionClicks - 1) * kMaxDwellSeconds + kMaxLastCartSeconds + kMaxCheckoutSeconds;
// Each non-empty split owns at least this many hours, so any session fits inside its split's
// window and the time split stays strict even for a one-day shop.
constexpr std::size_t kMinWindowHours = 3;
static_assert(kMaxSessionSeconds < static_cast<std::int64_t>(kMinWindowHours) * kSecondsPerHour);
static_assert(3 * kMinWindowHours <= 24, "one day must hold three minimal windows");

// ---------------------------------------------------------------------------------------------
// Integer-only transforms.

std::uint64_t integer_sqrt(std::uint64_t value) {
  std::uint64_t root = 0;
  std::uint64_t bit = std::uint64_t{1} << 62;
  while (bit > value) bit >>= 2;
  while (bit != 0) {
    if (value >= root + bit) {
      value -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  return root;
}

// Proportional to rank^-1.125 (rank >= 1, up to ~1e8), rank 1 weighing 2^40. The exponent is
// 1 + 1/8 because an eighth root is three exact integer square roots.
std::uint64_t zipf_weight(std::uint64_t rank) {
  const std::uint64_t root2_q16 = integer_sqrt(rank << 32);
  const std::uint64_t root4_q16 = integer_sqrt(root2_q16 << 16);
  const std::uint64_t root8_q16 = integer_sqrt(root4_q16 << 16);
  return (std::uint64_t{1} << 56) / (rank * root8_q16);
}

// Irwin-Hall: 12 uniforms minus 6 approximate a standard normal (bounded at +-6); Q16.
std::int64_t normal_q16(SeededRandom& random) {
  std::int64_t sum = 0;
  for (int draw = 0; draw < 12; ++draw) sum += static_cast<std::int64_t>(random.below(kQ16));
  return sum - 6 * kQ16;
}

// cents * 2^(exponent_q16 / 65536), exponent clamped to [-8, 8).
std::int64_t scale_by_power_of_two(std::int64_t cents, std::int64_t exponent_q16) {
  // Biasing to non-negative makes the shifts below floor without signed-shift subtleties.
  const std::int64_t biased = std::clamp<std::int64_t>(exponent_q16 + 16 * kQ16, 8 * kQ16, 24 * kQ16 - 1);
  const int whole = static_cast<int>(biased / kQ16) - 16;
  std::int64_t scaled = cents * kPowerOfTwoFractionQ16[static_cast<std::size_t>((biased % kQ16) >> 10)];
  if (whole >= 0) {
    scaled <<= whole;
  } else {
    scaled >>= -whole;
  }
  return scaled / kQ16;
}

// Shops price at x.x9 / x.99 / x9.99, and rounded prices make the catalog look real.
std::int64_t retail_price_cents(std::int64_t cents) {
  cents = std::clamp<std::int64_t>(cents, 99, 999999);
  if (cents < 1000) return cents / 10 * 10 + 9;
  if (cents < 10000) return cents / 100 * 100 + 99;
  return cents / 1000 * 1000 + 999;
}

void append_int(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

void append_padded(std::string& out, std::string_view prefix, std::int64_t value, int width) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(prefix);
  for (auto digits = result.ptr - buffer; digits < width; ++digits) out.push_back('0');
  out.append(buffer, result.ptr);
}

// RFC 4180: quote only when needed, doubling embedded quotes.
void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char character : field) {
    if (character == '"') out.push_back('"');
    out.push_back(character);
  }
  out.push_back('"');
}

// Running totals so SeededRandom::pick_cumulative can draw in proportion to the weights.
std::vector<std::uint64_t> running_totals(const std::vector<std::uint64_t>& weights) {
  std::vector<std::uint64_t> totals(weights.size());
  std::uint64_t sum = 0;
  for (std::size_t index = 0; index < weights.size(); ++index) {
    sum += weights[index];
    totals[index] = sum;
  }
  return totals;
}

// ---------------------------------------------------------------------------------------------
// Catalog.

struct Item {
  int category = 0;
  int cluster = 0;
  int position = 0;  // index in the cluster's browsing order
  std::int64_t sku = 0;
  std::int64_t price_cents = 0;
  bool available = true;
  std::string title;
};

struct Cluster {
  std::vector<int> items;  // browsing order
  std::vector<std::uint64_t> item_totals;
  std::array<int, 2> related = {0, 0};  // clusters of the same category
  int complement = 0;                   // a cluster of the complementary category
};

struct Category {
  int complement = 0;
  std::vector<int> clusters;
  std::vector<std::uint64_t> cluster_totals;
};

struct Catalog {
  std::vector<Item> items;
  std::vector<Cluster> clusters;
  std::vector<Category> categories;
  std::vector<std::uint64_t> category_totals;
};

int resolve_complement(int category, int category_count) {
  for (const char* name : kCategorySpecs[category].complements) {
    if (name == nullptr) break;
    for (int other = 0; other < category_count; ++other) {
      if (std::string_view(kCategorySpecs[other].name) == name) return other;
    }
  }
  return (category + 1) % category_count;
}

// Splits `total` into a minimum per part plus shares proportional to `weights`.
std::vector<int> proportional_sizes(int total, int minimum, const std::vector<std::uint64_t>& weights) {
  const int parts = static_cast<int>(weights.size());
  std::uint64_t weight_sum = 0;
  for (std::uint64_t weight : weights) weight_sum += weight;
  const std::uint64_t spare = static_cast<std::uint64_t>(total - minimum * parts);
  std::vector<int> sizes(weights.size(), minimum);
  std::uint64_t handed_out = 0;
  for (int part = 0; part < parts; ++part) {
    const std::uint64_t share = spare * weights[part] / weight_sum;
    sizes[part] += static_cast<int>(share);
    handed_out += share;
  }
  for (int part = 0; handed_out < spare; part = (part + 1) % parts, ++handed_out) ++sizes[part];
  return sizes;
}

// Fills catalog.items[first_item, first_item + item_count) and the category's clusters.
void build_category_items(int category, int first_item, int item_count, SeededRandom& random,
                          Catalog& catalog) {
  const CategorySpec& spec = kCategorySpecs[category];
  Category& shelf = catalog.categories[category];

  // Popularity rank r gets weight r^-1.125. Clusters are cut from the rank order scrambled by a
  // random factor of 1-3, so product lines differ in popularity as real ones do (a best-selling
  // line, a long tail of niche ones) without being pure rank blocks.
  std::vector<std::uint64_t> rank_weight(static_cast<std::size_t>(item_count));
  std::vector<std::pair<std::uint64_t, int>> noisy_order;
  for (int rank = 0; rank < item_count; ++rank) {
    rank_weight[rank] = zipf_weight(static_cast<std::uint64_t>(rank) + 1);
    const std::uint64_t noisy_key = static_cast<std::uint64_t>(rank + 1) * (8 + random.below(17));
    noisy_order.emplace_back(noisy_key, rank);
  }
  std::sort(noisy_order.begin(), noisy_order.end());

  std::vector<std::uint64_t> cluster_weights;
  int placed = 0;
  while (placed < item_count) {
    const int remaining = item_count - placed;
    const int size = remaining <= kMaxClusterSize
                         ? remaining
                         : static_cast<int>(random.between(
                               kMinClusterSize, std::min(kMaxClusterSize, remaining - kMinClusterSize)));
    std::vector<int> ranks;
    for (int offset = 0; offset < size; ++offset) ranks.push_back(noisy_order[placed + offset].second);
    placed += size;
    // The browsing order is unrelated to popularity, so "next" carries information that
    // popularity alone does not.
    random.shuffle(ranks);

    const int cluster_index = static_cast<int>(catalog.clusters.size());
    Cluster cluster;
    const char* line_word = spec.line_words[random.below(spec.line_words.size())];
    const char* noun = spec.nouns[random.below(spec.nouns.size())];
    const std::int64_t line_price_q16 = normal_q16(random);
    std::vector<std::uint64_t> item_weights;
    std::uint64_t cluster_weight = 0;
    for (int rank : ranks) {
      Item item;
      item.category = category;
      item.cluster = cluster_index;
      item.position = static_cast<int>(cluster.items.size());
      // Line and item noise mix 3:2 so a product line shares a price band (variance ~0.81).
      const std::int64_t mixed_q16 = (3 * line_price_q16 + 2 * normal_q16(random)) / 4;
      item.price_cents = retail_price_cents(
          scale_by_power_of_two(spec.median_cents, mixed_q16 * spec.sigma_log2_q16 / kQ16));
      item.available = random.chance_ppm(kAvailablePpm);
      item.title = std::string(line_word) + " " + noun;
      const char* variant = kVariantWords[random.below(kVariantWords.size())];
      if (*variant != '\0') item.title += std::string(" ") + variant;
      item.title += " " + std::to_string(random.between(2, 999));

      const int item_index = first_item + rank;
      catalog.items[item_index] = std::move(item);
      cluster.items.push_back(item_index);
      item_weights.push_back(rank_weight[rank]);
      cluster_weight += rank_weight[rank];
    }
    cluster.item_totals = running_totals(item_weights);
    catalog.clusters.push_back(std::move(cluster));
    shelf.clusters.push_back(cluster_index);
    cluster_weights.push_back(cluster_weight);
  }
  shelf.cluster_totals = running_totals(cluster_weights);
}

Catalog build_catalog(std::uint64_t seed, int item_count, int category_count) {
  SeededRandom random(seed, 1);
  Catalog catalog;
  catalog.categories.resize(static_cast<std::size_t>(category_count));

  // Which category is the shop's best seller differs per seed; the skew does not.
  std::vector<int> popularity_order(static_cast<std::size_t>(category_count));
  for (int category = 0; category < category_count; ++category) popularity_order[category] = category;
  random.shuffle(popularity_order);
  std::vector<std::uint64_t> category_weights(static_cast<std::size_t>(category_count));
  for (int rank = 0; rank < category_count; ++rank) {
    category_weights[popularity_order[rank]] = zipf_weight(static_cast<std::uint64_t>(rank) + 2);
  }
  catalog.category_totals = running_totals(category_weights);

  std::vector<std::uint64_t> assortment_weights;
  for (int category = 0; category < category_count; ++category) {
    assortment_weights.push_back(2 + random.below(5));
  }
  const std::vector<int> sizes = proportional_sizes(item_count, kMinClusterSize, assortment_weights);

  catalog.items.resize(static_cast<std::size_t>(item_count));
  int first_item = 0;
  for (int category = 0; category < category_count; ++category) {
    catalog.categories[category].complement = resolve_complement(category, category_count);
    build_category_items(category, first_item, sizes[category], random, catalog);
    first_item += sizes[category];
  }

  // Links are drawn once every category exists, since complements point across categories.
  for (Category& shelf : catalog.categories) {
    const Category& complement = catalog.categories[shelf.complement];
    for (int cluster_index : shelf.clusters) {
      Cluster& cluster = catalog.clusters[cluster_index];
      for (int& related : cluster.related) {
        related = cluster_index;
        for (int attempt = 0; attempt < 8 && related == cluster_index; ++attempt) {
          related = shelf.clusters[random.pick_cumulative(shelf.cluster_totals)];
        }
      }
      cluster.complement = complement.clusters[random.pick_cumulative(complement.cluster_totals)];
    }
  }

  // SKU numbers are a shuffle so that an id reveals neither category nor popularity.
  std::vector<std::int64_t> skus(static_cast<std::size_t>(item_count));
  for (int index = 0; index < item_count; ++index) skus[index] = index + 1;
  random.shuffle(skus);
  for (int index = 0; index < item_count; ++index) catalog.items[index].sku = skus[index];
  return catalog;
}

// ---------------------------------------------------------------------------------------------
// Users.

struct User {
  std::array<int, 3> preferred = {0, 0, 0};
  int preferred_count = 0;
};

struct Population {
  std::vector<User> users;
  std::vector<std::uint64_t> activity_totals;
};

Population build_users(std::uint64_t seed, int user_count, const Catalog& catalog) {
  SeededRandom random(seed, 2);
  Population population;
  population.users.resize(static_cast<std::size_t>(user_count));
  const int category_count = static_cast<int>(catalog.categories.size());
  for (User& user : population.users) {
    const int wanted = static_cast<int>(random.between(1, std::min(3, category_count)));
    // Distinct categories, drawn by popularity; a few retries are enough to find them.
    for (int attempt = 0; attempt < 16 && user.preferred_count < wanted; ++attempt) {
      const int category = static_cast<int>(random.pick_cumulative(catalog.category_totals));
      const auto chosen_end = user.preferred.begin() + user.preferred_count;
      if (std::find(user.preferred.begin(), chosen_end, category) == chosen_end) {
        user.preferred[user.preferred_count++] = category;
      }
    }
  }
  // Heavy-tailed activity: a few regulars, many one-off visitors. The offset keeps the most
  // active user at a plausible share; the shuffle keeps user numbers meaningless.
  std::vector<std::uint64_t> ranks(static_cast<std::size_t>(user_count));
  for (int index = 0; index < user_count; ++index) ranks[index] = static_cast<std::uint64_t>(index) + 20;
  random.shuffle(ranks);
  std::vector<std::uint64_t> weights;
  for (std::uint64_t rank : ranks) weights.push_back(zipf_weight(rank));
  population.activity_totals = running_totals(weights);
  return population;
}

// ---------------------------------------------------------------------------------------------
// Time.

// totals[s] = traffic of the hour slots before slot s, slot s starting at start_time + s hours.
std::vector<std::uint64_t> hourly_traffic_totals(std::int64_t start_time, int days) {
  const int slots = days * 24;
  std::vector<std::uint64_t> totals(static_cast<std::size_t>(slots) + 1, 0);
  for (int slot = 0; slot < slots; ++slot) {
    const std::int64_t time = start_time + slot * kSecondsPerHour;
    const std::int64_t hour = (time / kSecondsPerHour) % 24;
    const std::int64_t weekday = (time / kSecondsPerDay + 3) % 7;  // 1970-01-01 was a Thursday
    totals[slot + 1] = totals[slot] + kHourTraffic[hour] * kWeekdayTraffic[weekday];
  }
  return totals;
}

// Slot boundaries [b0, b1, b2, b3] of the train/valid/test windows: each split gets a share of
// the traffic equal to its share of the sessions, so session density stays even across the
// boundaries, and every non-empty split gets at least kMinWindowHours.
std::array<std::size_t, 4> split_windows(const std::vector<std::uint64_t>& totals,
                                         const std::array<int, 3>& counts) {
  const std::size_t slots = totals.size() - 1;
  const std::uint64_t traffic = totals.back();
  const std::uint64_t sessions = static_cast<std::uint64_t>(counts[0]) + counts[1] + counts[2];
  std::array<std::size_t, 4> bounds = {0, slots, slots, slots};
  std::uint64_t before = 0;
  for (std::size_t split = 0; split < 2; ++split) {
    before += static_cast<std::uint64_t>(counts[split]);
    std::size_t slot = 0;
    while (slot < slots && totals[slot] * sessions < traffic * before) ++slot;
    bounds[split + 1] = slot;
  }
  for (std::size_t split = 1; split < 3; ++split) {
    bounds[split] =
        std::max(bounds[split], bounds[split - 1] + (counts[split - 1] > 0 ? kMinWindowHours : 0));
  }
  for (std::size_t split = 2; split >= 1; --split) {
    bounds[split] = std::min(bounds[split], bounds[split + 1] - (counts[split] > 0 ? kMinWindowHours : 0));
  }
  return bounds;
}

// ---------------------------------------------------------------------------------------------
// Sessions.

enum class EventKind : std::uint8_t { view, cart, purchase };

struct Event {
  int item = 0;
  std::int64_t offset = 0;  // seconds after the session start
  EventKind kind = EventKind::view;
};

struct Session {
  std::int64_t start = 0;
  int split = 0;
  int user = -1;  // -1: anonymous
  std::size_t first_event = 0;
  std::size_t event_count = 0;
  std::size_t sequence = 0;  // generation order; the tiebreak that keeps sorting deterministic
};

int pick_in_cluster(SeededRandom& random, const Catalog& catalog, int cluster_index) {
  const Cluster& cluster = catalog.clusters[cluster_index];
  return cluster.items[random.pick_cumulative(cluster.item_totals)];
}

int pick_in_category(SeededRandom& random, const Catalog& catalog, int category) {
  const Category& shelf = catalog.categories[category];
  return pick_in_cluster(random, catalog, shelf.clusters[random.pick_cumulative(shelf.cluster_totals)]);
}

int pick_start_category(SeededRandom& random, const Catalog& catalog, const Population& population,
                        int user) {
  if (user >= 0 && random.chance_ppm(kPreferredCategoryPpm)) {
    const User& person = population.users[user];
    if (person.preferred_count > 0) {
      // The first preference counts twice: people have one main interest.
      const auto draw =
          static_cast<int>(random.below(static_cast<std::uint64_t>(person.preferred_count) + 1));
      return person.preferred[draw == 0 ? 0 : draw - 1];
    }
  }
  return static_cast<int>(random.pick_cumulative(catalog.category_totals));
}

int next_click(SeededRandom& random, const Catalog& catalog, int current, int previous) {
  const Item& item = catalog.items[current];
  const Cluster& cluster = catalog.clusters[item.cluster];
  std::uint64_t roll = random.below(1000);
  if (roll < kRepeatPerMille) return current;
  roll -= kRepeatPerMille;
  if (roll < kBackPerMille && previous >= 0) return previous;
  if (roll < kBackPerMille) roll += kBackPerMille;  // no history yet: fall through to successor
  roll -= kBackPerMille;
  if (roll < kSuccessorPerMille) {
    return cluster.items[static_cast<std::size_t>(item.position + 1) % cluster.items.size()];
  }
  roll -= kSuccessorPerMille;
  if (roll < kSameClusterPerMille) return pick_in_cluster(random, catalog, item.cluster);
  roll -= kSameClusterPerMille;
  if (roll < kRelatedClusterPerMille) {
    return pick_in_cluster(random, catalog, cluster.related[random.below(cluster.related.size())]);
  }
  roll -= kRelatedClusterPerMille;
  if (roll < kComplementPerMille) {
    if (random.chance_ppm(kComplementFixedClusterPpm)) {
      return pick_in_cluster(random, catalog, cluster.complement);
    }
    return pick_in_category(random, catalog, catalog.categories[item.category].complement);
  }
  return pick_in_category(random, catalog, static_cast<int>(random.pick_cumulative(catalog.category_totals)));
}

// Dwell between clicks: a product of two uniforms is skewed towards short dwells.
std::int64_t dwell_seconds(SeededRandom& random) {
  constexpr std::uint64_t kSpan = kMaxDwellSeconds - kMinDwellSeconds;
  return kMinDwellSeconds +
         static_cast<std::int64_t>(random.below(kSpan + 1) * random.below(kSpan + 1) / kSpan);
}

// Cheap items are impulse buys: carted more often, and preferred among the viewed items.
std::uint32_t cart_ppm_for_cheapest(std::int64_t price_cents) {
  if (price_cents < 2000) return 140000;
  if (price_cents < 10000) return 100000;
  return 60000;
}

std::uint64_t cart_preference(std::int64_t price_cents) {
  if (price_cents < 2000) return 4;
  if (price_cents < 10000) return 2;
  return 1;
}

// Appends one session's events; returns its duration in seconds.
std::int64_t append_session_events(SeededRandom& random, const Catalog& catalog, const Population& population,
                                   int user, std::vector<Event>& events) {
  int length = kMinSessionClicks;
  while (length < kMaxSessionClicks && random.chance_ppm(kContinueClickPpm)) ++length;

  std::vector<int> clicks;
  std::vector<std::int64_t> offsets;
  int current = pick_in_category(random, catalog, pick_start_category(random, catalog, population, user));
  int previous = -1;
  std::int64_t offset = 0;
  for (int click = 0; click < length; ++click) {
    if (click > 0) {
      const int next = next_click(random, catalog, current, previous);
      if (next != current) {
        previous = current;
        current = next;
      }
      offset += dwell_seconds(random);
    }
    clicks.push_back(current);
    offsets.push_back(offset);
  }

  // Cart candidates: distinct viewed items still in stock, with the index of their last view.
  std::vector<std::pair<int, std::size_t>> candidates;
  std::int64_t cheapest = -1;
  for (std::size_t click = 0; click < clicks.size(); ++click) {
    const Item& item = catalog.items[clicks[click]];
    if (!item.available) continue;
    auto found = std::find_if(candidates.begin(), candidates.end(),
                              [&](const auto& candidate) { return candidate.first == clicks[click]; });
    if (found == candidates.end()) {
      candidates.emplace_back(clicks[click], click);
    } else {
      found->second = click;
    }
    if (cheapest < 0 || item.price_cents < cheapest) cheapest = item.price_cents;
  }
  std::vector<std::pair<int, std::size_t>> carted;
  if (!candidates.empty() && random.chance_ppm(cart_ppm_for_cheapest(cheapest))) {
    const std::size_t wanted = candidates.size() > 1 && random.chance_ppm(kSecondCartPpm) ? 2 : 1;
    while (carted.size() < wanted) {
      std::vector<std::uint64_t> weights;
      for (const auto& candidate : candidates)
        weights.push_back(cart_preference(catalog.items[candidate.first].price_cents));
      const std::size_t chosen = random.pick_cumulative(running_totals(weights));
      carted.push_back(candidates[chosen]);
      candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(chosen));
    }
  }

  for (std::size_t click = 0; click < clicks.size(); ++click) {
    events.push_back({clicks[click], offsets[click], EventKind::view});
    for (const auto& cart : carted) {
      if (cart.second != click) continue;
      // Carting happens while looking at the item, before the next click.
      const std::int64_t cart_offset = click + 1 < clicks.size()
                                           ? offsets[click] + (offsets[click + 1] - offsets[click]) / 2
                                           : offsets[click] + random.between(5, kMaxLastCartSeconds);
      events.push_back({cart.first, cart_offset, EventKind::cart});
    }
  }
  std::int64_t last_offset = events.back().offset;
  if (!carted.empty() && random.chance_ppm(kPurchasePpm)) {
    // Checkout takes a while and buys everything in the cart at once.
    last_offset += random.between(30, kMaxCheckoutSeconds);
    for (const auto& cart : carted) events.push_back({cart.first, last_offset, EventKind::purchase});
  }
  return last_offset;
}

// ---------------------------------------------------------------------------------------------
// Output.

std::string catalog_csv(const Catalog& catalog) {
  std::vector<const Item*> by_sku(catalog.items.size());
  for (const Item& item : catalog.items) by_sku[static_cast<std::size_t>(item.sku - 1)] = &item;
  std::string out = "item_id,category,price,title,available\n";
  out.reserve(catalog.items.size() * 64);
  for (const Item* item : by_sku) {
    append_padded(out, "SKU-", item->sku, 5);
    out.push_back(',');
    out.append(kCategorySpecs[item->category].name);
    out.push_back(',');
    append_int(out, item->price_cents / 100);
    out.push_back('.');
    append_padded(out, "", item->price_cents % 100, 2);
    out.push_back(',');
    append_csv_field(out, item->title);
    out.append(item->available ? ",1\n" : ",0\n");
  }
  return out;
}

void append_session_rows(std::string& out, std::int64_t session_id, const Session& session,
                         const std::vector<Event>& events, const std::vector<std::string>& item_ids) {
  for (std::size_t index = 0; index < session.event_count; ++index) {
    const Event& event = events[session.first_event + index];
    append_int(out, session_id);
    out.push_back(',');
    if (session.user >= 0) append_padded(out, "U", static_cast<std::int64_t>(session.user) + 1, 5);
    out.push_back(',');
    out.append(item_ids[static_cast<std::size_t>(event.item)]);
    out.push_back(',');
    append_int(out, session.start + event.offset);
    switch (event.kind) {
      case EventKind::view:
        out.append(",view\n");
        break;
      case EventKind::cart:
        out.append(",cart\n");
        break;
      case EventKind::purchase:
        out.append(",purchase\n");
        break;
    }
  }
}

}  // namespace

SyntheticShopFiles generate_synthetic_shop(const SyntheticShopOptions& options) {
  constexpr int kMaxItems = 1000000;
  constexpr int kMaxUsers = 10000000;
  constexpr int kMaxSessionsPerSplit = 10000000;
  const int category_count = std::clamp(options.category_count, 1, kCategorySpecCount);
  const int item_count = std::clamp(options.item_count, category_count * kMinClusterSize, kMaxItems);
  const int user_count = std::clamp(options.user_count, 0, kMaxUsers);
  const std::array<int, 3> split_counts = {std::clamp(options.train_session_count, 0, kMaxSessionsPerSplit),
                                           std::clamp(options.valid_session_count, 0, kMaxSessionsPerSplit),
                                           std::clamp(options.test_session_count, 0, kMaxSessionsPerSplit)};
  const std::int64_t start_time = std::clamp<std::int64_t>(options.start_time, 0, 4102444800);
  const int days = std::clamp(options.days, 1, 3650);

  const Catalog catalog = build_catalog(options.seed, item_count, category_count);
  const Population population = build_users(options.seed, user_count, catalog);
  const std::vector<std::uint64_t> traffic = hourly_traffic_totals(start_time, days);
  const std::array<std::size_t, 4> windows = split_windows(traffic, split_counts);

  SeededRandom random(options.seed, 3);
  std::vector<Session> sessions;
  std::vector<Event> events;
  sessions.reserve(static_cast<std::size_t>(split_counts[0]) + split_counts[1] + split_counts[2]);
  for (int split = 0; split < 3; ++split) {
    const std::uint64_t traffic_low = traffic[windows[split]];
    const std::uint64_t traffic_high = traffic[windows[split + 1]];
    const std::int64_t window_start =
        start_time + static_cast<std::int64_t>(windows[split]) * kSecondsPerHour;
    const std::int64_t window_end =
        start_time + static_cast<std::int64_t>(windows[split + 1]) * kSecondsPerHour;
    for (int count = 0; count < split_counts[split]; ++count) {
      Session session;
      session.split = split;
      session.sequence = sessions.size();
      const std::uint64_t target = traffic_low + random.below(traffic_high - traffic_low);
      const auto slot = static_cast<std::int64_t>(std::upper_bound(traffic.begin(), traffic.end(), target) -
                                                  traffic.begin() - 1);
      session.start =
          start_time + slot * kSecondsPerHour + static_cast<std::int64_t>(random.below(kSecondsPerHour));
      if (!population.users.empty() && !random.chance_ppm(kAnonymousPpm)) {
        session.user = static_cast<int>(random.pick_cumulative(population.activity_totals));
      }
      session.first_event = events.size();
      const std::int64_t duration = append_session_events(random, catalog, population, session.user, events);
      session.event_count = events.size() - session.first_event;
      // Pull a session that would run past its window back inside it, so the time split is
      // strict; it always fits (kMinWindowHours).
      if (session.start + duration >= window_end) {
        session.start = std::max(window_start, window_end - 1 - duration);
      }
      sessions.push_back(session);
    }
  }
  std::sort(sessions.begin(), sessions.end(), [](const Session& left, const Session& right) {
    if (left.split != right.split) return left.split < right.split;
    if (left.start != right.start) return left.start < right.start;
    return left.sequence < right.sequence;
  });

  std::vector<std::string> item_ids;
  item_ids.reserve(catalog.items.size());
  for (const Item& item : catalog.items) {
    std::string id;
    append_padded(id, "SKU-", item.sku, 5);
    item_ids.push_back(std::move(id));
  }

  SyntheticShopFiles files;
  files.catalog_csv = catalog_csv(catalog);
  std::array<std::string*, 3> split_files = {&files.train_csv, &files.valid_csv, &files.test_csv};
  for (std::string* file : split_files) {
    *file = "session_id,user_id,item_id,timestamp,event\n";
  }
  files.train_csv.reserve(events.size() * 40);
  std::int64_t session_id = 0;
  for (const Session& session : sessions) {
    append_session_rows(*split_files[static_cast<std::size_t>(session.split)], ++session_id, session, events,
                        item_ids);
  }
  return files;
}

}  // namespace shelfwise::training
