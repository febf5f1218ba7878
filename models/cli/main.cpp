#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace {

constexpr const char* kUsage = R"(usage: shelfwise <command> [options]

commands:
  train     --algo pop|itemknn|sknn|mf|blend --events train.csv [--catalog catalog.csv] [--valid valid.csv] --out model.swm
            [--segments K] [--propensity]
  eval      --model model.swm --events test.csv [--k 20] [--json] [--threads N]
            [--protocol next-for-user --history train.csv]   (per-user HR@k / NDCG@k of the fold-in)
            [--protocol propensity --history train.csv]      (AUC and calibration of the propensity models)
  features  --model model.swm --events shopper.csv [--now T] [--hour H] [--device D] [--json]   (what the device computes)
  quantize  --in model.swm --out small.swm --dtype f32|f16|int8|pq   (item factors in another dtype)
  inspect   model.swm [--json]
  generate  --out DIR [--seed N] [--items N] [--sessions N]   (a synthetic shop: catalog, train, valid, test)
  keygen    --out DIR   (ECDSA P-256 signing-key.pem and public-key.pem for signed manifests)
  publish   --bundle model.swm --dir out/ --key signing-key.pem [--channel stable] | --dir out/ --key KEY --rollback VERSION

`shelfwise <command> --help` lists every option of a command.
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  const std::vector<std::string> arguments(argv + 2, argv + argc);
  if (command == "train") return shelfwise::cli::run_train(arguments);
  if (command == "eval") return shelfwise::cli::run_eval(arguments);
  if (command == "inspect") return shelfwise::cli::run_inspect(arguments);
  if (command == "generate") return shelfwise::cli::run_generate(arguments);
  if (command == "keygen") return shelfwise::cli::run_keygen(arguments);
  if (command == "publish") return shelfwise::cli::run_publish(arguments);
  if (command == "features") return shelfwise::cli::run_features(arguments);
  if (command == "quantize") return shelfwise::cli::run_quantize(arguments);
  std::fprintf(stderr, "shelfwise: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}
