#include "training/gru_trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "training/adagrad_momentum.hpp"
#include "training/gru_minibatch.hpp"

namespace shelfwise::training {
namespace {

// Optimiser state of one parameter tensor.
struct Moments {
  std::vector<float> accumulator;
  std::vector<float> velocity;
  explicit Moments(std::size_t count = 0) : accumulator(count, 0.0f), velocity(count, 0.0f) {}
};

class NegativeSampler {
 public:
  NegativeSampler(const InteractionLog& log, float alpha) {
    std::vector<double> support(log.item_ids.size(), 0.0);
    for (const LogEvent& event : log.events) support[event.item] += 1.0;
    cumulative_.resize(support.size());
    log_q_.resize(support.size());
    double total = 0.0;
    for (std::size_t item = 0; item < support.size(); ++item) {
      total += support[item] > 0.0 ? std::pow(support[item], static_cast<double>(alpha)) : 0.0;
      cumulative_[item] = total;
    }
    for (std::size_t item = 0; item < support.size(); ++item) {
      const double weight = cumulative_[item] - (item == 0 ? 0.0 : cumulative_[item - 1]);
      log_q_[item] = static_cast<float>(std::log(std::max(weight / total, 1e-12)));
    }
  }

  std::uint32_t draw(SeededRandom& random) const {
    const double target = static_cast<double>(random.next_u64() >> 11) * (1.0 / 9007199254740992.0) * cumulative_.back();
    const auto found = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
    return static_cast<std::uint32_t>(std::min<std::size_t>(found - cumulative_.begin(), cumulative_.size() - 1));
  }
  float log_q(std::uint32_t item) const { return log_q_[item]; }

 private:
  std::vector<double> cumulative_;
  std::vector<float> log_q_;
};

void fill_dropout_mask(RowMatrix& mask, Eigen::Index rows, Eigen::Index columns, float drop, SeededRandom& random) {
  if (drop <= 0.0f) {
    mask.resize(0, 0);
    return;
  }
  mask.resize(rows, columns);
  const float keep_scale = 1.0f / (1.0f - drop);
  float* values = mask.data();
  for (Eigen::Index index = 0; index < rows * columns; ++index) values[index] = uniform_float(random) < drop ? 0.0f : keep_scale;
}

// Applies one step's gradients: dense tensors whole, item rows and biases only where touched
// (duplicate items in a step are summed first).
class GruUpdater {
 public:
  GruUpdater(const GruParameters& parameters, const AdagradMomentum& optimiser)
      : optimiser_(optimiser),
        input_weights_(static_cast<std::size_t>(parameters.input_weights.size())),
        hidden_weights_(static_cast<std::size_t>(parameters.hidden_weights.size())),
        gate_bias_(static_cast<std::size_t>(parameters.gate_bias.size())),
        embeddings_(static_cast<std::size_t>(parameters.item_embeddings.size())),
        item_bias_(parameters.item_count()),
        row_gradient_(RowMatrix::Zero(parameters.item_embeddings.rows(), parameters.item_embeddings.cols())),
        bias_gradient_(parameters.item_count(), 0.0f),
        touched_(parameters.item_count(), 0) {}

  void apply(GruParameters& parameters, const GruMinibatch& batch, const GruGradients& gradients) {
    optimiser_.apply(parameters.input_weights.data(), gradients.input_weights.data(), input_weights_.accumulator.data(),
                     input_weights_.velocity.data(), input_weights_.accumulator.size());
    optimiser_.apply(parameters.hidden_weights.data(), gradients.hidden_weights.data(), hidden_weights_.accumulator.data(),
                     hidden_weights_.velocity.data(), hidden_weights_.accumulator.size());
    optimiser_.apply(parameters.gate_bias.data(), gradients.gate_bias.data(), gate_bias_.accumulator.data(),
                     gate_bias_.velocity.data(), gate_bias_.accumulator.size());
    touched_items_.clear();
    auto touch = [&](std::uint32_t item) {
      if (!touched_[item]) {
        touched_[item] = 1;
        touched_items_.push_back(item);
      }
    };
    for (std::size_t row = 0; row < batch.inputs.size(); ++row) {
      touch(batch.inputs[row]);
      row_gradient_.row(batch.inputs[row]) += gradients.input_rows.row(static_cast<Eigen::Index>(row));
    }
    for (std::size_t column = 0; column < batch.output_items.size(); ++column) {
      const std::uint32_t item = batch.output_items[column];
      touch(item);
      row_gradient_.row(item) += gradients.output_rows.row(static_cast<Eigen::Index>(column));
      bias_gradient_[item] += gradients.output_bias[static_cast<Eigen::Index>(column)];
    }
    const std::size_t d = parameters.hidden_size();
    const auto count = static_cast<std::ptrdiff_t>(touched_items_.size());
#pragma omp parallel for schedule(static)
    for (std::ptrdiff_t index = 0; index < count; ++index) {
      const std::uint32_t item = touched_items_[static_cast<std::size_t>(index)];
      const std::size_t offset = static_cast<std::size_t>(item) * d;
      optimiser_.apply(parameters.item_embeddings.row(item).data(), row_gradient_.row(item).data(),
                       embeddings_.accumulator.data() + offset, embeddings_.velocity.data() + offset, d);
      optimiser_.apply(&parameters.item_bias[item], &bias_gradient_[item], &item_bias_.accumulator[item],
                       &item_bias_.velocity[item], 1);
      row_gradient_.row(item).setZero();
      bias_gradient_[item] = 0.0f;
      touched_[item] = 0;
    }
  }

