//! Comparing the core's JSON values with serde_json's, the reference (native tests only).

use messenger_auth::core::json::{Number, Object, Value};

/// Whether ours and the reference read the same value.
pub fn same(ours: &Value, reference: &serde_json::Value) -> bool {
    use serde_json::Value as R;
    match (ours, reference) {
        (Value::Null, R::Null) => true,
        (Value::Bool(a), R::Bool(b)) => a == b,
        (Value::String(a), R::String(b)) => a == b,
        (Value::Number(a), R::Number(b)) => same_number(*a, b),
        (Value::Array(a), R::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Object(a), R::Object(b)) => same_object(a, b),
        _ => false,
    }
}

fn same_object(ours: &Object, reference: &serde_json::Map<String, serde_json::Value>) -> bool {
    ours.len() == reference.len()
        && reference
            .iter()
            .all(|(k, v)| ours.get(k).is_some_and(|o| same(o, v)))
}

fn same_number(ours: Number, reference: &serde_json::Number) -> bool {
    let integer = reference
        .as_u64()
        .map(i128::from)
        .or(reference.as_i64().map(i128::from));
    match (ours, integer) {
        (Number::Unsigned(a), Some(b)) => i128::from(a) == b,
        (Number::Negative(a), Some(b)) => -i128::from(a) == b,
        // A float, or an integer past the reference's 64 bits: as the nearest f64.
        _ => {
            let (a, b) = (ours.as_f64(), reference.as_f64().unwrap_or(f64::NAN));
            // Close in relative terms; below 1e-300 (subnormals) close in absolute terms.
            a == b || ((a - b) / b).abs() < 1e-14 || (a - b).abs() < 1e-300
        }
    }
}
