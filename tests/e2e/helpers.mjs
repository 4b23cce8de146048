// Shared helpers for the Playwright specs. Import `test` and `expect` from here: every test then
// fails on any uncaught page error or console error unless it allows that message.
import { test as base, expect } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import net from "node:net";
import { siteJwt, messagingJwt } from "../server/tokens.mjs";

export { expect };
export { rawJwt, signHS256, signES256, siteJwt, messagingJwt, userClaims, decodePayload } from "../server/tokens.mjs";

/** The SDK's event names (docs/API.md "Events"); window events are `messenger:` + the name. */
export const EVENT_NAMES = ["ready", "authStateChanged", "tokenExpiring", "tokenRefreshed", "tokenExpired", "loginFailed", "loggedOut"];

/**
 * Chromium logs every HTTP error answer (a 401 from the authentication endpoint, say) as a
 * console error of its own; that is the network log, not the page or the SDK failing.
 */
const NETWORK_LOG = /^console\.error: Failed to load resource: the server responded with a status of \d+/;

/**
 * Collects what a page reports as wrong: uncaught exceptions, unhandled rejections (both are
 * `pageerror`) and console errors (except the network log above). `allow(regex)` excuses
 * matching messages for this test; pages given the same `allowed` list share those excuses.
 */
export function collectPageErrors(page, allowed = [NETWORK_LOG]) {
  const errors = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console.error: ${message.text()}`);
  });
  return {
    allowed,
    allow: (pattern) => allowed.push(pattern),
    /** The errors not allowed. */
    unexpected: () => errors.filter((text) => !allowed.some((pattern) => pattern.test(text))),
    all: () => [...errors],
  };
}

/** A JWT in any text: three base64url parts, the first two JSON objects (`eyJ` is `{"`). */
export const JWT_SHAPE = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/;

/**
 * Watches where a token must never go (SPEC.md "No token leaks"): the URL of every request the
 * page makes, every console message, and the SDK event details `recordSdkEvents` recorded on the
 * page's last document (a reload starts a new record).
 * Anything shaped like a JWT is a leak, and so is any string given to `watch(token)` (a test
 * passes the tokens it hands to the page, whatever their shape). Pages given the same `watched`
 * set watch the same tokens.
 */
export function collectTokenLeaks(page, watched = new Set()) {
  const urls = [];
  const consoleTexts = [];
  page.on("request", (request) => urls.push(request.url()));
  page.on("console", (message) => consoleTexts.push(message.text()));
  const leaksIn = (where, texts) =>
    texts.filter((text) => JWT_SHAPE.test(text) || [...watched].some((token) => text.includes(token))).map((text) => `${where}: ${text}`);
  return {
    watched,
    watch: (token) => token && watched.add(token),
    /** Leaks seen so far; `eventDetails` is the recorded SDK events as JSON text, if any. */
    found: (eventDetails = "") => [...leaksIn("request URL", urls), ...leaksIn("console", consoleTexts), ...leaksIn("event detail", [eventDetails])],
  };
}

/** The recorded SDK events of the page as JSON text ("" when there is no page to ask). */
async function recordedEventsText(page) {
  try {
    return JSON.stringify((await page.evaluate(() => window.__sdkEvents ?? [])) ?? []);
  } catch {
    return ""; // the page is gone or crashed: the other checks still run
  }
}

/**
 * `test` with two fixtures that are always on and checked after each test: `pageErrors` (no
 * uncaught exception, unhandled rejection or console error) and `tokenLeaks` (no JWT in a
 * request URL, a console message or an event detail). A test that needs more tabs of the same
 * origin takes `newTab`: `await newTab()` opens another page in the test's browser context
 * (same origin, storage, BroadcastChannel and Web Locks as `page`), checked the same way after
 * the test, with the excuses of `pageErrors.allow` and the tokens of `tokenLeaks.watch`.
 */
export const test = base.extend({
  pageErrors: [
    async ({ page }, use) => {
      const errors = collectPageErrors(page);
      await use(errors);
      expect(errors.unexpected(), "page errors and console errors").toEqual([]);
    },
    { auto: true },
  ],
  tokenLeaks: [
    async ({ page }, use) => {
      const leaks = collectTokenLeaks(page);
      await use(leaks);
      expect(leaks.found(await recordedEventsText(page)), "tokens in URLs, console messages or event details").toEqual([]);
    },
    { auto: true },
  ],
  newTab: async ({ context, pageErrors, tokenLeaks }, use) => {
    const tabs = [];
    await use(async () => {
      const tab = await context.newPage();
      tabs.push({ tab, errors: collectPageErrors(tab, pageErrors.allowed), leaks: collectTokenLeaks(tab, tokenLeaks.watched) });
      return tab;
    });
    for (const [index, { tab, errors, leaks }] of tabs.entries()) {
      expect(errors.unexpected(), `page errors and console errors of extra tab ${index + 1}`).toEqual([]);
      expect(leaks.found(await recordedEventsText(tab)), `tokens in URLs, console messages or event details of extra tab ${index + 1}`).toEqual([]);
    }
  },
});

/**
 * Records every SDK window event from the page's first script on: call before `page.goto`.
 * Read them with `sdkEvents(page)`: `{ name, detail, at }`, details are JSON copies and `at` is
 * the page's `Date.now()` at dispatch (the fake one under `page.clock`).
 */
export async function recordSdkEvents(page) {
  await page.addInitScript((names) => {
    // Taken now: a hostile page may replace JSON.parse or Date.now after this script.
    const { parse, stringify } = JSON;
    const now = Date.now;
    const seen = [];
    // Claims nested deeper than JSON.stringify goes (a hostile token's) are not copied.
    const copy = (detail) => {
      try {
        return parse(stringify(detail ?? null));
      } catch {
        return parse(stringify({ ...detail, user: detail.user && { ...detail.user, claims: "too deep to copy" } }));
      }
    };
    Object.defineProperty(window, "__sdkEvents", { value: seen });
    for (const name of names) {
      window.addEventListener(`messenger:${name}`, (event) => seen.push({ name, detail: copy(event.detail), at: now() }));
    }
  }, EVENT_NAMES);
}

export const sdkEvents = (page) => page.evaluate(() => window.__sdkEvents);

/** Waits until the page has seen the SDK event `name` (recorded) and returns its detail. */
export async function waitForSdkEvent(page, name, { timeout = 10_000 } = {}) {
  const handle = await page.waitForFunction((n) => window.__sdkEvents?.find((e) => e.name === n), name, { timeout });
  return (await handle.jsonValue()).detail;
}

/** The URL of a generated page embedding the SDK (see tests/server/faults.mjs, /test/page). */
export function sdkPage(params = {}) {
  return `/test/page?${new URLSearchParams(params)}`;
}

/** A path suffix unique to this call, so that parallel tests' request counts stay apart. */
export const uniqueSuffix = () => randomUUID().slice(0, 8);

/** Request counts per path from the test server (only paths starting with `prefix`). */
export async function serverStats(request, prefix = "") {
  const answer = await request.get(`/test/stats?prefix=${encodeURIComponent(prefix)}`);
  return (await answer.json()).counts;
}

/** How many requests the server got for exactly `path`. */
export async function requestCount(request, path) {
  return (await serverStats(request, path))[path] || 0;
}

// ---- Login stories: the page-side kit, events, storage, requests ----

/**
 * Installs `window.kit` from the page's first script on (call before `page.goto`):
 *
 *   kit.loginCallbacks     every loginCallback argument, in order (JSON copies; null on success)
 *   kit.loginCallback      a loginCallback that records there
 *   kit.jwtCalls           how many times a kit jwtCallback was called
 *   kit.answer(jwt)        a jwtCallback that answers `jwt` at once
 *   kit.hold()             a jwtCallback that keeps each callback it gets in kit.held
 *   kit.sequence(a, b, ..) a jwtCallback whose nth call answers the nth argument at once (a
 *                          `null` argument, or a call past the last, is held as kit.hold() does)
 *   kit.login(jwtCallback) messenger.loginUser(jwtCallback, kit.loginCallback), as a JSON copy
 */
export async function installKit(page) {
  await page.addInitScript(() => {
    const { parse, stringify } = JSON; // taken now: a hostile page may replace JSON.parse later
    // Claims nested deeper than JSON.stringify goes (a hostile token's) are not copied.
    const copy = (value) => {
      try {
        return parse(stringify(value ?? null));
      } catch {
        return parse(stringify({ ...value, user: value.user && { ...value.user, claims: "too deep to copy" } }));
      }
    };
    const kit = {
      loginCallbacks: [],
      jwtCalls: 0,
      held: [],
      loginCallback: (error) => kit.loginCallbacks.push(copy(error)),
      answer: (jwt) => (callback) => {
        kit.jwtCalls += 1;
        callback(jwt);
      },
      hold: () => (callback) => {
        kit.jwtCalls += 1;
        kit.held.push(callback);
      },
      sequence: (...answers) => {
        let calls = 0;
        return (callback) => {
          kit.jwtCalls += 1;
          const answer = answers[calls++];
          if (answer === undefined || answer === null) kit.held.push(callback);
          else callback(answer);
        };
      },
      login: async (jwtCallback) => copy(await window.messenger.loginUser(jwtCallback, kit.loginCallback)),
    };
    Object.defineProperty(window, "kit", { value: kit });
  });
}

/**
 * Waits until a `kit.hold()` jwtCallback has been called `count` times in all. The SDK may call
 * the jwtCallback later than loginUser() (once it holds the cross-tab lock, say).
 */
export async function waitForHeld(page, count = 1) {
  await page.waitForFunction((n) => window.kit.held.length >= n, count);
}

/**
 * Opens a generated SDK page (query as for `sdkPage`) with events recorded and the kit
 * installed, waits for `ready` and returns its detail.
 */
export async function openSdkPage(page, params = {}) {
  await recordSdkEvents(page);
  await installKit(page);
  await page.goto(sdkPage(params));
  return waitForSdkEvent(page, "ready");
}

/** Reloads the page and returns the new page's `ready` detail (events are recorded afresh). */
export async function reloadSdkPage(page) {
  await page.reload();
  return waitForSdkEvent(page, "ready");
}

/**
 * The recorded events as short lines, in order: `authStateChanged <status>`, `loginFailed
 * <reason>[/<detail>]`, or the bare name for the others. Assert order on these; read details
 * from `sdkEvents`.
 */
export async function eventLines(page) {
  return (await sdkEvents(page)).map(({ name, detail }) => {
    if (name === "authStateChanged") return `${name} ${detail.status}`;
    if (name === "loginFailed") return `${name} ${detail.reason}${detail.detail ? `/${detail.detail}` : ""}`;
    return name;
  });
}

/** The details of the recorded events named `name`, in order. */
export async function eventDetails(page, name) {
  return (await sdkEvents(page)).filter((event) => event.name === name).map((event) => event.detail);
}

/** Every key and value of both web storages: `{ session: {key: value}, local: {key: value} }`. */
export function storageContents(page) {
  return page.evaluate(() => {
    const dump = (storage) => Object.fromEntries(Array.from({ length: storage.length }, (_, i) => storage.key(i)).map((key) => [key, storage.getItem(key)]));
    return { session: dump(sessionStorage), local: dump(localStorage) };
  });
}

/** The `storage` keys (`session.x`, `local.y`) whose key or value contains `text`. */
export async function storageKeysContaining(page, text) {
  const contents = await storageContents(page);
  return Object.entries(contents).flatMap(([area, entries]) =>
    Object.entries(entries)
      .filter(([key, value]) => key.includes(text) || value.includes(text))
      .map(([key]) => `${area}.${key}`),
  );
}

/** A unique path of a /test/jwt scenario, e.g. `scenarioPath("500")` -> /test/jwt/500/ab12cd34. */
export const scenarioPath = (scenario) => `/test/jwt/${scenario}/${uniqueSuffix()}`;

/**
 * Holds the page's requests to URLs matching `pattern` until `release()`; `requests` lists the
 * URLs held so far. After release, held and later requests go on to the server.
 */
export async function holdRequests(page, pattern) {
  const requests = [];
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route(pattern, async (route) => {
    requests.push(route.request().url());
    await released;
    await route.continue().catch(() => {}); // the page may have aborted it meanwhile
  });
  return { requests, release };
}

/** A URL on 127.0.0.1 where nothing listens (the OS picked the port, then it was closed). */
export function closedPortUrl(path = "/auth/jwt") {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(`http://127.0.0.1:${port}${path}`));
    });
  });
}

