// What the bench's measurements share: the browser, a page waiting for the SDK, the test
// server's request counts, medians, and the memory snapshot of a page (memory.mjs, soak.mjs and
// tests/e2e/soak.spec.mjs): the SDK exposes nothing for it, so the Chrome DevTools Protocol finds
// its WebAssembly.Memory and every EventTarget on the heap, and an init script counts timers.
import { chromium } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("../../tests/server/server.mjs", import.meta.url));

/**
 * The test server in a process of its own, as a site's server is: in the bench's process it
 * would share one event loop with Playwright's client, and a page's requests would wait behind
 * the browser's protocol traffic (the more requests a page makes, the longer). Resolves to
 * `{ url, close }` once it listens.
 */
export function startServerProcess() {
  const child = spawn(process.execPath, [SERVER, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    exited.then((code) => reject(new Error(`bench: the test server exited (${code}) before it listened`)));
    createInterface({ input: child.stdout }).once("line", (url) => {
      resolve({
        url,
        close: () => {
          child.kill();
          return exited;
        },
      });
    });
  });
}

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

/** Init script: every setTimeout/setInterval id not yet fired or cleared, as window.__liveTimers(). */
export function countLiveTimers() {
  const live = new Set();
  const { setTimeout, setInterval, clearTimeout, clearInterval } = window;
  window.setTimeout = function (handler, ...rest) {
    const id = setTimeout.call(window, typeof handler === "function" ? (...args) => (live.delete(id), handler(...args)) : handler, ...rest);
    live.add(id);
    return id;
  };
  window.setInterval = function (...args) {
    const id = setInterval.apply(window, args);
    live.add(id);
    return id;
  };
  // Chromium shares one id space between the two, and either clear stops either kind.
  window.clearTimeout = (id) => (live.delete(id), clearTimeout.call(window, id));
  window.clearInterval = (id) => (live.delete(id), clearInterval.call(window, id));
  Object.defineProperty(window, "__liveTimers", { value: () => live.size });
}

const GROUP = "bench-memory"; // CDP handles, released after each snapshot so they keep nothing alive

/**
 * The page's figures, after the SDK's last timers have had time to run out (`settle`: a second
 * by default; a page under `page.clock` passes its own) and a full garbage collection:
 * `wasmMemories`, `wasmBytes`, `listeners` (on every EventTarget) and `timers` (live, counted by
 * `countLiveTimers`, which must be an init script of the page) are those of the page's current
 * document; `jsHeap` (V8, used bytes), `blinkHeap` (Blink's own objects, used bytes) and
 * `documents` are the renderer's, whose one heap holds every document it has not yet freed.
 */
export async function snapshot(page, cdp, { settle = () => delay(1000) } = {}) {
  await settle(); // longer than the cross-tab lock's 200 ms hand-back after a login
  await cdp.send("HeapProfiler.collectGarbage");
  try {
    const memories = await instances(cdp, "WebAssembly.Memory.prototype");
    const wasmBytes = await Promise.all(memories.map((id) => call(cdp, id, "function () { return this.buffer.byteLength; }")));
    let listeners = 0;
    for (const id of await instances(cdp, "EventTarget.prototype")) {
      listeners += (await cdp.send("DOMDebugger.getEventListeners", { objectId: id })).listeners.length;
    }
    const { usedSize, embedderHeapUsedSize } = await cdp.send("Runtime.getHeapUsage");
    const { documents } = await cdp.send("Memory.getDOMCounters");
    return {
      wasmMemories: memories.length,
      wasmBytes: wasmBytes.reduce((a, b) => a + b, 0),
      jsHeap: usedSize,
      blinkHeap: embedderHeapUsedSize ?? null,
      documents,
      listeners,
      timers: await page.evaluate(() => window.__liveTimers()),
    };
  } finally {
    await cdp.send("Runtime.releaseObjectGroup", { objectGroup: GROUP });
  }
}

/** Handles to every live object whose prototype chain holds `prototype` (an expression). */
async function instances(cdp, prototype) {
  const { result } = await cdp.send("Runtime.evaluate", { expression: prototype, objectGroup: GROUP });
  const { objects } = await cdp.send("Runtime.queryObjects", { prototypeObjectId: result.objectId, objectGroup: GROUP });
  const { result: items } = await cdp.send("Runtime.getProperties", { objectId: objects.objectId, ownProperties: true });
  return items.filter((item) => /^\d+$/.test(item.name)).map((item) => item.value.objectId);
}

async function call(cdp, objectId, functionDeclaration) {
  const { result } = await cdp.send("Runtime.callFunctionOn", { objectId, functionDeclaration, returnByValue: true });
  return result.value;
}
