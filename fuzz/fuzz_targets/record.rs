//! Fuzz target `record`: see `fuzz/checks.rs` (`checks::record`) for the input format and the checks.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::record(data));
