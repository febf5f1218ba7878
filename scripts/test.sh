#!/usr/bin/env bash
# npm test: install what is missing, build both flavours, run the Catch2 suite (ctest) and the
# node:test suites (SDK against the real .wasm, the demo in Debian's chromium), the C++ suite
# again under ASan + UBSan, and each fuzz target for a bounded time; then one closing summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
# Each phase's wall time goes to build/test-logs/phases.log for the closing summary: CI has a
# budget, and this says which phase to make cheaper.
started=$SECONDS
phase() {  # phase <name>: records the time since the previous mark under <name>
  echo "$1 $((SECONDS - started))" >>build/test-logs/phases.log
  started=$SECONDS
}
mkdir -p build/test-logs
: >build/test-logs/phases.log
bash scripts/setup.sh || exit 1
phase setup
bash scripts/build.sh --no-setup || exit 1
phase build
bash scripts/sample_models.sh >/dev/null || exit 1
phase sample-models

[[ -d ../shared/data ]] || echo "NOTICE: ../shared/data is absent: the real-data tests skip"
echo "== C++ (ctest) =="
ctest --test-dir build --output-on-failure -j2 2>&1 | tee build/test-logs/ctest.log
ctest_status=${PIPESTATUS[0]}
phase ctest

echo "== JS SDK and demo in chromium (node:test) =="
node --test --test-reporter=spec --test-reporter-destination=stdout tests/js/*.test.mjs tests/browser/*.test.mjs 2>&1 | tee build/test-logs/node.log
node_status=${PIPESTATUS[0]}
phase node-test

echo "== C++ under AddressSanitizer + UndefinedBehaviorSanitizer =="
bash scripts/sanitize.sh 2>&1 | tee build/test-logs/sanitize.log
sanitize_status=${PIPESTATUS[0]}
phase sanitize

echo "== fuzzing (libFuzzer, ${FUZZ_SECONDS:-30} s per target) =="
bash scripts/fuzz.sh 2>&1 | tee build/test-logs/fuzz.log
fuzz_status=${PIPESTATUS[0]}
phase fuzz

node scripts/test_summary.mjs build/test-logs
if ((ctest_status != 0 || node_status != 0 || sanitize_status != 0 || fuzz_status != 0)); then exit 1; fi
