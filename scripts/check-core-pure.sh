#!/usr/bin/env bash
# The core decides and knows nothing of the browser (DESIGN.md): fail if src/core mentions a
# browser binding crate, even in a comment, so the rule stays plain to see.
set -euo pipefail
cd "$(dirname "$0")/.."
if grep -rnE '\b(wasm[-_]bindgen|web[-_]sys|js[-_]sys|gloo)' src/core; then
  echo "check-core-pure: src/core must not mention wasm_bindgen, web_sys, js_sys or gloo (lines above)" >&2
  exit 1
fi
echo "check-core-pure: ok"
