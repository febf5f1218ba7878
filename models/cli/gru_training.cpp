#include "cli/gru_training.hpp"

#include <cstdio>

#include "cli/progress_bar.hpp"
#include "evaluation/next_item_evaluation.hpp"
#include "training/gru_trainer.hpp"

namespace shelfwise::cli {

const char* const kGruTrainHelp = R"(
--algo gru (GRU4Rec-style recurrent network; defaults tuned on diginetica train_tr -> valid):
  --hidden-size N           GRU units = item embedding size, 1 to 512 (default 128)
  --epochs N                passes over the training sessions (default 10)
  --batch-size N            sessions trained in parallel per minibatch (default 128)
  --negatives N             extra negatives per minibatch, drawn by support^alpha (default 2048)
  --sample-alpha X          exponent of the negative sampling distribution (default 0.3)
  --loss bpr-max|cross-entropy   ranking loss (default bpr-max)
  --bpreg X                 BPR-max score regularisation (default 0.9)
  --elu-param X             ELU on the scores before BPR-max, 0 for none (default 1)
  --logq X                  cross-entropy sampling correction weight (default 0)
  --learning-rate X         Adagrad learning rate (default 0.05)
  --momentum X              momentum (default 0.15)
  --dropout-embed X         dropout on the input embeddings (default 0.5)
  --dropout-hidden X        dropout on the hidden state (default 0.3)
  --seed N                  random seed (default 42)
  With --valid, the validation metrics are printed after every epoch (the learning curve).
)";

const std::set<std::string>& gru_value_flags() {
  static const std::set<std::string> flags = {"hidden-size", "epochs", "batch-size", "negatives", "sample-alpha",
                                              "loss", "bpreg", "elu-param", "logq", "learning-rate", "momentum",
                                              "dropout-embed", "dropout-hidden", "seed"};
  return flags;
}

namespace {

Status read_options(const CommandLine& line, training::GruTrainingOptions* options) {
  auto integer = [&](const char* flag, std::size_t* out, long long minimum, long long maximum) {
    auto value = line.integer(flag, static_cast<long long>(*out), minimum, maximum);
    if (value.ok()) *out = static_cast<std::size_t>(value.value());
    return value.status();
  };
  auto number = [&](const char* flag, float* out, double minimum, double maximum, bool open_maximum = false) {
    auto value = line.number(flag, *out);
    if (!value.ok()) return value.status();
    if (value.value() < minimum || value.value() > maximum || (open_maximum && value.value() >= maximum)) {
      return Status(ErrorCode::invalid_argument, std::string("--") + flag + " must be between " + std::to_string(minimum) +
                                                     " and " + std::to_string(maximum) + (open_maximum ? " (exclusive)" : ""));
    }
    *out = static_cast<float>(value.value());
    return Status::ok_status();
  };
  SHELFWISE_RETURN_IF_ERROR(integer("hidden-size", &options->hidden_size, 1, static_cast<long long>(kMaxGruHiddenSize)));
  SHELFWISE_RETURN_IF_ERROR(integer("epochs", &options->epochs, 1, 1000));
  SHELFWISE_RETURN_IF_ERROR(integer("batch-size", &options->batch_size, 1, 100000));
  SHELFWISE_RETURN_IF_ERROR(integer("negatives", &options->negatives, 0, 1000000));
  std::size_t seed = options->seed;
  SHELFWISE_RETURN_IF_ERROR(integer("seed", &seed, 0, 1LL << 62));
  options->seed = seed;
  SHELFWISE_RETURN_IF_ERROR(number("sample-alpha", &options->sample_alpha, 0.0, 2.0));
  SHELFWISE_RETURN_IF_ERROR(number("bpreg", &options->bpr_regularisation, 0.0, 100.0));
  SHELFWISE_RETURN_IF_ERROR(number("elu-param", &options->elu_param, 0.0, 100.0));
  SHELFWISE_RETURN_IF_ERROR(number("logq", &options->logq, 0.0, 10.0));
  SHELFWISE_RETURN_IF_ERROR(number("learning-rate", &options->learning_rate, 1e-9, 100.0));
  SHELFWISE_RETURN_IF_ERROR(number("momentum", &options->momentum, 0.0, 1.0, true));
  SHELFWISE_RETURN_IF_ERROR(number("dropout-embed", &options->dropout_embedding, 0.0, 1.0, true));
  SHELFWISE_RETURN_IF_ERROR(number("dropout-hidden", &options->dropout_hidden, 0.0, 1.0, true));
  const std::string loss = line.value("loss").value_or("bpr-max");
  if (loss == "bpr-max") {
    options->loss = training::GruLoss::bpr_max;
  } else if (loss == "cross-entropy") {
    options->loss = training::GruLoss::cross_entropy;
  } else {
    return Status(ErrorCode::invalid_argument, "--loss must be bpr-max or cross-entropy");
  }
  return Status::ok_status();
}

nlohmann::json hyperparameters_of(const training::GruTrainingOptions& options) {
  return {{"hidden_size", options.hidden_size},
          {"epochs", options.epochs},
          {"batch_size", options.batch_size},
          {"negatives", options.negatives},
          {"sample_alpha", options.sample_alpha},
          {"loss", options.loss == training::GruLoss::bpr_max ? "bpr-max" : "cross-entropy"},
          {"bpreg", options.bpr_regularisation},
          {"elu_param", options.elu_param},
          {"logq", options.logq},
          {"learning_rate", options.learning_rate},
          {"momentum", options.momentum},
          {"dropout_embed", options.dropout_embedding},
          {"dropout_hidden", options.dropout_hidden},
          {"seed", options.seed}};
}

}  // namespace

