// The JavaScript around the wasm: the pre-load queue, the frozen facade, loading twice, failing
// to load, and the ES module entry. Every page is served with the SDK's CSP (script-src 'self'
// 'wasm-unsafe-eval' + the stub's hash), so a violation would show up as a console error.
import { test, expect, recordSdkEvents, waitForSdkEvent, sdkEvents, sdkPage } from "./helpers.mjs";

const API = ["getAuthState", "getToken", "init", "loginUser", "logoutUser", "off", "on", "startEngagement"];

/** Holds the wasm download until the returned function is called, so calls can queue first. */
async function holdWasm(page, { answer = (route) => route.continue() } = {}) {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route("**/messenger/messenger_bg.wasm", async (route) => {
    await released;
    await answer(route);
  });
  return release;
}

const loaded = (page) => page.waitForFunction(() => window.messenger && !("q" in window.messenger));

test("calls made before load are queued as [name, args, resolve] and replayed in order", async ({ page }) => {
  const release = await holdWasm(page);
  const response = await page.goto(sdkPage({ "data-auth-endpoint": "/auth/jwt" }));
  expect(response.headers()["content-security-policy"]).toContain("'wasm-unsafe-eval'");

  const queued = await page.evaluate(() => {
    const m = window.messenger;
    window.seen = [];
    m.on("ready", (state) => seen.push(`ready ${state.status}`));
    const dropped = () => seen.push("dropped handler called");
    m.on("ready", dropped);
    m.off("ready", dropped);
    const unsubscribe = m.on("ready", () => seen.push("unsubscribed handler called"));
    unsubscribe();
    window.early = { api: m, getToken: m.getToken };
    window.results = Promise.all([m.init({ authEndpoint: "/auth/jwt" }), m.getToken(), m.startEngagement()]);
    return { stateBeforeLoad: m.getAuthState(), q: m.q.map(([name, args, resolve]) => [name, args.length, typeof resolve]) };
  });
  expect(queued.stateBeforeLoad).toBeNull();
  expect(queued.q).toEqual([
    ["on", 2, "undefined"],
    ["on", 2, "undefined"],
    ["off", 2, "undefined"],
    ["on", 2, "undefined"],
    ["off", 2, "undefined"],
    ["init", 1, "function"],
    ["getToken", 0, "function"],
    ["startEngagement", 0, "function"],
  ]);

  release();
  const [initState, token, engagement] = await page.evaluate(() => window.results);
  expect(initState.status).toBe("anonymous");
  expect(token).toBeNull();
  expect(engagement.status).toBe("anonymous");
  expect(await page.evaluate(() => window.seen)).toEqual(["ready anonymous"]);

  // References taken before load reach the SDK too.
  const late = await page.evaluate(async () => ({
    state: window.early.api.getAuthState().status,
    token: await window.early.getToken(),
    sameGlobal: window.early.api === window.messenger,
  }));
  expect(late).toEqual({ state: "anonymous", token: null, sameGlobal: false });
});

test("the script finds its wasm beside itself, also when served from another origin", async ({ page, baseURL }) => {
  const elsewhere = baseURL.replace("127.0.0.1", "localhost"); // same server, another origin
  const wasm = page.waitForRequest((request) => request.url().endsWith(".wasm"));
  await page.goto(sdkPage({ src: `${elsewhere}/messenger/messenger.js`, "data-auth-endpoint": "/auth/jwt" }));
  expect((await wasm).url()).toBe(`${elsewhere}/messenger/messenger_bg.wasm`);
  await loaded(page);
  expect(await page.evaluate(() => window.messenger.getAuthState().status)).toBe("anonymous");
});

test("the facade is frozen, works detached and exposes no wasm internals", async ({ page }) => {
  await page.goto(sdkPage({ "data-auth-endpoint": "/auth/jwt" }));
  await loaded(page);
  const facade = await page.evaluate(async () => {
    const m = window.messenger;
    const { getAuthState, getToken } = m;
    try {
      m.init = null;
    } catch {} // frozen: ignored, or a TypeError in strict code
    return {
      keys: Object.keys(m).sort(),
      frozen: Object.isFrozen(m),
      initStillAFunction: typeof m.init === "function",
      internals: ["free", "__wbg_ptr", "q"].filter((name) => name in m),
      detachedState: getAuthState().status,
      detachedToken: await getToken(),
    };
  });
  expect(facade).toEqual({
    keys: API,
    frozen: true,
    initStillAFunction: true,
    internals: [],
    detachedState: "anonymous",
    detachedToken: null,
  });
});

