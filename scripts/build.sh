#!/usr/bin/env bash
# npm run build: the release SDK in dist/ (see scripts/package.sh for what goes in it).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --target wasm32-unknown-unknown --lib --features dist
bash scripts/package.sh target/wasm32-unknown-unknown/release/messenger_auth.wasm dist
