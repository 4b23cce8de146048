// Minifies www/sdk/stub.js into www/sdk/stub.html, the snippet pages paste, and prints its
// CSP hash (for pages whose Content-Security-Policy forbids inline scripts without one).
// Usage: node scripts/make-stub.mjs [--check]   (--check: fail if stub.html is out of date)
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { minify } from "terser";

const dir = new URL("../www/sdk/", import.meta.url);
const source = readFileSync(new URL("stub.js", dir), "utf8");
const { code } = await minify(source, {
  ecma: 2020,
  compress: { passes: 3 },
  mangle: true,
  format: { comments: false },
});
const html = `<script>${code}</script>\n`;
const target = new URL("stub.html", dir);
const current = existsSync(target) ? readFileSync(target, "utf8") : "";

if (process.argv.includes("--check")) {
  if (current !== html) {
    console.error("www/sdk/stub.html is out of date: run node scripts/make-stub.mjs");
    process.exit(1);
  }
} else if (current !== html) {
  writeFileSync(target, html);
}
const hash = createHash("sha256").update(code).digest("base64");
console.log(`stub: ${Buffer.byteLength(html)} bytes, CSP 'sha256-${hash}'`);