/** The JSON header of a JWT. */
export const decodeHeader = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString());

/** Seconds since the epoch, now. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The LoginFailedError SPEC.md describes: `{ type, reason, detail?, status?, message }`, with
 * `detail` and `status` present exactly when given here, and a message that says something.
 */
export function loginFailedError({ reason, detail, status, message = expect.stringMatching(/\S/) }) {
  return {
    type: "LoginFailedError",
    reason,
    ...(detail === undefined ? {} : { detail }),
    ...(status === undefined ? {} : { status }),
    message,
  };
}

/**
 * Checks the outcome of the page's one failed `kit.login(...)` from anonymous: the loginCallback
 * got `error`; so did one `loginFailed` event, unless `event: false` (401/403, superseded); the
 * events were authenticating, [loginFailed], anonymous; the state is anonymous.
 */
export async function expectFailedLogin(page, error, { event = true } = {}) {
  const expected = loginFailedError(error);
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([expected]);
  expect(await eventDetails(page, "loginFailed")).toEqual(event ? [expected] : []);
  const failed = error.detail ? `loginFailed ${error.reason}/${error.detail}` : `loginFailed ${error.reason}`;
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", ...(event ? [failed] : []), "authStateChanged anonymous"]);
  expect(await page.evaluate(() => messenger.getAuthState())).toMatchObject({ status: "anonymous", authenticationStatus: false, user: null });
  return (await page.evaluate(() => kit.loginCallbacks))[0];
}

