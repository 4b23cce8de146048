// The API object pages use once the wasm is ready. It is frozen and its functions close over the
// instance: detached calls (`const { getToken } = messenger`) work, and the page cannot reach the
// instance (nor its wasm pointer).
//
// Concatenated (no import/export) into dist/messenger.js and dist/messenger.mjs by
// scripts/assemble.mjs, after queue.js.

/** Marks the objects of a loader that has claimed the API, shared by every copy of the SDK. */
const CLAIMED = Symbol.for("messenger-auth");

/** Runs a promise method; a synchronous throw becomes a rejection, as the API promises. */
function settle(call) {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The API over a live `Messenger` instance, whose one method `call` takes the method's number,
 * its place in API_METHODS (the wasm numbers them in the same order), and up to two arguments.
 */
function createFacade(instance) {
  const api = { [CLAIMED]: true };
  for (let method = 0; method < API_METHODS.length; method++) {
    const name = API_METHODS[method];
    const run = (a, b) => instance.call(method, a, b);
    api[name] = PROMISE_METHODS.includes(name) ? (...args) => settle(() => run(...args)) : run;
  }
  return Object.freeze(api);
}

/** The API when the wasm could not be loaded: every promise rejects with `error`. */
function createFailedFacade(error) {
  const api = { [CLAIMED]: true, getAuthState: () => null, on: () => () => {}, off: () => {} };
  for (const name of PROMISE_METHODS) api[name] = () => Promise.reject(error);
  return Object.freeze(api);
}
