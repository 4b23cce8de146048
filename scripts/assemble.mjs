// Assembles dist/ from wasm-bindgen's two glues and www/sdk/:
//   messenger.js   classic script: (function(){ no-modules glue + loader })(), minified
//   messenger.mjs  ES module: web glue + loader, default and named exports, minified
//   messenger.d.ts copied from www/sdk/
// Usage: node scripts/assemble.mjs <bindgen-dir with no-modules/ and web/> <dist-dir>
// The .wasm is placed by build.sh; this script only writes JavaScript and typings.
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";
import { stripExports, assertScript, assertModule, assertNoEval } from "./lib/js-source.mjs";

const [bindgenDir, distDir] = process.argv.slice(2);
if (!bindgenDir || !distDir) throw new Error("usage: assemble.mjs <bindgen-dir> <dist-dir>");

const root = new URL("..", import.meta.url).pathname;
const read = (path) => readFileSync(path, "utf8");
const sdk = (name) => read(join(root, "www/sdk", name));
const { version } = JSON.parse(read(join(root, "package.json")));
const preamble = `/*! messenger-auth ${version} | MIT */`;

// The loader pieces shared by both entries, in dependency order.
const loader = ["queue.js", "facade.js", "load.js"].map(sdk).join("\n");

async function minifyChecked(code, what, module) {
  const { code: min } = await minify(code, {
    ecma: 2020,
    module,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false, preamble },
  });
  assertNoEval(min, what);
  (module ? assertModule : assertScript)(min, what);
  return min + "\n";
}

async function classicScript() {
  const glue = read(join(bindgenDir, "no-modules/messenger.js"));
  const code = [
    "(function () {",
    '"use strict";',
    "const currentScript = document.currentScript;",
    glue,
    "const wasmGlue = wasm_bindgen;",
    loader,
    sdk("boot-script.js"),
    "})();",
  ].join("\n");
  assertScript(code, "the assembled messenger.js");
  return minifyChecked(code, "dist/messenger.js", false);
}

async function esModule() {
  const { code: glue, exported } = stripExports(read(join(bindgenDir, "web/messenger.js")));
  const init = exported.get("default");
  if (!init) throw new Error("the web glue has no default export (its init function)");
  // The same shape as the no-modules glue's `wasm_bindgen`: init carrying the exported classes.
  const classes = [...exported].filter(([name]) => name !== "default" && name !== "initSync");
  const props = classes.map(([name, local]) => `${name}: ${local}`).join(", ");
  const code = [glue, `const wasmGlue = Object.assign(${init}, { ${props} });`, loader, sdk("boot-module.js")].join("\n");
  assertModule(code, "the assembled messenger.mjs");
  const min = await minifyChecked(code, "dist/messenger.mjs", true);
  // Bundlers find the wasm only through this exact expression.
  if (!/new URL\(["']messenger_bg\.wasm["'],\s*import\.meta\.url\)/.test(min)) {
    throw new Error("dist/messenger.mjs lost `new URL('messenger_bg.wasm', import.meta.url)`");
  }
  return min;
}

writeFileSync(join(distDir, "messenger.js"), await classicScript());
writeFileSync(join(distDir, "messenger.mjs"), await esModule());
copyFileSync(join(root, "www/sdk/messenger.d.ts"), join(distDir, "messenger.d.ts"));
