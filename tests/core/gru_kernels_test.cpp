// The GRU's catalogue kernels (gru_kernels.hpp) against their scalar reference and a direct
// computation, and the scorer's int8-prefiltered top-k against scoring every item in float.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "gru_fixture.hpp"
#include "shelfwise/factor_kernels.hpp"
#include "shelfwise/gru_kernels.hpp"
#include "shelfwise/gru_scorer.hpp"
#include "shelfwise/portable_math.hpp"
#include "shelfwise/top_k.hpp"

namespace {

namespace gk = shelfwise::gru_kernels;
using shelfwise::GruNetwork;
using shelfwise::GruScorer;
using shelfwise::Recommendation;
using shelfwise::ScoredItem;
using shelfwise::SessionState;

std::uint64_t random_state = 11;
float uniform() {  // in [-1, 1)
  random_state = random_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<float>(random_state >> 40) / static_cast<float>(1ULL << 24) * 2.0f - 1.0f;
}

bool same_bits(float left, float right) { return std::memcmp(&left, &right, sizeof(float)) == 0; }

}  // namespace

TEST_CASE("approximate GRU scores: default kernel equals the reference and the direct formula", "[gru][kernels]") {
  for (const std::size_t dimensions : {1, 7, 8, 37, 64}) {  // 37: SIMD item_dot's scalar remainder
    for (const std::size_t items : {1, 15, 16, 17, 100}) {
      std::vector<std::int8_t> codes(gk::code_bytes(items, dimensions), 0);
      std::vector<std::vector<std::int8_t>> by_item(items, std::vector<std::int8_t>(dimensions));
      for (std::size_t item = 0; item < items; ++item) {
        for (std::size_t j = 0; j < dimensions; ++j) {
          by_item[item][j] = static_cast<std::int8_t>(std::lround(uniform() * 127.0f));
          codes[gk::code_offset(item, j, dimensions)] = by_item[item][j];
        }
      }
      std::vector<float> scales(items), bias(items);
      for (std::size_t item = 0; item < items; ++item) {
        scales[item] = std::fabs(uniform()) * 0.01f;
        bias[item] = uniform();
      }
      std::vector<std::int16_t> query(gk::padded_dimensions(dimensions), 0);
      for (std::size_t j = 0; j < dimensions; ++j) query[j] = static_cast<std::int16_t>(std::lround(uniform() * 32767.0f));
      const float query_scale = 3e-5f;
      std::vector<float> fast(items), reference(items);
      gk::approximate_scores(codes.data(), scales.data(), bias.data(), items, dimensions, query.data(), query_scale, fast.data());
      gk::reference::approximate_scores(codes.data(), scales.data(), bias.data(), items, dimensions, query.data(), query_scale,
                                        reference.data());
      for (std::size_t item = 0; item < items; ++item) {
        std::int32_t dot = 0;
        for (std::size_t j = 0; j < dimensions; ++j) dot += by_item[item][j] * query[j];
        const float direct = bias[item] + static_cast<float>(dot) * scales[item] * query_scale;
        INFO("d=" << dimensions << " n=" << items << " item " << item);
        CHECK(same_bits(fast[item], reference[item]));
        CHECK(same_bits(reference[item], direct));
        CHECK(gk::item_dot(codes.data(), item, dimensions, query.data()) == dot);
      }
      // A rotated copy's first pass: the first `prefix` codes of every item, the same blocks, alone
      // and plus a weighted tail norm.
      std::vector<float> tails(items);
      for (float& tail : tails) tail = std::fabs(uniform()) * 40.0f;
      const float tail_weight = 0.37f;
      for (std::size_t prefix = 2; prefix <= gk::padded_dimensions(dimensions); prefix += 6) {
        for (const float* item_tails : {static_cast<const float*>(nullptr), static_cast<const float*>(tails.data())}) {
          gk::prefix_scores(codes.data(), scales.data(), bias.data(), items, dimensions, prefix, query.data(), query_scale,
                            item_tails, tail_weight, fast.data());
          gk::reference::prefix_scores(codes.data(), scales.data(), bias.data(), items, dimensions, prefix, query.data(),
                                       query_scale, item_tails, tail_weight, reference.data());
          for (std::size_t item = 0; item < items; ++item) {
            std::int32_t dot = 0;
            for (std::size_t j = 0; j < std::min(prefix, dimensions); ++j) dot += by_item[item][j] * query[j];
            const float score = bias[item] + static_cast<float>(dot) * scales[item] * query_scale;
            const float direct = item_tails == nullptr ? score : score + tail_weight * tails[item];
            INFO("d=" << dimensions << " n=" << items << " prefix " << prefix << " item " << item << " tails "
                      << (item_tails != nullptr));
            CHECK(same_bits(fast[item], reference[item]));
            CHECK(same_bits(reference[item], direct));
            const std::size_t pairs = std::min(prefix, dimensions + 1) / 2;
            CHECK(gk::reference::pairs_dot(codes.data(), item, dimensions, query.data(), 0, pairs) == dot);
          }
        }
      }
    }
  }
}

