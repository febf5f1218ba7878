// A seeded generator of a synthetic e-commerce shop: a catalog plus time-split browsing sessions.
// The real datasets cannot ship with the project, so the demo and the fresh-clone path train on
// this instead; it therefore carries the structure real logs have and models are expected to
// learn (see "Shape of the data" below), not uniform noise.
//
// Determinism: the output is a pure function of the options, byte for byte, on every platform
// and compiler. All randomness and every transform (Zipf, log-normal prices, geometric lengths)
// use integer arithmetic only, via SeededRandom.
//
// Files (all '\n' line endings, header first, trailing newline):
//   catalog_csv  item_id,category,price,title,available
//     item_id    "SKU-" + at least 5 digits, unique, rows sorted by it; numbers do not reveal
//                the category.
//     category   short lowercase name ("shoes", "electronics", ...).
//     price      decimal with exactly 2 digits after a dot, retail-style (24.99, 4.49).
//     title      readable words plus a model number, never a comma or quote; a field that ever
//                needed it would be quoted per RFC 4180.
//     available  "1" (about 95%) or "0". Unavailable items still appear as views (they sold
//                out) but are never carted.
//   train_csv / valid_csv / test_csv  session_id,user_id,item_id,timestamp,event
//     session_id decimal integer, unique across the three files, increasing with start time.
//     user_id    empty for anonymous sessions (about 40%), else "U" + at least 5 digits.
//     timestamp  unix seconds; non-decreasing inside a session.
//     event      "view", "cart" or "purchase".
//   A session's rows are contiguous and in click order; sessions are sorted by start time; each
//   session has at least 2 views. The split is by time: every train timestamp < every valid
//   timestamp < every test timestamp. Each split owns a time window whose share of the traffic
//   matches its share of the sessions (at least 3 hours, longer than any session), and its
//   sessions lie wholly inside it. Valid/test may hold items unseen in train.
//
// Shape of the data:
//   - Categories have their own log-normal price level (grocery cheap, jewelry/electronics dear);
//     items in one product line have correlated prices.
//   - Popularity is Zipf-like (exponent 1.125) for items inside a category, and skewed across
//     categories too.
//   - Items form clusters (product lines) of 5-20 items inside a category. A session mostly
//     browses within a cluster, along a fixed per-cluster order ("what comes next" is
//     predictable), sometimes jumps to one of two related clusters of the same category, and
//     occasionally to a fixed cluster of the complementary category (shoes -> sports, ...).
//   - Sessions: 2 + geometric clicks (mean about 5, at most 40); 5-180 s gaps, skewed short;
//     start times follow a daily cycle (evening peak) and a weekly one; same-item repeat views
//     and "back" clicks happen.
//   - Returning users keep 1-3 preferred categories across their sessions; user activity is
//     heavy-tailed.
//   - About 10% of sessions cart an item viewed earlier (cart row after its last view), cheap
//     items more often; about 35% of those end with purchase rows for every carted item.
//
// The catalog depends only on seed, item_count and category_count, so changing session counts
// or dates keeps the same items.
#pragma once

#include <cstdint>
#include <string>

namespace shelfwise::training {

// Out-of-range values are clamped, never rejected (callers do not use exceptions):
//   category_count      -> [1, number of built-in category names (20)]
//   item_count          -> [5 * category_count, 1'000'000]  (a cluster needs at least 5 items)
//   user_count          -> [0, 10'000'000]; 0 makes every session anonymous
//   *_session_count     -> [0, 10'000'000]; a split with 0 sessions yields a header-only file
//   start_time          -> [0, 4'102'444'800] (1970 .. 2100)
//   days                -> [1, 3650]
struct SyntheticShopOptions {
  std::uint64_t seed = 42;
  int item_count = 3000;
  int category_count = 12;
  int user_count = 4000;
  int train_session_count = 30000;
  int valid_session_count = 3000;
  int test_session_count = 3000;
  std::int64_t start_time = 1767225600;  // unix seconds (2026-01-01 UTC)
  int days = 60;
};

struct SyntheticShopFiles {
  std::string catalog_csv;  // header: item_id,category,price,title,available
  std::string train_csv;    // header: session_id,user_id,item_id,timestamp,event
  std::string valid_csv;
  std::string test_csv;
};

// Deterministic for a given options value on every platform and compiler.
SyntheticShopFiles generate_synthetic_shop(const SyntheticShopOptions& options);

}  // namespace shelfwise::training
