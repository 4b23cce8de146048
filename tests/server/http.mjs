// Small HTTP helpers for the test/demo server (plain node:http, no framework).

/** Answers with a body; every answer is `no-store` so tests never see a cached one. */
export function send(res, status, body = "", type = "text/plain; charset=utf-8", headers = {}) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "Cache-Control": "no-store", ...(body === "" ? {} : { "Content-Type": type }), ...headers });
  res.end(body);
}

export function sendJson(res, status, value, headers = {}) {
  send(res, status, JSON.stringify(value), "application/json", headers);
}

/**
 * Lets a page of another origin read the answer with its cookies: the exact Origin is
 * reflected (a `*` is refused by browsers when credentials are included).
 */
export function allowCrossOrigin(req, res) {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader("Access-Control-Allow-Origin", origin);
  res.setHeader("Access-Control-Allow-Credentials", "true");
  res.setHeader("Vary", "Origin");
}

/** Answers a CORS preflight: whatever method and headers were asked for are allowed. */
export function answerPreflight(req, res) {
  allowCrossOrigin(req, res);
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  const asked = req.headers["access-control-request-headers"];
  if (asked) res.setHeader("Access-Control-Allow-Headers", asked);
  res.setHeader("Access-Control-Max-Age", "0"); // tests change answers between requests
  send(res, 204);
}

/** The request body as text, at most `limit` bytes (a bigger one rejects). */
export function readBody(req, limit = 16 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** A JSON or form-encoded body as a plain object (an empty object when it is neither). */
export async function readFields(req) {
  const text = await readBody(req);
  const type = req.headers["content-type"] || "";
  if (type.startsWith("application/json")) {
    const value = JSON.parse(text || "{}");
    return value && typeof value === "object" ? value : {};
  }
  if (type.startsWith("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  return {};
}

export function parseCookies(req) {
  const cookies = {};
  for (const part of (req.headers.cookie || "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) cookies[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return cookies;
}

/** A number from the query string, `fallback` when absent; throws on anything else. */
export function queryNumber(query, name, fallback) {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new RangeError(`query parameter ${name} is not a number`);
  return value;
}

export const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
