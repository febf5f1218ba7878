#include "bundle_edit.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>

#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/byte_buffer.hpp"
#include "shelfwise/json_nlohmann.hpp"
#include "shelfwise/model.hpp"

namespace shelfwise::testing {

BundleEdit::BundleEdit(const Bundle& source) : manifest(rewritable_manifest(source)), item_count_(source.item_count()) {
  for (const TensorInfo& tensor : source.tensors()) {
    const std::uint8_t* first = source.bytes().data() + tensor.offset;
    tensors_.push_back({tensor.name, tensor.dtype, tensor.shape, std::vector<std::uint8_t>(first, first + tensor.size)});
  }
}

namespace {
std::shared_ptr<const Bundle> read_or_throw(const std::vector<std::uint8_t>& bytes) {
  auto bundle = read_bundle(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  if (!bundle.ok()) throw std::runtime_error("BundleEdit: the source bundle does not read: " + bundle.status().to_string());
  return bundle.value();
}
}  // namespace

BundleEdit::BundleEdit(const std::vector<std::uint8_t>& bundle_bytes) : BundleEdit(*read_or_throw(bundle_bytes)) {}

EditableTensor& BundleEdit::tensor(const std::string& name) {
  const auto found = std::find_if(tensors_.begin(), tensors_.end(), [&](const EditableTensor& t) { return t.name == name; });
  if (found == tensors_.end()) throw std::runtime_error("BundleEdit: no tensor '" + name + "'");
  return *found;
}

bool BundleEdit::has(const std::string& name) const {
  return std::any_of(tensors_.begin(), tensors_.end(), [&](const EditableTensor& t) { return t.name == name; });
}

void BundleEdit::remove(const std::string& name) {
  tensors_.erase(std::remove_if(tensors_.begin(), tensors_.end(), [&](const EditableTensor& t) { return t.name == name; }),
                 tensors_.end());
}

void BundleEdit::put_bytes(const std::string& name, DType dtype, std::vector<std::uint64_t> shape, std::vector<std::uint8_t> bytes) {
  EditableTensor replacement{name, dtype, std::move(shape), std::move(bytes)};
  if (has(name)) {
    tensor(name) = std::move(replacement);
  } else {
    tensors_.push_back(std::move(replacement));
  }
}

std::vector<std::uint8_t> BundleEdit::serialize() const {
  BundleWriter writer(item_count_, manifest);
  for (const EditableTensor& t : tensors_) writer.add_tensor(t.name, t.dtype, t.shape, t.bytes.data(), t.bytes.size());
  return writer.serialize();
}

void BundleEdit::shorten(const std::string& name, std::uint64_t elements, std::size_t element_bytes) {
  EditableTensor& edited = tensor(name);
  edited.bytes.resize(edited.bytes.size() - elements * element_bytes);
  edited.shape[0] -= elements;
}

void require_refused(const BundleEdit& source, const std::function<void(BundleEdit&)>& change, ErrorCode code,
                     const std::string& text) {
  BundleEdit edit = source;
  change(edit);
  const auto bytes = edit.serialize();
  const auto loaded = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == code);
  CHECK(loaded.status().message().find(text) != std::string::npos);
}

}  // namespace shelfwise::testing
