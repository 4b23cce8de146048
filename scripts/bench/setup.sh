#!/usr/bin/env bash
# What npm run bench needs beyond scripts/setup.sh: twiggy, which lists the wasm's functions by
# size for the table of what each dependency costs. Installed once (about a minute).
set -euo pipefail
if ! command -v twiggy >/dev/null 2>&1; then
  echo "bench: installing twiggy"
  cargo install twiggy --version 0.8.0
fi
