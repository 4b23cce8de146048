// Routes under /test/ for the browser tests: authentication endpoints that misbehave on purpose,
// request counts, and generated pages that embed the SDK in a chosen way.
//
//   GET  /test/jwt/<scenario>[/<any suffix>]   an authentication endpoint answering as <scenario>
//        (a unique suffix keeps parallel tests' counts apart); query: user, email, name, ttl
//        (seconds, negative for expired), delay (ms before answering), fail and status (flaky)
//   GET  /test/answer?status=&body=&type=&delay=&hang=1&location=   any answer at all
//   POST /test/canned {"answers": [{status, json | body, type, delay, hang, held}, ...]}  -> {"path"}
//        registers answers (tokens a test signed itself, kept out of every URL); then
//   GET  /test/canned/<id>                     the nth request gets the nth answer, the last repeats;
//        a `held` answer waits (the request counted, at the server) until
//   POST /test/canned/<id>/release             lets held answers of <id> go, now and from then on
//   GET  /test/login-page                      the HTML page a 301 scenario redirects to
//   GET  /test/page?...                        a page embedding the SDK (see pageHtml)
//   GET  /test/stats[?prefix=/test/jwt/ok/x]   {"counts": {path: requests}} (OPTIONS not counted)
//   POST /test/reset                           zeroes the counts
import { randomUUID } from "node:crypto";
import { send, sendJson, readBody, queryNumber, escapeHtml, delay } from "./http.mjs";
import { siteJwt, messagingJwt, rawJwt, userClaims } from "./tokens.mjs";

/** Scenario name -> answer. `token()` signs for the query's user and ttl. */
const SCENARIOS = {
  ok: (res, { token }) => sendJson(res, 200, { loginUserIdJwt: token() }),
  "ok-token-key": (res, { token }) => sendJson(res, 200, { token: token() }),
  "ok-jwt-key": (res, { token }) => sendJson(res, 200, { jwt: token() }),
  messaging: (res, { messaging }) => sendJson(res, 200, { loginUserIdJwt: messaging() }),
  // An unsecured token (header alg "none") for the query's user, carrying a borrowed signature
  // as a forger's would: three non-empty parts, so only the algorithm is wrong.
  "alg-none": (res, { claims }) => sendJson(res, 200, { loginUserIdJwt: rawJwt({ alg: "none", typ: "JWT" }, claims(), "c2lnbmF0dXJl") }),
  slow: async (res, { token, query }) => {
    await delay(queryNumber(query, "delay", 2000));
    sendJson(res, 200, { loginUserIdJwt: token() });
  },
  html: (res) => send(res, 200, "<!doctype html><title>Sign in</title><p>Please sign in.</p>", "text/html; charset=utf-8"),
  "bad-json": (res) => send(res, 200, '{"loginUserIdJwt": ', "application/json"),
  nokey: (res) => sendJson(res, 200, {}),
  204: (res) => send(res, 204),
  301: (res) => send(res, 301, "", undefined, { Location: "/test/login-page" }),
  hang: () => {}, // never answers; the server drops such sockets when it closes
  // Answers `status` (default 500) to the first `fail` requests of this path, then a token.
  flaky: (res, { token, query, count }) => {
    if (count <= queryNumber(query, "fail", 1)) sendJson(res, queryNumber(query, "status", 500), { error: "flaky" });
    else sendJson(res, 200, { loginUserIdJwt: token() });
  },
};
for (const status of [401, 403, 404, 429, 500, 503]) {
  SCENARIOS[status] = (res) => sendJson(res, status, { error: `scenario ${status}` });
}

const userFromQuery = (query) => ({
  username: query.get("user") || "user-1",
  email: query.get("email") ?? undefined,
  name: query.get("name") ?? undefined,
});

