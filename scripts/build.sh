#!/usr/bin/env bash
# npm run build: the release SDK in dist/, in the standard steps of a Rust/wasm build:
#   1. cargo build --release for wasm32-unknown-unknown
#   2. wasm-bindgen (the CLI at Cargo.lock's version, which scripts/setup.sh installs): the .wasm
#      and its JavaScript glue, in target/bindgen/
#   3. wasm-opt -Oz (npm binaryen; Debian's older binaryen breaks the wasm)
#   4. esbuild bundles the glue with www/sdk/ into dist/messenger.js (classic script) and
#      dist/messenger.mjs (ES module), minified (scripts/bundle.mjs)
# Nothing reads or rewrites the glue: upgrading wasm-bindgen is a change to Cargo.toml and
# Cargo.lock alone.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --target wasm32-unknown-unknown --lib
rm -rf target/bindgen dist
mkdir -p dist
wasm-bindgen target/wasm32-unknown-unknown/release/messenger_auth.wasm --target web \
  --out-dir target/bindgen --out-name messenger --no-typescript \
  --remove-name-section --remove-producers-section
# wasm-opt enables the features rustc compiled for, from the wasm's target_features section.
# --converge repeats -Oz until nothing shrinks. --low-memory-unused lets it fold constant offsets
# into loads and stores: true here, as rustc puts the stack first, growing down from 1 MiB, so
# the first KiB is never addressed. --generate-global-effects tells a last -Oz which functions
# have no effects, so that calls whose results go unused can go too. (-316 bytes of gzip in all.)
node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused --generate-global-effects -Oz --converge \
  --strip-target-features target/bindgen/messenger_bg.wasm -o dist/messenger_bg.wasm
node scripts/bundle.mjs
node scripts/make-stub.mjs
bash scripts/size.sh dist
