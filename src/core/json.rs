//! The JSON the SDK reads (JWT parts, the endpoint's answer, the stored record) as values, the
//! reader the shell gives the session to read it ([`ReadJson`]), and the little it writes (the
//! stored record, [`push_string`]).
//!
//! [`parse`] is the native reader: the one every native test and the fuzzer give the session, and
//! the reference for the one the wasm uses (`src/browser/json.rs` over `www/sdk/json.js`, in
//! `messenger.js`), which `tests/browser_json.rs` checks against it in Chromium. It is not in the
//! wasm: reading there in JavaScript leaves out this parser, its repeated-key sort and
//! `core::str::from_utf8`, 2.5 KB of gzip. Written for this job rather than taken from a crate
//! (every JSON crate tried brings general float parsing and printing): integers exactly within
//! 64 bits, other numbers within a few units in the last place, no tables. Parsing is not
//! recursive and neither is dropping a value, so hostile nesting cannot overflow the stack. It is
//! checked against serde_json by property tests and the fuzzer.

use alloc::{string::String, vec, vec::Vec};

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Object),
}

/// A number: integers exactly (within 64 bits), anything else as the nearest `f64` or close to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    Unsigned(u64),
    /// A negative integer, by its magnitude.
    Negative(u64),
    /// A number with a fraction or an exponent, or an integer too large for 64 bits.
    Float(f64),
}

impl Number {
    /// The number as an `f64`.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Unsigned(n) => n as f64,
            Number::Negative(n) => -(n as f64),
            Number::Float(f) => f,
        }
    }
}

/// An object's members in document order. A repeated key counts once, with its last value (as
/// in `JSON.parse`): [`parse`] keeps only that member, where it last appears; the browser's reader
/// keeps each, and [`Object::get`] finds the last. Keys and values are kept apart so that
/// dropping can take the values alone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object {
    keys: Vec<String>,
    values: Vec<Value>,
}

impl Object {
    /// The value of `key` (its last, if it is there more than once).
    pub fn get(&self, key: &str) -> Option<&Value> {
        let at = self.keys.iter().rposition(|k| k == key)?;
        self.values.get(at)
    }

    /// The members, a repeated key each time it is there (only from the browser's reader).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.keys.iter().map(String::as_str).zip(&self.values)
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The object of these members, in order (as many keys as values; a key may repeat).
    pub fn from_members(keys: Vec<String>, values: Vec<Value>) -> Object {
        Object { keys, values }
    }

    fn push(&mut self, key: String, value: Value) {
        self.keys.push(key);
        self.values.push(value);
    }

    /// Keeps the last of each repeated key, in O(n log n) whatever the number of members.
    /// Indexing goes through `get`: a bounds check's panic message costs 300 bytes of wasm.
    fn drop_repeated_keys(&mut self) {
        let keys = &self.keys;
        if keys.len() < 2 {
            return;
        }
        let mut order: Vec<usize> = (0..keys.len()).collect();
        heap_sort(&mut order, |&a, &b| (keys.get(a), a) < (keys.get(b), b));
        let mut keep = vec![true; keys.len()];
        for pair in order.windows(2) {
            if let [first, second] = *pair {
                if keys.get(first) == keys.get(second) {
                    if let Some(kept) = keep.get_mut(first) {
                        *kept = false;
                    }
                }
            }
        }
        let mut kept = keep.iter();
        self.keys.retain(|_| kept.next() != Some(&false));
        let mut kept = keep.iter();
        self.values.retain(|_| kept.next() != Some(&false));
    }
}

/// Sorts `items` by `less`, in O(n log n) and without recursion. The standard library's sorts
/// cost ten times its bytes of wasm; speed does not matter for a token's handful of members.
fn heap_sort<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    // Moves the item at `root` down until it is above both children, within `items[..end]`.
    let sift_down = |items: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && is_less(items, child, child + 1, &less) {
            child += 1;
        }
        if !is_less(items, root, child, &less) {
            return;
        }
        swap(items, root, child);
        root = child;
    };
    for root in (0..items.len() / 2).rev() {
        sift_down(items, root, items.len());
    }
    for end in (1..items.len()).rev() {
        swap(items, 0, end);
        sift_down(items, 0, end);
    }
}

fn is_less<T>(items: &[T], a: usize, b: usize, less: &impl Fn(&T, &T) -> bool) -> bool {
    matches!((items.get(a), items.get(b)), (Some(a), Some(b)) if less(a, b))
}

