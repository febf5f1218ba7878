#include "evaluation/next_for_user_evaluation.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <unordered_map>
#include <vector>

#include "shelfwise/ranker.hpp"
#include "shelfwise/user_candidates.hpp"
#include "training/preference_matrix.hpp"

namespace shelfwise::evaluation {
namespace {

using training::LogEvent;

struct UserCase {
  std::vector<LogEvent> history;  // model indices
  std::uint32_t target = kNoItem;
};

}  // namespace

Result<NextForUserMetrics> evaluate_next_for_user(const std::shared_ptr<const Model>& model,
                                                  const training::InteractionLog& history,
                                                  const training::InteractionLog& events, const NextForUserOptions& options,
                                                  const std::function<void(double)>& progress) {
  if (options.k == 0 || options.k > kMaxResults) {
    return Status(ErrorCode::invalid_argument, "k must be between 1 and " + std::to_string(kMaxResults));
  }
  auto to_model = [&](const training::InteractionLog& log) {
    std::vector<std::uint32_t> index(log.item_ids.size(), kNoItem);
    for (std::size_t item = 0; item < log.item_ids.size(); ++item) {
      if (auto found = model->items().find(log.item_ids[item])) index[item] = *found;
    }
    return index;
  };
  const std::vector<std::uint32_t> history_index = to_model(history);
  const std::vector<std::uint32_t> events_index = to_model(events);

  // One case per user of `events`, in order of first appearance there.
  std::vector<UserCase> cases;
  std::unordered_map<std::string, std::size_t> case_of;
  for (const training::LogSession& session : events.sessions) {
    if (session.event_count == 0) continue;
    auto [entry, added] = case_of.emplace(training::preference_row_key(session), cases.size());
    if (!added) continue;
    cases.emplace_back();
    cases.back().target = events_index[events.events[session.first_event].item];
  }
  for (const training::LogSession& session : history.sessions) {
    const auto found = case_of.find(training::preference_row_key(session));
    if (found == case_of.end()) continue;
    UserCase& user = cases[found->second];
    for (std::size_t position = 0; position < session.event_count; ++position) {
      LogEvent event = history.events[session.first_event + position];
      event.item = history_index[event.item];
      if (event.item != kNoItem) user.history.push_back(event);
    }
  }

  Recipe recipe;
  recipe.name = "next-for-user";
  recipe.weights[static_cast<std::size_t>(CandidateSourceId::user)] = 1.0;
  recipe.exclude_purchased = false;
  recipe.exclude_in_cart = false;

  std::vector<std::uint32_t> ranks(cases.size(), 0);  // 0 = not in the top k
  std::vector<std::uint8_t> without_history(cases.size(), 0);
  const unsigned thread_count = std::max(1U, std::min<unsigned>(options.threads, 64));
  std::vector<double> seconds(thread_count, 0.0);
  std::vector<Status> failures(thread_count);
  std::atomic<std::size_t> done{0};
  auto run = [&](unsigned shard) {
    Recommender recommender(model);
    Ranker ranker(model, recommender);
    UserVector user(model);
    if (model->item_factors() != nullptr) ranker.set_source(CandidateSourceId::user, std::make_unique<UserCandidates>(model, user));
    const SessionState session;
    std::vector<std::uint32_t> exclude;
    std::vector<Recommendation> results;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t index = cases.size() * shard / thread_count; index < cases.size() * (shard + 1) / thread_count; ++index) {
      const UserCase& current = cases[index];
      user.clear();
      exclude.clear();
      for (const LogEvent& event : current.history) {
        user.add(event.item, event.type);
        if (std::find(exclude.begin(), exclude.end(), event.item) == exclude.end()) exclude.push_back(event.item);
      }
      without_history[index] = current.history.empty() ? 1 : 0;
      RankRequest request;
      request.recipe = &recipe;
      request.session = &session;
      request.k = options.k;
      request.exclude = {exclude.data(), exclude.size()};
      const Status status = ranker.rank(request, &results);
      if (!status.ok()) {
        failures[shard] = status;
        return;
      }
      for (std::size_t rank = 0; rank < results.size(); ++rank) {
        if (results[rank].item == current.target) ranks[index] = static_cast<std::uint32_t>(rank + 1);
      }
      const std::size_t finished = ++done;
      if (progress && finished % 512 == 0) progress(static_cast<double>(finished) / static_cast<double>(cases.size()));
    }
    seconds[shard] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  if (thread_count == 1) {
    run(0);
  } else {
    std::vector<std::thread> workers;
    for (unsigned shard = 0; shard < thread_count; ++shard) workers.emplace_back(run, shard);
    for (auto& worker : workers) worker.join();
  }
  if (progress) progress(1.0);
  for (const Status& failure : failures) {
    if (!failure.ok()) return failure;
  }

  NextForUserMetrics metrics;
  metrics.k = options.k;
  metrics.users = cases.size();
  double hits = 0.0;
  double gain = 0.0;
  double total_seconds = 0.0;
  for (const double value : seconds) total_seconds += value;
  for (std::size_t index = 0; index < cases.size(); ++index) {
    metrics.users_without_history += without_history[index];
    if (ranks[index] == 0) continue;
    hits += 1.0;
    gain += 1.0 / std::log2(static_cast<double>(ranks[index]) + 1.0);
  }
  if (!cases.empty()) {
    metrics.hit_rate = hits / static_cast<double>(cases.size());
    metrics.ndcg = gain / static_cast<double>(cases.size());
    metrics.ms_per_user = total_seconds * 1000.0 / static_cast<double>(cases.size());
  }
  return metrics;
}

}  // namespace shelfwise::evaluation
