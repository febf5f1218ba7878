#!/usr/bin/env bash
# npm start: install what is missing, build, train the sample models, serve the demo on :8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh --no-setup
bash scripts/sample_models.sh
exec node demo/server.mjs --port "${PORT:-8080}" --models build/demo/models --shop build/demo/shop \
  --published build/demo/published --keys build/demo/keys