 private:
  AdagradMomentum optimiser_;
  Moments input_weights_, hidden_weights_, gate_bias_, embeddings_, item_bias_;
  RowMatrix row_gradient_;
  std::vector<float> bias_gradient_;
  std::vector<std::uint8_t> touched_;
  std::vector<std::uint32_t> touched_items_;
};

}  // namespace

GruParameters train_gru(const InteractionLog& log, std::size_t item_count, const GruTrainingOptions& options,
                        const std::function<void(double)>& progress,
                        const std::function<void(const GruEpochReport&, const GruParameters&)>& on_epoch) {
#ifdef _OPENMP
  omp_set_num_threads(static_cast<int>(std::max(1U, options.threads)));
#endif
  Eigen::setNbThreads(static_cast<int>(std::max(1U, options.threads)));
  SeededRandom random(options.seed, 1);
  GruParameters parameters = initial_gru_parameters(item_count, options.hidden_size, random);
  const NegativeSampler sampler(log, options.sample_alpha);
  GruUpdater updater(parameters, AdagradMomentum{options.learning_rate, options.momentum, 1e-6f});

  std::vector<std::size_t> sessions;
  std::uint64_t events_per_epoch = 0;
  for (std::size_t session = 0; session < log.sessions.size(); ++session) {
    if (log.sessions[session].event_count < 2) continue;
    sessions.push_back(session);
    events_per_epoch += log.sessions[session].event_count - 1;
  }
  const auto d = static_cast<Eigen::Index>(options.hidden_size);
  GruMinibatch batch;
  batch.loss = options.loss;
  batch.bpr_regularisation = options.bpr_regularisation;
  batch.elu_param = options.elu_param;
  batch.logq_weight = options.logq;
  GruGradients gradients;
  RowMatrix hidden, next_hidden;
  batch.hidden = &hidden;
  const std::uint64_t total_events = events_per_epoch * options.epochs;
  std::uint64_t events_done = 0;

  for (std::size_t epoch = 1; epoch <= options.epochs && events_per_epoch > 0; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    // Lane r follows sessions[lane_session[r]] at click lane_position[r].
    std::vector<std::size_t> lane_session, lane_position;
    std::size_t next_session = 0;
    while (lane_session.size() < options.batch_size && next_session < sessions.size()) {
      lane_session.push_back(next_session++);
      lane_position.push_back(0);
    }
    hidden = RowMatrix::Zero(static_cast<Eigen::Index>(lane_session.size()), d);
    double loss_sum = 0.0;
    std::uint64_t events = 0;
    while (!lane_session.empty()) {
      const std::size_t m = lane_session.size();
      batch.inputs.resize(m);
      batch.output_items.resize(m + options.negatives);
      for (std::size_t lane = 0; lane < m; ++lane) {
        const LogSession& session = log.sessions[sessions[lane_session[lane]]];
        batch.inputs[lane] = log.events[session.first_event + lane_position[lane]].item;
        batch.output_items[lane] = log.events[session.first_event + lane_position[lane] + 1].item;
      }
      for (std::size_t sample = 0; sample < options.negatives; ++sample) batch.output_items[m + sample] = sampler.draw(random);
      if (options.loss == GruLoss::cross_entropy && options.logq != 0.0f) {
        batch.log_q.resize(static_cast<Eigen::Index>(batch.output_items.size()));
        for (std::size_t column = 0; column < batch.output_items.size(); ++column) {
          batch.log_q[static_cast<Eigen::Index>(column)] = sampler.log_q(batch.output_items[column]);
        }
      }
      fill_dropout_mask(batch.embedding_mask, static_cast<Eigen::Index>(m), d, options.dropout_embedding, random);
      fill_dropout_mask(batch.hidden_mask, static_cast<Eigen::Index>(m), d, options.dropout_hidden, random);
      loss_sum += run_gru_minibatch(parameters, batch, &next_hidden, &gradients);
      updater.apply(parameters, batch, gradients);
      hidden.swap(next_hidden);
      events += m;
      events_done += m;

      // Advance every lane; a finished session hands its lane to the next one, or the lane closes.
      for (std::size_t lane = 0; lane < lane_session.size();) {
        const LogSession& session = log.sessions[sessions[lane_session[lane]]];
        if (++lane_position[lane] + 1 < session.event_count) {
          ++lane;
          continue;
        }
        if (next_session < sessions.size()) {
          lane_session[lane] = next_session++;
          lane_position[lane] = 0;
          hidden.row(static_cast<Eigen::Index>(lane)).setZero();
          ++lane;
          continue;
        }
        const std::size_t last = lane_session.size() - 1;
        lane_session[lane] = lane_session[last];
        lane_position[lane] = lane_position[last];
        hidden.row(static_cast<Eigen::Index>(lane)) = hidden.row(static_cast<Eigen::Index>(last));
        lane_session.pop_back();
        lane_position.pop_back();
        hidden.conservativeResize(static_cast<Eigen::Index>(lane_session.size()), d);
      }
      if (progress) progress(static_cast<double>(events_done) / static_cast<double>(total_events));
    }
    if (on_epoch) {
      GruEpochReport report;
      report.epoch = epoch;
      report.events = events;
      report.loss_per_event = events > 0 ? loss_sum / static_cast<double>(events) : 0.0;
      report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      on_epoch(report, parameters);
    }
  }
  if (progress) progress(1.0);
  return parameters;
}

}  // namespace shelfwise::training
