// `shelfwise eval --predictions FILE`: every prediction of the next-item protocol with its top-k
// item ids and scores, one JSON object per line ({"session", "position", "items", "scores"}), so
// another runtime of the core (the wasm SDK) can be checked against this one score by score.
#pragma once

#include <memory>
#include <string>

#include "shelfwise/model.hpp"
#include "training/interaction_log.hpp"

namespace shelfwise::cli {

Status write_predictions(const std::shared_ptr<const Model>& model, const training::InteractionLog& log, std::size_t k,
                         const std::string& path);

}  // namespace shelfwise::cli
