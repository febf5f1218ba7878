#!/usr/bin/env bash
# Builds the 100,000-item matrix-factorisation bundles the benchmark measures (cached in
# build/bench/mf100k/): a seeded synthetic shop of 100,000 items, ALS item factors, and the same
# factors stored as f32, f16, int8 and pq (8 bytes per item); no catalogue attributes (titles
# are the shop's data, not the model's). Prints the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/bin/shelfwise
out=build/bench/mf100k
if [[ ! -f $out/mf-pq.swm || $cli -nt $out/mf-pq.swm ]]; then
  mkdir -p "$out"
  [[ -f $out/shop/train.csv ]] || "$cli" generate --out "$out/shop" --seed 42 --items 100000 --sessions 600000 --users 60000 >&2
  "$cli" train --algo mf --events "$out/shop/train.csv" --factors 32 --iterations 8 \
    --regularisation 5 --alpha 10 --out "$out/mf-f32.swm" --model-version mf100k-f32 >&2
  # Returning shoppers only: anonymous sessions have no history and would dilute the quality cost.
  awk -F, 'NR == 1 || $2 != ""' "$out/shop/valid.csv" > "$out/shop/valid_users.csv"
  for dtype in f16 int8 pq; do
    "$cli" quantize --in "$out/mf-f32.swm" --out "$out/mf-$dtype.swm" --dtype "$dtype" --pq-subspaces 8 --model-version "mf100k-$dtype" >&2
  done
fi
echo "$out"
