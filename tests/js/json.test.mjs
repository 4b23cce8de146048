// The SDK's JSON reader in the browser (www/sdk/json.js): the tape it hands the wasm, JSON.parse
// as the reference for what it reads, and a hostile page that cannot change or watch it. The
// wasm's side (src/browser/json.rs) is checked against the native reader in
// tests/browser_json.rs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { stripExports } from "../../scripts/lib/js-source.mjs";

const source = stripExports(readFileSync(new URL("../../www/sdk/json.js", import.meta.url), "utf8")).code;

/** A fresh global (its own Object, RegExp, String...) where `before` runs, then json.js. */
function load(before = "") {
  const context = vm.createContext({ TextDecoder, Uint8Array });
  vm.runInContext(`${before}\n${source}\nthis.readJson = readJson;`, context);
  return context;
}

const { readJson } = load();
const utf8 = (text) => new TextEncoder().encode(text);

/**
 * The tape as a JavaScript value: integers as BigInt (exact), objects as [key, value] pairs (a
 * repeated key each time).
 */
function value(tape) {
  if (tape === undefined) return undefined;
  assert.equal(Object.getPrototypeOf(tape), null);
  const values = [];
  const keys = [];
  const tags = tape[0];
  for (let i = 0; i < tags.length; i++) {
    const item = tape[i + 1];
    const take = (from, n) => from.splice(from.length - n, n);
    switch (tags[i]) {
      case "n": values.push(null); break;
      case "t": values.push(true); break;
      case "f": values.push(false); break;
      case "s": values.push(item); break;
      case "k": keys.push(item); break;
      case "d": values.push(item); break;
      case "u": values.push(BigInt(item)); break;
      case "-": values.push(-BigInt(item)); break;
      case "]": values.push(take(values, item)); break;
      case "}": {
        const members = take(values, item);
        values.push(take(keys, item).map((key, j) => [key, members[j]]));
        break;
      }
      default: throw new Error(`unknown tag ${tags[i]}`);
    }
  }
  assert.equal(values.length, 1);
  assert.equal(keys.length, 0);
  return values[0];
}

const read = (text, reader = readJson) => value(reader(typeof text === "string" ? utf8(text) : text));

test("every kind of value, on a tape in post-order", () => {
  const text = ' {"a": [1, -2, 3.5, 1e3, -0.25e-2, 0], "b": {"c": null, "d": true, "e": false}, "s": "q\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00", "": ""} ';
  assert.deepEqual(read(text), [
    ["a", [1n, -2n, 3.5, 1000, -0.0025, 0n]],
    ["b", [["c", null], ["d", true], ["e", false]]],
    ["s", 'q"\\/\b\f\n\r\té😀'],
    ["", ""],
  ]);
  const tape = readJson(utf8('[{"k":"v"},[],{}]'));
  assert.equal(tape[0], "ks}]}]");
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((i) => tape[i]), ["k", "v", 1, 0, 0, 3]);
});

test("integers within 64 bits exactly, as their digits; other numbers as JavaScript reads them", () => {
  assert.equal(read("18446744073709551615"), 18446744073709551615n);
  assert.equal(read("-18446744073709551615"), -18446744073709551615n);
  assert.equal(read("12345678901234567890"), 12345678901234567890n);
  assert.equal(read("18446744073709551616"), 18446744073709551616);
  assert.equal(read("100000000000000000000"), 1e20);
  assert.equal(read("123456789012345678901234567890"), 1.2345678901234568e29);
  assert.ok(Object.is(read("-0"), -0));
  assert.ok(Object.is(read("-0.0"), -0));
  assert.equal(read("1e999"), Infinity);
  assert.equal(read("-1e999"), -Infinity);
  assert.equal(read("1e-400"), 0);
  assert.equal(read("1E+3"), 1000);
  assert.equal(read("1.7976931348623157e308"), Number.MAX_VALUE);
  assert.equal(readJson(utf8("1795219200"))[0], "u");
  assert.equal(readJson(utf8("1795219200.0"))[0], "d");
});

test("a repeated key is on the tape each time, in order", () => {
  assert.deepEqual(read('{"a":1,"b":2,"a":{"c":3}}'), [["a", 1n], ["b", 2n], ["a", [["c", 3n]]]]);
  assert.deepEqual(read('{"__proto__":1,"__proto__":2}'), [["__proto__", 1n], ["__proto__", 2n]]);
});

test("what is not JSON, a lone surrogate, bytes that are not UTF-8, a BOM: undefined", () => {
  for (const text of [
    "", " ", "{", "}", "[1,]", "[,1]", '{"a":1,}', '{"a" 1}', "{a:1}", "{'a':1}", "01", "-01", "1.", ".5", "-", "+1", "1e", "1e+",
    "1.e5", "0x10", "NaN", "Infinity", "tru", "nul", "truex", "True", '"\\x"', '"\\u12"', '"\\u12G4"', '"\\U0041"', '"a\nb"',
    '"a\u001fb"', '"open', "[1] 2", "{} {}", "[1 2]", "[", "[[]", '{"a":}', '{"a"', "{,}", "[1,,2]", "\u00a01", "1\u00a0", "[1]\u0000",
    '"\\ud800"', '"\\udc00"', '"\\ud800\\u0041"', '"\\ud800\\n"', '"\\ud800x"', '"x\\ud800"', '"\\ud83d\\ud83d\\ude00"', '"\\ude00\\ud83d"',
    '"\\ud83d😀"', "\ufeff1",
  ]) {
    assert.equal(readJson(utf8(text)), undefined, JSON.stringify(text));
  }
  for (const bytes of [[0x22, 0xc3, 0x28, 0x22], [0x22, 0xff, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22], [0x22, 0xc0, 0xaf, 0x22], [0x22, 0xe2, 0x82, 0x22], [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], [0x22, 0x80, 0x22]]) {
    assert.equal(readJson(new Uint8Array(bytes)), undefined, String(bytes));
  }
  assert.equal(read('"\\ud83d\\ude00\\uD834\\uDD1E"'), "😀𝄞");
});

