// What the bench's measurements share: the browser, a page waiting for the SDK, the test
// server's request counts, medians.
import { chromium } from "@playwright/test";
import { randomUUID } from "node:crypto";

/** Debian's Chromium (a downloaded browser fails on these machines), flags as in the e2e tests. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Opens `url` in `page` and waits for the SDK's `ready` event; returns its status. */
export async function openReadyPage(page, url) {
  // Registered before any script of the page runs, so a `ready` fired early is not missed.
  await page.addInitScript(() =>
    addEventListener("messenger:ready", (event) => (window.__benchReady = event.detail.status), { once: true }),
  );
  await page.goto(url);
  return (await page.waitForFunction(() => window.__benchReady)).jsonValue();
}

/** A path of the test server's `ok` endpoint no other measurement uses, so its count is its own. */
export const freshEndpoint = () => `/test/jwt/ok/bench-${randomUUID().slice(0, 8)}`;

/** How many requests the test server has had for `path`. */
export async function requestCount(baseUrl, path) {
  const answer = await fetch(new URL(`/test/stats?prefix=${encodeURIComponent(path)}`, baseUrl));
  return (await answer.json()).counts[path] || 0;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
