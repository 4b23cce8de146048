//! The browser's JSON reader, the one the wasm uses (`www/sdk/json.js` through
//! `src/browser/json.rs`), against the core's native reader (`json::parse_utf8`), which the native
//! tests and the fuzzer check against serde_json: in a real page, the same answer for every
//! hand-made case and for thousands of generated ones, valid or not, UTF-8 or not.
#![cfg(target_arch = "wasm32")]

use messenger_auth::browser::json::read;
use messenger_auth::core::json::{parse_utf8, push_string, Number, Object, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Whether the browser's reading and the native one are the same value. The browser's objects
/// keep each member of a repeated key, the native ones only the last, where it last appears:
/// the browser's is compared as that.
fn same(browser: &Value, native: &Value) -> bool {
    match (browser, native) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(a), Value::Number(b)) => same_number(*a, *b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Object(a), Value::Object(b)) => same_object(a, b),
        _ => false,
    }
}

fn same_object(browser: &Object, native: &Object) -> bool {
    let members: Vec<(&str, &Value)> = browser.iter().collect();
    let last: Vec<&(&str, &Value)> = members
        .iter()
        .enumerate()
        .filter(|(at, (key, _))| !members[at + 1..].iter().any(|(k, _)| k == key))
        .map(|(_, member)| member)
        .collect();
    last.len() == native.len()
        && last
            .iter()
            .zip(native.iter())
            .all(|((k, v), (nk, nv))| k == &nk && same(v, nv))
}

/// Integers exactly; other numbers as the same double or, as the native reader carries no float
/// tables, within a few units in the last place. At the edge of the doubles' range (beyond
/// 1e307) the native reader may overflow to an infinity where the browser finds the nearest
/// double (as the fuzz checks say, fuzz/checks.rs): there, only the sign and the edge count.
fn same_number(browser: Number, native: Number) -> bool {
    match (browser, native) {
        (Number::Float(a), Number::Float(b)) if a.abs() > 1e307 || b.abs() > 1e307 => {
            a.signum() == b.signum() && a.abs() > 1e307 && b.abs() > 1e307
        }
        (Number::Float(a), Number::Float(b)) => {
            a.to_bits() == b.to_bits() || ((a - b) / b).abs() < 1e-14 || (a - b).abs() < 1e-300
        }
        (a, b) => a == b,
    }
}

/// Both readers on `bytes`: the same answer. Returns whether it is JSON.
fn agree(bytes: &[u8]) -> bool {
    match (read(bytes), parse_utf8(bytes)) {
        (None, None) => false,
        (Some(browser), Some(native)) => {
            assert!(
                same(&browser, &native),
                "{:?}: browser {browser:?}, native {native:?}",
                String::from_utf8_lossy(bytes)
            );
            true
        }
        (browser, native) => panic!(
            "{:?}: browser {browser:?}, native {native:?}",
            String::from_utf8_lossy(bytes)
        ),
    }
}

#[wasm_bindgen_test]
fn every_kind_of_value() {
    let text = r#" {"a": [1, -2, 3.5, 1e3, -0.25e-2, 0, 1E+2, 0e5, -0.0], "b": {"c": null, "d": true, "e": false},
                   "s": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\u0000", "": "", "é😀": "é😀", "__proto__": {}} "#;
    assert!(agree(text.as_bytes()));
    assert!(matches!(&read(text.as_bytes()), Some(Value::Object(o)) if o.len() == 6));
    for text in [
        "null",
        "true",
        "false",
        "\"\"",
        "[]",
        "{}",
        "0",
        " \t\n\r1\r\n\t ",
        "[[[]]]",
    ] {
        assert!(agree(text.as_bytes()), "{text}");
    }
}

