// Shared helpers for the Playwright specs. Import `test` and `expect` from here: every test then
// fails on any uncaught page error or console error unless it allows that message.
import { test as base, expect } from "@playwright/test";
import { randomUUID } from "node:crypto";

export { expect };
export { rawJwt, signHS256, signES256, siteJwt, messagingJwt, userClaims, decodePayload } from "../server/tokens.mjs";

/** The SDK's event names (SPEC.md "Events"); window events are `messenger:` + the name. */
export const EVENT_NAMES = ["ready", "authStateChanged", "tokenExpiring", "tokenRefreshed", "tokenExpired", "loginFailed", "loggedOut"];

/**
 * Chromium logs every HTTP error answer (a 401 from the authentication endpoint, say) as a
 * console error of its own; that is the network log, not the page or the SDK failing.
 */
const NETWORK_LOG = /^console\.error: Failed to load resource: the server responded with a status of \d+/;

/**
 * Collects what a page reports as wrong: uncaught exceptions, unhandled rejections (both are
 * `pageerror`) and console errors (except the network log above). `allow(regex)` excuses
 * matching messages for this test.
 */
export function collectPageErrors(page) {
  const errors = [];
  const allowed = [NETWORK_LOG];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console.error: ${message.text()}`);
  });
  return {
    allow: (pattern) => allowed.push(pattern),
    /** The errors not allowed. */
    unexpected: () => errors.filter((text) => !allowed.some((pattern) => pattern.test(text))),
    all: () => [...errors],
  };
}

/** `test` with a `pageErrors` fixture that is always on and checked after each test. */
export const test = base.extend({
  pageErrors: [
    async ({ page }, use) => {
      const errors = collectPageErrors(page);
      await use(errors);
      expect(errors.unexpected(), "page errors and console errors").toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * Records every SDK window event from the page's first script on: call before `page.goto`.
 * Read them with `sdkEvents(page)`; details are JSON copies.
 */
export async function recordSdkEvents(page) {
  await page.addInitScript((names) => {
    const seen = [];
    Object.defineProperty(window, "__sdkEvents", { value: seen });
    for (const name of names) {
      window.addEventListener(`messenger:${name}`, (event) => seen.push({ name, detail: JSON.parse(JSON.stringify(event.detail ?? null)) }));
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
