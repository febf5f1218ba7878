#include "shelfwise/model.hpp"

#include "shelfwise/json_fields.hpp"

namespace shelfwise {
namespace {

Status read_inference(const nlohmann::json& manifest, InferenceConfig* config) {
  const auto found = manifest.find("inference");
  if (found == manifest.end()) return Status::ok_status();
  if (!found->is_object()) return Status(ErrorCode::bad_manifest, "manifest field 'inference' must be an object");
  SHELFWISE_RETURN_IF_ERROR(read_optional_number(*found, "recency_decay", "inference.recency_decay", &config->recency_decay));
  SHELFWISE_RETURN_IF_ERROR(read_optional_number(*found, "related_weight", "inference.related_weight", &config->related_weight));
  double max_items = config->max_session_items;
  SHELFWISE_RETURN_IF_ERROR(read_optional_number(*found, "max_session_items", "inference.max_session_items", &max_items));
  if (config->recency_decay <= 0.0 || config->recency_decay > 1.0) {
    return Status(ErrorCode::bad_manifest, "manifest field 'inference.recency_decay' must be in (0, 1]");
  }
  if (config->related_weight < 0.0 || config->related_weight > 1e6) {
    return Status(ErrorCode::bad_manifest, "manifest field 'inference.related_weight' must be in [0, 1e6]");
  }
  if (max_items < 1.0 || max_items > 1000.0) {
    return Status(ErrorCode::bad_manifest, "manifest field 'inference.max_session_items' must be in [1, 1000]");
  }
  config->max_session_items = static_cast<std::uint32_t>(max_items);
  return Status::ok_status();
}

}  // namespace

Result<std::shared_ptr<const Model>> Model::load(ByteBuffer bytes) {
  auto bundle = read_bundle(std::move(bytes));
  if (!bundle.ok()) return bundle.status();
  auto model = std::make_shared<Model>();
  model->bundle_ = bundle.value();
  const Bundle& source = *model->bundle_;
  const nlohmann::json& manifest = source.manifest();
  const nlohmann::json& model_fields = *manifest.find("model");  // presence checked by read_bundle
  SHELFWISE_RETURN_IF_ERROR(read_string(model_fields, "kind", "model.kind", &model->kind_name_));
  SHELFWISE_RETURN_IF_ERROR(read_string(model_fields, "version", "model.version", &model->version_));
  if (model->kind_name_ == "pop") {
    model->kind_ = ModelKind::popularity;
  } else if (model->kind_name_ == "itemknn") {
    model->kind_ = ModelKind::item_knn;
  } else if (model->kind_name_ == "gru") {
    model->kind_ = ModelKind::gru;
  } else {
    return Status(ErrorCode::unsupported_model, "model kind '" + model->kind_name_ + "' is not supported by this reader");
  }
  SHELFWISE_RETURN_IF_ERROR(read_inference(manifest, &model->inference_));
  auto recipes = RecipeBook::from_manifest(manifest);
  if (!recipes.ok()) return recipes.status();
  model->recipes_ = std::move(recipes).value();

  auto vocabulary = ItemVocabulary::from_bundle(source);
  if (!vocabulary.ok()) return vocabulary.status();
  model->vocabulary_ = std::move(vocabulary).value();
  auto catalog = Catalog::from_bundle(source);
  if (!catalog.ok()) return catalog.status();
  model->catalog_ = catalog.value();

  const auto popularity = source.view<float>("popularity", DType::f32);
  if (!popularity.ok()) return popularity.status();
  if (popularity.value().size() != source.item_count()) {
    return Status(ErrorCode::shape_mismatch, "tensor 'popularity' needs one score per item");
  }
  for (const float score : popularity.value()) {
    if (score < 0.0f) return Status(ErrorCode::bad_tensor, "tensor 'popularity' holds a negative score");
  }
  model->popularity_ = popularity.value();
  const auto head = source.view<std::uint32_t>("popularity.head", DType::u32);
  if (!head.ok()) return head.status();
  if (head.value().size() > kPopularHeadSize || head.value().size() > source.item_count()) {
    return Status(ErrorCode::shape_mismatch, "tensor 'popularity.head' is longer than allowed");
  }
  for (const std::uint32_t item : head.value()) {
    if (item >= source.item_count()) return Status(ErrorCode::bad_tensor, "tensor 'popularity.head' names a non-item");
  }
  model->popular_head_ = head.value();

  if (model->kind_ == ModelKind::item_knn) {
    auto next = NeighbourTable::from_bundle(source, "knn.next");
    if (!next.ok()) return next.status();
    model->next_ = next.value();
    auto related = NeighbourTable::from_bundle(source, "knn.related");
    if (!related.ok()) return related.status();
    model->related_ = related.value();
  }
  if (model->kind_ == ModelKind::gru) {
    auto network = GruNetwork::from_bundle(source);
    if (!network.ok()) return network.status();
    model->gru_ = network.value();
  }
  return std::shared_ptr<const Model>(std::move(model));
}

}  // namespace shelfwise
