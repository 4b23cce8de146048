//! The JSON reader the shell gives the session: the SDK's own reader in JavaScript
//! (`www/sdk/json.js`, inside `messenger.js`) reads the bytes into a flat tape, and this turns the
//! tape into a `json::Value`. It reads what the core's native reader (`json::parse_utf8`) reads
//! (`tests/browser_json.rs`), which is thereby left out of the wasm with its UTF-8 check: about
//! 2.5 KB of gzip less, for 0.7 KB more in `messenger.js`.

use crate::browser::bindings::{read_json, Obj};
use crate::core::json::{Number, Object, Value};
use alloc::{string::String, vec::Vec};
use wasm_bindgen::JsCast;

/// Reads UTF-8 `bytes` as one JSON value, or `None` if they are not exactly that: the shell's
/// [`ReadJson`](crate::core::json::ReadJson).
pub fn read(bytes: &[u8]) -> Option<Value> {
    let tape = read_json(bytes);
    if tape.is_undefined() {
        return None; // not JSON
    }
    let tape: &Obj = tape.unchecked_ref();
    let tags = tape.at(0).as_string()?;
    // The values and keys of the containers still open: the tape is in post-order, so a
    // container takes its members from the ends of these. No recursion, whatever the depth.
    let mut values: Vec<Value> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for (at, tag) in (1..).zip(tags.bytes()) {
        let item = tape.at(at);
        let value = match tag {
            b'n' => Value::Null,
            b't' => Value::Bool(true),
            b'f' => Value::Bool(false),
            b'k' => {
                keys.push(item.as_string()?);
                continue;
            }
            b's' => Value::String(item.as_string()?),
            b'd' => Value::Number(Number::Float(item.as_f64()?)),
            b']' | b'}' => {
                let count = item.as_f64()? as usize;
                let members = values.split_off(values.len().checked_sub(count)?);
                if tag == b']' {
                    Value::Array(members)
                } else {
                    let names = keys.split_off(keys.len().checked_sub(count)?);
                    Value::Object(Object::from_members(names, members))
                }
            }
            _ => {
                // `u` or `-`: decimal digits within 64 bits (the reader sends larger ones as `d`).
                let magnitude = item.as_string()?.bytes().fold(0u64, |n, d| {
                    n.wrapping_mul(10)
                        .wrapping_add(u64::from(d.wrapping_sub(b'0')))
                });
                Value::Number(if tag == b'-' {
                    Number::Negative(magnitude)
                } else {
                    Number::Unsigned(magnitude)
                })
            }
        };
        values.push(value);
    }
    let value = values.pop()?;
    values.is_empty().then_some(value)
}
