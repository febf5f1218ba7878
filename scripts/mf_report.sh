#!/usr/bin/env bash
# Popularity vs fold-in ALS vs full-retrain ALS on the real per-user datasets (../shared/data:
# amazon-games, movielens-100k), next-for-user HR@10 / NDCG@10 on the validation split.
#   full retrain: ALS trained on every user's train rows (the evaluated users included), their
#                 vectors then solved against the final item factors;
#   fold-in:      ALS trained without the evaluated users (user_id % 5 == 0 held out), who are
#                 then folded in on the "device" from their train rows alone, as a new shopper is.
# Both are scored on the same held-out fifth of the users; popularity and full retrain are also
# given for all users. Extra arguments go to `shelfwise train` (e.g. --factors 128). Working files
# (slices of the licensed data) stay in build/mf-report/, which is never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/bin/shelfwise
work=build/mf-report
metric() { "$cli" eval --protocol next-for-user --model "$1" --history "$2" --events "$3" --k 10 --threads 2 --json |
  node -e 'const m = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(`${m["hr@10"].toFixed(4)} ${m["ndcg@10"].toFixed(4)} ${m.n}`)'; }
printf '%-15s %-28s %8s %8s %6s\n' dataset model hr@10 ndcg@10 n
for dataset in amazon-games movielens-100k; do
  data=../shared/data/$dataset
  if [[ ! -f $data/train.csv ]]; then echo "NOTICE: $data is absent; skipped" >&2; continue; fi
  out=$work/$dataset
  mkdir -p "$out"
  awk -F, 'NR == 1 || ($2 % 5 != 0)' "$data/train.csv" > "$out/train_others.csv"
  awk -F, 'NR == 1 || ($2 % 5 == 0)' "$data/valid.csv" > "$out/valid_heldout.csv"
  "$cli" train --algo pop --events "$data/train.csv" --out "$out/pop.swm" >/dev/null 2>&1
  "$cli" train --algo mf --events "$data/train.csv" --out "$out/full.swm" --threads 2 "$@" >/dev/null 2>&1
  "$cli" train --algo mf --events "$out/train_others.csv" --out "$out/foldin.swm" --threads 2 "$@" >/dev/null 2>&1
  printf '%-15s %-28s %s\n' "$dataset" "popularity, all users" "$(metric "$out/pop.swm" "$data/train.csv" "$data/valid.csv")"
  printf '%-15s %-28s %s\n' "$dataset" "full-retrain ALS, all users" "$(metric "$out/full.swm" "$data/train.csv" "$data/valid.csv")"
  printf '%-15s %-28s %s\n' "$dataset" "popularity, held-out 1/5" "$(metric "$out/pop.swm" "$data/train.csv" "$out/valid_heldout.csv")"
  printf '%-15s %-28s %s\n' "$dataset" "full-retrain ALS, held-out" "$(metric "$out/full.swm" "$data/train.csv" "$out/valid_heldout.csv")"
  printf '%-15s %-28s %s\n' "$dataset" "fold-in ALS, held-out" "$(metric "$out/foldin.swm" "$data/train.csv" "$out/valid_heldout.csv")"
done