TEST_CASE("row dots: default kernel equals the reference and the direct sum", "[gru][kernels]") {
  for (const std::size_t count : {0, 1, 15, 16, 17, 48, 100}) {
    std::vector<std::int8_t> row(count + 3);  // read from an odd offset: rows need no alignment
    std::vector<std::int16_t> query(count);
    for (auto& code : row) code = static_cast<std::int8_t>(std::lround(uniform() * 127.0f));
    for (auto& level : query) level = static_cast<std::int16_t>(std::lround(uniform() * 32767.0f));
    std::int32_t direct = 0;
    for (std::size_t j = 0; j < count; ++j) direct += row[j + 1] * static_cast<std::int32_t>(query[j]);
    INFO("count " << count);
    CHECK(gk::row_dot(row.data() + 1, query.data(), count) == direct);
    CHECK(gk::reference::row_dot(row.data() + 1, query.data(), count) == direct);
  }
}

TEST_CASE("threshold scans: default kernels equal the reference", "[gru][kernels]") {
  for (const std::size_t count : {0, 5, 16, 33, 1000}) {
    std::vector<float> scores(count);
    for (float& score : scores) score = uniform();
    for (const float threshold : {-2.0f, 0.0f, 0.9f, 0.99f, 2.0f}) {
      std::vector<std::uint32_t> fast(count + 1), reference(count + 1);
      const std::size_t found = gk::indices_at_least(scores.data(), count, threshold, fast.data());
      REQUIRE(found == gk::reference::indices_at_least(scores.data(), count, threshold, reference.data()));
      fast.resize(found);
      reference.resize(found);
      CHECK(fast == reference);
      for (std::size_t begin = 0; begin < count; begin += gk::kItemsPerBlock) {
        CHECK(gk::next_block_above(scores.data(), begin, count, threshold) ==
              gk::reference::next_block_above(scores.data(), begin, count, threshold));
      }
    }
  }
}

TEST_CASE("the int8-prefiltered top-k equals the top-k of every item's float score", "[gru][kernels]") {
  // 9001 items: the scan runs over windows of 4096 (gru_scorer.hpp), the last one partial.
  for (const std::size_t hidden_size : {8, 13, 64}) {
    const auto fixture = shelfwise::testing::make_gru_fixture(9001, hidden_size, 5 + hidden_size);
    const GruNetwork& network = *fixture.model->gru();
    GruScorer scorer(network);
    std::vector<float> scores(network.item_count());
    std::vector<std::uint16_t> stamps(network.item_count(), 0);
    for (std::uint32_t start = 0; start < 40; ++start) {
      SessionState session(50);
      for (std::uint32_t step = 0; step <= start % 5; ++step) session.add({(start * 977 + step * 131) % 9001, shelfwise::EventType::view, 0.0});
      // Every seventh item of the first thousand excluded in half of the cases.
      for (std::uint32_t item = 0; item < 1000; item += 7) stamps[item] = static_cast<std::uint16_t>(start + 1);
      const shelfwise::ExcludedItems excluded =
          start % 2 == 0 ? shelfwise::ExcludedItems{} : shelfwise::ExcludedItems{stamps.data(), static_cast<std::uint16_t>(start + 1)};
      for (const std::size_t k : {1, 20, 100}) {
        std::vector<Recommendation> fast;
        scorer.recommend(session, k, excluded, &fast);
        network.score_items(session.recurrent_state().hidden.data(), scores.data());
        std::vector<ScoredItem> all;
        for (std::uint32_t item = 0; item < scores.size(); ++item) {
          if (!excluded.contains(item)) all.push_back({item, scores[item]});
        }
        shelfwise::keep_top_k(all, k);
        REQUIRE(fast.size() == all.size());
        for (std::size_t rank = 0; rank < all.size(); ++rank) {
          INFO("d=" << hidden_size << " start " << start << " k=" << k << " rank " << rank);
          CHECK(fast[rank].item == all[rank].item);
          CHECK(same_bits(fast[rank].score, all[rank].score));
        }
      }
    }
  }
}

