// libFuzzer target: any bytes given to Model::load must yield a model or an error, never a crash,
// and a model that loads must serve requests (its tensors were validated, so scoring runs blind).
#include <cstddef>
#include <cstdint>

#include "shelfwise/model.hpp"
#include "shelfwise/recommender.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto model = shelfwise::Model::load(shelfwise::ByteBuffer::copy_of(data, size));
  if (!model.ok()) return 0;
  shelfwise::Recommender recommender(model.value());
  std::vector<shelfwise::Recommendation> results;
  const auto item_count = static_cast<std::uint32_t>(model.value()->item_count());
  shelfwise::SessionState session;
  for (std::uint32_t step = 0; step < 4; ++step) {
    session.add({(step * 7919U) % item_count, shelfwise::EventType::view, 0.0});
    (void)recommender.recommend(session, 20, {}, &results);
    (void)recommender.related((step * 104729U) % item_count, 10, {}, &results);
  }
  const std::uint32_t excluded[] = {0, item_count - 1, item_count + 5};
  (void)recommender.recommend(session, 1000, {excluded, 3}, &results);
  return 0;
}
