#!/usr/bin/env bash
# The one sanitized build of the project (build/asan/): clang with AddressSanitizer +
# UndefinedBehaviorSanitizer and libFuzzer's coverage, holding both the Catch2 suite
# (scripts/sanitize.sh) and the fuzz targets (scripts/fuzz.sh). One tree compiles the core once
# for both; gcc's sanitizer build of the suite alone took 14.5 minutes of a CI run, clang's of
# everything takes about a third of that.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p build/asan
started=$SECONDS
if ! { cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DSHELFWISE_FUZZ=ON &&
       cmake --build build/asan -j"$jobs" --target shelfwise_tests shelfwise bundle_reader_fuzz interaction_log_fuzz \
         catalog_fuzz rules_fuzz manifest_fuzz edge_request_fuzz; } >build/asan/build.log 2>&1; then
  tail -40 build/asan/build.log
  exit 1
fi
echo "sanitizer build: up to date after $((SECONDS - started)) s"