/// Swaps the items at `low < high`: through `get`, as the bounds checks of `slice::swap` would
/// bring a panic message.
fn swap<T>(items: &mut [T], low: usize, high: usize) {
    if let Some((left, right)) = items.split_at_mut_checked(high) {
        if let (Some(a), Some(b)) = (left.get_mut(low), right.first_mut()) {
            ::core::mem::swap(a, b);
        }
    }
}

/// Dropping moves children onto a list instead of recursing, so any depth is safe.
impl Drop for Value {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        take_children(self, &mut pending);
        while let Some(mut value) = pending.pop() {
            take_children(&mut value, &mut pending);
        }
    }
}

fn take_children(value: &mut Value, into: &mut Vec<Value>) {
    match value {
        Value::Array(items) => into.append(items),
        Value::Object(object) => into.append(&mut object.values),
        _ => {}
    }
}

/// A container being read.
enum Open {
    Array(Vec<Value>),
    /// The object so far and the key whose value comes next.
    Object(Object, String),
}

/// A JSON reader: UTF-8 `bytes` as one JSON value (RFC 8259), or `None` if they are not exactly
/// that (or not UTF-8). The shell gives one to the session, as it gives the random source:
/// [`parse_utf8`] natively (and in every test), the browser's reader in the wasm
/// (`src/browser/json.rs`), which reads the same.
pub type ReadJson = fn(&[u8]) -> Option<Value>;

/// Reads `bytes` with `read` as a JSON object, or `None` if they are not exactly one.
pub fn read_object(read: ReadJson, bytes: &[u8]) -> Option<Object> {
    match &mut read(bytes)? {
        Value::Object(object) => Some(::core::mem::take(object)),
        _ => None,
    }
}

/// [`parse`] as a [`ReadJson`]: UTF-8 `bytes` as one JSON value.
pub fn parse_utf8(bytes: &[u8]) -> Option<Value> {
    parse(::core::str::from_utf8(bytes).ok()?)
}

