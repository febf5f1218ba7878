#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) and runs each for a bounded
# time from its seed corpus. New inputs go to build/fuzz/corpus (the committed seeds stay as they
# are). Fails on any crash, leak or undefined behaviour; prints the executions of each target.
#   FUZZ_SECONDS=30 bash scripts/fuzz.sh [target...]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p build/fuzz
build_started=$SECONDS
if ! { cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DSHELFWISE_FUZZ=ON &&
       cmake --build build/fuzz -j"$jobs"; } >build/fuzz/build.log 2>&1; then
  tail -40 build/fuzz/build.log
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
echo "fuzz: built in $((SECONDS - build_started)) s"
targets=("$@")
((${#targets[@]})) || targets=(bundle_reader interaction_log catalog rules manifest edge_request)
failed=0
passed=0
for target in "${targets[@]}"; do
  corpus=build/fuzz/corpus/$target
  mkdir -p "$corpus" "build/fuzz/crashes/$target"
  log=build/fuzz/$target.log
  if build/fuzz/bin/${target}_fuzz "$corpus" "tests/fuzz/corpus/$target" -max_total_time="$seconds" \
      -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="build/fuzz/crashes/$target/" -print_final_stats=1 >"$log" 2>&1; then
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