/** Routes under /test/; `stats` counts requests per path (kept by the server). */
export function createFaults({ stats, ttl: defaultTtl = 600 }) {
  async function jwt(req, res, query, path) {
    const scenario = SCENARIOS[path.split("/")[3]];
    if (!scenario) return sendJson(res, 404, { error: "unknown scenario", scenarios: Object.keys(SCENARIOS) });
    const ttl = queryNumber(query, "ttl", defaultTtl);
    const user = userFromQuery(query);
    const wait = queryNumber(query, "delay", 0);
    if (wait > 0 && path.split("/")[3] !== "slow") await delay(wait);
    await scenario(res, {
      query,
      count: stats.get(path) || 0,
      token: () => siteJwt(user, { ttl }),
      messaging: () => messagingJwt(user, { ttl }),
      claims: () => userClaims(user, { ttl }),
    });
  }

  async function answer(req, res, query) {
    if (query.get("hang") === "1") return;
    await delay(queryNumber(query, "delay", 0));
    const location = query.get("location");
    send(res, queryNumber(query, "status", 200), query.get("body") ?? "", query.get("type") || "text/plain; charset=utf-8", location ? { Location: location } : {});
  }

  // Canned answers: id -> [{status, json | body, type, delay, hang, held}]. Kept for the server's
  // life (a test run registers a few dozen small ones). `gates`: id -> { opened, open() }.
  const canned = new Map();
  const gates = new Map();
  const gateOf = (id) => {
    if (!gates.has(id)) {
      let open;
      const opened = new Promise((resolve) => (open = resolve));
      gates.set(id, { opened, open });
    }
    return gates.get(id);
  };

  async function cannedRegister(req, res) {
    // Up to 8 MiB: the hostile-page specs register megabyte tokens and deeply nested answers.
    const { answers } = JSON.parse(await readBody(req, 8 * 1024 * 1024));
    if (!Array.isArray(answers) || answers.length === 0 || answers.some((a) => !a || typeof a !== "object")) {
      return sendJson(res, 400, { error: "answers must be a non-empty array of objects" });
    }
    const id = randomUUID();
    canned.set(id, answers);
    sendJson(res, 200, { path: `/test/canned/${id}` });
  }

  async function cannedAnswer(req, res, query, path) {
    const [, , , id, action] = path.split("/");
    const answers = canned.get(id);
    if (!answers) return sendJson(res, 404, { error: "no such canned answer" });
    if (req.method === "POST" && action === "release") {
      gateOf(id).open();
      return sendJson(res, 200, { ok: true });
    }
    if (req.method !== "GET" || action !== undefined) return sendJson(res, 404, { error: "not a canned route" });
    const count = stats.get(path) || 0;
    const answer = answers[Math.min(count, answers.length) - 1];
    if (answer.hang) return;
    if (answer.held) await gateOf(id).opened;
    if (answer.delay > 0) await delay(answer.delay);
    if ("json" in answer) return sendJson(res, answer.status ?? 200, answer.json);
    send(res, answer.status ?? 200, answer.body ?? "", answer.type || "text/plain; charset=utf-8");
  }

  function statsRoute(req, res, query) {
    const prefix = query.get("prefix") || "";
    const counts = Object.fromEntries([...stats].filter(([path]) => path.startsWith(prefix)));
    sendJson(res, 200, { counts });
  }

  return {
    "GET /test/jwt/*": jwt,
    "GET /test/answer": answer,
    "POST /test/canned": cannedRegister,
    "GET /test/canned/*": cannedAnswer,
    "POST /test/canned/*": cannedAnswer,
    "GET /test/login-page": (req, res) => send(res, 200, "<!doctype html><title>Login</title><h1>Login</h1>", "text/html; charset=utf-8"),
    "GET /test/page": (req, res, query, path, context) => sendPage(res, query, context),
    "GET /test/stats": statsRoute,
    "POST /test/reset": (req, res) => {
      stats.clear();
      sendJson(res, 200, { ok: true });
    },
  };
}

/**
 * GET /test/page: a page that embeds the SDK. Query: stub=0 (no inline stub), src (default
 * /messenger/messenger.js; an absolute URL's origin is added to the CSP), copies=N (that many
 * script tags), async=0, cache=1 (cacheable, so the back/forward cache may keep it), and data-*
 * parameters that become the script tag's attributes. The page's inline stub is allowed by its
 * CSP hash.
 */
function sendPage(res, query, { stubHtml, contentSecurityPolicy }) {
  const src = query.get("src") || "/messenger/messenger.js";
  const attributes = [...query].filter(([name]) => name.startsWith("data-"));
  const attrText = attributes.map(([name, value]) => ` ${escapeHtml(name)}="${escapeHtml(value)}"`).join("");
  const asyncAttr = query.get("async") === "0" ? "" : " async";
  const tag = `<script src="${escapeHtml(src)}"${attrText}${asyncAttr}></script>\n`;
  const copies = Math.max(1, Math.min(5, queryNumber(query, "copies", 1)));
  const stub = query.get("stub") === "0" ? "" : stubHtml();
  const html = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>messenger test page</title>\n${stub}${tag.repeat(copies)}</head>\n<body><h1>messenger test page</h1></body></html>\n`;
  const origins = /^https?:\/\//.test(src) ? [new URL(src).origin] : [];
  // cache=1: `no-cache` instead of `no-store`, which keeps the page out of the back/forward cache.
  const cache = query.get("cache") === "1" ? { "Cache-Control": "no-cache" } : {};
  send(res, 200, html, "text/html; charset=utf-8", { "Content-Security-Policy": contentSecurityPolicy(html, origins), ...cache });
}
