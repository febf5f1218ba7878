// A loaded, validated, immutable model: the bundle bytes plus typed views over them. Shared by
// every session (and, in an edge worker, by every request); replaced as a whole, never mutated.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "shelfwise/behaviour_model.hpp"
#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/catalog.hpp"
#include "shelfwise/intent.hpp"
#include "shelfwise/item_factors.hpp"
#include "shelfwise/gru_network.hpp"
#include "shelfwise/item_vocabulary.hpp"
#include "shelfwise/neighbour_table.hpp"
#include "shelfwise/recipe.hpp"
#include "shelfwise/session_index.hpp"
#include "shelfwise/session_knn.hpp"

namespace shelfwise {

// blend: a session-kNN part and either an item-kNN or a GRU part in one bundle, each request's
// scores of each part scaled to a maximum of 1 and mixed with the weight the trainer tuned on
// validation data (a GRU part gives its best GruScorer::kRankerCandidates items, scored
// exp(s - best)).
// mf: item factors (item_factors.hpp) and popularity; serves the ranker's `user` source.
// gru: a GRU4Rec-style recurrent network (gru_network.hpp) that scores the whole catalogue.
enum class ModelKind { popularity, item_knn, session_knn, blend, mf, gru };

// How a session's items are combined at prediction time; stored in the manifest's "inference"
// object so the trainer can tune it on the validation split without touching the tensors.
struct InferenceConfig {
  // Weight of the session item p steps back from the latest one: recency_decay^p.
  double recency_decay = 0.7;
  // Weight of the symmetric "related" lists relative to the directional "next" lists.
  double related_weight = 0.1;
  // Only the latest this-many known items of a session are used.
  std::uint32_t max_session_items = 20;
};

class Model {
 public:
  // Validates everything (bundle_reader.hpp, then model-level shapes and values). The returned
  // model keeps `bytes` alive for its own lifetime.
  static Result<std::shared_ptr<const Model>> load(ByteBuffer bytes);

  ModelKind kind() const { return kind_; }
  const std::string& kind_name() const { return kind_name_; }
  const std::string& version() const { return version_; }
  std::size_t item_count() const { return vocabulary_.size(); }
  const ItemVocabulary& items() const { return vocabulary_; }
  const Catalog* catalog() const { return catalog_ ? &*catalog_ : nullptr; }
  const InferenceConfig& inference() const { return inference_; }
  // The ranker's recipes: the manifest's "recipes" over the defaults (recipe.hpp).
  const RecipeBook& recipes() const { return recipes_; }
  const Bundle& bundle() const { return *bundle_; }

  // Time-decayed popularity, one non-negative score per item; every kind has it as the fallback.
  ArrayView<float> popularity() const { return popularity_; }
  // Item indices by decreasing popularity (ties by index), at most kPopularHeadSize of them.
  ArrayView<std::uint32_t> popular_head() const { return popular_head_; }
  static constexpr std::size_t kPopularHeadSize = 1000;

  // Item-to-item lists; null for kinds without them.
  const NeighbourTable* next_neighbours() const { return next_ ? &*next_ : nullptr; }
  const NeighbourTable* related_neighbours() const { return related_ ? &*related_ : nullptr; }
  // "Frequently bought together" (tensors "knn.together.*", symmetric, from items carted or bought
  // in one session); optional in any kind of bundle, null when the bundle has none.
  const NeighbourTable* together_neighbours() const { return together_ ? &*together_ : nullptr; }

  // Stored sessions and how to score them (kind "sknn"); null / defaults for other kinds.
  const SessionIndex* session_index() const { return session_index_ ? &*session_index_ : nullptr; }
  const SessionKnnConfig& session_knn_config() const { return session_knn_config_; }
  // Session-intent heads (intent.hpp); null when the bundle was trained without them.
  const IntentHeads* intent_heads() const { return intent_heads_ ? &*intent_heads_ : nullptr; }
  // Blend only: the session-kNN part's share, the other part (item-kNN or GRU) getting 1 minus it.
  double session_knn_blend_weight() const { return session_knn_blend_weight_; }
  // Behaviour features of shoppers, and the segments / propensity models when trained with them.
  const BehaviourModel& behaviour() const { return behaviour_; }
  // Matrix-factorisation item factors; required for kind "mf", optional for the others.
  const ItemFactors* item_factors() const { return item_factors_ ? &*item_factors_ : nullptr; }
  // The recurrent network of a "gru" model or of a blend's GRU part; null otherwise.
  const GruNetwork* gru() const { return gru_ ? &*gru_ : nullptr; }

 private:
  std::shared_ptr<const Bundle> bundle_;
  ModelKind kind_ = ModelKind::popularity;
  std::string kind_name_;
  std::string version_;
  ItemVocabulary vocabulary_;
  std::optional<Catalog> catalog_;
  InferenceConfig inference_;
  RecipeBook recipes_;
  ArrayView<float> popularity_;
  ArrayView<std::uint32_t> popular_head_;
  std::optional<NeighbourTable> next_;
  std::optional<NeighbourTable> related_;
  std::optional<SessionIndex> session_index_;
  SessionKnnConfig session_knn_config_;
  double session_knn_blend_weight_ = 0.0;
  std::optional<IntentHeads> intent_heads_;
  BehaviourModel behaviour_;
  std::optional<NeighbourTable> together_;
  std::optional<ItemFactors> item_factors_;
  std::optional<GruNetwork> gru_;
};

}  // namespace shelfwise
