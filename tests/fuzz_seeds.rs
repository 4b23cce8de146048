#![cfg(not(target_arch = "wasm32"))]
//! Replays every committed fuzz seed (`fuzz/seeds/<target>/*`) through the checks of its fuzz
//! target (`fuzz/checks.rs`, shared with `fuzz/fuzz_targets/`), so that `cargo test` runs them on
//! stable without cargo-fuzz. Crashes the fuzzer found are also named below as regressions.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on every seed of `target`; reports every failing file, not just the first.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    let failed: Vec<String> = files
        .iter()
        .filter(|file| {
            let data = std::fs::read(file).unwrap();
            std::panic::catch_unwind(|| check(&data)).is_err()
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(failed.is_empty(), "seeds that fail: {failed:#?}");
}

#[test]
fn token_seeds() {
    replay("token", checks::token);
}

#[test]
fn token_parts_seeds() {
    replay("token_parts", checks::token_parts);
}

#[test]
fn answer_seeds() {
    replay("answer", checks::answer);
}

#[test]
fn record_seeds() {
    replay("record", checks::record);
}
