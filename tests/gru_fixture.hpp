// A "gru" bundle with random (seeded) weights built by the trainer's own export, for tests of the
// core's GRU network and scorer; and a double-precision reference of the network's equations.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "shelfwise/gru_quantisation.hpp"
#include "shelfwise/model.hpp"
#include "training/gru_parameters.hpp"

namespace shelfwise::testing {

// Every tensor of the int8 scoring copy the trainer writes (gru_quantisation.hpp).
using shelfwise::kGruScoringCopyTensors;

struct GruFixture {
  training::GruParameters parameters;
  std::vector<std::uint8_t> bytes;
  std::shared_ptr<const Model> model;
};

// `item_count` items "i0".."i<n-1>" with popularity decreasing by index; biases and gate biases
// are random too (the trainer starts them at zero) so every tensor matters.
GruFixture make_gru_fixture(std::size_t item_count, std::size_t hidden_size, std::uint64_t seed);
// The same, with the random parameters changed by `adjust` before the bundle is written.
GruFixture make_gru_fixture(std::size_t item_count, std::size_t hidden_size, std::uint64_t seed,
                            const std::function<void(training::GruParameters&)>& adjust);

// The GRU step and scores of gru_network.hpp, written out directly in double precision.
std::vector<double> reference_gru_step(const training::GruParameters& parameters, std::uint32_t item,
                                       const std::vector<double>& hidden);
std::vector<double> reference_gru_scores(const training::GruParameters& parameters, const std::vector<double>& hidden);

}  // namespace shelfwise::testing
