#!/usr/bin/env bash
# npm run bench [-- --json]: builds, makes the benchmark model (item-kNN on diginetica train_tr,
# tuned on valid, when ../shared/data is there; else the synthetic sample model) and the 100,000-item
# matrix-factorisation bundles (scripts/mf_bundles.sh, cached), and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
bash scripts/build.sh --no-setup >&2
bash scripts/sample_models.sh >&2
cli=build/bin/shelfwise
data=../shared/data/diginetica
if [[ -f $data/train_tr.csv ]]; then
  model=build/bench/diginetica-itemknn.swm
  events=$data/valid.csv
  dataset="diginetica (train_tr -> valid)"
  if [[ ! -f $model || $cli -nt $model ]]; then
    mkdir -p build/bench
    "$cli" train --algo itemknn --events "$data/train_tr.csv" --valid "$events" --out "$model" >&2
  fi
else
  echo "NOTICE: ../shared/data is absent: benchmarking the synthetic sample model instead" >&2
  model=build/demo/models/itemknn.swm
  events=build/demo/shop/test.csv
  dataset="synthetic shop (seed 42)"
fi
mf_bundles=$(bash scripts/mf_bundles.sh)
exec node scripts/bench.mjs --model "$model" --events "$events" --dataset "$dataset" --mf-bundles "$mf_bundles" "$@"
