#!/usr/bin/env bash
# Runs each libFuzzer target of tests/fuzz (built with ASan + UBSan in build/asan/) for a bounded
# time from its seed corpus, as many at once as there are cores. New inputs go to
# build/asan/fuzz/corpus (the committed seeds stay as they are). Fails on any crash, leak or
# undefined behaviour; prints the executions of each target.
#   FUZZ_SECONDS=30 bash scripts/fuzz.sh [target...]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
jobs=$(nproc 2>/dev/null || echo 2)
if ! bash scripts/sanitizer_build.sh; then
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
targets=("$@")
((${#targets[@]})) || targets=(bundle_reader interaction_log catalog rules manifest edge_request)
out=build/asan/fuzz

# Runs one target; its exit status lands in $out/<target>.status for the report below.
fuzz_target() {
  local target=$1 corpus=$out/corpus/$1
  mkdir -p "$corpus" "$out/crashes/$target"
  build/asan/bin/${target}_fuzz "$corpus" "tests/fuzz/corpus/$target" -max_total_time="$seconds" \
    -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$out/crashes/$target/" -print_final_stats=1 >"$out/$target.log" 2>&1
  echo $? >"$out/$target.status"
}

mkdir -p "$out"
for target in "${targets[@]}"; do
  rm -f "$out/$target.status"
  fuzz_target "$target" &
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n; done
done
wait

failed=0
passed=0
for target in "${targets[@]}"; do
  log=$out/$target.log
  if [[ $(cat "$out/$target.status" 2>/dev/null) == 0 ]]; then
    runs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    echo "fuzz $target: ok, ${runs:-?} executions in ${seconds} s"
    passed=$((passed + 1))
  else
    echo "fuzz $target: FAILED (see $log)"
    tail -30 "$log"
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
