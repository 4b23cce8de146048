// The API object pages use once the wasm is ready. It is frozen and its functions close over the
// instance: detached calls (`const { getToken } = messenger`) work, and the page can reach
// neither `free()` nor the wasm pointer.
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

/** The API over a live `Messenger` instance. */
function createFacade(instance) {
  return Object.freeze({
    [CLAIMED]: true,
    init: (options) => settle(() => instance.init(options)),
    loginUser: (jwtCallback, loginCallback) => settle(() => instance.loginUser(jwtCallback, loginCallback)),
    logoutUser: () => settle(() => instance.logoutUser()),
    startEngagement: () => settle(() => instance.startEngagement()),
    getToken: () => settle(() => instance.getToken()),
    getAuthState: () => instance.getAuthState(),
    on: (name, handler) => instance.on(name, handler),
    off: (name, handler) => instance.off(name, handler),
  });
}

/** The API when the wasm could not be loaded: every promise rejects with `error`. */
function createFailedFacade(error) {
  const fail = () => Promise.reject(error);
  return Object.freeze({
    [CLAIMED]: true,
    init: fail,
    loginUser: fail,
    logoutUser: fail,
    startEngagement: fail,
    getToken: fail,
    getAuthState: () => null,
    on: () => () => {},
    off: () => {},
  });
}
