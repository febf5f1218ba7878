// `shelfwise quantize` for GRU bundles: the same network with its item embeddings stored as f32
// or f16, and the int8 scoring copy recomputed from the stored values (so its error bounds hold
// for what the device reads). Every other tensor is copied unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shelfwise/bundle_format.hpp"
#include "shelfwise/gru_network.hpp"
#include "training/gru_code_rotation.hpp"

namespace shelfwise::training {

// `dtype` is DType::f32 or DType::f16 (f16 rounds to nearest, ties to even); `network` is the
// bundle's own; `choice` says which scoring copy to write (gru_code_rotation.hpp).
std::vector<std::uint8_t> rewrite_gru_embeddings(const Bundle& bundle, const GruNetwork& network, DType dtype,
                                                 const std::string& version, CopyChoice choice = {});

}  // namespace shelfwise::training
