#!/usr/bin/env bash
# Fuzzing the pure core with cargo-fuzz (libFuzzer; needs the nightly toolchain).
#
#   scripts/fuzz.sh                  replays every committed seed (fuzz/seeds/<target>/) through
#                                    its target once: a quick check that none crashes
#   scripts/fuzz.sh --time N         fuzzes each target for N seconds, one after the other,
#                                    from fuzz/corpus/<target>/ (kept, not committed) and the
#                                    seeds; a crash stops it and lands in fuzz/artifacts/<target>/
#   scripts/fuzz.sh [...] TARGET...  only these targets
#
# Targets (fuzz/fuzz_targets/, their checks in fuzz/checks.rs, shared with tests/fuzz_seeds.rs):
#   token        bytes as the JWT text: its parts and claims under every profile, then loginUser at several
#                moments and leeways (an accepted token has fresh time left; a refusal names a
#                known reason and detail; stored, it restores the same)
#   token_parts  header NUL payload [NUL signature], each base64url-encoded, into the same checks
#   answer       2 bytes status (LE), 1 byte redirected, body: the endpoint answer's reader
#   record       the stored record's rules against serde_json's reading of it
# `cargo test` replays the same seeds on stable (tests/fuzz_seeds.rs); this script needs nightly.
# Installs cargo-fuzz and the nightly toolchain when missing. Runs under `nice`.
set -euo pipefail
cd "$(dirname "$0")/.."

all=(token token_parts answer record)
time=""
targets=()
while (($#)); do
  case "$1" in
    --time) time="${2:?--time needs a number of seconds}"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=("${all[@]}")

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

for t in "${targets[@]}"; do
  if [[ -z "$time" ]]; then
    echo "== $t: replaying fuzz/seeds/$t"
    nice -n 10 cargo +nightly fuzz run --fuzz-dir fuzz "$t" "fuzz/seeds/$t" -- -runs=0
  else
    echo "== $t: fuzzing for $time s"
    mkdir -p "fuzz/corpus/$t"
    # New inputs go to the first folder, the corpus; the seeds are read only. Inputs are kept
    # short (the seeds' big cases are replayed whole by the replay and by cargo test); an input
    # that takes 10 s counts as a crash.
    nice -n 10 cargo +nightly fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
      -max_total_time="$time" -max_len=4096 -timeout=10 -print_final_stats=1
  fi
done
