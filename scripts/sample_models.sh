#!/usr/bin/env bash
# The demo's models: a seeded synthetic shop (never the licensed real data), trained into
# build/demo/models/, then published (signed) into build/demo/published/ with a key generated into
# build/demo/keys/ (never committed). Each step is skipped when its output is newer than its input.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/demo
cli=build/bin/shelfwise
if [[ -f $out/models/itemknn.swm && $out/models/itemknn.swm -nt $cli ]]; then
  echo "sample models: up to date in $out/models"
else
  mkdir -p "$out/models"
  "$cli" generate --out "$out/shop" --seed 42 --items 3000 --sessions 30000
  "$cli" train --algo pop --events "$out/shop/train.csv" --catalog "$out/shop/catalog.csv" --out "$out/models/pop.swm"
  "$cli" train --algo itemknn --events "$out/shop/train.csv" --catalog "$out/shop/catalog.csv" \
    --valid "$out/shop/valid.csv" --segments 8 --propensity --out "$out/models/itemknn.swm"
  "$cli" eval --model "$out/models/itemknn.swm" --events "$out/shop/test.csv" --k 20
fi
[[ -f $out/keys/signing-key.pem ]] || "$cli" keygen --out "$out/keys"
if [[ -f $out/published/stable/manifest.json && $out/published/stable/manifest.json -nt $out/models/itemknn.swm ]]; then
  echo "sample models: published channel up to date in $out/published"
else
  "$cli" publish --bundle "$out/models/itemknn.swm" --dir "$out/published" --key "$out/keys/signing-key.pem" --channel stable
fi