test("the script defines no global but window.messenger", async ({ page }) => {
  await page.goto("/test/login-page");
  const before = await page.evaluate(() => Object.getOwnPropertyNames(window));
  await page.goto(sdkPage({ stub: "0", "data-auth-endpoint": "/auth/jwt" }));
  await loaded(page);
  const after = await page.evaluate(() => Object.getOwnPropertyNames(window));
  expect(after.filter((name) => !before.includes(name))).toEqual(["messenger"]);
  // A top-level `let` (the no-modules glue's `wasm_bindgen`) is global without being on window.
  const names = ["wasm_bindgen", "wasmGlue", "currentScript", "createQueue", "createFacade", "handOver", "bootScript"];
  const lexical = [];
  for (const name of names) {
    if ((await page.evaluate(`typeof ${name}`)) !== "undefined") lexical.push(name);
  }
  expect(await page.evaluate("typeof messenger")).toBe("object"); // the check can see globals
  expect(lexical).toEqual([]);
});

test("loading the script twice makes one instance", async ({ page }) => {
  const wasmRequests = [];
  page.on("request", (request) => request.url().endsWith(".wasm") && wasmRequests.push(request.url()));
  await recordSdkEvents(page);
  await page.goto(sdkPage({ copies: "2", "data-auth-endpoint": "/auth/jwt" }));
  await waitForSdkEvent(page, "ready");
  await page.waitForTimeout(300); // room for a second instance to show itself
  const readies = (await sdkEvents(page)).filter((event) => event.name === "ready");
  expect(readies).toHaveLength(1);
  expect(wasmRequests).toHaveLength(1);
});

test("a wasm that fails to load: one console error, and every call rejects", async ({ page, pageErrors }) => {
  pageErrors.allow(/messenger: could not load http:\/\/127\.0\.0\.1:\d+\/messenger\/messenger_bg\.wasm: .*404/);
  const consoleErrors = [];
  page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
  const release = await holdWasm(page, { answer: (route) => route.fulfill({ status: 404, body: "gone" }) });
  await page.goto(sdkPage({ "data-auth-endpoint": "/auth/jwt" }));

  await page.evaluate(() => {
    window.queuedOutcome = window.messenger.loginUser().then(
      () => "resolved",
      (error) => `rejected: ${error.message}`,
    );
  });
  release();
  await loaded(page);
  const outcome = await page.evaluate(async () => ({
    queued: await window.queuedOutcome,
    later: await window.messenger.getToken().then(() => "resolved", (error) => `rejected: ${error.message}`),
    state: window.messenger.getAuthState(),
    frozen: Object.isFrozen(window.messenger),
    unsubscribe: typeof window.messenger.on("ready", () => {}),
  }));
  expect(outcome.queued).toMatch(/^rejected: messenger: the SDK failed to load \(.*messenger_bg\.wasm\)/);
  expect(outcome.later).toBe(outcome.queued);
  expect(outcome).toMatchObject({ state: null, frozen: true, unsubscribe: "function" });
  expect(consoleErrors.filter((text) => text.startsWith("messenger:"))).toHaveLength(1);
});

test("a wasm served with another MIME type than application/wasm still loads: the glue compiles it once downloaded, and warns", async ({ page }) => {
  // Browsers compile while the wasm streams in only for application/wasm; wasm-bindgen's glue
  // then falls back to compiling the whole download, saying so on the console.
  const warnings = [];
  page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
  await page.route("**/messenger/messenger_bg.wasm", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-type": "application/octet-stream" } });
  });
  await page.goto(sdkPage({ "data-auth-endpoint": "/auth/jwt" }));
  await loaded(page);
  expect(await page.evaluate(() => window.messenger.getToken())).toBeNull();
  expect(warnings.some((text) => /application\/wasm/.test(text))).toBe(true);
});

test("a bad data-* attribute is reported on the console, naming the option", async ({ page, pageErrors }) => {
  pageErrors.allow(/storage/);
  const reported = page.waitForEvent("console", (message) => message.type() === "error" && /storage/.test(message.text()));
  await page.goto(sdkPage({ "data-storage": "bogus" }));
  expect((await reported).text()).toContain("data-storage");
});

test("the ES module exports the same API and leaves window.messenger alone", async ({ page }) => {
  await page.goto("/test/pages/module.html");
  await page.waitForFunction(() => window.moduleProbe);
  const probe = await page.evaluate(async () => {
    const { messenger, named, stateAtImport } = window.moduleProbe;
    const state = await messenger.init({ authEndpoint: "/auth/jwt" });
    return {
      stateAtImport,
      initStatus: state.status,
      stateAfter: messenger.getAuthState().status,
      exports: Object.keys(named).sort(),
      namedAreDefaults: Object.keys(named).every((name) => name === "default" || named[name] === messenger[name]),
      frozen: Object.isFrozen(messenger),
      global: typeof window.messenger,
    };
  });
  expect(probe).toEqual({
    stateAtImport: null,
    initStatus: "anonymous",
    stateAfter: "anonymous",
    exports: ["default", ...API],
    namedAreDefaults: true,
    frozen: true,
    global: "undefined",
  });
});
