#!/usr/bin/env bash
# The Catch2 suite built with AddressSanitizer + UndefinedBehaviorSanitizer (build/asan/, shared
# with the fuzz targets). The real-data quality test is left out: it measures the model, not
# memory safety, and is slow under the sanitizers.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/sanitizer_build.sh || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build/asan/bin/shelfwise_tests '~[real-data]' --reporter compact 2>&1 | tail -5
exit "${PIPESTATUS[0]}"
