#!/usr/bin/env bash
# npm start: build the SDK, then serve the demo (www/) and dist/ on 127.0.0.1 (PORT, default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
echo "demo: open the URL below; Ctrl-C stops the server"
exec node tests/server/server.mjs --port "${PORT:-8080}"
