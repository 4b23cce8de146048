// The test/demo server: static files, the site's login and authentication endpoints, CORS with
// credentials, and the /test/ fault routes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../server/server.mjs";
import { decodePayload, verifyES256 } from "../server/tokens.mjs";

let server;
const url = (path) => new URL(path, server.url).href;
before(async () => (server = await startServer({ port: 0, ttl: 120 })));
after(() => server.close());

const decodeHeader = (token) => JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString());

async function login(fields) {
  const answer = await fetch(url("/login"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fields) });
  assert.equal(answer.status, 200);
  const cookie = answer.headers.get("set-cookie");
  assert.match(cookie, /^sid=[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/);
  return cookie.split(";")[0];
}

test("serves www/ at / and the SDK's files with their content types, never cached", async () => {
  const page = await fetch(url("/test/login-page"));
  assert.equal(page.headers.get("cache-control"), "no-store");
  const stub = await fetch(url("/sdk/stub.js"));
  assert.equal(stub.status, 200);
  assert.equal(stub.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal((await fetch(url("/sdk/../../package.json"))).status, 404);
  assert.equal((await fetch(url("/%2e%2e/package.json"))).status, 404);
});

test("the authentication endpoint signs an ES256 token for the logged-in user only", async () => {
  const anonymous = await fetch(url("/auth/jwt"));
  assert.equal(anonymous.status, 401);
  assert.deepEqual(await anonymous.json(), { error: "not logged in" });

  const cookie = await login({ username: "ada", name: "Ada Lovelace" });
  const answer = await fetch(url("/auth/jwt"), { headers: { cookie } });
  assert.equal(answer.status, 200);
  const { loginUserIdJwt } = await answer.json();
  assert.deepEqual(decodeHeader(loginUserIdJwt), { alg: "ES256", cty: "text/plain", typ: "JWT" });
  assert.ok(verifyES256(loginUserIdJwt));
  const claims = decodePayload(loginUserIdJwt);
  assert.equal(claims.exp - claims.iat, 120); // the server's ttl
  assert.deepEqual([claims.external_id, claims.name, claims.email], ["ada", "Ada Lovelace", "ada@example.test"]);

  const short = await (await fetch(url("/auth/jwt?ttl=5"), { headers: { cookie } })).json();
  const shortClaims = decodePayload(short.loginUserIdJwt);
  assert.equal(shortClaims.exp - shortClaims.iat, 5);

  const out = await fetch(url("/logout"), { method: "POST", headers: { cookie } });
  assert.match(out.headers.get("set-cookie"), /Max-Age=0/);
  assert.equal((await fetch(url("/auth/jwt"), { headers: { cookie } })).status, 401);
});

test("the messaging endpoint signs HS256 with kid, scope and a verified email", async () => {
  const form = await fetch(url("/login"), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "username=bo&email=bo%40x.test" });
  const cookie = form.headers.get("set-cookie").split(";")[0];
  const { loginUserIdJwt } = await (await fetch(url("/auth/messaging-jwt"), { headers: { cookie } })).json();
  const header = decodeHeader(loginUserIdJwt);
  assert.equal(header.alg, "HS256");
  assert.equal(typeof header.kid, "string");
  assert.deepEqual(
    (({ scope, external_id, email, email_verified }) => ({ scope, external_id, email, email_verified }))(decodePayload(loginUserIdJwt)),
    { scope: "user", external_id: "bo", email: "bo@x.test", email_verified: true },
  );
});

test("a login without a username is refused", async () => {
  const answer = await fetch(url("/login"), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(answer.status, 400);
});

test("cross-origin answers reflect the exact origin with credentials, and preflights pass", async () => {
  const origin = "http://127.0.0.1:1";
  const answer = await fetch(url("/test/jwt/401"), { headers: { origin } });
  assert.equal(answer.headers.get("access-control-allow-origin"), origin);
  assert.equal(answer.headers.get("access-control-allow-credentials"), "true");
  const preflight = await fetch(url("/auth/jwt"), { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "x-test" } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), origin);
  assert.equal(preflight.headers.get("access-control-allow-headers"), "x-test");
});

