// The ES module's entry (dist/messenger.mjs): the same queue and facade as the script tag, and no
// global at all. The exported object is stable (importers keep it), so it forwards: to the queue
// until the wasm is ready, then to the facade. The module does not call init() itself: an app
// passes its options to init(), or any first call starts the SDK with the defaults.
import { API_METHODS, createQueue, handOver } from "./queue.js";
import { createFacade, createFailedFacade } from "./facade.js";
import { loadMessenger, loadFailure } from "./load.js";

/** What the exported functions call now. */
let current = createQueue(() => messenger);

const messenger = Object.freeze(
  Object.fromEntries(API_METHODS.map((name) => [name, (...args) => current[name](...args)])),
);

// Written out literally so that bundlers see the asset and copy it.
const url = new URL("messenger_bg.wasm", import.meta.url);
const queue = current;
loadMessenger(url, undefined)
  .then(createFacade, (cause) => createFailedFacade(loadFailure(url.href, cause)))
  .then((facade) => {
    current = facade;
    handOver(queue, facade);
  });

export default messenger;
export const { init, loginUser, logoutUser, startEngagement, getToken, getAuthState, on, off } = messenger;
