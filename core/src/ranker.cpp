#include "shelfwise/ranker.hpp"

#include <algorithm>

namespace shelfwise {
namespace {

constexpr std::uint8_t kPurchased = 1;
constexpr std::uint8_t kInCart = 2;
constexpr std::uint8_t kExcluded = 4;
constexpr std::uint8_t kPinned = 8;
constexpr std::uint8_t kEmitted = 16;

// MMR re-ranks this many of the best free candidates per free slot (at least kMinDiversityWindow).
constexpr std::size_t kDiversityWindowPerSlot = 5;
constexpr std::size_t kMinDiversityWindow = 100;

constexpr std::size_t index_of(CandidateSourceId source) { return static_cast<std::size_t>(source); }

bool is_personal(CandidateSourceId source) {
  return source == CandidateSourceId::session || source == CandidateSourceId::context || source == CandidateSourceId::user;
}

}  // namespace

Ranker::Ranker(std::shared_ptr<const Model> model, Recommender& recommender)
    : model_(std::move(model)),
      pool_(model_->item_count()),
      diversity_(*model_),
      flags_(model_->item_count(), 0),
      flag_stamp_(model_->item_count(), 0),
      category_counts_(model_->catalog() ? model_->catalog()->category_count() : 0, 0) {
  sources_[index_of(CandidateSourceId::session)] = std::make_unique<SessionCandidates>(recommender);
  sources_[index_of(CandidateSourceId::context)] = std::make_unique<ContextCandidates>(recommender);
  sources_[index_of(CandidateSourceId::popular)] = std::make_unique<PopularCandidates>();
  sources_[index_of(CandidateSourceId::page)] = std::make_unique<PageCandidates>();
}

void Ranker::set_source(CandidateSourceId id, std::unique_ptr<CandidateSource> source) {
  sources_[index_of(id)] = std::move(source);
}

void Ranker::set_flag(std::uint32_t item, std::uint8_t flag) {
  if (is_foreign_item(item) || item >= flags_.size()) return;
  if (flag_stamp_[item] != stamp_) {
    flag_stamp_[item] = stamp_;
    flags_[item] = 0;
  }
  flags_[item] |= flag;
}

Status Ranker::check(const RankRequest& request) const {
  if (request.recipe == nullptr) return Status(ErrorCode::invalid_argument, "a ranking request needs a recipe");
  if (request.session == nullptr) return Status(ErrorCode::invalid_argument, "a ranking request needs a session");
  if (request.k == 0) return Status(ErrorCode::invalid_argument, "k must be at least 1");
  if (request.k > kMaxResults) {
    return Status(ErrorCode::limit_exceeded, "k is " + std::to_string(request.k) + "; at most " + std::to_string(kMaxResults));
  }
  if (request.context.size() > kMaxContextItems) {
    return Status(ErrorCode::limit_exceeded, "context lists " + std::to_string(request.context.size()) + " items; at most " +
                                                 std::to_string(kMaxContextItems));
  }
  if (request.page.size() > kMaxPageItems) {
    return Status(ErrorCode::limit_exceeded, "the page lists " + std::to_string(request.page.size()) + " items; at most " +
                                                 std::to_string(kMaxPageItems));
  }
  if (request.exclude.size() > kMaxExcluded) {
    return Status(ErrorCode::limit_exceeded, "exclude lists " + std::to_string(request.exclude.size()) + " items; at most " +
                                                 std::to_string(kMaxExcluded));
  }
  const std::size_t item_count = model_->item_count();
  for (const std::uint32_t item : request.context) {
    if (item >= item_count) return Status(ErrorCode::unknown_item, "context item index " + std::to_string(item) + " is not in the model");
  }
  for (const std::uint32_t item : request.page) {
    const bool valid = item < item_count || (is_foreign_item(item) && item - kForeignItemBase < kMaxPageItems);
    if (!valid) return Status(ErrorCode::unknown_item, "page item " + std::to_string(item) + " is neither a model index nor a foreign id");
  }
  return Status::ok_status();
}

void Ranker::mark_exclusions(const RankRequest& request, bool exclude_purchased, bool exclude_in_cart) {
  const std::size_t item_count = model_->item_count();
  for (const SessionEvent& event : request.session->events()) {
    if (event.item >= item_count) continue;
    if (event.type == EventType::purchase && exclude_purchased) set_flag(event.item, kPurchased);
    if (event.type == EventType::cart && exclude_in_cart) set_flag(event.item, kInCart);
  }
  for (const std::uint32_t item : request.exclude) {
    if (item < item_count) set_flag(item, kExcluded);
  }
  for (const std::uint32_t item : request.context) set_flag(item, kExcluded);
  if (request.rules != nullptr) {
    for (const std::uint32_t item : request.rules->exclude_items) set_flag(item, kExcluded);
  }
}

void Ranker::blend(const SourceWeights& weights) {
  std::array<float, kCandidateSourceCount> scale{};
  for (std::size_t source = 0; source < kCandidateSourceCount; ++source) {
    const float maximum = pool_.max_raw(static_cast<CandidateSourceId>(source));
    scale[source] = maximum > 0.0f ? static_cast<float>(weights[source]) / maximum : 0.0f;
  }
  for (Candidate& candidate : pool_.candidates()) {
    float score = 0.0f;
    int personal = -1;
    int general = -1;
    float personal_best = 0.0f;
    float general_best = 0.0f;
    for (std::size_t source = 0; source < kCandidateSourceCount; ++source) {
      const float contribution = scale[source] * candidate.raw[source];
      score += contribution;
      if (contribution <= 0.0f) continue;
      if (is_personal(static_cast<CandidateSourceId>(source))) {
        if (contribution > personal_best) {
          personal_best = contribution;
          personal = static_cast<int>(source);
        }
      } else if (contribution > general_best) {
        general_best = contribution;
        general = static_cast<int>(source);
      }
    }
    candidate.score = score;
    if (personal >= 0) {
      candidate.source = personal == static_cast<int>(index_of(CandidateSourceId::user)) ? Source::user : candidate.signal[personal];
      candidate.explained_by = candidate.because[personal];
    } else {
      candidate.source = general >= 0 ? candidate.signal[general]
                                       : (candidate.page_position != kNotOnPage ? Source::page : Source::popular);
      candidate.explained_by = kNoItem;
    }
  }
}

bool Ranker::passes_filter_and_exclusions(std::uint32_t item, const Rules* rules) const {
  if (is_foreign_item(item)) return rules == nullptr || unknown_item_passes_filter(*rules);
  if (rules != nullptr && rules->has_filter() && !passes_filter(*rules, model_->catalog(), item)) return false;
  return !has_flag(item, kPurchased | kInCart | kExcluded);
}

void Ranker::apply_boosts(const Rules& rules) {
  std::vector<Candidate>& candidates = pool_.candidates();
  for (const std::uint32_t index : order_) {
    Candidate& candidate = candidates[index];
    for (const BoostRule& boost : rules.boosts) {
      const bool hit = is_foreign_item(candidate.item) ? unknown_item_matches(boost.when)
                                                       : matches(boost.when, model_->catalog(), candidate.item);
      if (hit) candidate.score = static_cast<float>(candidate.score * boost.factor);
    }
  }
}

void Ranker::sort_by_score() {
  const std::vector<Candidate>& candidates = pool_.candidates();
  std::sort(order_.begin(), order_.end(), [&](std::uint32_t left_index, std::uint32_t right_index) {
    const Candidate& left = candidates[left_index];
    const Candidate& right = candidates[right_index];
    if (left.score != right.score) return left.score > right.score;
    const float left_popularity = popularity_of(left.item);
    const float right_popularity = popularity_of(right.item);
    if (left_popularity != right_popularity) return left_popularity > right_popularity;
    if (left.page_position != right.page_position) return left.page_position < right.page_position;
    return left.item < right.item;
  });
}

void Ranker::place_pins(const RankRequest& request) {
  pins_.clear();
  pinned_items_.clear();
  if (request.rules == nullptr) return;
  const std::vector<Candidate>& candidates = pool_.candidates();
  for (const PinRule& pin : request.rules->pins) {
    if (pin.position >= request.k) break;  // sorted by position
    if (!passes_filter_and_exclusions(pin.item, request.rules)) continue;
    // A rerank can only return the page's items, pinned or not.
    float score = 0.0f;
    bool on_page = false;
    for (const std::uint32_t index : order_) {
      if (candidates[index].item == pin.item) {
        score = candidates[index].score;
        on_page = true;
        break;
      }
    }
    if (request.rerank && !on_page) {
      // Items filtered out earlier are not in order_; look at the page itself.
      on_page = std::find(request.page.begin(), request.page.end(), pin.item) != request.page.end();
      if (!on_page) continue;
    }
    pins_.push_back({pin.item, pin.position, score});
    pinned_items_.push_back(pin.item);
    set_flag(pin.item, kPinned);
  }
}

void Ranker::cap_per_category(std::uint32_t cap) {
  const Catalog* catalog = model_->catalog();
  if (catalog == nullptr) return;
  std::fill(category_counts_.begin(), category_counts_.end(), 0);
  for (const PlacedPin& pin : pins_) {
    const std::uint32_t category = catalog->category_index(pin.item);
    if (category != kNoCategory) ++category_counts_[category];
  }
  const std::vector<Candidate>& candidates = pool_.candidates();
  std::size_t kept = 0;
  for (const std::uint32_t index : order_) {
    const std::uint32_t item = candidates[index].item;
    if (!is_foreign_item(item) && !has_flag(item, kPinned)) {
      const std::uint32_t category = catalog->category_index(item);
      if (category != kNoCategory && category_counts_[category]++ >= cap) continue;
    }
    order_[kept++] = index;
  }
  order_.resize(kept);
}

void Ranker::diversify(std::size_t free_slots, double lambda) {
  // Pinned items are placed already: MMR chooses among the others and treats pins as shown.
  const std::vector<Candidate>& candidates = pool_.candidates();
  std::size_t kept = 0;
  for (const std::uint32_t index : order_) {
    if (!has_flag(candidates[index].item, kPinned)) order_[kept++] = index;
  }
  order_.resize(kept);
  const std::size_t window = std::max(kMinDiversityWindow, kDiversityWindowPerSlot * free_slots);
  diversity_.select(order_, candidates, free_slots, lambda, pinned_items_, window);
}

void Ranker::assemble(std::size_t k, std::vector<Recommendation>* results) {
  const std::vector<Candidate>& candidates = pool_.candidates();
  results->clear();
  std::size_t next_pin = 0;
  std::size_t next_free = 0;
  auto emit_pin = [&](const PlacedPin& pin) {
    if (has_flag(pin.item, kEmitted)) return;
    set_flag(pin.item, kEmitted);
    results->push_back({pin.item, pin.score, Source::pinned, kNoItem});
  };
  while (results->size() < k) {
    if (next_pin < pins_.size() && pins_[next_pin].position <= results->size()) {
      emit_pin(pins_[next_pin++]);
      continue;
    }
    // Dedup: a pinned item appears at its pin only; every other item once.
    while (next_free < order_.size()) {
      const Candidate& candidate = candidates[order_[next_free]];
      if (!has_flag(candidate.item, kPinned) && !has_flag(candidate.item, kEmitted)) break;
      ++next_free;
    }
    if (next_free == order_.size()) {
      // The ranked list ran out: the remaining pins close the list in their order.
      if (next_pin == pins_.size()) break;
      emit_pin(pins_[next_pin++]);
      continue;
    }
    const Candidate& candidate = candidates[order_[next_free++]];
    set_flag(candidate.item, kEmitted);
    results->push_back({candidate.item, candidate.score, candidate.source, candidate.explained_by});
  }
}

Status Ranker::rank(const RankRequest& request, std::vector<Recommendation>* results) {
  SHELFWISE_RETURN_IF_ERROR(check(request));
  const Rules* rules = request.rules;
  SourceWeights weights = request.recipe->weights;
  if (rules != nullptr) {
    for (std::size_t source = 0; source < kCandidateSourceCount; ++source) {
      if (rules->weights[source]) weights[source] = *rules->weights[source];
    }
  }
  if (++stamp_ == 0) {
    std::fill(flag_stamp_.begin(), flag_stamp_.end(), 0);
    stamp_ = 1;
  }
  const bool exclude_purchased = rules && rules->exclude_purchased ? *rules->exclude_purchased : request.recipe->exclude_purchased;
  const bool exclude_in_cart = rules && rules->exclude_in_cart ? *rules->exclude_in_cart : request.recipe->exclude_in_cart;
  mark_exclusions(request, exclude_purchased, exclude_in_cart);

  // Candidates. The page source registers a rerank's items first: they close the pool.
  pool_.reset(request.rerank);
  RankingInputs inputs;
  inputs.model = model_.get();
  inputs.session = request.session;
  inputs.context = request.context;
  inputs.page = request.rerank ? request.page : ArrayView<std::uint32_t>();
  inputs.rerank = request.rerank;
  if (request.rerank) SHELFWISE_RETURN_IF_ERROR(sources_[index_of(CandidateSourceId::page)]->collect(inputs, pool_));
  for (const CandidateSourceId id : {CandidateSourceId::session, CandidateSourceId::context, CandidateSourceId::popular,
                                     CandidateSourceId::user}) {
    CandidateSource* source = sources_[index_of(id)].get();
    if (source == nullptr) continue;
    // Popularity always supplies candidates when recommending: it fills lists the rules thin out.
    const bool needed = weights[index_of(id)] > 0.0 || (id == CandidateSourceId::popular && !request.rerank);
    if (!needed || (id == CandidateSourceId::context && request.context.empty())) continue;
    SHELFWISE_RETURN_IF_ERROR(source->collect(inputs, pool_));
  }
  blend(weights);

  // 1-2. filter and exclude
  order_.clear();
  const std::vector<Candidate>& candidates = pool_.candidates();
  for (std::size_t index = 0; index < candidates.size(); ++index) {
    if (passes_filter_and_exclusions(candidates[index].item, rules)) order_.push_back(static_cast<std::uint32_t>(index));
  }
  // 3. boost / bury, then the ranking
  if (rules != nullptr && !rules->boosts.empty()) apply_boosts(*rules);
  sort_by_score();
  // 4. pin
  place_pins(request);
  // 5. cap per category
  if (rules != nullptr && rules->max_per_category > 0) cap_per_category(rules->max_per_category);
  // 6. diversity
  if (rules != nullptr && rules->diversity_lambda) {
    const std::size_t free_slots = request.k > pins_.size() ? request.k - pins_.size() : 0;
    diversify(free_slots, *rules->diversity_lambda);
  }
  // 7. dedup while the list is assembled
  assemble(request.k, results);
  return Status::ok_status();
}

}  // namespace shelfwise
