#!/usr/bin/env bash
# npm start: build the SDK, then run the demo site (server/, Rust) on 127.0.0.1 (PORT, default
# 8080). Extra arguments go to the server: `npm start -- --token-ttl 120` (see its --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
# The debug profile: a fresh build takes about 28 s, against 37 s for the release profile (whose
# LTO and opt-level "z" are for the wasm), and `npm test` (cargo test) builds this same binary
# for the end-to-end test. Signing is slower (about 7 ms per ES256 token instead of 2 ms), which
# a demo that signs one token per renewal never notices.
echo "demo: building and starting the demo server (server/); a first build takes about a minute"
exec cargo run -p messenger-demo-server -- --port "${PORT:-8080}" "$@"
