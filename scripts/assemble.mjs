// Assembles dist/ from wasm-bindgen's web glue (trimmed by scripts/lib/trim-glue.mjs) and www/sdk/:
//   messenger.js   classic script: (function(){ glue + loader })(), minified
//   messenger.mjs  ES module: glue + loader, default and named exports, minified
//   messenger.d.ts copied from www/sdk/
// Usage: node scripts/assemble.mjs <bindgen-dir with web/> <dist-dir>
// The .wasm is placed by build.sh; this script only writes JavaScript and typings.
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";
import { assertScript, assertModule, assertNoEval, inlineSnippets } from "./lib/js-source.mjs";
import { trimGlue } from "./lib/trim-glue.mjs";

const [bindgenDir, distDir] = process.argv.slice(2);
if (!bindgenDir || !distDir) throw new Error("usage: assemble.mjs <bindgen-dir> <dist-dir>");

const root = new URL("..", import.meta.url).pathname;
const read = (path) => readFileSync(path, "utf8");
const sdk = (name) => read(join(root, "www/sdk", name));
const { version } = JSON.parse(read(join(root, "package.json")));
const preamble = `/*! messenger-auth ${version} | MIT */`;

// The glue and the loader pieces shared by both entries, in dependency order.
// The glue's snippets (www/sdk/json.js, which the wasm calls) go inside it.
const gluePath = join(bindgenDir, "web/messenger.js");
const { code: glue, classes } = trimGlue(inlineSnippets(read(gluePath), gluePath));
if (classes.join() !== "Messenger") throw new Error(`the glue exports ${classes.join(", ") || "no class"}, not just Messenger`);
const loader = ["queue.js", "facade.js", "load.js"].map(sdk).join("\n");

async function minifyChecked(code, what, module) {
  const { code: min } = await minify(code, {
    ecma: 2020,
    module,
    // Function expressions that use neither `this` nor `arguments` become arrows: nothing
    // constructs them (the glue's imports are only called, by the wasm).
    compress: { passes: 2, unsafe_arrows: true },
    mangle: true,
    format: { comments: false, preamble },
  });
  assertNoEval(min, what);
  (module ? assertModule : assertScript)(min, what);
  return min + "\n";
}

async function classicScript() {
  const code = [
    "(function () {",
    '"use strict";',
    "const currentScript = document.currentScript;",
    glue,
    loader,
    sdk("boot-script.js"),
    "})();",
  ].join("\n");
  assertScript(code, "the assembled messenger.js");
  return minifyChecked(code, "dist/messenger.js", false);
}

async function esModule() {
  const code = [glue, loader, sdk("boot-module.js")].join("\n");
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
