#include "shelfwise/recommender.hpp"

#include <algorithm>

#include "shelfwise/gru_scorer.hpp"

namespace shelfwise {

namespace {

// Whether any request accumulates scores per item: every model but a GRU, which keeps its own
// scores (gru_scorer.hpp), unless it also has bought-together lists. A GRU of 100,000 items is
// spared five arrays of the catalogue's size (1.7 MB).
bool accumulates(const Model& model) {
  return model.kind() != ModelKind::gru || model.together_neighbours() != nullptr;
}

}  // namespace

Recommender::Recommender(std::shared_ptr<const Model> model)
    : model_(std::move(model)),
      scores_(accumulates(*model_) ? model_->item_count() : 0),
      best_contribution_(scores_.size()),
      because_(scores_.size()),
      source_(scores_.size()),
      excluded_stamp_(model_->item_count(), 0),
      touched_stamp_(scores_.size(), 0) {
  if (const SessionIndex* index = model_->session_index()) {
    session_knn_ = std::make_unique<SessionKnnScorer>(*index, model_->session_knn_config(), model_->item_count());
  }
  if (model_->kind() == ModelKind::blend) blend_part_ = std::make_unique<PartScores>(model_->item_count());
  if (model_->gru() != nullptr) gru_ = std::make_unique<GruScorer>(*model_->gru());
}

Recommender::~Recommender() = default;

Status Recommender::begin_request(std::size_t k, ArrayView<std::uint32_t> exclude) {
  if (k == 0) return Status(ErrorCode::invalid_argument, "k must be at least 1");
  if (k > kMaxResults) {
    return Status(ErrorCode::limit_exceeded, "k is " + std::to_string(k) + "; at most " + std::to_string(kMaxResults));
  }
  if (exclude.size() > kMaxExcluded) {
    return Status(ErrorCode::limit_exceeded, "exclude lists " + std::to_string(exclude.size()) + " items; at most " +
                                                 std::to_string(kMaxExcluded));
  }
  // Stamps make "clear the exclusion set" O(1); on wrap-around the arrays are reset once.
  if (++stamp_ == 0) {
    std::fill(excluded_stamp_.begin(), excluded_stamp_.end(), 0);
    std::fill(touched_stamp_.begin(), touched_stamp_.end(), 0);
    stamp_ = 1;
  }
  for (const std::uint32_t item : exclude) {
    if (item < excluded_stamp_.size()) excluded_stamp_[item] = stamp_;
  }
  touched_.clear();
  return Status::ok_status();
}

void Recommender::accumulate(std::uint32_t item, float contribution, Source source, std::uint32_t because) {
  if (!is_touched(item)) {
    touched_stamp_[item] = stamp_;
    touched_.push_back(item);
    scores_[item] = contribution;
    best_contribution_[item] = contribution;
    because_[item] = because;
    source_[item] = source;
    return;
  }
  scores_[item] += contribution;
  if (contribution > best_contribution_[item]) {
    best_contribution_[item] = contribution;
    because_[item] = because;
    source_[item] = source;
  }
}

void Recommender::finish_request(std::size_t k, std::vector<Recommendation>* results, bool top_up_from_popularity) {
  candidates_.clear();
  for (const std::uint32_t item : touched_) {
    if (!is_excluded(item)) candidates_.push_back({item, scores_[item]});
  }
  keep_top_k(candidates_, k);
  results->clear();
  for (const ScoredItem& candidate : candidates_) {
    results->push_back({candidate.item, candidate.score, source_[candidate.item], because_[candidate.item]});
  }
  if (!top_up_from_popularity) return;
  fill_from_popularity(k, results);
}

// The last step of a request: what is listed already joins the exclusions, so the one per-item
// stamp array serves both (a third array of the catalogue's size is memory a phone can keep).
void Recommender::fill_from_popularity(std::size_t k, std::vector<Recommendation>* results) {
  for (const Recommendation& result : *results) excluded_stamp_[result.item] = stamp_;
  const ArrayView<float> popularity = model_->popularity();
  for (const std::uint32_t item : model_->popular_head()) {
    if (results->size() >= k) break;
    if (is_excluded(item)) continue;
    excluded_stamp_[item] = stamp_;
    results->push_back({item, popularity[item], Source::popular, kNoItem});
  }
}

template <typename Emit>
void Recommender::score_item_knn(const SessionState& session, Emit&& emit) const {
  const NeighbourTable* next = model_->next_neighbours();
  const NeighbourTable* related = model_->related_neighbours();
  const InferenceConfig& config = model_->inference();
  const auto& events = session.events();
  const std::size_t item_count = model_->item_count();
  double recency_weight = 1.0;
  std::uint32_t used = 0;
  for (auto event = events.rbegin(); event != events.rend() && used < config.max_session_items; ++event) {
    const std::uint32_t item = event->item;
    if (item >= item_count) continue;
    ++used;
    if (next != nullptr) {
      const float weight = static_cast<float>(recency_weight);
      const auto neighbours = next->neighbours(item);
      const auto weights = next->weights(item);
      for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
        emit(neighbours[entry], weight * weights[entry], Source::next, item);
      }
    }
    if (related != nullptr && config.related_weight > 0.0) {
      const float weight = static_cast<float>(recency_weight * config.related_weight);
      const auto neighbours = related->neighbours(item);
      const auto weights = related->weights(item);
      for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
        emit(neighbours[entry], weight * weights[entry], Source::related, item);
      }
    }
    recency_weight *= config.recency_decay;
  }
}

