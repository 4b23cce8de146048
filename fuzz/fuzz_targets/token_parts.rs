//! Fuzz target `token_parts`: see `fuzz/checks.rs` (`checks::token_parts`) for the input format and the checks.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::token_parts(data));
