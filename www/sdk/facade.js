// The API object pages use once the wasm is ready. It is frozen and its functions close over the
// instance: detached calls (`const { getToken } = messenger`) work, and the page cannot reach the
// instance (nor its wasm pointer).
import { API_METHODS, PROMISE_METHODS } from "./queue.js";

/** Marks the objects of a loader that has claimed the API, shared by every copy of the SDK. */
export const CLAIMED = Symbol.for("messenger-auth");

/** Runs a promise method; a synchronous throw becomes a rejection, as the API promises. */
function settle(call) {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The API over a live `Messenger` instance (wasm-bindgen's class, one method per API method). */
export function createFacade(instance) {
  const api = { [CLAIMED]: true };
  for (const name of API_METHODS) {
    const run = (...args) => instance[name](...args);
    api[name] = PROMISE_METHODS.includes(name) ? (...args) => settle(() => run(...args)) : run;
  }
  return Object.freeze(api);
}

/** The API when the wasm could not be loaded: every promise rejects with `error`. */
export function createFailedFacade(error) {
  const api = { [CLAIMED]: true, getAuthState: () => null, on: () => () => {}, off: () => {} };
  for (const name of PROMISE_METHODS) api[name] = () => Promise.reject(error);
  return Object.freeze(api);
}
