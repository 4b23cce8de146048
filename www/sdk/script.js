// The script tag's entry (dist/messenger.js, a classic script): adopts the stub's queue (or
// installs one), loads messenger_bg.wasm from beside this script, then replaces window.messenger
// with the frozen facade and replays the queue into it.
import { createQueue, handOver } from "./queue.js";
import { CLAIMED, createFacade, createFailedFacade } from "./facade.js";
import { loadMessenger, loadFailure } from "./load.js";

// Only while the script runs: null afterwards.
const script = document.currentScript;

function boot() {
  const existing = window.messenger;
  if (existing && existing[CLAIMED]) return; // another copy of this script got here first
  if (existing && !Array.isArray(existing.q)) {
    console.error("messenger: window.messenger is taken by another script; the SDK did not start");
    return;
  }
  const queue = existing || (window.messenger = createQueue(() => window.messenger));
  Object.defineProperty(queue, CLAIMED, { value: true });

  const url = script && script.src ? new URL("messenger_bg.wasm", script.src).href : "messenger_bg.wasm";
  const loading = script && script.src
    ? loadMessenger(url, dataAttributes(script))
    : Promise.reject(new Error("document.currentScript is not this script; load it with <script src>"));

  loading.then(
    (instance) => {
      // A page that queued init() chose its options there; otherwise the SDK starts now, from the
      // data-* attributes, so that a session is restored and `ready` fires without any call.
      const initQueued = queue.q.some(([name]) => name === "init");
      const facade = createFacade(instance);
      window.messenger = facade;
      handOver(queue, facade);
      if (!initQueued) facade.init().catch((error) => console.error((error && error.message) || error));
    },
    (cause) => {
      const facade = createFailedFacade(loadFailure(url, cause));
      window.messenger = facade;
      handOver(queue, facade);
    },
  );
}

/** The script tag's data-* attributes as [name, value] pairs, without the `data-` prefix. */
function dataAttributes(script) {
  const pairs = [];
  for (const { name, value } of script.attributes) {
    if (name.startsWith("data-")) pairs.push([name.slice(5), value]);
  }
  return pairs;
}

boot();
