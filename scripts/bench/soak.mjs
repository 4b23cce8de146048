// Soak: the SDK used for a long time in one page, and a page reloaded many times.
//
// Cycles: one page under Playwright's clock (paused, so that time moves only when we move it).
// Each cycle is a loginUser() whose jwtCallback answers at once with a token living 10 minutes;
// the clock then jumps to one second past the token's freshness (exp - the default 60 s
// leeway), so the SDK's renewal timer fires: tokenExpiring, the same jwtCallback is asked again
// and answers a token signed for the new time, tokenRefreshed; then logoutUser(). A cycle fails
// when the login does not end authenticated, no tokenRefreshed comes (10 s of real time), or
// the state after the logout is not anonymous.
//
// Reloads: one page with an authentication endpoint and a stored fresh session, reloaded: each
// new document restores the session (`ready` is authenticated) and revalidates it with one
// request (tokenRefreshed). A reload fails when `ready` is not authenticated, or the
// revalidation does not end authenticated with a tokenRefreshed.
//
// Snapshots (lib.mjs) after the warm-up and at the end; `checks` says which figures stayed flat.
import { randomUUID } from "node:crypto";
import { countLiveTimers, snapshot } from "./lib.mjs";
import { messagingJwt } from "../../tests/server/tokens.mjs";

export const CYCLES = { warm: 100, total: 10_000 };
export const RELOADS = { warm: 10, total: 1_000 };

/** Growth allowed between the warm-up snapshot and the end (`checks`). */
export const SLACK = { timers: 1, jsHeapBytes: 1_000_000, jsHeapRatio: 0.1 };
/** The most JS heap the end may use: 10 % or 1 MB more than after the warm-up, whichever is more. */
export const jsHeapLimit = (warm) => warm + Math.max(Math.round(warm * SLACK.jsHeapRatio), SLACK.jsHeapBytes);

const TTL = 600; // seconds each token of a cycle lives
const RENEW_AFTER = TTL - 60 + 1; // seconds: one past the token's freshness under the default leeway
const WAIT_MS = 10_000; // real time a cycle or a reload may take before it counts as failed
const NOTES = 10; // failures described, at most (all are counted)
const EVENT_NAMES = ["ready", "authStateChanged", "tokenExpiring", "tokenRefreshed", "tokenExpired", "loginFailed", "loggedOut"];

/**
 * Both soaks, each in a browser context of its own (Playwright's clock registers an init script
 * at every clock call, which the reloaded page must not replay).
 */
export async function measureSoak(browser, baseUrl, { cycles = CYCLES, reloads = RELOADS } = {}) {
  const inContext = async (soak, options) => {
    const context = await browser.newContext();
    try {
      return await soak(await context.newPage(), { baseUrl, ...options });
    } finally {
      await context.close();
    }
  };
  return { cycles: await inContext(soakCycles, cycles), reloads: await inContext(soakReloads, reloads) };
}

/**
 * `total` login/refresh/logout cycles in `page` (new, nothing loaded yet), snapshots after
 * `warm` and `total`. Returns `{ warm, end, failed, failures, counts, timersLoggedIn, ms }`:
 * `failed` counts the failed cycles (`failures` describes the first few), `counts` every SDK
 * event the page saw, `timersLoggedIn` the live timers in the middle of the first cycle (the
 * renewal timer at least: proof that the timer count sees the SDK's timers).
 */
