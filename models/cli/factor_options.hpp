// The matrix-factorisation flags shared by `train` (--algo mf, or --with-mf beside itemknn) and
// `quantize`: parsing, training the factors and storing them in the chosen dtype.
#pragma once

#include <set>
#include <string>

#include "cli/command_line.hpp"
#include "training/als_trainer.hpp"
#include "training/factor_quantisation.hpp"
#include "training/model_bundle.hpp"

namespace shelfwise::cli {

// --factors --regularisation --alpha --iterations --event-weights --seed --dtype --pq-subspaces
const std::set<std::string>& factor_flags();
extern const char* const kFactorHelp;

struct FactorSettings {
  training::AlsOptions als;
  FactorDType dtype = FactorDType::f32;
  training::QuantisationOptions quantisation;
};

// INVALID_ARGUMENT naming the flag for a bad value.
Result<FactorSettings> parse_factor_settings(const CommandLine& line, unsigned threads);
Result<FactorDType> parse_dtype(const std::string& text);

// Trains ALS on `log`, stores the factors in `settings.dtype` into `*storage` and points `parts`
// at them (with the hyper-parameters the device's fold-in needs).
Status train_factors(const training::InteractionLog& log, std::size_t item_count, const FactorSettings& settings,
                     training::ModelBundleParts& parts, training::QuantisedFactors* storage);

}  // namespace shelfwise::cli
