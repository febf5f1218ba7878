#!/usr/bin/env bash
# npm run bench [-- --json]: builds, makes the benchmark models (item-kNN, session-kNN and their
# blend on diginetica train_tr, tuned on valid, when ../shared/data is there; else on the synthetic
# sample shop) and the 100,000-item matrix-factorisation bundles (scripts/mf_bundles.sh, cached),
# and prints the table, one column per model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
bash scripts/build.sh --no-setup >&2
bash scripts/sample_models.sh >&2
cli=build/bin/shelfwise
data=../shared/data/diginetica
mkdir -p build/bench
catalog_flags=()
if [[ -f $data/train_tr.csv ]]; then
  model=build/bench/diginetica-itemknn.swm
  sknn_model=build/bench/diginetica-sknn.swm
  blend_model=build/bench/diginetica-blend.swm
  train=$data/train_tr.csv
  events=$data/valid.csv
  dataset="diginetica (train_tr -> valid)"
  if [[ ! -f $model || $cli -nt $model ]]; then
    "$cli" train --algo itemknn --events "$train" --valid "$events" --out "$model" >&2
  fi
  # Latency depends on the shape (items x hidden size), not on how long it trained: without a
  # model of your own (GRU_MODEL=...), one epoch at the default size is trained once and kept.
  gru_model=${GRU_MODEL:-build/bench/diginetica-gru.swm}
  if [[ ! -f $gru_model || ( -z ${GRU_MODEL:-} && $cli -nt $gru_model ) ]]; then
    nice -n 10 "$cli" train --algo gru --events "$data/train_tr.csv" --epochs 1 --out "$gru_model" >&2
  fi
else
  echo "NOTICE: ../shared/data is absent: benchmarking the synthetic sample models instead" >&2
  model=build/demo/models/itemknn.swm
  sknn_model=build/bench/synthetic-sknn.swm
  blend_model=build/bench/synthetic-blend.swm
  train=build/demo/shop/train.csv
  # The sample item-kNN model knows the catalogue's items too: the session-kNN must match it to blend.
  catalog_flags=(--catalog build/demo/shop/catalog.csv)
  events=build/demo/shop/test.csv
  dataset="synthetic shop (seed 42)"
  gru_model=${GRU_MODEL:-build/bench/shop-gru.swm}
  if [[ ! -f $gru_model || ( -z ${GRU_MODEL:-} && $cli -nt $gru_model ) ]]; then
    mkdir -p build/bench
    "$cli" train --algo gru --events build/demo/shop/train.csv --epochs 3 --out "$gru_model" >&2
  fi
fi
# The edge bundle's size is measured with a model of a 10,000-item catalogue (synthetic shop).
edge10k=build/bench/edge-10k
if [[ ! -f $edge10k/itemknn.swm || $cli -nt $edge10k/itemknn.swm ]]; then
  mkdir -p "$edge10k"
  "$cli" generate --out "$edge10k/shop" --seed 7 --items 10000 --sessions 100000 >&2
  "$cli" train --algo itemknn --events "$edge10k/shop/train.csv" --catalog "$edge10k/shop/catalog.csv" \
    --recency-decay 0.7 --related-weight 0.1 --out "$edge10k/itemknn.swm" >&2
fi
valid=$(dirname "$train")/valid.csv
if [[ ! -f $sknn_model || $cli -nt $sknn_model ]]; then
  "$cli" train --algo sknn --events "$train" "${catalog_flags[@]}" --valid "$valid" --threads 2 --out "$sknn_model" >&2
fi
if [[ ! -f $blend_model || $sknn_model -nt $blend_model || $model -nt $blend_model ]]; then
  "$cli" train --algo blend --models "$model,$sknn_model" --valid "$valid" --threads 2 --out "$blend_model" >&2
fi
mf_bundles=$(bash scripts/mf_bundles.sh)
# The 100,000-item request against TF.js and ORT Web: a GRU (d=64) trained briefly on a generated
# 100,000-item shop; latency depends on the shape, not on how long it trained. Kept once made,
# unless it predates the int8 scoring copy in the bundle (gru_quantisation.hpp).
gru100k=build/bench/gru-100k
if [[ ! -f $gru100k/gru.swm ]] || ! grep -q gru.item_codes "$gru100k/gru.swm"; then
  mkdir -p "$gru100k"
  [[ -f $gru100k/shop/train.csv ]] || nice -n 10 "$cli" generate --out "$gru100k/shop" --seed 7 --items 100000 --sessions 200000 >&2
  nice -n 10 "$cli" train --algo gru --events "$gru100k/shop/train.csv" --catalog "$gru100k/shop/catalog.csv" \
    --epochs 1 --hidden-size 64 --threads 2 --out "$gru100k/gru.swm.tmp" >&2
  mv "$gru100k/gru.swm.tmp" "$gru100k/gru.swm"
elif [[ $cli -nt $gru100k/gru.swm ]]; then
  # Kept, but its int8 scoring copy (rotated or not, gru_code_rotation.hpp) is the current CLI's:
  # rewriting the f32 embeddings as they are recomputes it in seconds.
  "$cli" quantize --in "$gru100k/gru.swm" --out "$gru100k/gru.swm.tmp" --dtype f32 >&2
  mv "$gru100k/gru.swm.tmp" "$gru100k/gru.swm"
fi
# The same GRU with f16 item embeddings, for the size / speed / quality trade-off.
gru_f16_model=${gru_model%.swm}-f16.swm
if [[ ! -f $gru_f16_model || $gru_model -nt $gru_f16_model ]]; then
  "$cli" quantize --in "$gru_model" --out "$gru_f16_model" --dtype f16 >&2
fi
exec node scripts/bench.mjs --model "$sknn_model" --model "$model" --model "$blend_model" --events "$events" --dataset "$dataset" \
  --mf-bundles "$mf_bundles" --gru-model "$gru_model" --gru-f16-model "$gru_f16_model" --gru-100k "$gru100k/gru.swm" "$@"
