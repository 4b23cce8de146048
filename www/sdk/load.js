// Turning the wasm into a Messenger instance, and reporting when that fails.
//
// Concatenated (no import/export) into dist/messenger.js and dist/messenger.mjs by
// scripts/assemble.mjs, after wasm-bindgen's glue as scripts/lib/trim-glue.mjs trims it: this
// replaces the glue's own init and calls its `__wbg_get_imports` and `__wbg_finalize_init`.

/**
 * Fetches the wasm from `url` (a page's `<link rel="preload" as="fetch" crossorigin>` of the
 * same URL answers this fetch), compiles it while it streams in, and makes a Messenger; rejects
 * with why it could not.
 */
async function loadMessenger(url, attributes) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const { instance, module } = await WebAssembly.instantiateStreaming(response, __wbg_get_imports());
  __wbg_finalize_init(instance, module);
  return new Messenger(attributes);
}

/** The one console line and the Error that every call gets when loading failed. */
function loadFailure(url, cause) {
  const why = (cause && cause.message) || String(cause);
  console.error(`messenger: could not load ${url}: ${why}`);
  return new Error(`messenger: the SDK failed to load (${url}): ${why}`);
}