Status train_gru_model(const CommandLine& line, const GruRun& run, training::ModelBundleParts& parts,
                       training::GruParameters* parameters) {
  training::GruTrainingOptions options;
  options.threads = run.threads;
  SHELFWISE_RETURN_IF_ERROR(read_options(line, &options));
  parts.hyperparameters.update(hyperparameters_of(options));
  nlohmann::json curve = nlohmann::json::array();
  Status failure;
  double training_seconds = 0.0;
  std::uint64_t training_events = 0;
  const std::string at = "@" + std::to_string(run.k);
  std::fprintf(stderr, "gru: %zu units, %s, %zu negatives, batch %zu, %u threads\n", options.hidden_size,
               options.loss == training::GruLoss::bpr_max ? "bpr-max" : "cross-entropy", options.negatives,
               options.batch_size, options.threads);
  auto on_epoch = [&](const training::GruEpochReport& report, const training::GruParameters& current) {
    training_seconds += report.seconds;
    training_events += report.events;
    const double rate = report.seconds > 0.0 ? static_cast<double>(report.events) / report.seconds : 0.0;
    nlohmann::json point = {{"epoch", report.epoch}, {"loss_per_event", report.loss_per_event},
                            {"seconds", report.seconds}, {"events_per_second", rate}};
    std::fprintf(stderr, "\repoch %3zu  loss %.4f  %llu events in %.1f s (%.0f events/s)", report.epoch,
                 report.loss_per_event, static_cast<unsigned long long>(report.events), report.seconds, rate);
    if (run.valid != nullptr && failure.ok()) {
      training::ModelBundleParts snapshot = parts;
      snapshot.gru = &current;
      const std::vector<std::uint8_t> bytes = training::build_model_bundle(snapshot);
      auto model = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
      if (!model.ok()) {
        failure = model.status();
      } else {
        auto metrics = evaluation::evaluate_next_item(model.value(), *run.valid, {run.k, run.threads});
        if (!metrics.ok()) {
          failure = metrics.status();
        } else {
          point["recall" + at] = metrics.value().recall;
          point["mrr" + at] = metrics.value().mrr;
          point["n"] = metrics.value().predictions;
          std::fprintf(stderr, "  valid recall%s %.4f  mrr%s %.4f", at.c_str(), metrics.value().recall, at.c_str(),
                       metrics.value().mrr);
        }
      }
    }
    std::fprintf(stderr, "\n");
    curve.push_back(point);
  };
  {
    ProgressBar bar("training gru");
    *parameters = training::train_gru(*run.log, run.item_count, options, [&](double share) { bar.update(share); }, on_epoch);
  }
  if (!failure.ok()) return failure;
  parts.gru = parameters;
  parts.training["epochs"] = curve;
  parts.training["training_seconds"] = training_seconds;
  parts.training["training_events_per_second"] =
      training_seconds > 0.0 ? static_cast<double>(training_events) / training_seconds : 0.0;
  if (run.valid != nullptr && !curve.empty() && curve.back().contains("recall" + at)) {
    parts.training["validation"] = {{"recall" + at, curve.back()["recall" + at]},
                                    {"mrr" + at, curve.back()["mrr" + at]},
                                    {"n", curve.back()["n"]},
                                    {"events_file", line.value("valid").value_or("")}};
  }
  std::fprintf(stderr, "gru: trained in %.1f s (%.0f events/s)\n", training_seconds,
               parts.training["training_events_per_second"].get<double>());
  return Status::ok_status();
}

}  // namespace shelfwise::cli