export async function soakCycles(page, { baseUrl = "", warm = CYCLES.warm, total = CYCLES.total, user = "soak-cycles" } = {}) {
  if (!(warm >= 1 && total > warm)) throw new Error(`soak: wants 1 <= warm < total cycles, got ${warm} and ${total}`);
  const began = performance.now();
  let clockMs = Math.floor(Date.now() / 1000) * 1000;
  await page.clock.install({ time: clockMs });
  await page.addInitScript(countLiveTimers); // after the clock's script: it counts the fake timers the SDK gets
  await page.addInitScript(probeEvents, EVENT_NAMES);
  await page.goto(at(baseUrl, "/test/page?stub=0"));
  if ((await inPage(page, () => window.__soak.until("ready", 1))) !== true) throw new Error("soak: the page never got ready");
  clockMs += 60_000;
  await page.clock.pauseAt(clockMs);
  const cdp = await page.context().newCDPSession(page);
  const settle = async () => {
    await page.clock.runFor(1000); // past the cross-tab lock's 200 ms hand-back
    clockMs += 1000;
  };

  const failures = [];
  let failed = 0;
  let warmSnapshot;
  let timersLoggedIn;
  for (let i = 1; i <= total; i++) {
    const now = clockMs / 1000;
    const first = messagingJwt({ username: user }, { now, ttl: TTL });
    const renewed = messagingJwt({ username: user }, { now: now + RENEW_AFTER, ttl: TTL });
    const login = await inPage(
      page,
      async ([a, b]) => {
        let calls = 0;
        const state = await messenger.loginUser((callback) => callback(calls++ === 0 ? a : b));
        return { status: state.status, refreshed: window.__soak.counts.tokenRefreshed };
      },
      [first, renewed],
    );
    if (i === 1) timersLoggedIn = await page.evaluate(() => window.__liveTimers());
    await page.clock.fastForward(RENEW_AFTER * 1000);
    clockMs += RENEW_AFTER * 1000;
    const logout = await inPage(
      page,
      async (refreshed) => {
        const renewal = await window.__soak.until("tokenRefreshed", refreshed + 1);
        await messenger.logoutUser();
        return { renewal, status: messenger.getAuthState().status };
      },
      login?.refreshed ?? 0,
    );
    const problem =
      login?.status !== "authenticated"
        ? `loginUser ended ${login?.status ?? "never"}`
        : logout?.renewal !== true
          ? "no tokenRefreshed"
          : logout.status !== "anonymous"
            ? `logoutUser left ${logout.status}`
            : null;
    if (problem) {
      failed++;
      if (failures.length < NOTES) failures.push(`cycle ${i}: ${problem}`);
      if (logout === undefined) await inPage(page, () => messenger.logoutUser());
    }
    if (i === warm) warmSnapshot = { ...(await snapshot(page, cdp, { settle })), failed };
  }
  const end = { ...(await snapshot(page, cdp, { settle })), failed };
  const counts = await page.evaluate(() => ({ ...window.__soak.counts }));
  return { warm: warmSnapshot, end, failed, failures, counts, timersLoggedIn, ms: performance.now() - began };
}

/**
 * Logs in through an authentication endpoint in `page` (new, nothing loaded yet), then reloads
 * it `total` times, snapshots after reload `warm` and `total`. Returns
 * `{ warm, end, failed, failures, ms }`.
 */
