#!/usr/bin/env bash
# npm test: every test layer, cheapest first; stops at the first failure with a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# chromedriver and Playwright leave browser profiles in TMPDIR: keep them inside this run.
export TMPDIR="$PWD/target/tmp"
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR"

step() { printf '\n== %s\n' "$*"; }

server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
trap stop_server EXIT

# Starts tests/server/server.mjs on a free port; sets server_pid and server_url (no trailing /).
start_server() {
  local log="$TMPDIR/server.log"
  node tests/server/server.mjs --port 0 >"$log" 2>&1 & # a plain `cmd &`: $! is the server itself
  server_pid=$!
  for _ in $(seq 100); do
    server_url=$(head -n1 "$log")
    if [[ $server_url == http://* ]]; then
      server_url=${server_url%/}
      return
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  echo "test: the test server did not start" >&2
  exit 1
}

browser_tests() {
  if ! compgen -G "tests/browser_*.rs" >/dev/null; then
    echo "no tests/browser_*.rs yet: nothing to run"
    return
  fi
  start_server
  # The tests read the server's address at compile time (option_env!). The runner's default
  # limit of 20 s per test file is too tight for the timer tests, which wait in real time.
  MESSENGER_TEST_SERVER="$server_url" CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
    cargo test --target wasm32-unknown-unknown --test 'browser_*'
  stop_server
}

step "src/core stays free of browser bindings"
bash scripts/check-core-pure.sh

step "setup"
bash scripts/setup.sh

step "JavaScript unit tests (loader queue, stub, test server, tokens)"
node scripts/make-stub.mjs --check # the committed snippet is stub.js minified
node --test tests/js/

step "typings (tsc on tests/types against www/sdk/messenger.d.ts)"
node_modules/.bin/tsc -p tests/types
echo "typings: ok"

step "native tests (cargo test)"
cargo test

step "messaging emulator rules (cargo test -p messenger-emulator)"
cargo test -p messenger-emulator

# Also builds target/debug/messenger-demo-server, the binary `npm start` runs and the demo's
# end-to-end specs (tests/e2e/demo.spec.mjs, emulator-*.spec.mjs) start.
step "demo server tests (cargo test -p messenger-demo-server)"
cargo test -p messenger-demo-server

step "release build (dist/)"
bash scripts/build.sh
node scripts/check-size.mjs --ratchet # the size budget, as a ratchet while it is missed

step "browser tests (wasm-bindgen-test in headless Chromium)"
browser_tests

step "end-to-end tests (Playwright, Debian Chromium)"
node_modules/.bin/playwright test