template <typename Score>
void Recommender::mix_part(double weight, Score&& score) {
  if (!(weight > 0.0)) return;
  PartScores& part = *blend_part_;
  part.clear();
  score([&part](std::uint32_t item, float contribution, Source source, std::uint32_t because) {
    part.add(item, contribution, static_cast<std::uint8_t>(source), because);
  });
  const float maximum = part.max_score();
  if (!(maximum > 0.0f)) return;
  const float scale = static_cast<float>(weight) / maximum;
  for (const std::uint32_t item : part.touched()) {
    accumulate(item, part.score(item) * scale, static_cast<Source>(part.tag(item)), part.because(item));
  }
}

void Recommender::accumulate_session(const SessionState& session) {
  const auto& events = session.events();
  if (blend_part_ != nullptr) {
    const double session_knn_weight = model_->session_knn_blend_weight();
    mix_part(session_knn_weight, [&](auto&& emit) {
      session_knn_->score({events.data(), events.size()}, [&emit](std::uint32_t item, float contribution, std::uint32_t because) {
        emit(item, contribution, Source::next, because);
      });
    });
    if (gru_) {
      mix_part(1.0 - session_knn_weight, [&](auto&& emit) {
        gru_->score_session(session, {}, &gru_candidates_);
        for (const Recommendation& candidate : gru_candidates_) emit(candidate.item, candidate.score, candidate.source, candidate.because);
      });
    } else {
      mix_part(1.0 - session_knn_weight, [&](auto&& emit) { score_item_knn(session, emit); });
    }
  } else if (session_knn_ != nullptr) {
    session_knn_->score({events.data(), events.size()}, [this](std::uint32_t item, float contribution, std::uint32_t because) {
      accumulate(item, contribution, Source::next, because);
    });
  } else {
    score_item_knn(session, [this](std::uint32_t item, float contribution, Source source, std::uint32_t because) {
      accumulate(item, contribution, source, because);
    });
  }
}

void Recommender::accumulate_related(std::uint32_t item) {
  if (session_knn_ != nullptr && model_->kind() == ModelKind::session_knn) {
    const SessionEvent only{item, EventType::view, 0.0};
    session_knn_->score({&only, 1}, [this](std::uint32_t neighbour, float contribution, std::uint32_t because) {
      accumulate(neighbour, contribution, Source::related, because);
    });
  }
  // Directional neighbours rank strictly below every symmetric one: they only fill the list.
  const NeighbourTable* related = model_->related_neighbours();
  const NeighbourTable* next = model_->next_neighbours();
  if (related != nullptr) {
    const auto neighbours = related->neighbours(item);
    const auto weights = related->weights(item);
    for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
      accumulate(neighbours[entry], 1.0f + weights[entry], Source::related, item);
    }
  }
  if (next != nullptr) {
    const auto neighbours = next->neighbours(item);
    const auto weights = next->weights(item);
    for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
      if (!is_touched(neighbours[entry])) accumulate(neighbours[entry], weights[entry] / (1.0f + weights[entry]), Source::next, item);
    }
  }
}

