#!/usr/bin/env bash
# npm run bench [-- --json]: builds, makes the benchmark model (item-kNN on diginetica train_tr,
# tuned on valid, when ../shared/data is there; else the synthetic sample model) and prints the table.
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
  # Latency depends on the shape (items x hidden size), not on how long it trained: without a
  # model of your own (GRU_MODEL=...), one epoch at the default size is trained once and kept.
  gru_model=${GRU_MODEL:-build/bench/diginetica-gru.swm}
  if [[ ! -f $gru_model || ( -z ${GRU_MODEL:-} && $cli -nt $gru_model ) ]]; then
    nice -n 10 "$cli" train --algo gru --events "$data/train_tr.csv" --epochs 1 --out "$gru_model" >&2
  fi
else
  echo "NOTICE: ../shared/data is absent: benchmarking the synthetic sample model instead" >&2
  model=build/demo/models/itemknn.swm
  events=build/demo/shop/test.csv
  dataset="synthetic shop (seed 42)"
  gru_model=${GRU_MODEL:-build/bench/shop-gru.swm}
  if [[ ! -f $gru_model || ( -z ${GRU_MODEL:-} && $cli -nt $gru_model ) ]]; then
    mkdir -p build/bench
    "$cli" train --algo gru --events build/demo/shop/train.csv --epochs 3 --out "$gru_model" >&2
  fi
fi
exec node scripts/bench.mjs --model "$model" --events "$events" --dataset "$dataset" --gru-model "$gru_model" "$@"
