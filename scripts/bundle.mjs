// Bundles www/sdk/ with wasm-bindgen's glue (target/bindgen/messenger.js) into dist/, minified:
//   messenger.js   classic script (www/sdk/script.js): defines window.messenger, finds its wasm
//                  beside itself
//   messenger.mjs  ES module (www/sdk/module.js): default and named exports, for bundlers
//   messenger.d.ts copied from www/sdk/
import { build } from "esbuild";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(`${root}package.json`, "utf8"));

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  target: "es2020",
  legalComments: "none",
  banner: { js: `/*! messenger-auth ${version} | MIT */` },
  logLevel: "warning",
};

const script = await build({
  ...common,
  entryPoints: ["www/sdk/script.js"],
  format: "iife",
  outfile: "dist/messenger.js",
  // The glue's default wasm URL uses import.meta.url, which a classic script has not; the
  // script always passes the URL of the wasm beside it instead.
  logOverride: { "empty-import-meta": "silent" },
  metafile: true,
});
// What each source contributes to messenger.js, for the bench's table of dependencies.
writeFileSync(`${root}target/bundle-meta.json`, JSON.stringify(script.metafile));

await build({
  ...common,
  entryPoints: ["www/sdk/module.js"],
  format: "esm",
  outfile: "dist/messenger.mjs",
});

// Bundlers find the wasm only through this exact expression.
const module = readFileSync(`${root}dist/messenger.mjs`, "utf8");
if (!/new URL\(["']messenger_bg\.wasm["'],\s*import\.meta\.url\)/.test(module)) {
  throw new Error("dist/messenger.mjs lost `new URL('messenger_bg.wasm', import.meta.url)`");
}
copyFileSync(`${root}www/sdk/messenger.d.ts`, `${root}dist/messenger.d.ts`);
