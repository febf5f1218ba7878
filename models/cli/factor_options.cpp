#include "cli/factor_options.hpp"

#include <chrono>
#include <cstdio>
#include <sstream>

#include "cli/progress_bar.hpp"
#include "training/preference_matrix.hpp"

namespace shelfwise::cli {

const char* const kFactorHelp = R"(matrix factorisation (--algo mf, or itemknn --with-mf):
  --factors N               latent dimensions, a multiple of 8 up to 256 (default 64)
  --regularisation X        L2 weight lambda (default 5)
  --alpha X                 confidence c = 1 + alpha * r (default 10)
  --iterations N            ALS iterations (default 12)
  --event-weights V,C,P     r adds V per view, C per cart, P per purchase (default 1,2,4)
  --seed N                  initialisation seed (default 42)
  --dtype f32|f16|int8|pq   how item factors are stored (default f32; see `shelfwise quantize`)
  --pq-subspaces M          pq: bytes per item, divides --factors (default 8)
)";

const std::set<std::string>& factor_flags() {
  static const std::set<std::string> flags = {"factors", "regularisation", "alpha", "iterations", "event-weights",
                                              "seed", "dtype", "pq-subspaces"};
  return flags;
}

Result<FactorDType> parse_dtype(const std::string& text) {
  const auto dtype = factor_dtype_from_name(text);
  if (!dtype) return Status(ErrorCode::invalid_argument, "--dtype must be f32, f16, int8 or pq, not '" + text + "'");
  return *dtype;
}

Result<FactorSettings> parse_factor_settings(const CommandLine& line, unsigned threads) {
  FactorSettings settings;
  training::AlsOptions& als = settings.als;
  auto factors = line.integer("factors", static_cast<long long>(als.factors), 8, static_cast<long long>(kMaxFactors));
  auto regularisation = line.number("regularisation", als.regularisation);
  auto alpha = line.number("alpha", als.alpha);
  auto iterations = line.integer("iterations", als.iterations, 1, 1000);
  auto seed = line.integer("seed", static_cast<long long>(als.seed), 0, INT64_MAX);
  auto subspaces = line.integer("pq-subspaces", static_cast<long long>(settings.quantisation.pq_subspaces), 1, 256);
  for (const Status* status : {&factors.status(), &regularisation.status(), &alpha.status(), &iterations.status(),
                               &seed.status(), &subspaces.status()}) {
    if (!status->ok()) return *status;
  }
  if (factors.value() % static_cast<long long>(kFactorAlignment) != 0) {
    return Status(ErrorCode::invalid_argument, "--factors must be a multiple of 8");
  }
  if (!(regularisation.value() > 0.0) || regularisation.value() > 1e6 || !(alpha.value() > 0.0) || alpha.value() > 1e6) {
    return Status(ErrorCode::invalid_argument, "--regularisation and --alpha must be in (0, 1e6]");
  }
  if (const auto weights = line.value("event-weights")) {
    std::stringstream stream(*weights);
    std::string part;
    std::size_t index = 0;
    while (std::getline(stream, part, ',')) {
      char* end = nullptr;
      const double value = std::strtod(part.c_str(), &end);
      if (index >= als.event_weights.size() || part.empty() || *end != '\0' || !(value >= 0.0) || value > 1e6) {
        return Status(ErrorCode::invalid_argument, "--event-weights must be three numbers in [0, 1e6]: view,cart,purchase");
      }
      als.event_weights[index++] = value;
    }
    if (index != als.event_weights.size()) {
      return Status(ErrorCode::invalid_argument, "--event-weights must be three numbers in [0, 1e6]: view,cart,purchase");
    }
  }
  als.factors = static_cast<std::size_t>(factors.value());
  als.regularisation = regularisation.value();
  als.alpha = alpha.value();
  als.iterations = static_cast<int>(iterations.value());
  als.seed = static_cast<std::uint64_t>(seed.value());
  als.threads = threads;
  auto dtype = parse_dtype(line.value("dtype").value_or("f32"));
  if (!dtype.ok()) return dtype.status();
  settings.dtype = dtype.value();
  settings.quantisation.pq_subspaces = static_cast<std::size_t>(subspaces.value());
  settings.quantisation.seed = als.seed;
  settings.quantisation.threads = threads;
  if (settings.dtype == FactorDType::pq && als.factors % settings.quantisation.pq_subspaces != 0) {
    return Status(ErrorCode::invalid_argument, "--pq-subspaces must divide --factors");
  }
  return settings;
}

Status train_factors(const training::InteractionLog& log, std::size_t item_count, const FactorSettings& settings,
                     training::ModelBundleParts& parts, training::QuantisedFactors* storage) {
  const auto start = std::chrono::steady_clock::now();
  const training::PreferenceMatrix matrix = training::build_preference_matrix(log, item_count, settings.als.event_weights);
  std::fprintf(stderr, "ALS: %zu users x %zu items, %zu entries, %zu factors\n", matrix.user_count, matrix.item_count,
               matrix.entries(), settings.als.factors);
  training::AlsFactors factors;
  {
    ProgressBar bar("ALS");
    factors = training::train_als(matrix, settings.als, [&](int iteration, double) {
      bar.update(static_cast<double>(iteration) / settings.als.iterations);
    });
  }
  for (std::size_t iteration = 0; iteration < factors.loss.size(); ++iteration) {
    std::fprintf(stderr, "  iteration %2zu  loss %.6g\n", iteration + 1, factors.loss[iteration]);
  }
  auto stored = training::quantise_factors(factors.item_factors, item_count, settings.als.factors, settings.dtype,
                                           settings.quantisation);
  if (!stored.ok()) return stored.status();
  *storage = std::move(stored).value();
  parts.item_factors = storage;
  parts.factor_hyperparameters.factors = settings.als.factors;
  parts.factor_hyperparameters.regularisation = settings.als.regularisation;
  parts.factor_hyperparameters.alpha = settings.als.alpha;
  parts.factor_hyperparameters.event_weights = settings.als.event_weights;
  parts.hyperparameters.update({{"mf_factors", settings.als.factors},
                                {"mf_regularisation", settings.als.regularisation},
                                {"mf_alpha", settings.als.alpha},
                                {"mf_iterations", settings.als.iterations},
                                {"mf_seed", settings.als.seed},
                                {"mf_dtype", std::string(factor_dtype_name(settings.dtype))}});
  parts.training["mf"] = {{"users", matrix.user_count},
                          {"entries", matrix.entries()},
                          {"loss", factors.loss},
                          {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}};
  return Status::ok_status();
}

}  // namespace shelfwise::cli
