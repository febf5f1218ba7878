// libFuzzer target: rules JSON (what pages and edge requests send) parsed against a small model
// with a catalogue, then ranked, for every slot, through the full rule pipeline.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string_view>
#include <vector>

#include "shelfwise/model.hpp"
#include "shelfwise/ranker.hpp"
#include "shelfwise/recommender.hpp"
#include "shelfwise/rules.hpp"

namespace {

struct Fixture {
  std::shared_ptr<const shelfwise::Model> model;
  std::unique_ptr<shelfwise::Recommender> recommender;
  std::unique_ptr<shelfwise::Ranker> ranker;
  shelfwise::SessionState session;
};

Fixture& fixture() {
  static Fixture instance = [] {
    std::ifstream file(SHELFWISE_FUZZ_MODEL_PATH, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    auto model = shelfwise::Model::load(shelfwise::ByteBuffer::copy_of(bytes.data(), bytes.size()));
    if (!model.ok() || model.value()->catalog() == nullptr) std::abort();
    Fixture made;
    made.model = model.value();
    made.recommender = std::make_unique<shelfwise::Recommender>(made.model);
    made.ranker = std::make_unique<shelfwise::Ranker>(made.model, *made.recommender);
    made.session.add({0, shelfwise::EventType::view, 1.0});
    made.session.add({1, shelfwise::EventType::cart, 2.0});
    return made;
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Fixture& state = fixture();
  auto rules = shelfwise::parse_rules(std::string_view(reinterpret_cast<const char*>(data), size), *state.model);
  if (!rules.ok()) return 0;
  const std::uint32_t context[] = {0};
  const std::uint32_t page[] = {0, 1, 2, 3, 0x80000001U};
  std::vector<shelfwise::Recommendation> results;
  for (const char* slot : {"home", "product-page", "cart", "category-rerank"}) {
    shelfwise::RankRequest request;
    request.recipe = state.model->recipes().find(slot);
    request.rules = &rules.value();
    request.session = &state.session;
    request.k = 3;
    request.context = {context, 1};
    request.rerank = std::string_view(slot) == "category-rerank";
    if (request.rerank) request.page = {page, 5};
    (void)state.ranker->rank(request, &results);
  }
  return 0;
}