test("the /test/jwt scenarios answer as named", async () => {
  const expectations = {
    ok: [200, (body) => decodePayload(body.loginUserIdJwt).external_id === "zoe"],
    "ok-token-key": [200, (body) => typeof body.token === "string"],
    "ok-jwt-key": [200, (body) => typeof body.jwt === "string"],
    nokey: [200, (body) => Object.keys(body).length === 0],
    "alg-none": [200, (body) => decodeHeader(body.loginUserIdJwt).alg === "none" && decodePayload(body.loginUserIdJwt).external_id === "zoe" && body.loginUserIdJwt.split(".")[2] !== ""],
    html: [200, null],
    204: [204, null],
    401: [401, null],
    403: [403, null],
    404: [404, null],
    429: [429, null],
    500: [500, null],
    503: [503, null],
  };
  for (const [scenario, [status, check]] of Object.entries(expectations)) {
    const answer = await fetch(url(`/test/jwt/${scenario}?user=zoe`));
    assert.equal(answer.status, status, scenario);
    if (check) assert.ok(check(await answer.json()), scenario);
  }
  const redirect = await fetch(url("/test/jwt/301"), { redirect: "manual" });
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.get("location"), "/test/login-page");
  const expired = await (await fetch(url("/test/jwt/ok?ttl=-30"))).json();
  const claims = decodePayload(expired.loginUserIdJwt);
  assert.ok(claims.exp < claims.iat);
});

test("hang never answers and slow answers after its delay", async () => {
  await assert.rejects(fetch(url("/test/jwt/hang"), { signal: AbortSignal.timeout(300) }), /TimeoutError|aborted/);
  const started = Date.now();
  assert.equal((await fetch(url("/test/jwt/slow?delay=200"))).status, 200);
  assert.ok(Date.now() - started >= 190);
});

test("canned answers: registered by POST, then answered in order, the last one repeating; held ones wait for release", async () => {
  const register = (body) => fetch(url("/test/canned"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  assert.equal((await register({ answers: [] })).status, 400);
  assert.equal((await register({ answers: [1] })).status, 400);
  const { path } = await (await register({ answers: [{ json: { token: "a.b.c" } }, { status: 503, body: "down" }, { status: 204 }] })).json();
  assert.match(path, /^\/test\/canned\/[\w-]+$/);
  const first = await fetch(url(path));
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("content-type"), "application/json");
  assert.deepEqual(await first.json(), { token: "a.b.c" });
  const second = await fetch(url(path));
  assert.deepEqual([second.status, await second.text()], [503, "down"]);
  assert.equal((await fetch(url(path))).status, 204);
  assert.equal((await fetch(url(path))).status, 204); // the last answer repeats
  assert.deepEqual((await (await fetch(url(`/test/stats?prefix=${path}`))).json()).counts, { [path]: 4 });
  assert.equal((await fetch(url("/test/canned/nothing-here"))).status, 404);
  const { path: gated } = await (await register({ answers: [{ held: true, json: { token: "held" } }] })).json();
  const waiting = fetch(url(gated));
  const early = await Promise.race([waiting.then(() => "answered"), new Promise((resolve) => setTimeout(() => resolve("held"), 200))]);
  assert.equal(early, "held");
  assert.deepEqual((await (await fetch(url(`/test/stats?prefix=${gated}`))).json()).counts, { [gated]: 1 }); // counted on arrival
  assert.equal((await fetch(url(`${gated}/release`), { method: "POST" })).status, 200);
  assert.deepEqual(await (await waiting).json(), { token: "held" });
  assert.deepEqual(await (await fetch(url(gated))).json(), { token: "held" }); // open from then on
  const { path: hanging } = await (await register({ answers: [{ hang: true }] })).json();
  await assert.rejects(fetch(url(hanging), { signal: AbortSignal.timeout(300) }), /TimeoutError|aborted/);
});

test("stats count requests per path; flaky fails first; reset zeroes", async () => {
  const path = "/test/jwt/flaky/stats-test";
  assert.equal((await fetch(url(`${path}?fail=2&status=503`))).status, 503);
  assert.equal((await fetch(url(`${path}?fail=2&status=503`))).status, 503);
  assert.equal((await fetch(url(`${path}?fail=2&status=503`))).status, 200);
  const { counts } = await (await fetch(url(`/test/stats?prefix=${path}`))).json();
  assert.deepEqual(counts, { [path]: 3 });
  await fetch(url("/test/reset"), { method: "POST" });
  assert.deepEqual((await (await fetch(url("/test/stats"))).json()).counts, {});
});

test("/test/page embeds the SDK as asked, under a CSP that allows its inline stub", async () => {
  const answer = await fetch(url("/test/page?data-auth-endpoint=/auth/jwt&copies=2&async=0"));
  const html = await answer.text();
  assert.equal((html.match(/<script src="\/messenger\/messenger.js" data-auth-endpoint="\/auth\/jwt"><\/script>/g) || []).length, 2);
  assert.match(html, /<script>.*window\);<\/script>/);
  const csp = answer.headers.get("content-security-policy");
  assert.match(csp, /^script-src 'self' 'wasm-unsafe-eval' 'sha256-[\w+/=]+'; object-src 'none'; base-uri 'none'$/);
  assert.doesNotMatch(csp, /'unsafe-eval'|'unsafe-inline'/);
  const noStub = await (await fetch(url("/test/page?stub=0"))).text();
  assert.doesNotMatch(noStub, /<script>/);
});
