// Turning the wasm-bindgen glue into a Messenger instance, and reporting when that fails.
//
// Concatenated (no import/export) into dist/messenger.js and dist/messenger.mjs by
// scripts/assemble.mjs. `glue` is wasm-bindgen's init function carrying the exported classes (the
// no-modules glue's `wasm_bindgen`; for the ES module, assemble.mjs builds the same shape).

/** Loads the wasm from `url` and makes a Messenger; rejects with why it could not. */
async function loadMessenger(glue, url, attributes) {
  await glue({ module_or_path: url });
  if (typeof glue.Messenger !== "function") throw new Error("the wasm exports no Messenger class");
  return new glue.Messenger(attributes);
}

/** The one console line and the Error that every call gets when loading failed. */
function loadFailure(url, cause) {
  const why = (cause && cause.message) || String(cause);
  console.error(`messenger: could not load ${url}: ${why}`);
  return new Error(`messenger: the SDK failed to load (${url}): ${why}`);
}