/// Reads `text` as one JSON value (RFC 8259), or `None` if it is not exactly that.
pub fn parse(text: &str) -> Option<Value> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let mut open: Vec<Open> = Vec::new();
    loop {
        reader.skip_space();
        let mut value = match reader.peek()? {
            b'{' => {
                reader.pos += 1;
                reader.skip_space();
                if reader.eat(b'}') {
                    Value::Object(Object::default())
                } else {
                    let key = reader.key()?;
                    open.push(Open::Object(Object::default(), key));
                    continue;
                }
            }
            b'[' => {
                reader.pos += 1;
                reader.skip_space();
                if reader.eat(b']') {
                    Value::Array(Vec::new())
                } else {
                    open.push(Open::Array(Vec::new()));
                    continue;
                }
            }
            b'"' => Value::String(reader.string()?),
            b't' => reader.literal("true", Value::Bool(true))?,
            b'f' => reader.literal("false", Value::Bool(false))?,
            b'n' => reader.literal("null", Value::Null)?,
            _ => Value::Number(reader.number()?),
        };
        // Put the value into its container; close containers that end here.
        loop {
            reader.skip_space();
            match open.last_mut() {
                None => return (reader.pos == reader.bytes.len()).then_some(value),
                Some(Open::Array(items)) => {
                    items.push(value);
                    if reader.eat(b',') {
                        break;
                    }
                    if !reader.eat(b']') {
                        return None;
                    }
                }
                Some(Open::Object(object, key)) => {
                    object.push(::core::mem::take(key), value);
                    if reader.eat(b',') {
                        reader.skip_space();
                        *key = reader.key()?;
                        break;
                    }
                    if !reader.eat(b'}') {
                        return None;
                    }
                }
            }
            value = match open.pop()? {
                Open::Array(items) => Value::Array(items),
                Open::Object(mut object, _) => {
                    object.drop_repeated_keys();
                    Value::Object(object)
                }
            };
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Option<Value> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word.as_bytes()).then(|| {
            self.pos = end;
            value
        })
    }

    /// A member's key and its colon.
    fn key(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let key = self.string()?;
        self.skip_space();
        self.eat(b':').then_some(key)
    }

    /// A string, at its opening quote.
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos; // start of the bytes to copy as they are
        loop {
            match *self.bytes.get(self.pos)? {
                b'"' => {
                    out.push_str(self.text(run, self.pos)?);
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(self.text(run, self.pos)?);
                    self.pos += 1;
                    out.push(self.escape()?);
                    run = self.pos;
                }
                0..=0x1f => return None, // control characters must be escaped
                _ => self.pos += 1,
            }
        }
    }

    /// The input between two positions that fall on character boundaries (quotes, backslashes).
    fn text(&self, start: usize, end: usize) -> Option<&str> {
        ::core::str::from_utf8(self.bytes.get(start..end)?).ok()
    }

    fn escape(&mut self) -> Option<char> {
        let byte = self.peek()?;
        self.pos += 1;
        Some(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xd800..=0xdbff => {
                        // A surrogate pair; a lone surrogate is not a character.
                        if !(self.eat(b'\\') && self.eat(b'u')) {
                            return None;
                        }
                        let second = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&second) {
                            return None;
                        }
                        0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
                    }
                    0xdc00..=0xdfff => return None,
                    _ => first,
                };
                char::from_u32(code)?
            }
            _ => return None,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        self.pos += 4;
        digits
            .iter()
            .try_fold(0, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<Number> {
        let negative = self.eat(b'-');
        let mut mantissa: u64 = 0;
        let mut exponent: i64 = 0; // decimal exponent of `mantissa`
        let mut exact = true; // `mantissa` holds every digit
        let int_digits = self.digits(|d| match push_digit(mantissa, d) {
            Some(m) if exact => mantissa = m,
            _ => {
                exponent += 1; // past 64 bits: the digit only scales
                exact = false;
            }
        });
        let leading_zero = self.bytes.get(self.pos - int_digits) == Some(&b'0');
        if int_digits == 0 || (leading_zero && int_digits > 1) {
            return None;
        }
        let mut integer = exact;
        if self.eat(b'.') {
            integer = false;
            let fraction_digits = self.digits(|d| {
                if let Some(m) = push_digit(mantissa, d).filter(|_| exact) {
                    mantissa = m;
                    exponent -= 1;
                } else {
                    exact = false; // past 64 bits: the digit is below the precision kept
                }
            });
            if fraction_digits == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.pos += 1;
            let negative_exponent = self.eat(b'-') || {
                self.eat(b'+');
                false
            };
            let mut value: i64 = 0;
            if self.digits(|d| value = (value * 10 + i64::from(d)).min(100_000)) == 0 {
                return None;
            }
            exponent += if negative_exponent { -value } else { value };
        }
        if integer {
            return Some(match (negative, mantissa) {
                (false, m) => Number::Unsigned(m),
                (true, 0) => Number::Float(-0.0), // as JSON.parse reads it
                (true, m) => Number::Negative(m),
            });
        }
        // Beyond f64 is an infinity, as JSON.parse reads it: the grammar has no limit, and the
        // token checks then say which claim is not a finite number.
        let magnitude = scale(mantissa, exponent);
        Some(Number::Float(if negative { -magnitude } else { magnitude }))
    }

    /// Reads decimal digits, giving each to `each`; returns how many there were.
    fn digits(&mut self, mut each: impl FnMut(u8)) -> usize {
        let start = self.pos;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            each(d - b'0');
            self.pos += 1;
        }
        self.pos - start
    }
}

/// `n * 10 + digit`, if it fits in 64 bits.
fn push_digit(n: u64, digit: u8) -> Option<u64> {
    n.checked_mul(10)?.checked_add(u64::from(digit))
}

/// `mantissa × 10^exponent`: exactly rounded when both are small enough to be exact in `f64`
/// (every token time and most claims), otherwise within a few units in the last place.
fn scale(mantissa: u64, exponent: i64) -> f64 {
    let m = mantissa as f64;
    if mantissa == 0 {
        return 0.0;
    }
    if mantissa < (1 << 53) && exponent.abs() <= 22 {
        let power = (0..exponent.abs()).fold(1.0, |p, _| p * 10.0); // exact up to 1e22
        return if exponent < 0 { m / power } else { m * power };
    }
    let exponent = exponent.clamp(-400, 400) as i32;
    // Split the power so that neither factor overflows or underflows on the way.
    let half = exponent / 2;
    m * power_of_ten(half) * power_of_ten(exponent - half)
}

/// `10^n` by squaring, as `f64::powi` computes it (which needs std).
fn power_of_ten(n: i32) -> f64 {
    let (mut result, mut base, mut rest) = (1.0, 10.0, n.unsigned_abs());
    while rest != 0 {
        if rest & 1 == 1 {
            result *= base;
        }
        base *= base;
        rest >>= 1;
    }
    if n < 0 {
        1.0 / result
    } else {
        result
    }
}

