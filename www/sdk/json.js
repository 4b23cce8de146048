// The SDK's JSON reader in the browser, for the wasm (src/browser/json.rs): UTF-8 bytes in, a
// flat tape of the JSON value they hold out, which the wasm turns into the core's `json::Value`.
// It reads what the core's native reader (`json::parse_utf8`, src/core/json.rs) reads; that one
// is the reference the tests check this against, and is not in the wasm.
//
// Not `JSON.parse`: a page may replace it, before the SDK loads too, with one that throws or
// lies, and the SDK must read its tokens, answers and record all the same
// (tests/e2e/hostile-globals.spec.mjs); nor does `JSON.parse` keep integers beyond 2^53 exact
// or refuse a lone surrogate. This reads the text itself, a token at a time with one regular
// expression. It uses `TextDecoder`, `RegExp.prototype.exec` and `String.fromCharCode` as they
// were when the script ran, and nothing else a page could replace or reach: no other method,
// no object with a prototype read by a key it may lack. It never recurses (any depth is safe).

const fromCharCode = String.fromCharCode;

/** UTF-8 bytes as text; throws on bytes that are not UTF-8 (a BOM is kept: it is not JSON). */
const decodeUtf8 = TextDecoder.prototype.decode.bind(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }));

/**
 * One token after white space, by the group that matched: 1 punctuation, 2 a string without
 * escapes (its text between the quotes), 3 the opening quote of any other, 4-7 a number's sign,
 * whole digits, fraction and exponent, 8 a literal, 9 the end of the text; none: anything else.
 */
const TOKEN =
  /[\t\n\r ]*(?:([[\]{}:,])|"([^"\\\0-\x1f]*)"|(")|(-?)(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|(true|false|null)|($)|)/y;
const nextToken = RegExp.prototype.exec.bind(TOKEN);

/**
 * The next piece of a string with escapes: characters as they are (1), then the hex digits of a
 * `\u` escape (2), another escape's letter (3), or the closing quote (4). One piece at a time:
 * a pattern for the whole string would keep a note for each escape to backtrack to, and throw
 * past a few million of them.
 */
const PIECE = /([^"\\\0-\x1f]*)(?:\\(?:u([\dA-Fa-f]{4})|(["\\/bfnrt]))|("))/y;
const nextPiece = RegExp.prototype.exec.bind(PIECE);

/** What the escapes of control characters stand for (`\"`, `\\` and `\/` for themselves). */
const ESCAPES = { __proto__: null, b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * Reads UTF-8 `bytes` as exactly one JSON value (RFC 8259), or returns undefined. The tape is an
 * object without a prototype: `tape[0]` is a string of tags, one for each of `tape[1]`,
 * `tape[2]`, ..., in post-order (a container after its members):
 *   n t f   null, true, false
 *   s k     a string value, an object's key (before its value)
 *   d       a number with a fraction or an exponent, one beyond 64 bits, or -0: its double
 *   u -     an integer within 64 bits, non-negative or negative: its decimal digits
 *   ] }     the end of an array of `tape[i]` items, of an object of `tape[i]` members
 * A repeated key is on the tape each time (the last counts). A lone surrogate (`"\ud800"`) names
 * no character: not JSON here, as for the native reader.
 */
export function readJson(bytes) {
  try {
    return readText(decodeUtf8(bytes));
  } catch {
    // Not UTF-8. (Nothing else throws; were it to, the answer would still be "not JSON": a throw
    // would go through the wasm, which cannot clean up after it.)
  }
}

/** `readJson` of the bytes as text. */
function readText(text) {
  const tape = { __proto__: null };
  const closes = { __proto__: null }; // "]" or "}": of each open container
  const counts = { __proto__: null }; // its members so far
  let tags = "";
  let size = 0;
  let depth = 0;
  let token;
  let found;

  const put = (tag, item) => {
    tags += tag;
    tape[++size] = item;
  };
  const scan = () => {
    token = nextToken(text);
  };
  // The string of the token; undefined if it is not one, or holds a lone surrogate.
  const string = () => {
    if (token[3] === undefined) return token[2];
    let read = "";
    let high = false; // the last piece ended with a high surrogate's escape
    let piece;
    let code;
    PIECE.lastIndex = TOKEN.lastIndex;
    do {
      // A high surrogate's escape is followed at once by a low one's, and a low one's follows a
      // high one's: anything else names no character.
      if (!(piece = nextPiece(text)) || (high && piece[1]) || high !== ((code = +("0x" + piece[2])) >= 0xdc00 && code < 0xe000)) return;
      high = code >= 0xd800 && code < 0xdc00;
      read += piece[1] + (piece[2] ? fromCharCode(code) : piece[3] ? ESCAPES[piece[3]] || piece[3] : "");
    } while (!piece[4]);
    TOKEN.lastIndex = PIECE.lastIndex;
    return read;
  };
  // An object's key (the token) and its colon, then the value's first token.
  const key = () => {
    found = string();
    scan();
    if (found === undefined || token[1] !== ":") return false;
    put("k", found);
    scan();
    return true;
  };

  TOKEN.lastIndex = 0;
  scan();
  for (;;) {
    // The token starts a value.
    if ((found = token[1]) === "[" || found === "{") {
      found = found === "[" ? "]" : "}";
      scan();
      if (token[1] === found) put(found, 0);
      else {
        closes[++depth] = found;
        counts[depth] = 0;
        if (found === "}" && !key()) return;
        continue;
      }
    } else if ((found = token[5])) {
      // An integer within 64 bits: at most 18446744073709551615 (digit strings of one length
      // compare as numbers).
      if (token[6] || token[7] || (token[4] && found === "0") || found.length > 20 || (found.length === 20 && found > "18446744073709551615")) {
        put("d", +token[0]);
      } else put(token[4] || "u", found);
    } else if ((found = token[8])) put(found[0]);
    else if ((found = string()) !== undefined) put("s", found);
    else return;
    // A value is complete: it is the whole text, or the next member of its container, which
    // may end here, completing a value in turn.
    for (;;) {
      scan();
      if (!depth) {
        if (token[9] === undefined) return;
        tape[0] = tags;
        return tape;
      }
      counts[depth]++;
      if ((found = token[1]) === ",") {
        scan();
        if (closes[depth] === "}" && !key()) return;
        break;
      }
      if (found !== closes[depth]) return;
      put(found, counts[depth--]);
    }
  }
}