test("generated documents read as they were written, and as JSON.parse reads them", () => {
  let seed = 7;
  const below = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const pick = (items) => items[below(items.length)];
  const space = () => pick(["", "", " ", "\n\t", "\r\n "]);
  // Numbers as written, and as read: an integer within 64 bits exactly, anything else a double.
  const NUMBERS = [["0", 0n], ["-0", -0], ["7", 7n], ["-12", -12n], ["18446744073709551615", 18446744073709551615n], ["-18446744073709551615", -18446744073709551615n], ["18446744073709551616", 18446744073709551616], ["3.25", 3.25], ["-0.5e-3", -0.0005], ["1E+21", 1e21], ["1e999", Infinity], ["123456789012345678901234567890", 1.2345678901234568e29]];
  // [text, value]
  const document = (depth) => {
    const kind = below(depth > 3 ? 5 : 7);
    const [text, read] =
      kind === 0 ? pick([["null", null], ["true", true], ["false", false]])
      : kind === 1 ? pick(NUMBERS)
      : kind === 2 ? ((s) => [JSON.stringify(s), s])(pick(["", "a", "é", "😀", '"q"', "\\", "\u0000\u001f\n", "</script>"]))
      : kind === 3 ? pick([['"\\u00e9\\ud83d\\ude00"', "é😀"], ['"\\/\\b\\f\\n\\r\\t"', "/\b\f\n\r\t"], ['"\\u0000"', "\u0000"]])
      : kind === 4 ? pick([["[]", []], ["{}", []], ["[ ]", []]])
      : kind === 5 ? ((items) => [`[${items.map(([t]) => t).join(",")}]`, items.map(([, v]) => v)])(Array.from({ length: below(4) }, () => document(depth + 1)))
      : ((members) => [`{${members.map(([k, [t]]) => `${JSON.stringify(k)}:${t}`).join(",")}}`, members.map(([k, [, v]]) => [k, v])])(Array.from({ length: below(4) }, () => [pick(["a", "b", "a", "", "__proto__", "0"]), document(depth + 1)]));
    return [space() + text + space(), read];
  };
  for (let i = 0; i < 5000; i++) {
    const [text, expected] = document(0);
    assert.deepEqual(read(text), expected, text);
    JSON.parse(text); // JSON, as JSON.parse says too
  }
});

test("any depth, without recursion", () => {
  const depth = 500_000;
  let nested = read("[".repeat(depth) + "]".repeat(depth));
  for (let i = 1; i < depth; i++) nested = nested[0];
  assert.deepEqual(nested, []);
  assert.ok(readJson(utf8('{"a":'.repeat(depth) + "1" + "}".repeat(depth))));
  assert.equal(readJson(utf8("[".repeat(depth))), undefined);
  assert.equal(readJson(utf8("[".repeat(depth) + "]".repeat(depth + 1))), undefined);
});

test("a page that replaced JSON.parse, the methods the reader uses, or its globals, after it loaded, changes nothing", () => {
  const context = load();
  vm.runInContext(
    `JSON.parse = () => ({ lie: true });
     RegExp.prototype.exec = () => { throw new Error("exec"); };
     String.fromCharCode = () => "?";
     TextDecoder = function () { throw new Error("TextDecoder"); };`,
    context,
  );
  assert.deepEqual(read('{"a":["\\u00e9",1]}', context.readJson), [["a", ["é", 1n]]]);
});

test("getters and setters a page put on the prototypes never run: the reader reads no key an object lacks", () => {
  // Before the reader loads, as a page's first script would. The log is a string: pushing onto
  // an array would run the traps themselves.
  const trap = `
    const page = this;
    page.trapped = "";
    for (const proto of [Object.prototype, Array.prototype, String.prototype]) {
      for (let i = 0; i < 80; i++) {
        const key = String(i);
        if (Object.getOwnPropertyDescriptor(proto, key)) continue;
        Object.defineProperty(proto, key, { get() { page.trapped += "get " + key + ";"; return "x"; }, set(v) { page.trapped += "set " + key + ";"; }, configurable: true });
      }
    }`;
  const context = load(trap);
  for (const text of ['{"a":[1,"\\u00e9\\ud83d\\ude00",{"b":null}],"c":"\\n"}', '"\\u0041"', '"x\\\\"', "[[[]]]", "1e3", "-0", '{"a"', '"\\ud800"', "[1,]", ""]) {
    assert.deepEqual(read(text, context.readJson), read(text));
  }
  assert.equal(vm.runInContext("trapped", context), "");
  // The traps work: the reader would have run them, had it read past a string's end.
  vm.runInContext('"ab"[5]; [][3];', context);
  assert.equal(vm.runInContext("trapped", context), "get 5;get 3;");
});