TEST_CASE("accumulate_columns: default kernel equals the reference and the row-by-row ordered sum", "[gru][kernels]") {
  for (const std::size_t rows : {1, 15, 16, 33, 192}) {
    for (const std::size_t count : {1, 8, 64}) {
      const std::size_t stride = rows + 3;
      std::vector<float> columns(count * stride), vector(count), start(rows);
      for (float& value : columns) value = uniform();
      for (float& value : vector) value = uniform();
      for (float& value : start) value = uniform();
      std::vector<float> fast = start, reference = start;
      gk::accumulate_columns(columns.data(), stride, rows, vector.data(), count, fast.data());
      gk::reference::accumulate_columns(columns.data(), stride, rows, vector.data(), count, reference.data());
      for (std::size_t i = 0; i < rows; ++i) {
        float direct = start[i];
        for (std::size_t j = 0; j < count; ++j) direct += columns[j * stride + i] * vector[j];
        INFO("rows " << rows << " count " << count << " row " << i);
        CHECK(same_bits(fast[i], reference[i]));
        CHECK(same_bits(reference[i], direct));
      }
    }
  }
}

TEST_CASE("the GRU step equals its ordered scalar definition bit for bit", "[gru][kernels]") {
  const auto fixture = shelfwise::testing::make_gru_fixture(101, 24, 9);
  const GruNetwork& network = *fixture.model->gru();
  const std::size_t d = network.hidden_size();
  const auto& parameters = fixture.parameters;
  std::vector<float> hidden(d, 0.0f), expected(d, 0.0f), scratch(network.step_scratch_size());
  for (const std::uint32_t item : {3u, 50u, 7u, 100u, 0u}) {
    network.step(item, hidden.data(), scratch.data());
    // gru_network.hpp's equations, each sum: bias, then W x in index order, then U h in index order.
    auto pre_activation = [&](std::size_t row, const std::vector<float>& recurrent) {
      float sum = parameters.gate_bias[static_cast<Eigen::Index>(row)];
      for (std::size_t j = 0; j < d; ++j) {
        sum += parameters.input_weights(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(j)) * network.embedding(item, j);
      }
      for (std::size_t j = 0; j < d; ++j) {
        sum += parameters.hidden_weights(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(j)) * recurrent[j];
      }
      return sum;
    };
    std::vector<float> reset_hidden(d), update(d), next(d);
    for (std::size_t i = 0; i < d; ++i) {
      reset_hidden[i] = shelfwise::portable_sigmoid(pre_activation(i, expected)) * expected[i];
      update[i] = shelfwise::portable_sigmoid(pre_activation(d + i, expected));
    }
    for (std::size_t i = 0; i < d; ++i) {
      const float candidate = shelfwise::portable_tanh(pre_activation(2 * d + i, reset_hidden));
      next[i] = (1.0f - update[i]) * expected[i] + update[i] * candidate;
    }
    expected = next;
    for (std::size_t i = 0; i < d; ++i) {
      INFO("after item " << item << ", unit " << i);
      CHECK(same_bits(hidden[i], expected[i]));
    }
  }
}
