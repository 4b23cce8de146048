// The pre-load queue: what the API object is until the wasm is ready. Each call is pushed to
// `q` as [methodName, argsArray, resolve] (resolve only for the methods that answer with a
// promise) and replayed in order once the SDK exists. The inline stub (stub.js) builds the same
// object in fewer bytes; tests/js/queue.test.mjs checks that the two agree.

/** The API methods that answer with a promise, in SPEC.md's order. */
export const PROMISE_METHODS = ["init", "loginUser", "logoutUser", "startEngagement", "getToken"];

/** Every API method. */
export const API_METHODS = [...PROMISE_METHODS, "getAuthState", "on", "off"];

/**
 * A queue object. `current()` returns the API object as it is at call time (for the script tag,
 * the global), so an unsubscribe function handed out before load still works after it.
 */
export function createQueue(current) {
  const q = [];
  const queue = {
    q,
    getAuthState: () => null,
    on: (...args) => {
      q.push(["on", args]);
      return () => current().off(args[0], args[1]);
    },
    off: (...args) => {
      q.push(["off", args]);
    },
  };
  for (const name of PROMISE_METHODS) {
    queue[name] = (...args) => new Promise((resolve) => q.push([name, args, resolve]));
  }
  return queue;
}

/** Calls one queued entry on `api`; a promise entry settles as the real call does. */
function replayEntry([name, args, resolve], api) {
  if (!API_METHODS.includes(name)) return; // not ours: a hand-made entry
  let result;
  try {
    result = api[name](...args);
  } catch (error) {
    // Nobody is left to catch it: a queued call has no caller on the stack any more.
    if (!resolve) console.error(`messenger: queued ${name}() failed: ${error && error.message}`);
    result = Promise.reject(error);
  }
  if (resolve) resolve(result);
}

/**
 * Replays the queue on `api` in order, then makes the queue forward to `api` for good, so calls
 * through references taken before load (a saved `messenger`, a destructured `getToken`, the
 * stub's own functions) still reach the SDK.
 */
export function handOver(queue, api) {
  const q = queue.q;
  // Entries pushed while replaying (a handler calling back) join the end, in order.
  while (q.length) replayEntry(q.shift(), api);
  q.push = (...entries) => {
    for (const entry of entries) replayEntry(entry, api);
    return 0;
  };
  for (const name of API_METHODS) queue[name] = api[name];
}
