// scripts/lib/js-source.mjs: the rewrites and checks the assembly relies on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { stripExports, assertScript, assertModule, assertNoEval } from "../../scripts/lib/js-source.mjs";

test("stripExports keeps declarations and maps exported names to local ones", () => {
  const { code, exported } = stripExports("export class A {}\nexport function f() {}\nconst x = 1, y = 2;\nfunction init() {}\nexport { x, y as why, init as default };\n");
  assertScript(code, "stripped");
  assert.match(code, /^class A \{\}\nfunction f\(\) \{\}/);
  assert.deepEqual(Object.fromEntries(exported), { A: "A", f: "f", x: "x", why: "y", default: "init" });
});

test("stripExports refuses imports", () => {
  assert.throws(() => stripExports('import x from "./y.js";'), /imports other modules/);
});

test("the checks catch module syntax in a script, duplicates in a module, and eval", () => {
  assert.throws(() => assertScript("export const a = 1;", "s"), /not a valid classic script/);
  assert.throws(() => assertModule("const a = 1; const a = 2;", "m"), /not a valid ES module/);
  assert.throws(() => assertNoEval("x = eval('1')", "e"), /CSP/);
  assert.throws(() => assertNoEval("x = new Function('return 1')", "e"), /CSP/);
  assert.doesNotThrow(() => assertNoEval("x = `Function(${name})`", "e"));
});
