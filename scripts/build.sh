#!/usr/bin/env bash
# Builds both flavours of the project: native (build/: core, CLI at build/bin/shelfwise, Catch2
# tests) and Emscripten (build/emscripten/ -> js/dist/shelfwise_core.{js,wasm}), then the SDK's
# one-file Node bundle (js/dist/shelfwise.js).
# `--no-setup` skips the install step (the other scripts run it themselves first).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ ${1:-} == --no-setup ]] || bash scripts/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"

# Debian's Emscripten runs its JS optimiser with Debian's acorn, found through NODE_PATH.
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S . -B build/emscripten -DCMAKE_BUILD_TYPE=Release -DEigen3_DIR=/usr/share/eigen3/cmake >/dev/null
cmake --build build/emscripten -j"$jobs"
node scripts/bundle_sdk.mjs
echo "build: native CLI at build/bin/shelfwise, wasm and the SDK's Node bundle at js/dist/"
