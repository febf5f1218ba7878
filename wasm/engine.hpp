// What the JS SDK drives through the C exports of exports.cpp: one current model with its scratch
// memory, the staging area a new bundle is copied into, and flat result arrays JS reads straight
// from wasm memory.
// Plain C++ (no Emscripten headers) so it can be unit-tested natively.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shelfwise/model.hpp"
#include "shelfwise/ranker.hpp"
#include "shelfwise/recommender.hpp"
#include "shelfwise/rules.hpp"
#include "shelfwise/session_state.hpp"
#include "shelfwise/user_vector.hpp"

namespace shelfwise::wasm {

class Engine {
 public:
  // Step 1 of a load: room for `size` bytes the caller fills; returns its address, 0 on failure.
  std::uintptr_t reserve_bundle(std::size_t size);
  // Step 2: validates the staged bytes. On success the new model replaces the current one; on
  // failure the current model stays. Returns 0 or -ErrorCode, like every call here.
  int commit_bundle();

  bool has_model() const { return model_ != nullptr; }
  const Model& model() const { return *model_; }
  const std::string& error_message() const { return error_message_; }

  // Room for `count` u32 item indices to exclude from the next request; 0 on failure.
  std::uintptr_t reserve_exclude(std::size_t count);

  // Return the number of results (written to the result arrays) or -ErrorCode.
  int recommend(const SessionState& session, std::size_t k, std::size_t exclude_count);
  int related(std::uint32_t item, std::size_t k, std::size_t exclude_count);
  // The session's intent (shelfwise/intent.hpp); null without a model or when the model has no
  // intent heads. Valid until the next call.
  const Intent* intent(const SessionState& session);
  int bought_together(std::uint32_t item, std::size_t k, std::size_t exclude_count);

  // Room for `count` u32 entries for the next rank(): context items (model indices) and the page's
  // items (model indices or foreign ids, candidate_pool.hpp); 0 on failure.
  std::uintptr_t reserve_context(std::size_t count);
  std::uintptr_t reserve_page(std::size_t count);
  // The ranker (ranker.hpp) for the recipe named `slot`, with `rules_json` ("" = none). The rules
  // of the previous call are reused when the text is identical, so a page that sends the same
  // rules each time pays for parsing once. `rerank` ranks only the staged page items.
  int rank(const SessionState& session, const std::string& slot, std::size_t k, std::size_t context_count,
           bool rerank, std::size_t page_count, std::size_t exclude_count, const std::string& rules_json);

  // The shopper's long-term history folded into a user vector (user_vector.hpp), the ranker's
  // `user` source when the model has item factors. A new model starts it empty: the SDK replays
  // the history (item ids) into it. Out-of-range items and types are ignored.
  bool has_item_factors() const { return model_ != nullptr && model_->item_factors() != nullptr; }
  void user_add(std::uint32_t item, int type);
  void user_remove(std::uint32_t item, int type);
  void user_clear();
  std::size_t user_history_items() const { return user_ ? user_->history().size() : 0; }

  std::uintptr_t result_items() const { return reinterpret_cast<std::uintptr_t>(result_items_.data()); }
  std::uintptr_t result_scores() const { return reinterpret_cast<std::uintptr_t>(result_scores_.data()); }
  std::uintptr_t result_sources() const { return reinterpret_cast<std::uintptr_t>(result_sources_.data()); }
  std::uintptr_t result_because() const { return reinterpret_cast<std::uintptr_t>(result_because_.data()); }

 private:
  int fail(const Status& status);
  int publish(const Status& status);
  Status prepare_rules(const std::string& rules_json);
  Ranker& ranker();

  std::shared_ptr<const Model> model_;
  std::unique_ptr<Recommender> recommender_;
  // Declared before the ranker, whose user source refers to it.
  std::unique_ptr<UserVector> user_;
  std::unique_ptr<Ranker> ranker_;
  std::vector<std::uint32_t> context_;
  std::vector<std::uint32_t> page_;
  std::string rules_text_;
  Rules rules_;
  bool rules_ready_ = false;
  std::unique_ptr<IntentScorer> intent_scorer_;
  Intent intent_;
  ByteBuffer staged_;
  std::vector<std::uint32_t> exclude_;
  std::vector<Recommendation> results_;
  std::vector<std::uint32_t> result_items_;
  std::vector<float> result_scores_;
  std::vector<std::uint8_t> result_sources_;
  std::vector<std::uint32_t> result_because_;
  std::string error_message_;
};

}  // namespace shelfwise::wasm
