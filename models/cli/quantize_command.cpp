#include <cstdio>
#include <string>
#include <thread>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/factor_options.hpp"
#include "cli/file_io.hpp"
#include "shelfwise/gru_kernels.hpp"
#include "shelfwise/model.hpp"
#include "training/factor_bundle.hpp"
#include "training/gru_embedding_rewrite.hpp"

namespace shelfwise::cli {
namespace {

constexpr const char* kQuantizeHelp = R"(usage: shelfwise quantize --in model.swm --out small.swm --dtype f32|f16|int8|pq [options]

Stores a bundle's item factors in another dtype; every other tensor is copied unchanged and the
gram matrix Y^T Y is recomputed from the new factors, so the device's fold-in stays exact.
A GRU bundle (or a blend with a GRU part) without item factors gets its item embeddings stored
as f32 or f16 instead (f16: half the bytes of the largest tensor), with the int8 scoring copy
recomputed from the stored values.
  --rotation auto|always|never  GRU: the int8 copy rotated to the embeddings' principal directions
                        where a simulated request says it pays (auto, the default), always, or
                        never (rotated bundles need SDK readers of format v6, or v5 where the
                        prefix is every dimension; never keeps v4 readers)
  --prefix M            GRU: the rotated copy's first pass sums the first M codes (even, 2 to d
                        rounded up to even; implies --rotation always) instead of the M a
                        simulated request picks
  f16: 2 bytes per value; int8: 1 byte per value plus a float scale per item;
  pq: product quantisation, --pq-subspaces bytes per item plus the codebooks.
Quantising factors that are already f16/int8/pq starts from their dequantised values (the losses add up).
  --pq-subspaces M      pq: subspaces (= bytes per item), divides the factor count (default 8)
  --seed N              pq: k-means seed (default 42)
  --threads N           pq: k-means threads (default: all cores)
  --model-version TEXT  version of the new bundle (default: the old one + "-" + dtype)
)";

// Writes `out` after checking that the device would load it; the check's model, or the failure.
Result<std::shared_ptr<const Model>> write_checked(const std::string& out_path, const std::vector<std::uint8_t>& out) {
  // Never write a bundle the device would reject.
  auto check = Model::load(ByteBuffer::copy_of(out.data(), out.size()));
  if (!check.ok()) return check.status();
  Status written = write_file_atomically(out_path, out.data(), out.size());
  if (!written.ok()) return written;
  return check;
}

int quantize_gru(const CommandLine& line, const Model& model, std::size_t in_size, const std::string& dtype_text) {
  if (dtype_text != "f32" && dtype_text != "f16") {
    return report_failure("quantize", Status(ErrorCode::invalid_argument, "a GRU's embeddings can be f32 or f16, not '" + dtype_text +
                                                                              "' (it scores through its own int8 copy)"));
  }
  const std::string rotation_text = line.value("rotation").value_or("auto");
  training::CopyRotation rotation = training::CopyRotation::automatic;
  if (rotation_text == "always") {
    rotation = training::CopyRotation::always;
  } else if (rotation_text == "never") {
    rotation = training::CopyRotation::never;
  } else if (rotation_text != "auto") {
    return report_failure("quantize", Status(ErrorCode::invalid_argument, "--rotation is auto, always or never, not '" + rotation_text + "'"));
  }
  const std::size_t padded = gru_kernels::padded_dimensions(model.gru()->hidden_size());
  auto prefix = line.integer("prefix", 0, 2, static_cast<long long>(padded));
  if (!prefix.ok()) return report_failure("quantize", prefix.status());
  if (line.value("prefix").has_value()) {
    if (prefix.value() % 2 != 0) {
      return report_failure("quantize", Status(ErrorCode::invalid_argument, "--prefix must be even, between 2 and " + std::to_string(padded)));
    }
    if (rotation == training::CopyRotation::never) {
      return report_failure("quantize", Status(ErrorCode::invalid_argument, "--prefix needs a rotated copy, not --rotation never"));
    }
    rotation = training::CopyRotation::always;
  }
  const std::string version = line.value("model-version").value_or(model.version() + "-" + dtype_text);
  const std::vector<std::uint8_t> out =
      training::rewrite_gru_embeddings(model.bundle(), *model.gru(), dtype_text == "f16" ? DType::f16 : DType::f32, version,
                                       training::CopyChoice(rotation, static_cast<std::uint32_t>(prefix.value())));
  const std::string out_path = *line.value("out");
  auto check = write_checked(out_path, out);
  if (!check.ok()) return report_failure("quantize", check.status());
  const std::size_t written_prefix = check.value()->gru()->quantised().prefix_dimensions;
  const std::string copy = written_prefix == 0 ? "plain int8 copy" : "int8 copy rotated, prefix " + std::to_string(written_prefix);
  std::printf("wrote %s: %s GRU embeddings (d=%zu, %s); bundle %zu -> %zu bytes, version %s\n", out_path.c_str(), dtype_text.c_str(),
              model.gru()->hidden_size(), copy.c_str(), in_size, out.size(), version.c_str());
  return 0;
}

