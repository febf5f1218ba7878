#include <cstdio>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "shelfwise/json_nlohmann.hpp"
#include "shelfwise/model.hpp"

namespace shelfwise::cli {
namespace {

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  std::string text = "[";
  for (std::size_t index = 0; index < shape.size(); ++index) text += (index ? ", " : "") + std::to_string(shape[index]);
  return text + "]";
}

int inspect(const CommandLine& line) {
  if (line.positional().size() != 1) {
    return report_failure("inspect", Status(ErrorCode::invalid_argument, "usage: shelfwise inspect model.swm [--json]"));
  }
  const std::string& path = line.positional()[0];
  auto bytes = read_binary_file(path);
  if (!bytes.ok()) return report_failure("inspect", bytes.status());
  const std::size_t file_size = bytes.value().size();
  // Validate as the device would; a bundle it would reject is reported, not described.
  auto model = Model::load(std::move(bytes).value());
  if (!model.ok()) return report_failure("inspect", model.status());
  const Bundle& bundle = model.value()->bundle();
  nlohmann::json manifest = manifest_json(bundle);
  if (line.has("json")) {
    std::printf("%s\n", dump_json(manifest, 2).c_str());
    return 0;
  }
  manifest.erase("tensors");
  std::printf("file          %s (%zu bytes, format v%u)\n", path.c_str(), file_size, bundle.format_version());
  std::printf("manifest\n%s\n", dump_json(manifest, 2).c_str());
  std::printf("tensors (%zu)\n", bundle.tensors().size());
  std::printf("  %-24s %-5s %-16s %12s %12s %10s\n", "name", "dtype", "shape", "offset", "bytes", "crc32");
  std::uint64_t total = 0;
  for (const auto& tensor : bundle.tensors()) {
    std::printf("  %-24s %-5s %-16s %12llu %12llu   %08x\n", tensor.name.c_str(), std::string(dtype_name(tensor.dtype)).c_str(),
                shape_text(tensor.shape).c_str(), static_cast<unsigned long long>(tensor.offset),
                static_cast<unsigned long long>(tensor.size), tensor.crc32);
    total += tensor.size;
  }
  std::printf("  %-24s %-5s %-16s %12s %12llu\n", "total", "", "", "", static_cast<unsigned long long>(total));
  if (const ItemFactors* factors = model.value()->item_factors()) {
    const double per_item = static_cast<double>(factors->factor_bytes()) / static_cast<double>(factors->item_count());
    std::printf("item factors  %zu x %zu as %s: %llu bytes (%.2f bytes per item; as f32 %llu bytes), gram %zu bytes\n",
                factors->item_count(), factors->dim(), std::string(factor_dtype_name(factors->dtype())).c_str(),
                static_cast<unsigned long long>(factors->factor_bytes()), per_item,
                static_cast<unsigned long long>(factors->item_count() * factors->dim() * 4), factors->dim() * factors->dim() * 4);
  }
  return 0;
}

}  // namespace

int run_inspect(const std::vector<std::string>& arguments) {
  auto line = CommandLine::parse(arguments, {}, {"json", "help"});
  if (!line.ok()) return report_failure("inspect", line.status());
  if (line.value().has("help")) {
    std::puts("usage: shelfwise inspect model.swm [--json]\n\nValidates the bundle and prints its manifest and tensor table.");
    return 0;
  }
  return inspect(line.value());
}

}  // namespace shelfwise::cli
