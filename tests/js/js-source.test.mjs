// scripts/lib/js-source.mjs: the rewrites and checks the assembly relies on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripExports, inlineSnippets, assertScript, assertModule, assertNoEval } from "../../scripts/lib/js-source.mjs";

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

test("inlineSnippets puts each snippet the glue imports in place of its import, exports stripped", () => {
  const dir = mkdtempSync(join(tmpdir(), "snippets-"));
  mkdirSync(join(dir, "snippets/crate-1/www"), { recursive: true });
  writeFileSync(join(dir, "snippets/crate-1/www/a.js"), "const helper = 1;\nexport function readJson(bytes) { return helper; }\n");
  const glue = join(dir, "messenger.js");
  const code = inlineSnippets("import { readJson } from './snippets/crate-1/www/a.js';\n\nexport class Messenger {}\n", glue);
  assertModule(code, "inlined");
  assert.match(code, /^const helper = 1;\nfunction readJson\(bytes\) \{ return helper; \}\n/);
  assert.doesNotMatch(code, /import|export function/);
  // Only named imports of what the snippet exports, under their own names, and only snippets.
  assert.throws(() => inlineSnippets("import { readJson as r } from './snippets/crate-1/www/a.js';", glue), /does not export it under that name/);
  assert.throws(() => inlineSnippets("import { other } from './snippets/crate-1/www/a.js';", glue), /does not export it under that name/);
  assert.throws(() => inlineSnippets("import x from './snippets/crate-1/www/a.js';", glue), /does not export it under that name/);
  assert.throws(() => inlineSnippets("import { readJson } from 'somewhere';", glue), /only snippets/);
});
