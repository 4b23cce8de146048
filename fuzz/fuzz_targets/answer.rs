//! Fuzz target `answer`: see `fuzz/checks.rs` (`checks::answer`) for the input format and the checks.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::answer(data));