// ---- Canned endpoint answers, tabs, wake-ups, storage snapshots ----

/**
 * Registers answers on the test server (POST /test/canned) and returns the path that gives them:
 * the nth request gets the nth answer, the last repeats. An answer is `{ status = 200, json }`,
 * `{ status, body, type }`, with `delay` (ms), or `held: true` (it waits at the server until
 * `releaseCanned`), or `{ hang: true }` (never answered). The tokens in them travel in a
 * request body from the test, never in a URL the page requests.
 */
export async function cannedEndpoint(request, answers) {
  const answer = await request.post("/test/canned", { data: { answers } });
  expect(answer.status()).toBe(200);
  return (await answer.json()).path;
}

/**
 * Lets the `{ held: true }` answers of a canned endpoint go: those waiting at the server (their
 * requests counted) and any later ones.
 */
export async function releaseCanned(request, path) {
  expect((await request.post(`${path}/release`)).status()).toBe(200);
}

/** The endpoint answer `{"loginUserIdJwt": jwt}` (or under `key`), for `cannedEndpoint`. */
export const tokenAnswer = (jwt, key = "loginUserIdJwt") => ({ status: 200, json: { [key]: jwt } });

/** The cross-tab lock seen from `page`: `{ held, pending }`, the number of each. */
export async function tokenLock(page) {
  return page.evaluate(async () => {
    const { held, pending } = await navigator.locks.query();
    const mine = (locks) => locks.filter((lock) => lock.name === "messenger-auth:token").length;
    return { held: mine(held), pending: mine(pending) };
  });
}

