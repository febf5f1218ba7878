#include "evaluation/next_item_evaluation.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "shelfwise/recommender.hpp"

namespace shelfwise::evaluation {
namespace {

struct Shard {
  std::size_t first_session;
  std::size_t end_session;
  double seconds = 0.0;
  std::vector<std::uint8_t> recommended;  // per item: appeared in a top-k list
  std::vector<float> call_ms;             // per recommend() call
  Status status;
};

}  // namespace

Result<NextItemMetrics> evaluate_next_item(const std::shared_ptr<const Model>& model, const training::InteractionLog& log,
                                           const NextItemOptions& options, const std::function<void(double)>& progress) {
  if (options.k == 0 || options.k > kMaxResults) {
    return Status(ErrorCode::invalid_argument, "k must be between 1 and " + std::to_string(kMaxResults));
  }
  // Map the log's items to the model's vocabulary once.
  std::vector<std::uint32_t> model_index(log.item_ids.size(), kNoItem);
  for (std::size_t item = 0; item < log.item_ids.size(); ++item) {
    if (auto found = model->items().find(log.item_ids[item])) model_index[item] = *found;
  }
  // Each prediction's rank (0 = not in the top k) lands at a fixed slot.
  std::vector<std::size_t> first_prediction(log.sessions.size() + 1, 0);
  for (std::size_t session = 0; session < log.sessions.size(); ++session) {
    const std::size_t count = log.sessions[session].event_count;
    first_prediction[session + 1] = first_prediction[session] + (count > 1 ? count - 1 : 0);
  }
  const std::size_t prediction_count = first_prediction.back();
  std::vector<std::uint16_t> ranks(prediction_count, 0);

  const unsigned thread_count = std::max(1U, std::min<unsigned>(options.threads, 64));
  std::vector<Shard> shards(thread_count);
  for (unsigned shard = 0; shard < thread_count; ++shard) {
    shards[shard].first_session = log.sessions.size() * shard / thread_count;
    shards[shard].end_session = log.sessions.size() * (shard + 1) / thread_count;
  }
  std::atomic<std::size_t> sessions_done{0};
  auto run_shard = [&](Shard& shard) {
    Recommender recommender(model);
    SessionState state;
    std::vector<Recommendation> results;
    shard.recommended.assign(model->item_count(), 0);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t session = shard.first_session; session < shard.end_session; ++session) {
      const training::LogSession& info = log.sessions[session];
      state.clear();
      std::size_t slot = first_prediction[session];
      for (std::size_t position = 0; position + 1 < info.event_count; ++position) {
        const training::LogEvent& event = log.events[info.first_event + position];
        const std::uint32_t item = model_index[event.item];
        if (item != kNoItem) state.add({item, event.type, static_cast<double>(event.timestamp == training::kNoTimestamp ? 0 : event.timestamp)});
        const auto call_start = std::chrono::steady_clock::now();
        Status status = recommender.recommend(state, options.k, {}, &results);
        shard.call_ms.push_back(
            static_cast<float>(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - call_start).count()));
        if (!status.ok()) {
          shard.status = status;
          return;
        }
        const std::uint32_t target = model_index[log.events[info.first_event + position + 1].item];
        for (std::size_t rank = 0; rank < results.size(); ++rank) {
          shard.recommended[results[rank].item] = 1;
          if (results[rank].item == target) ranks[slot] = static_cast<std::uint16_t>(rank + 1);
        }
        ++slot;
      }
      const std::size_t done = ++sessions_done;
      if (progress && done % 1024 == 0) progress(static_cast<double>(done) / static_cast<double>(log.sessions.size()));
    }
    shard.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  if (thread_count == 1) {
    run_shard(shards[0]);
  } else {
    std::vector<std::thread> workers;
    for (auto& shard : shards) workers.emplace_back(run_shard, std::ref(shard));
    for (auto& worker : workers) worker.join();
  }
  if (progress) progress(1.0);

  NextItemMetrics metrics;
  metrics.k = options.k;
  metrics.sessions = log.sessions.size();
  metrics.predictions = prediction_count;
  double seconds = 0.0;
  std::vector<std::uint8_t> recommended(model->item_count(), 0);
  std::vector<float> call_ms;
  for (const auto& shard : shards) {
    if (!shard.status.ok()) return shard.status;
    seconds += shard.seconds;
    call_ms.insert(call_ms.end(), shard.call_ms.begin(), shard.call_ms.end());
    for (std::size_t item = 0; item < recommended.size(); ++item) recommended[item] |= shard.recommended[item];
  }
  double hits = 0.0;
  double reciprocal_sum = 0.0;
  for (const std::uint16_t rank : ranks) {
    if (rank == 0) continue;
    hits += 1.0;
    reciprocal_sum += 1.0 / static_cast<double>(rank);
  }
  if (prediction_count > 0) {
    metrics.recall = hits / static_cast<double>(prediction_count);
    metrics.mrr = reciprocal_sum / static_cast<double>(prediction_count);
    metrics.ms_per_prediction = seconds * 1000.0 / static_cast<double>(prediction_count);
  }
  if (!call_ms.empty()) {
    std::nth_element(call_ms.begin(), call_ms.begin() + static_cast<std::ptrdiff_t>(call_ms.size() / 2), call_ms.end());
    metrics.ms_p50_per_prediction = call_ms[call_ms.size() / 2];
  }
  std::size_t covered = 0;
  for (const std::uint8_t flag : recommended) covered += flag;
  metrics.coverage = static_cast<double>(covered) / static_cast<double>(model->item_count());
  return metrics;
}

}  // namespace shelfwise::evaluation