void Recommender::collect_touched(std::vector<Recommendation>* candidates) const {
  candidates->clear();
  for (const std::uint32_t item : touched_) candidates->push_back({item, scores_[item], source_[item], because_[item]});
}

Status Recommender::recommend(const SessionState& session, std::size_t k, ArrayView<std::uint32_t> exclude,
                              std::vector<Recommendation>* results) {
  SHELFWISE_RETURN_IF_ERROR(begin_request(k, exclude));
  if (model_->kind() == ModelKind::gru) {
    gru_->recommend(session, k, {excluded_stamp_.data(), stamp_}, results);
    fill_from_popularity(k, results);
    return Status::ok_status();
  }
  accumulate_session(session);
  finish_request(k, results);
  return Status::ok_status();
}

Status Recommender::related(std::uint32_t item, std::size_t k, ArrayView<std::uint32_t> exclude,
                            std::vector<Recommendation>* results) {
  if (item >= model_->item_count()) {
    return Status(ErrorCode::unknown_item, "item index " + std::to_string(item) + " is not in the model");
  }
  SHELFWISE_RETURN_IF_ERROR(begin_request(k, exclude));
  excluded_stamp_[item] = stamp_;
  if (gru_) {
    gru_->related(item, k, {excluded_stamp_.data(), stamp_}, results);
    fill_from_popularity(k, results);
    return Status::ok_status();
  }
  accumulate_related(item);
  finish_request(k, results);
  return Status::ok_status();
}

Status Recommender::bought_together(std::uint32_t item, std::size_t k, ArrayView<std::uint32_t> exclude,
                                    std::vector<Recommendation>* results) {
  if (item >= model_->item_count()) {
    return Status(ErrorCode::unknown_item, "item index " + std::to_string(item) + " is not in the model");
  }
  SHELFWISE_RETURN_IF_ERROR(begin_request(k, exclude));
  excluded_stamp_[item] = stamp_;
  if (const NeighbourTable* together = model_->together_neighbours()) {
    const auto neighbours = together->neighbours(item);
    const auto weights = together->weights(item);
    for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
      accumulate(neighbours[entry], weights[entry], Source::together, item);
    }
  }
  finish_request(k, results, false);
  return Status::ok_status();
}

Status Recommender::score_session(const SessionState& session, std::vector<Recommendation>* candidates,
                                  ArrayView<std::uint32_t> only_items) {
  if (model_->kind() == ModelKind::gru) {
    gru_->score_session(session, only_items, candidates);
    return Status::ok_status();
  }
  SHELFWISE_RETURN_IF_ERROR(begin_request(1, {}));
  accumulate_session(session);
  collect_touched(candidates);
  return Status::ok_status();
}

Status Recommender::score_related(std::uint32_t item, std::vector<Recommendation>* candidates,
                                  ArrayView<std::uint32_t> only_items) {
  if (item >= model_->item_count()) {
    return Status(ErrorCode::unknown_item, "item index " + std::to_string(item) + " is not in the model");
  }
  if (gru_) {
    gru_->score_related(item, only_items, candidates);
    return Status::ok_status();
  }
  SHELFWISE_RETURN_IF_ERROR(begin_request(1, {}));
  accumulate_related(item);
  // An item is not related to itself (a row may list it after a re-click).
  for (std::size_t index = 0; index < touched_.size(); ++index) {
    if (touched_[index] != item) continue;
    touched_[index] = touched_.back();
    touched_.pop_back();
    break;
  }
  collect_touched(candidates);
  return Status::ok_status();
}

}  // namespace shelfwise