#[wasm_bindgen_test]
fn what_is_not_json() {
    for text in [
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "[,1]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a:1}",
        "{'a':1}",
        "01",
        "-01",
        "1.",
        ".5",
        "-",
        "+1",
        "1e",
        "1e+",
        "1.e5",
        "0x10",
        "NaN",
        "Infinity",
        "-Infinity",
        "tru",
        "nul",
        "truex",
        "True",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u12G4\"",
        "\"\\U0041\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800\\n\"",
        "\"\\ud800x\"",
        "\"x\\ud800\"",
        "\"\\ud83d\\ud83d\\ude00\"",
        "\"\\ude00\\ud83d\"",
        "\"a\nb\"",
        "\"a\u{1f}b\"",
        "\"open",
        "[1] 2",
        "{} {}",
        "[1 2]",
        "[",
        "[[]",
        "{\"a\":}",
        "{\"a\"",
        "{,}",
        "[1,,2]",
        "{\"a\":1 \"b\":2}",
        "\u{feff}1",
        "\u{a0}1",
        "1\u{a0}",
        "[1]\u{0}",
    ] {
        assert!(!agree(text.as_bytes()), "{text:?}");
    }
}

#[wasm_bindgen_test]
fn bytes_that_are_not_utf8() {
    for bytes in [
        &b"\"\xc3\x28\""[..],
        b"\"\xff\"",
        b"\"a\xed\xa0\x80b\"",
        b"\"\xc0\xaf\"",
        b"\"\xe2\x82\"",
        b"\"\xf4\x90\x80\x80\"",
        b"\"\x80\"",
        b"{\"a\":1}\xff",
    ] {
        assert!(!agree(bytes), "{bytes:?}");
    }
    assert!(agree("\"\u{10ffff}\"".as_bytes()));
}

#[wasm_bindgen_test]
fn numbers_exactly_as_the_native_reader() {
    for text in [
        "18446744073709551615",
        "18446744073709551616",
        "-18446744073709551615",
        "-18446744073709551616",
        "99999999999999999999",
        "100000000000000000000",
        "9007199254740993",
        "-9007199254740993",
        "1795219200",
        "1795219200.5",
        "0.3",
        "1e400",
        "-1e999",
        "1e-400",
        "-0",
        "-0.0",
        "1.7e12",
        "123456789012345678901234567890",
        "12345678901234567890.5",
        "5e-324",
        "1.7976931348623157e308",
        "-1.7976931348623157e308",
        "0.1e1",
        "1e3",
    ] {
        agree(text.as_bytes());
    }
    let number = |text: &str| match read(text.as_bytes()) {
        Some(Value::Number(n)) => n,
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(number("18446744073709551615"), Number::Unsigned(u64::MAX));
    assert_eq!(number("-18446744073709551615"), Number::Negative(u64::MAX));
    assert_eq!(
        number("12345678901234567890"),
        Number::Unsigned(12_345_678_901_234_567_890)
    );
    assert_eq!(
        number("18446744073709551616"),
        Number::Float(18_446_744_073_709_551_616.0)
    );
    assert!(matches!(number("-0"), Number::Float(f) if f == 0.0 && f.is_sign_negative()));
    assert_eq!(number("1e999"), Number::Float(f64::INFINITY));
    assert_eq!(number("-1e400"), Number::Float(f64::NEG_INFINITY));
    // Exactly, where the native reader is within a few units in the last place.
    assert_eq!(number("1.7976931348623157e308"), Number::Float(f64::MAX));
    assert_eq!(number("5e-324"), Number::Float(5e-324));
    assert_eq!(number("1e3"), Number::Float(1000.0));
}

#[wasm_bindgen_test]
fn a_repeated_key_counts_once_with_its_last_value() {
    let text = br#"{"a":1,"b":2,"a":{"c":[3,{"d":4,"d":5}]}}"#;
    assert!(agree(text));
    let value = read(text);
    let Some(Value::Object(object)) = &value else {
        panic!("not an object")
    };
    let Some(Value::Object(a)) = object.get("a") else {
        panic!("no a")
    };
    assert!(matches!(a.get("c"), Some(Value::Array(items)) if items.len() == 2));
}

#[wasm_bindgen_test]
fn any_depth_reads_and_drops() {
    let depth = 500_000;
    for text in [
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)),
    ] {
        assert!(read(text.as_bytes()).is_some());
    }
    assert!(read("[".repeat(depth).as_bytes()).is_none());
    assert!(read(format!("{}]", "[".repeat(depth)).as_bytes()).is_none());
}

/// A linear congruential generator: the same cases on every run.
struct Cases(u64);