/**
 * Wakes the page as the browser would: `visibilitychange` (the document is visible, as headless
 * pages are), `online`, or a `pageshow` whose `persisted` is true (a PageTransitionEvent, as after
 * a back/forward-cache restore).
 */
export async function dispatchWake(page, kind) {
  await page.evaluate((what) => {
    if (what === "visibilitychange") {
      if (document.visibilityState !== "visible") throw new Error(`the page is ${document.visibilityState}`);
      document.dispatchEvent(new Event("visibilitychange"));
    } else if (what === "online") {
      window.dispatchEvent(new Event("online"));
    } else if (what === "pageshow") {
      window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    } else {
      throw new Error(`no wake event ${what}`);
    }
  }, kind);
}

/**
 * Records, from the page's first script on (call before `page.goto`), what both web storages
 * held when each SDK window event was dispatched: `storageAtEvents(page)` gives
 * `[{ name, status, storage: "<JSON of both storages>" }]` (status for authStateChanged). A
 * storage whose getter throws reads as "blocked".
 */
export async function recordStorageAtEvents(page) {
  await page.addInitScript((names) => {
    const seen = [];
    Object.defineProperty(window, "__storageAtEvents", { value: seen });
    const dump = (get) => {
      try {
        const storage = get();
        return Object.fromEntries(Array.from({ length: storage.length }, (_, i) => storage.key(i)).map((key) => [key, storage.getItem(key)]));
      } catch {
        return "blocked";
      }
    };
    for (const name of names) {
      window.addEventListener(`messenger:${name}`, (event) =>
        seen.push({
          name,
          status: event.detail?.status ?? null,
          storage: JSON.stringify({ session: dump(() => window.sessionStorage), local: dump(() => window.localStorage) }),
        }),
      );
    }
  }, EVENT_NAMES);
}

