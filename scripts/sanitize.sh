#!/usr/bin/env bash
# The Catch2 suite built with AddressSanitizer + UndefinedBehaviorSanitizer (build/sanitize/).
# The real-data quality test is left out: it measures the model, not memory safety, and is slow
# under the sanitizers.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p build/sanitize
build_started=$SECONDS
if ! { cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHELFWISE_SANITIZE=ON &&
       cmake --build build/sanitize -j"$jobs" --target shelfwise_tests shelfwise; } >build/sanitize/build.log 2>&1; then
  tail -40 build/sanitize/build.log
  exit 1
fi
echo "sanitize: built in $((SECONDS - build_started)) s"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build/sanitize/bin/shelfwise_tests '~[real-data]' --reporter compact 2>&1 | tail -5
exit "${PIPESTATUS[0]}"