/// Appends `text` as a JSON string, quotes included. Byte by byte: every byte that needs an
/// escape is ASCII, so the runs between them are whole characters (and `chars()` costs wasm).
pub fn push_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut run = 0;
    for (at, &byte) in text.as_bytes().iter().enumerate() {
        if byte >= 0x20 && byte != b'"' && byte != b'\\' {
            continue;
        }
        out.push_str(text.get(run..at).unwrap_or_default());
        run = at + 1;
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            _ => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xf)]));
            }
        }
    }
    out.push_str(text.get(run..).unwrap_or_default());
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_sort_sorts() {
        for n in 0..40u32 {
            let mut items: Vec<u32> = (0..n).map(|i| i.wrapping_mul(2_654_435_761) % 17).collect();
            let mut expected = items.clone();
            expected.sort();
            heap_sort(&mut items, |a, b| a < b);
            assert_eq!(items, expected);
        }
    }

    fn obj(members: &[(&str, Value)]) -> Value {
        let mut object = Object::default();
        for (k, v) in members {
            object.push(k.to_string(), v.clone());
        }
        Value::Object(object)
    }

    #[test]
    fn reads_every_kind_of_value() {
        let text = r#" {"a": [1, -2, 3.5, 1e3, -0.25e-2, 0], "b": {"c": null, "d": true, "e": false},
                       "s": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "": ""} "#;
        let expected = obj(&[
            (
                "a",
                Value::Array(vec![
                    Value::Number(Number::Unsigned(1)),
                    Value::Number(Number::Negative(2)),
                    Value::Number(Number::Float(3.5)),
                    Value::Number(Number::Float(1000.0)),
                    Value::Number(Number::Float(-0.0025)),
                    Value::Number(Number::Unsigned(0)),
                ]),
            ),
            (
                "b",
                obj(&[
                    ("c", Value::Null),
                    ("d", Value::Bool(true)),
                    ("e", Value::Bool(false)),
                ]),
            ),
            ("s", Value::String("q\"\\/\u{8}\u{c}\n\r\té😀".into())),
            ("", Value::String(String::new())),
        ]);
        assert_eq!(parse(text), Some(expected));
    }

    #[test]
    fn refuses_what_is_not_json() {
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
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            "1e+",
            "0x10",
            "NaN",
            "Infinity",
            "tru",
            "nul",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"a\nb\"",
            "\"open",
            "[1] 2",
            "{} {}",
            "[1 2]",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn integers_are_exact_and_floats_close() {
        let number = |t: &str| match parse(t) {
            Some(Value::Number(n)) => n,
            other => panic!("{t}: {other:?}"),
        };
        assert_eq!(number("18446744073709551615"), Number::Unsigned(u64::MAX));
        assert_eq!(
            number("-9007199254740993"),
            Number::Negative(9_007_199_254_740_993)
        );
        assert_eq!(number("1795219200"), Number::Unsigned(1_795_219_200));
        assert_eq!(number("1795219200.5").as_f64(), 1_795_219_200.5);
        assert_eq!(number("0.3").as_f64(), 0.3);
        assert_eq!(number("1e400").as_f64(), f64::INFINITY); // as JSON.parse
        assert_eq!(number("-1e999").as_f64(), f64::NEG_INFINITY);
        assert_eq!(number("1.7e12").as_f64(), 1.7e12);
        assert_eq!(number("-0").as_f64(), 0.0);
        let big = number("123456789012345678901234567890").as_f64();
        assert!((big / 1.2345678901234568e29 - 1.0).abs() < 1e-15);
        assert_eq!(number("1e-400").as_f64(), 0.0);
    }

    #[test]
    fn the_last_of_repeated_keys_counts_once() {
        let object = read_object(parse_utf8, br#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(object.get("a"), Some(&Value::Number(Number::Unsigned(3))));
        let keys: Vec<&str> = object.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a"]);
        // Many keys, repeated or not, stay fast.
        let many: Vec<String> = (0..20_000)
            .map(|i| format!("\"k{}\":{i}", i % 10_000))
            .collect();
        let object = read_object(parse_utf8, format!("{{{}}}", many.join(",")).as_bytes()).unwrap();
        assert_eq!(object.len(), 10_000);
        assert_eq!(
            object.get("k7"),
            Some(&Value::Number(Number::Unsigned(10_007)))
        );
    }

    #[test]
    fn any_depth_parses_and_drops() {
        let depth = 500_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&text).is_some());
        let text = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        assert!(parse(&text).is_some());
        assert_eq!(parse(&"[".repeat(depth)), None);
    }

    #[test]
    fn strings_round_trip() {
        for text in ["", "plain", "q\"b\\s", "\u{0}\u{1f}\n", "é😀", "</script>"] {
            let mut out = String::new();
            push_string(&mut out, text);
            assert_eq!(parse(&out), Some(Value::String(text.into())), "{out}");
        }
    }
}