export const storageAtEvents = (page) => page.evaluate(() => window.__storageAtEvents);

// ---- Expiry and wake stories under the fake clock ----

/** The event lines of a login from anonymous that succeeded. */
export const LOGIN_LINES = ["ready", "authStateChanged authenticating", "authStateChanged authenticated"];

/**
 * Opens an SDK page (query `params`) under a fake clock installed at the real time now, and logs
 * in with a token living 10 minutes, from `source`: "callback" (kit.sequence) or "endpoint" (a
 * canned endpoint). The source's next answer is a token of the same user signed for the moment
 * `renewAfter` seconds later, so that it is fresh after a jump of the clock; with `hold` (callback
 * only) that call is held in kit.held instead. Returns the tokens, the clock's start (ms), the
 * endpoint (or null) and `requests()`, the number of endpoint requests or jwtCallback calls.
 */
export async function logInUnderClock(page, { source, username, renewAfter, hold = false, params = {} }) {
  const now = Math.floor(Date.now() / 1000);
  const startMs = now * 1000;
  await page.clock.install({ time: startMs });
  const sign = source === "callback" ? messagingJwt : siteJwt;
  const first = sign({ username }, { now, ttl: 600 });
  const second = sign({ username }, { now: now + renewAfter, ttl: 600 });
  let endpoint = null;
  if (source === "endpoint") {
    endpoint = await cannedEndpoint(page.request, [tokenAnswer(first), tokenAnswer(second)]);
    await openSdkPage(page, { "data-auth-endpoint": endpoint, ...params });
    await page.evaluate(() => kit.login());
  } else {
    await openSdkPage(page, params);
    await page.evaluate(([a, b]) => kit.login(kit.sequence(a, b)), [first, hold ? null : second]);
  }
  expect(await eventLines(page)).toEqual(LOGIN_LINES);
  // The cross-tab lock is handed back 200 ms (of page time) after the login; let that pass now,
  // so that no timer of the SDK is due when the clock jumps.
  await page.clock.runFor(250);
  await expect.poll(() => tokenLock(page)).toEqual({ held: 0, pending: 0 });
  const requests = () => (endpoint ? requestCount(page.request, endpoint) : page.evaluate(() => kit.jwtCalls));
  expect(await requests()).toBe(1);
  return { startMs, first, second, requests, endpoint };
}


// ---- The demo server (server/, Rust), with the messaging emulator ----

/**
 * Builds (a no-op when up to date, as `cargo run` in `npm start` would) and starts the demo
 * server, target/debug/messenger-demo-server, on a free port with a fresh data folder. Its
 * first output line is the URL, its second `admin token: <token>` (a new random one: read here
 * as a developer reads it). Resolves with `{ url, adminToken, stop() }`.
 */
export async function startDemoServer(args = []) {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  execFileSync("cargo", ["build", "--quiet", "-p", "messenger-demo-server"], { cwd: root, stdio: "inherit" });
  const dataDir = mkdtempSync(join(tmpdir(), "demo-data-"));
  const env = { ...process.env };
  delete env.ADMIN_TOKEN;
  const child = spawn(join(root, "target/debug/messenger-demo-server"), ["--port", "0", "--data-dir", dataDir, ...args], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  // Later lines (one per API request) are read and dropped, so that a full pipe never blocks it.
  const lines = createInterface({ input: child.stdout });
  const firstTwo = new Promise((resolve, reject) => {
    const seen = [];
    lines.on("line", (line) => {
      seen.push(line);
      if (seen.length === 2) resolve(seen);
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the demo server exited (${code}): ${stderr}`)));
  });
  const [url, tokenLine] = await firstTwo;
  const adminToken = /^admin token: (\S+)$/.exec(tokenLine)?.[1];
  if (!adminToken) throw new Error(`no admin token line: ${tokenLine}`);
  return {
    url: url.replace(/\/$/, ""),
    adminToken,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
