// Turning the wasm into a Messenger instance with wasm-bindgen's generated glue, used as
// generated (`npm run build` writes it to target/bindgen/ and bundles it in).
import init, { Messenger } from "../../target/bindgen/messenger.js";

/**
 * Fetches the wasm from `url` (a page's `<link rel="preload" as="fetch" crossorigin>` of the
 * same URL answers this fetch), has the glue compile it while it streams in, and makes a
 * Messenger; rejects with why it could not.
 */
export async function loadMessenger(url, attributes) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  await init({ module_or_path: response });
  return new Messenger(attributes);
}

/** The one console line and the Error that every call gets when loading failed. */
export function loadFailure(url, cause) {
  const why = (cause && cause.message) || String(cause);
  console.error(`messenger: could not load ${url}: ${why}`);
  return new Error(`messenger: the SDK failed to load (${url}): ${why}`);
}