export async function soakReloads(page, { baseUrl = "", warm = RELOADS.warm, total = RELOADS.total, user = "soak-reloads" } = {}) {
  if (!(warm >= 1 && total > warm)) throw new Error(`soak: wants 1 <= warm < total reloads, got ${warm} and ${total}`);
  const began = performance.now();
  const endpoint = `/test/jwt/ok/soak-${randomUUID().slice(0, 8)}?user=${encodeURIComponent(user)}`;
  await page.addInitScript(countLiveTimers);
  await page.addInitScript(probeEvents, EVENT_NAMES);
  await page.goto(at(baseUrl, `/test/page?${new URLSearchParams({ stub: "0", "data-auth-endpoint": endpoint })}`));
  const login = await inPage(page, async () => {
    await window.__soak.until("ready", 1);
    return (await messenger.loginUser()).status;
  });
  if (login !== "authenticated") throw new Error(`soak: the login before the reloads ended ${login ?? "never"}`);
  const cdp = await page.context().newCDPSession(page);

  const failures = [];
  let failed = 0;
  let warmSnapshot;
  for (let i = 1; i <= total; i++) {
    await page.reload();
    const load = await inPage(page, async () => {
      const ready = (await window.__soak.until("ready", 1)) ? window.__soak.readyStatus : "never";
      const revalidated = ready === "authenticated" && (await window.__soak.until("tokenRefreshed", 1));
      return { ready, revalidated, status: messenger.getAuthState().status };
    });
    const problem =
      load?.ready !== "authenticated"
        ? `ready was ${load?.ready ?? "never"}`
        : load.revalidated !== true
          ? "no tokenRefreshed from the revalidation"
          : load.status !== "authenticated"
            ? `the revalidation left ${load.status}`
            : null;
    if (problem) {
      failed++;
      if (failures.length < NOTES) failures.push(`reload ${i}: ${problem}`);
    }
    if (i === warm) warmSnapshot = { ...(await snapshot(page, cdp)), failed };
  }
  const end = { ...(await snapshot(page, cdp)), failed };
  return { warm: warmSnapshot, end, failed, failures, ms: performance.now() - began };
}

/** Which figures stayed flat from `warm` to `end`: `{ wasmBytes, jsHeap, listeners, timers, documents }`. */
export function checks(warm, end) {
  return {
    wasmBytes: end.wasmBytes === warm.wasmBytes && end.wasmMemories === warm.wasmMemories,
    jsHeap: end.jsHeap <= jsHeapLimit(warm.jsHeap),
    listeners: end.listeners === warm.listeners,
    timers: end.timers <= warm.timers + SLACK.timers,
    documents: end.documents === warm.documents,
  };
}

const at = (baseUrl, path) => (baseUrl ? new URL(path, baseUrl).href : path);

/**
 * `page.evaluate(fn, arg)`, where `fn` waits with `__soak.until`: after WAIT_MS of real time
 * every such wait gives up (resolves false), so that a stuck cycle counts as failed instead of
 * hanging (the page's own timers are fake under the clock and cannot time it out); a page that
 * still has not answered WAIT_MS later stops the soak.
 */
async function inPage(page, fn, arg) {
  const timers = [];
  const stuck = new Promise((resolve, reject) => {
    timers.push(setTimeout(() => page.evaluate(() => window.__soak.giveUp()).catch(() => {}), WAIT_MS));
    timers.push(setTimeout(() => reject(new Error(`soak: the page did not answer within ${(2 * WAIT_MS) / 1000} s`)), 2 * WAIT_MS));
  });
  try {
    return await Promise.race([page.evaluate(fn, arg), stuck]);
  } finally {
    timers.forEach(clearTimeout);
  }
}

/**
 * Init script: counts the SDK's window events in `__soak.counts` (a fixed set of numbers, so
 * the probe itself does not grow), keeps the `ready` status, and `__soak.until(name, n)`
 * resolves true once `n` events of that name were seen (false if `giveUp()` comes first).
 */
function probeEvents(names) {
  const counts = Object.fromEntries(names.map((name) => [name, 0]));
  let readyStatus = null;
  let waits = [];
  const settle = (givingUp) => {
    waits = waits.filter((wait) => {
      const reached = counts[wait.name] >= wait.n;
      if (reached || givingUp) wait.resolve(reached);
      return !(reached || givingUp);
    });
  };
  for (const name of names) {
    addEventListener(`messenger:${name}`, (event) => {
      counts[name]++;
      if (name === "ready") readyStatus = event.detail.status;
      settle(false);
    });
  }
  const soak = {
    counts,
    get readyStatus() {
      return readyStatus;
    },
    until: (name, n) => new Promise((resolve) => (counts[name] >= n ? resolve(true) : waits.push({ name, n, resolve }))),
    giveUp: () => settle(true),
  };
  Object.defineProperty(window, "__soak", { value: soak });
}
