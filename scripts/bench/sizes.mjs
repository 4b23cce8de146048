// Sizes, raw and gzip -9, of what a page downloads to use the SDK, and of the peers' minified
// browser builds from node_modules. gzip is the gzip tool (node's zlib compresses differently)
// with -n: no file name or time in the header, as a server sends it.
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * The budget and aim of the standard-stack rebuild, in bytes (its KB are 1000 bytes): at most
 * 60 KB, under auth0-spa-js (64 KB) and MSAL (77 KB); the aim, Okta's 49 KB.
 */
export const BYTES_BUDGET = 60_000;
export const BYTES_AIM = 48_000;

const ROOT = new URL("../..", import.meta.url).pathname;
export const DIST = join(ROOT, "dist");

/**
 * dist/ files a page never downloads: the ES module is the bundlers' alternative to messenger.js,
 * typings and source maps are for tools. Every other file counts, so a new glue file counts itself.
 */
const NOT_DOWNLOADED = { ".mjs": "bundlers, instead of messenger.js", ".d.ts": "typings", ".map": "source map" };
const whyNotDownloaded = (name) => Object.entries(NOT_DOWNLOADED).find(([end]) => name.endsWith(end))?.[1];

const PEERS = [
  ["@auth0/auth0-spa-js", "dist/auth0-spa-js.production.js"],
  ["oidc-client-ts", "dist/browser/oidc-client-ts.min.js"],
];

export function fileSize(path) {
  const gzip = execFileSync("gzip", ["-9", "-n", "-c", path], { maxBuffer: 64 << 20 });
  return { raw: readFileSync(path).length, gzip: gzip.length };
}

/** dist/'s files ({ name, raw, gzip, note }; note is set for those not downloaded) and the total. */
export function measureOurs() {
  const files = readdirSync(DIST).sort().map((name) => ({ name, ...fileSize(join(DIST, name)), note: whyNotDownloaded(name) }));
  const counted = files.filter((file) => !file.note);
  if (!counted.some((file) => file.name === "messenger.js")) throw new Error("dist/messenger.js is missing: run npm run build");
  const total = counted.reduce((sum, file) => ({ raw: sum.raw + file.raw, gzip: sum.gzip + file.gzip }), { raw: 0, gzip: 0 });
  return { files, counted: counted.map((file) => file.name), total };
}

/** The peers at the versions installed (package.json pins them), measured the same way. */
export function measurePeers() {
  return PEERS.map(([name, file]) => {
    const dir = join(ROOT, "node_modules", name);
    const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    return { name: `${name} ${version}`, file, ...fileSize(join(dir, file)) };
  });
}
