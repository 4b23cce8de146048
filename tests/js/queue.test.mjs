// The pre-load queue (www/sdk/queue.js) and the inline stub (www/sdk/stub.js, and its minified
// stub.html) must build the same queue; handOver must replay it in order and forward late calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { createQueue, handOver } from "../../www/sdk/queue.js";

const sdk = (name) => readFileSync(new URL(`../../www/sdk/${name}`, import.meta.url), "utf8");
const stubHtml = sdk("stub.html");
const minifiedStub = stubHtml.match(/^<script>([\s\S]*)<\/script>\n$/)[1];

/** A fresh global with `window` pointing at itself, as in a page. */
function page() {
  const context = vm.createContext({ console });
  context.window = context;
  return context;
}

/** The queue of queue.js installed as the script tag's loader installs it. */
function loaderQueue() {
  const window = {};
  window.messenger = createQueue(() => window.messenger);
  return window;
}

function stubQueue(code) {
  const context = page();
  vm.runInContext(code, context);
  return context;
}

/** The same calls on any queue; returns what they returned. */
function callAll(m) {
  const handler = () => {};
  return {
    state: m.getAuthState(),
    unsubscribe: m.on("ready", handler),
    off: m.off("ready", handler),
    promises: [m.init({ storage: "local" }), m.loginUser(handler, handler), m.logoutUser(), m.startEngagement(), m.getToken()],
  };
}

/** A queue's entries with functions replaced by their kind, for comparing two queues. */
const shape = (q) => q.map(([name, args, resolve]) => [name, args.map((a) => (typeof a === "function" ? "fn" : a)), typeof resolve]);

for (const [label, make] of [
  ["stub.js", () => stubQueue(sdk("stub.js"))],
  ["stub.html", () => stubQueue(minifiedStub)],
]) {
  test(`${label} queues exactly as queue.js does`, () => {
    const [expected, actual] = [loaderQueue(), make()];
    const [a, b] = [callAll(expected.messenger), callAll(actual.messenger)];
    assert.deepEqual(JSON.parse(JSON.stringify(shape(actual.messenger.q))), JSON.parse(JSON.stringify(shape(expected.messenger.q))));
    assert.equal(b.state, null);
    assert.equal(a.state, null);
    assert.equal(typeof b.unsubscribe, "function");
    assert.equal(b.off, undefined);
    assert.ok(b.promises.every((p) => typeof p.then === "function"));
    assert.deepEqual([...Object.keys(actual.messenger)].sort(), Object.keys(expected.messenger).sort());
  });

  test(`${label}: unsubscribe calls off() on the current window.messenger`, () => {
    const context = make();
    const handler = () => {};
    const unsubscribe = context.messenger.on("ready", handler);
    const calls = [];
    context.messenger = { off: (...args) => calls.push(args) };
    unsubscribe();
    assert.deepEqual(calls, [["ready", handler]]);
  });

  test(`${label} does nothing when window.messenger exists`, () => {
    const context = page();
    const existing = { mine: true };
    context.messenger = existing;
    vm.runInContext(label === "stub.js" ? sdk("stub.js") : minifiedStub, context);
    assert.equal(context.messenger, existing);
    assert.deepEqual(Object.keys(existing), ["mine"]);
  });
}

test("handOver replays in order, settles promises with the real results, then forwards", async () => {
  const m = loaderQueue().messenger;
  const log = [];
  const api = {
    init: (options) => (log.push(["init", options]), Promise.resolve("state")),
    loginUser: () => (log.push(["loginUser"]), Promise.reject(new Error("nope"))),
    logoutUser: () => log.push(["logoutUser"]),
    startEngagement: () => log.push(["startEngagement"]),
    getToken: () => (log.push(["getToken"]), "token"),
    getAuthState: () => "live",
    on: (name) => log.push(["on", name]),
    off: (name) => log.push(["off", name]),
  };
  const early = { getToken: m.getToken };
  m.on("ready", () => {});
  const init = m.init({ a: 1 });
  const login = m.loginUser();
  handOver(m, api);
  assert.deepEqual(log, [["on", "ready"], ["init", { a: 1 }], ["loginUser"]]);
  assert.equal(await init, "state");
  await assert.rejects(login, /nope/);
  assert.equal(m.q.length, 0);
  assert.equal(await early.getToken(), "token"); // a function taken before load
  assert.equal(m.getAuthState(), "live"); // the old object forwards
});
