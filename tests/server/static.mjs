// Static files: dist/ at /messenger/, test pages at /test/pages/, bench pages at /bench/, www/
// at /. Each HTML page gets the SDK's Content-Security-Policy, so every page the tests load proves
// the SDK needs no more.
import { readFile, stat } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join, extname, resolve, sep } from "node:path";
import { send } from "./http.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** The CSP hash of each inline script of `html` (the stub, or a generated test page's). */
export function inlineScriptHashes(html) {
  const hashes = [];
  for (const [, code] of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.push(`'sha256-${createHash("sha256").update(code).digest("base64")}'`);
  }
  return hashes;
}

/**
 * The policy SPEC.md promises the SDK works under: no eval, only 'wasm-unsafe-eval'.
 * `origins` adds script origins (a page that loads the SDK from another host).
 */
export function contentSecurityPolicy(html, origins = []) {
  const scripts = ["'self'", ...origins, "'wasm-unsafe-eval'", ...inlineScriptHashes(html)].join(" ");
  return `script-src ${scripts}; object-src 'none'; base-uri 'none'`;
}

/**
 * Sends the file at `urlPath` under `dir`, or returns false when there is none. `headers` are
 * added to the answer.
 */
export async function serveFile(res, dir, urlPath, headers = {}) {
  const base = resolve(dir);
  let path = resolve(join(base, decodeURIComponent(urlPath)));
  if (path !== base && !path.startsWith(base + sep)) return false; // no way out of dir
  try {
    if ((await stat(path)).isDirectory()) path = join(path, "index.html");
    const body = await readFile(path);
    const type = TYPES[extname(path)] || "application/octet-stream";
    const csp = type.startsWith("text/html") ? { "Content-Security-Policy": contentSecurityPolicy(body.toString()) } : {};
    send(res, 200, body, type, { ...headers, ...csp });
    return true;
  } catch (error) {
    if (error.code === "ENOENT" || error.code === "ENOTDIR" || error.code === "EISDIR") return false;
    throw error;
  }
}
