#!/usr/bin/env bash
# Turns the crate's release wasm into dist/: wasm-bindgen's web glue (both entries are assembled
# from it), wasm-opt, then the JavaScript assembly (scripts/assemble.mjs).
# Usage: package.sh <crate.wasm> <dist-dir>
set -euo pipefail
cd "$(dirname "$0")/.."
wasm_in=$1
dist=$2
work=target/bindgen
wasm_opt=node_modules/.bin/wasm-opt # npm binaryen 132: Debian's 108 breaks the wasm

[ -f "$wasm_in" ] || { echo "package: $wasm_in not found" >&2; exit 1; }
[ -x "$wasm_opt" ] || { echo "package: $wasm_opt missing: run scripts/setup.sh" >&2; exit 1; }

rm -rf "$work" "$dist"
mkdir -p "$work" "$dist"
wasm-bindgen "$wasm_in" --target web --out-dir "$work/web" --out-name messenger \
  --remove-name-section --remove-producers-section --no-typescript

# Short import and export names, the same in the .wasm and in the glue.
node scripts/lib/short-names.mjs "$work/web/messenger_bg.wasm" "$work/web/messenger.js"

# Enable exactly what rustc compiled for (its target_features section), then drop that section.
flags=$(node scripts/lib/wasm-check.mjs opt-flags "$work/web/messenger_bg.wasm")
# --converge repeats -Oz until nothing shrinks (about 100 bytes of gzip). --low-memory-unused lets
# it fold constant offsets into loads and stores (160 bytes): true here, as rustc puts the stack
# first, growing down from 1 MiB, and the data above it, so the first KiB is never addressed.
# --flatten --rereloop first rebuilds the control flow from scratch, which -Oz then packs tighter
# than rustc's (150 bytes). --generate-global-effects then tells a last -Oz which functions have
# no effects, so that calls whose results go unused can go too (60 bytes). npm test's end-to-end
# suite runs on this output.
passes="--flatten --rereloop -Oz --converge --low-memory-unused --generate-global-effects -Oz --converge"
echo "package: wasm-opt $passes $flags"
# shellcheck disable=SC2086 # passes and flags are lists of words
"$wasm_opt" $passes $flags --strip-target-features "$work/web/messenger_bg.wasm" -o "$dist/messenger_bg.wasm"
node scripts/lib/wasm-check.mjs optimized "$work/web/messenger_bg.wasm" "$dist/messenger_bg.wasm"

node scripts/assemble.mjs "$work" "$dist"
node scripts/make-stub.mjs
bash scripts/size.sh "$dist"