impl Cases {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    fn byte(&mut self, from: &[u8]) -> u8 {
        from[self.below(from.len())]
    }

    /// A valid JSON value, with white space here and there.
    fn value(&mut self, out: &mut String, depth: usize) {
        const SPACE: [&str; 6] = ["", "", "", " ", "\n\t", "\r\n "];
        out.push_str(self.pick(&SPACE));
        match self.below(if depth > 3 { 6 } else { 8 }) {
            0 => out.push_str(self.pick(&["null", "true", "false"])),
            1 | 2 => out.push_str(self.pick(&[
                "0",
                "-0",
                "7",
                "-12",
                "1795219200",
                "18446744073709551615",
                "18446744073709551616",
                "-9223372036854775809",
                "3.25",
                "-0.5e-3",
                "1E+21",
                "6.02214076e23",
                "1e999",
                "2.2250738585072014e-308",
                "123456789012345678901234567890",
            ])),
            3 => {
                let text = self.pick(&[
                    "",
                    "a",
                    "é",
                    "😀",
                    "\"q\"",
                    "\\",
                    "/",
                    "\u{0}\u{1f}\n",
                    "</script>",
                ]);
                push_string(out, text);
            }
            4 => out.push_str(self.pick(&[
                r#""\u00e9\ud83d\ude00""#,
                r#""\/\b\f\n\r\t""#,
                r#""\uD834\uDD1E x""#,
                r#""\u0000""#,
            ])),
            5 => out.push_str(self.pick(&["[]", "{}", "[ ]", "{ }"])),
            6 => {
                out.push('[');
                for i in 0..self.below(4) {
                    if i > 0 {
                        out.push(',');
                    }
                    self.value(out, depth + 1);
                }
                out.push(']');
            }
            _ => {
                out.push('{');
                for i in 0..self.below(4) {
                    if i > 0 {
                        out.push(',');
                    }
                    let key = self.pick(&["a", "b", "a", "", "__proto__", "é", "0", "1"]);
                    push_string(out, key);
                    out.push_str(self.pick(&[":", " : "]));
                    self.value(out, depth + 1);
                }
                out.push('}');
            }
        }
        out.push_str(self.pick(&SPACE));
    }
}

#[wasm_bindgen_test]
fn generated_documents_read_the_same() {
    let mut cases = Cases(20_261_121);
    let mut still_json = 0;
    for _ in 0..3_000 {
        let mut text = String::new();
        cases.value(&mut text, 0);
        assert!(agree(text.as_bytes()), "{text:?}");
        // The same document, broken in one place (most are no longer JSON; some still are).
        let mut bytes = text.into_bytes();
        let at = cases.below(bytes.len());
        match cases.below(3) {
            0 => {
                bytes.remove(at);
            }
            1 => bytes.insert(at, cases.byte(b"{}[]\",:\\-+.eE0x \x00\xff")),
            _ => bytes[at] = cases.byte(b"{}[]\",:\\u0123456789aefntrls"),
        }
        still_json += usize::from(agree(&bytes));
    }
    // Both sides of the line are well covered.
    assert!(
        (300..2_700).contains(&still_json),
        "{still_json} broken documents still JSON"
    );
}

#[wasm_bindgen_test]
fn generated_fragments_read_the_same() {
    const PIECES: [&str; 40] = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\"k\"",
        "\"v\"",
        "\\",
        "\\u",
        "\\n",
        "\\x",
        "d83d",
        "de00",
        "00e9",
        "u0041",
        "0",
        "1",
        "9",
        "-",
        "+",
        ".",
        "e",
        "E",
        "true",
        "fals",
        "null",
        " ",
        "\n",
        "\u{0}",
        "é",
        "😀",
        "18446744073709551615",
        "1e999",
        "-0",
        "0.5",
        "01",
        "\"\\ud800\"",
        "\u{feff}",
    ];
    let mut cases = Cases(7);
    let mut json = 0;
    for _ in 0..20_000 {
        let mut text = String::new();
        for _ in 0..cases.below(10) {
            text.push_str(cases.pick(&PIECES));
        }
        json += usize::from(agree(text.as_bytes()));
    }
    assert!(json > 500, "only {json} fragments are JSON");
}
