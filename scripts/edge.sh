#!/usr/bin/env bash
# npm run edge: builds, trains the sample model, writes the workerd config with the model bundled
# and runs the edge worker in workerd on http://127.0.0.1:8787 (PORT overrides).
#   MANIFEST_URL=... PUBLIC_KEY=keys/public-key.pem npm run edge   syncs from a channel instead
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh --no-setup
bash scripts/sample_models.sh
port=${PORT:-8787}
if [[ -n ${MANIFEST_URL:-} ]]; then
  node js/edge/make_config.mjs --out build/edge/config.capnp --port "$port" --manifest-url "$MANIFEST_URL" \
    --public-key "${PUBLIC_KEY:?PUBLIC_KEY (a PEM file) is needed with MANIFEST_URL}"
else
  node js/edge/make_config.mjs --out build/edge/config.capnp --port "$port" --model build/demo/models/itemknn.swm
fi
echo "shelfwise edge: http://127.0.0.1:$port/  (POST /rerank, GET /health)"
exec node_modules/.bin/workerd serve build/edge/config.capnp