int quantize(const CommandLine& line) {
  auto in_path = line.required("in");
  if (!in_path.ok()) return report_failure("quantize", in_path.status());
  auto out_path = line.required("out");
  if (!out_path.ok()) return report_failure("quantize", out_path.status());
  auto dtype_text = line.required("dtype");
  if (!dtype_text.ok()) return report_failure("quantize", dtype_text.status());
  auto dtype = parse_dtype(dtype_text.value());
  if (!dtype.ok()) return report_failure("quantize", dtype.status());
  training::QuantisationOptions options;
  auto subspaces = line.integer("pq-subspaces", static_cast<long long>(options.pq_subspaces), 1, 256);
  auto seed = line.integer("seed", 42, 0, INT64_MAX);
  auto threads = line.integer("threads", std::max(1U, std::thread::hardware_concurrency()), 1, 64);
  for (const Status* status : {&subspaces.status(), &seed.status(), &threads.status()}) {
    if (!status->ok()) return report_failure("quantize", *status);
  }
  options.pq_subspaces = static_cast<std::size_t>(subspaces.value());
  options.seed = static_cast<std::uint64_t>(seed.value());
  options.threads = static_cast<unsigned>(threads.value());

  auto bytes = read_binary_file(in_path.value());
  if (!bytes.ok()) return report_failure("quantize", bytes.status());
  const std::size_t in_size = bytes.value().size();
  auto model = Model::load(std::move(bytes).value());
  if (!model.ok()) return report_failure("quantize", model.status());
  const ItemFactors* factors = model.value()->item_factors();
  if (factors == nullptr && model.value()->gru() != nullptr) return quantize_gru(line, *model.value(), in_size, dtype_text.value());
  if (factors == nullptr) {
    return report_failure("quantize", Status(ErrorCode::invalid_argument, "'" + in_path.value() +
                                                                              "' has no item factors (train with --algo mf or --with-mf) or GRU embeddings"));
  }
  if (factors->dtype() != FactorDType::f32) {
    std::fprintf(stderr, "warning: the factors are already %s; quantising their dequantised values\n",
                 std::string(factor_dtype_name(factors->dtype())).c_str());
  }
  const std::size_t n = factors->item_count();
  const std::size_t k = factors->dim();
  std::vector<float> rows(n * k);
  for (std::size_t item = 0; item < n; ++item) factors->row(static_cast<std::uint32_t>(item), rows.data() + item * k);
  auto quantised = training::quantise_factors(rows, n, k, dtype.value(), options);
  if (!quantised.ok()) return report_failure("quantize", quantised.status());
  const std::string version = line.value("model-version").value_or(model.value()->version() + "-" + dtype_text.value());
  const std::vector<std::uint8_t> out =
      training::rewrite_with_factors(model.value()->bundle(), quantised.value(), factors->hyperparameters(), version);
  auto check = write_checked(out_path.value(), out);
  if (!check.ok()) return report_failure("quantize", check.status());
  const ItemFactors* stored = check.value()->item_factors();
  std::printf("wrote %s: %s factors, %llu bytes (%.2f per item); bundle %zu -> %zu bytes, version %s\n", out_path.value().c_str(),
              dtype_text.value().c_str(), static_cast<unsigned long long>(stored->factor_bytes()),
              static_cast<double>(stored->factor_bytes()) / static_cast<double>(n), in_size, out.size(), version.c_str());
  return 0;
}

}  // namespace

int run_quantize(const std::vector<std::string>& arguments) {
  auto line = CommandLine::parse(arguments, {"in", "out", "dtype", "pq-subspaces", "seed", "threads", "model-version", "rotation", "prefix"}, {"help"});
  if (!line.ok()) return report_failure("quantize", line.status());
  if (line.value().has("help")) {
    std::fputs(kQuantizeHelp, stdout);
    return 0;
  }
  return quantize(line.value());
}

}  // namespace shelfwise::cli
