// Memory: in one page, 10 login/logout cycles (a jwtCallback answering at once), then up to
// 1,000 in all; after each, the wasm memory, the JS heap, the event listeners and the live
// timers. The SDK exposes nothing for this: the Chrome DevTools Protocol finds its
// WebAssembly.Memory and every EventTarget on the heap, and an init script counts timers.
import { openReadyPage, delay } from "./lib.mjs";
import { messagingJwt } from "../../tests/server/tokens.mjs";

const GROUP = "bench-memory"; // CDP handles, released after each snapshot so they keep nothing alive

export async function measureMemory(browser, baseUrl) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(countLiveTimers);
    await openReadyPage(page, `${baseUrl}test/page?stub=0`);
    const cdp = await context.newCDPSession(page);
    const jwt = messagingJwt({ username: "bench-memory" }, { ttl: 3600 });
    const failed10 = await cycles(page, jwt, 10);
    const after10 = await snapshot(page, cdp);
    const failed = failed10 + (await cycles(page, jwt, 990));
    const after1000 = await snapshot(page, cdp);
    return { after10, after1000, failed };
  } finally {
    await context.close();
  }
}

/** `n` logins and logouts; returns how many logins did not end authenticated. */
function cycles(page, jwt, n) {
  return page.evaluate(
    async ([jwt, n]) => {
      let failed = 0;
      for (let i = 0; i < n; i++) {
        const state = await messenger.loginUser((callback) => callback(jwt));
        if (state.status !== "authenticated") failed++;
        await messenger.logoutUser();
      }
      return failed;
    },
    [jwt, n],
  );
}

/** Init script: every setTimeout/setInterval id not yet fired or cleared, as window.__liveTimers(). */
function countLiveTimers() {
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

/** After the SDK's last timers have had time to run out, and a full garbage collection. */
async function snapshot(page, cdp) {
  await delay(1000); // longer than the cross-tab lock's 200 ms hand-back after a login
  await cdp.send("HeapProfiler.collectGarbage");
  try {
    const memories = await instances(cdp, "WebAssembly.Memory.prototype");
    const wasmBytes = await Promise.all(memories.map((id) => call(cdp, id, "function () { return this.buffer.byteLength; }")));
    let listeners = 0;
    for (const id of await instances(cdp, "EventTarget.prototype")) {
      listeners += (await cdp.send("DOMDebugger.getEventListeners", { objectId: id })).listeners.length;
    }
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    return {
      wasmMemories: memories.length,
      wasmBytes: wasmBytes.reduce((a, b) => a + b, 0),
      jsHeap: usedSize,
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
