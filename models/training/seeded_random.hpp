// A seeded random source whose every output is defined by integer arithmetic alone, so a seed
// reproduces the same stream bit for bit on every platform, compiler and standard library
// (std::*_distribution and libm transcendentals do not promise that). Generator: xoshiro256**,
// seeded through splitmix64 as its authors recommend.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace shelfwise::training {

class SeededRandom {
 public:
  // `stream` separates independent uses of one seed (catalog, users, sessions), so changing how
  // many draws one of them makes does not shift the others.
  explicit SeededRandom(std::uint64_t seed, std::uint64_t stream = 0) {
    std::uint64_t mixer = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    for (std::uint64_t& word : state_) word = splitmix64(mixer);
    // xoshiro's only bad state is all zeros; splitmix64 never yields four zeros in a row, but
    // keep the guarantee local instead of relying on that.
    if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_[0] = 1;
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotate_left(state_[1] * 5, 7) * 9;
    const std::uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = rotate_left(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound); 0 when bound is 0. Rejection keeps it unbiased for any bound.
  std::uint64_t below(std::uint64_t bound) {
    if (bound == 0) return 0;
    const std::uint64_t rejection_limit = (0 - bound) % bound;  // 2^64 mod bound
    std::uint64_t draw = next_u64();
    while (draw < rejection_limit) draw = next_u64();
    return draw % bound;
  }

  // Uniform in [low, high] inclusive; low when the range is empty.
  std::int64_t between(std::int64_t low, std::int64_t high) {
    if (high <= low) return low;
    const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
    return low + static_cast<std::int64_t>(below(span + 1));
  }

  // True with probability parts_per_million / 1e6; probabilities stay integers for determinism.
  bool chance_ppm(std::uint32_t parts_per_million) { return below(1000000) < parts_per_million; }

  // Index drawn in proportion to weights given as running totals (cumulative[i] = sum of the
  // weights of 0..i). Zero-weight entries are never drawn; returns 0 for an empty table.
  std::size_t pick_cumulative(const std::vector<std::uint64_t>& cumulative) {
    if (cumulative.empty() || cumulative.back() == 0) return 0;
    const std::uint64_t target = below(cumulative.back());
    return static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), target) -
                                    cumulative.begin());
  }

  // Fisher-Yates with this generator, unlike std::shuffle whose draw pattern is unspecified.
  template <typename T>
  void shuffle(std::vector<T>& values) {
    for (std::size_t index = values.size(); index > 1; --index) {
      std::swap(values[index - 1], values[static_cast<std::size_t>(below(index))]);
    }
  }

 private:
  static std::uint64_t rotate_left(std::uint64_t value, int bits) {
    return (value << bits) | (value >> (64 - bits));
  }

  static std::uint64_t splitmix64(std::uint64_t& state) {
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t mixed = state;
    mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9ULL;
    mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EBULL;
    return mixed ^ (mixed >> 31);
  }

  std::uint64_t state_[4] = {0, 0, 0, 0};
};

}  // namespace shelfwise::training
