#!/usr/bin/env bash
# Installs what building and testing need; each step is skipped when already in place, so a
# second run takes about a second. Never downloads a browser: Chromium comes from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
say() { echo "setup: $*"; }

# Root needs no sudo (CI and these machines); a developer's own machine may.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. The Rust wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. The wasm-bindgen CLI (and its test runner) at exactly the version Cargo.lock resolves:
# the glue and the crate must agree, or the generated bindings fail at run time.
lock_version() {
  [ -f Cargo.lock ] || return 0
  awk '/^\[\[package\]\]/ { name = "" }
       /^name = / { name = $3 }
       /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}
want=$(lock_version)
if [ -z "$want" ]; then
  # No lock yet, or one that predates the dependency: let cargo resolve without upgrading others.
  cargo metadata --format-version 1 >/dev/null
  want=$(lock_version)
fi
[ -n "$want" ] || { echo "setup: Cargo.lock has no wasm-bindgen package" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  # Not --locked: the CLI's own lock pins a webpki-roots release the registry lacks.
  say "installing wasm-bindgen-cli $want (found: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want"
fi

# 3. Debian's Chromium and its driver, for wasm-bindgen-test and Playwright.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian chromium and chromium-driver"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

# 4. npm devDependencies (Playwright, binaryen's wasm-opt, terser). npm writes
# node_modules/.package-lock.json on every install: it marks the last one.
marker=node_modules/.package-lock.json
if [ ! -f package-lock.json ]; then
  say "npm install (no package-lock.json yet)"
  npm install --no-audit --no-fund
elif [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
  touch "$marker"
fi

say "ok (wasm-bindgen $want, $(/usr/bin/chromium --version 2>/dev/null | awk '{print $1, $2}'))"
