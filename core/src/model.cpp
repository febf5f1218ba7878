#include "shelfwise/model.hpp"

#include "shelfwise/json_fields.hpp"
#include "shelfwise/order_checks.hpp"

namespace shelfwise {
namespace {

// `path` names `inference` in messages ("inference", or "inference.itemknn" inside a blend).
Status read_inference(const JsonValue& inference, const std::string& path, InferenceConfig* config) {
  if (!inference.is_object()) return Status(ErrorCode::bad_manifest, "manifest field '" + path + "' must be an object");
  SHELFWISE_RETURN_IF_ERROR(read_optional_number(inference, "recency_decay", path + ".recency_decay", &config->recency_decay));
  SHELFWISE_RETURN_IF_ERROR(read_optional_number(inference, "related_weight", path + ".related_weight", &config->related_weight));
  double max_items = config->max_session_items;
  SHELFWISE_RETURN_IF_ERROR(read_optional_number(inference, "max_session_items", path + ".max_session_items", &max_items));
  if (config->recency_decay <= 0.0 || config->recency_decay > 1.0) {
    return Status(ErrorCode::bad_manifest, "manifest field '" + path + ".recency_decay' must be in (0, 1]");
  }
  if (config->related_weight < 0.0 || config->related_weight > 1e6) {
    return Status(ErrorCode::bad_manifest, "manifest field '" + path + ".related_weight' must be in [0, 1e6]");
  }
  if (max_items < 1.0 || max_items > 1000.0) {
    return Status(ErrorCode::bad_manifest, "manifest field '" + path + ".max_session_items' must be in [1, 1000]");
  }
  config->max_session_items = static_cast<std::uint32_t>(max_items);
  return Status::ok_status();
}

// A blend's "inference": {"sknn_weight": w in [0, 1], "sknn": {...}} and the other part, either
// "itemknn": {...} (its settings) or "gru": {...} (the network has no inference settings; the key
// says which part the tensors hold). `with_gru` tells which.
Status read_blend_inference(const JsonValue& manifest, InferenceConfig* item_knn, SessionKnnConfig* session_knn,
                            double* session_knn_weight, bool* with_gru) {
  const JsonValue* inference = nullptr;
  SHELFWISE_RETURN_IF_ERROR(require_object(manifest, "inference", "inference", &inference));
  SHELFWISE_RETURN_IF_ERROR(read_number(*inference, "sknn_weight", "inference.sknn_weight", session_knn_weight));
  if (!(*session_knn_weight >= 0.0 && *session_knn_weight <= 1.0)) {
    return Status(ErrorCode::bad_manifest, "manifest field 'inference.sknn_weight' must be in [0, 1]");
  }
  *with_gru = inference->find("gru") != nullptr;
  if (*with_gru) {
    if (inference->find("itemknn") != nullptr) {
      return Status(ErrorCode::bad_manifest, "manifest field 'inference' names both an 'itemknn' and a 'gru' part");
    }
    const JsonValue* gru_fields = nullptr;
    SHELFWISE_RETURN_IF_ERROR(require_object(*inference, "gru", "inference.gru", &gru_fields));
  } else {
    const JsonValue* item_knn_fields = nullptr;
    SHELFWISE_RETURN_IF_ERROR(require_object(*inference, "itemknn", "inference.itemknn", &item_knn_fields));
    SHELFWISE_RETURN_IF_ERROR(read_inference(*item_knn_fields, "inference.itemknn", item_knn));
  }
  const JsonValue* session_knn_fields = nullptr;
  SHELFWISE_RETURN_IF_ERROR(require_object(*inference, "sknn", "inference.sknn", &session_knn_fields));
  return read_session_knn_config(*session_knn_fields, "inference.sknn", session_knn);
}

}  // namespace

Result<std::shared_ptr<const Model>> Model::load(ByteBuffer bytes) {
  auto bundle = read_bundle(std::move(bytes));
  if (!bundle.ok()) return bundle.status();
  auto model = std::make_shared<Model>();
  model->bundle_ = bundle.value();
  const Bundle& source = *model->bundle_;
  const JsonValue& manifest = source.manifest();
  const JsonValue& model_fields = *manifest.find("model");  // presence checked by read_bundle
  SHELFWISE_RETURN_IF_ERROR(read_string(model_fields, "kind", "model.kind", &model->kind_name_));
  SHELFWISE_RETURN_IF_ERROR(read_string(model_fields, "version", "model.version", &model->version_));
  if (model->kind_name_ == "pop") {
    model->kind_ = ModelKind::popularity;
  } else if (model->kind_name_ == "itemknn") {
    model->kind_ = ModelKind::item_knn;
  } else if (model->kind_name_ == "sknn") {
    model->kind_ = ModelKind::session_knn;
  } else if (model->kind_name_ == "blend") {
    model->kind_ = ModelKind::blend;
  } else if (model->kind_name_ == "mf") {
    model->kind_ = ModelKind::mf;
  } else if (model->kind_name_ == "gru") {
    model->kind_ = ModelKind::gru;
  } else {
    return Status(ErrorCode::unsupported_model, "model kind '" + model->kind_name_ + "' is not supported by this reader");
  }
  bool blend_with_gru = false;
  if (model->kind_ == ModelKind::blend) {
    SHELFWISE_RETURN_IF_ERROR(read_blend_inference(manifest, &model->inference_, &model->session_knn_config_,
                                                   &model->session_knn_blend_weight_, &blend_with_gru));
  } else if (const JsonValue* inference = manifest.find("inference"); inference != nullptr) {
    SHELFWISE_RETURN_IF_ERROR(read_inference(*inference, "inference", &model->inference_));
    if (model->kind_ == ModelKind::session_knn) {
      SHELFWISE_RETURN_IF_ERROR(read_session_knn_config(*inference, "inference", &model->session_knn_config_));
    }
  }
  auto recipes = RecipeBook::from_manifest(manifest);
  if (!recipes.ok()) return recipes.status();
  model->recipes_ = std::move(recipes).value();

  auto vocabulary = ItemVocabulary::from_bundle(source);
  if (!vocabulary.ok()) return vocabulary.status();
  model->vocabulary_ = std::move(vocabulary).value();
  auto catalog = Catalog::from_bundle(source);
  if (!catalog.ok()) return catalog.status();
  model->catalog_ = catalog.value();
  // The catalogue lives inside the heap-allocated model, so the features may point at it.
  auto behaviour = BehaviourModel::from_bundle(source, model->catalog());
  if (!behaviour.ok()) return behaviour.status();
  model->behaviour_ = std::move(behaviour).value();

  const auto popularity = source.view<float>("popularity", DType::f32);
  if (!popularity.ok()) return popularity.status();
  if (popularity.value().size() != source.item_count()) {
    return Status(ErrorCode::shape_mismatch, "tensor 'popularity' needs one score per item");
  }
  if (count_negative(popularity.value()) != 0) return Status(ErrorCode::bad_tensor, "tensor 'popularity' holds a negative score");
  model->popularity_ = popularity.value();
  const auto head = source.view<std::uint32_t>("popularity.head", DType::u32);
  if (!head.ok()) return head.status();
  if (head.value().size() > kPopularHeadSize || head.value().size() > source.item_count()) {
    return Status(ErrorCode::shape_mismatch, "tensor 'popularity.head' is longer than allowed");
  }
  if (!head.value().empty() && largest_value(head.value()) >= source.item_count()) {
    return Status(ErrorCode::bad_tensor, "tensor 'popularity.head' names a non-item");
  }
  model->popular_head_ = head.value();

  if (model->kind_ == ModelKind::item_knn || (model->kind_ == ModelKind::blend && !blend_with_gru)) {
    auto next = NeighbourTable::from_bundle(source, "knn.next");
    if (!next.ok()) return next.status();
    model->next_ = next.value();
    auto related = NeighbourTable::from_bundle(source, "knn.related");
    if (!related.ok()) return related.status();
    model->related_ = related.value();
  }
  if (model->kind_ == ModelKind::session_knn || model->kind_ == ModelKind::blend) {
    auto index = SessionIndex::from_bundle(source);
    if (!index.ok()) return index.status();
    model->session_index_ = index.value();
  }
  auto intent = IntentHeads::from_bundle(source, model->catalog_.has_value());
  if (!intent.ok()) return intent.status();
  model->intent_heads_ = intent.value();
  if (source.find("knn.together.offsets") != nullptr) {
    auto together = NeighbourTable::from_bundle(source, "knn.together");
    if (!together.ok()) return together.status();
    model->together_ = together.value();
  }
  auto factors = ItemFactors::from_bundle(source);
  if (!factors.ok()) return factors.status();
  model->item_factors_ = std::move(factors).value();
  if (model->kind_ == ModelKind::mf && !model->item_factors_) {
    return Status(ErrorCode::bad_manifest, "manifest field 'mf' is missing (a bundle of kind 'mf' needs item factors)");
  }
  if (model->kind_ == ModelKind::gru || blend_with_gru) {
    auto network = GruNetwork::from_bundle(source);
    if (!network.ok()) return network.status();
    model->gru_ = std::move(network).value();
  }
  return std::shared_ptr<const Model>(std::move(model));
}

}  // namespace shelfwise
