#include "cli/prediction_dump.hpp"

#include "cli/file_io.hpp"
#include "shelfwise/json_nlohmann.hpp"
#include "shelfwise/recommender.hpp"

namespace shelfwise::cli {

Status write_predictions(const std::shared_ptr<const Model>& model, const training::InteractionLog& log, std::size_t k,
                         const std::string& path) {
  Recommender recommender(model);
  SessionState state;
  std::vector<Recommendation> results;
  std::string text;
  for (const training::LogSession& session : log.sessions) {
    state.clear();
    for (std::size_t position = 0; position + 1 < session.event_count; ++position) {
      const training::LogEvent& event = log.events[session.first_event + position];
      if (const auto item = model->items().find(log.item_ids[event.item])) {
        state.add({*item, event.type, event.timestamp == training::kNoTimestamp ? 0.0 : static_cast<double>(event.timestamp)});
      }
      SHELFWISE_RETURN_IF_ERROR(recommender.recommend(state, k, {}, &results));
      nlohmann::json items = nlohmann::json::array();
      nlohmann::json scores = nlohmann::json::array();
      for (const Recommendation& result : results) {
        items.push_back(std::string(model->items().id(result.item)));
        scores.push_back(result.score);
      }
      text += dump_json({{"session", session.id}, {"position", position}, {"items", items}, {"scores", scores}});
      text += '\n';
    }
  }
  return write_file_atomically(path, text.data(), text.size());
}

}  // namespace shelfwise::cli
