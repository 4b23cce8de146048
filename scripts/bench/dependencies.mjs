// What each dependency costs in what a page downloads, for the bench's table (and the README's).
//
// The wasm: twiggy (https://github.com/rustwasm/twiggy) lists the functions of a build that keeps
// its name section, with their sizes; each is counted for the crate that names it. LTO inlines a
// crate's small functions into their callers, so what a crate adds inside the SDK's own functions
// counts as the SDK's: the figures are a floor for each dependency. Bytes are raw, after
// wasm-opt -Oz; the gzip column scales them by the wasm's own gzip ratio.
// The JavaScript: esbuild's metafile (scripts/bundle.mjs) gives what wasm-bindgen's glue and the
// loader (www/sdk/) each contribute to messenger.js.
import { execFileSync } from "node:child_process";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileSize, DIST } from "./sizes.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const WORK = join(ROOT, "target/bench-names");

/** The crate each item is counted for, in the order of the table. */
const GROUPS = [
  ["messenger-auth (the SDK's own code)", ["messenger_auth"]],
  ["wasm-bindgen (ABI, externref table, closures)", ["wasm_bindgen", "externref", "wbindgen", "wbg", "closure"]],
  ["js-sys", ["js_sys"]],
  ["web-sys", ["web_sys"]],
  ["wasm-bindgen-futures (in js-sys: the executor)", ["wasm_bindgen_futures"]],
  ["gloo-net (+ http)", ["gloo_net", "gloo_utils", "http"]],
  ["gloo-timers", ["gloo_timers"]],
  ["gloo-events", ["gloo_events"]],
  ["serde (Serialize)", ["serde", "serde_core"]],
  ["serde-wasm-bindgen (+ its hashbrown cache)", ["serde_wasm_bindgen", "hashbrown"]],
  ["futures-channel, futures-core", ["futures_channel", "futures_core", "futures_util", "futures_task"]],
  ["base64", ["base64"]],
  ["lol_alloc", ["lol_alloc", "spin"]],
  ["std (core, alloc: fmt, collections, panics)", ["core", "alloc", "std", "dlmalloc"]],
];

const CRATE = /^[&\s]*(?:dyn\s+|mut\s+)?([a-z_][\w]*)(?:\[[0-9a-f]+\])?::/;

/**
 * The crate an item's name starts with: `gloo_net::x::f`; `<gloo_net::X as core::Y>::f` is
 * gloo_net's, `<u32 as core::fmt::Display>::fmt` and `<T as alloc::ToString>::f` the trait's.
 */
function crateOf(name) {
  const qualified = /^<(.+?) as (.+?)>::/.exec(name);
  const crate = qualified ? (CRATE.exec(qualified[1]) ?? CRATE.exec(qualified[2]))?.[1] : CRATE.exec(name)?.[1];
  if (crate) return crate;
  if (/externref|wbindgen|__wbg|closure|elem\[|table/.test(name)) return "wasm_bindgen";
  if (/^data segment|"data names"/.test(name)) return "data";
  return "other";
}

export function measureDependencies() {
  mkdirSync(WORK, { recursive: true });
  const built = join(ROOT, "target/wasm32-unknown-unknown/release/messenger_auth.wasm");
  // As npm run build makes the wasm, keeping the names.
  execFileSync("wasm-bindgen", [built, "--target", "web", "--out-dir", WORK, "--out-name", "messenger", "--no-typescript"]);
  const named = join(WORK, "named.wasm");
  execFileSync(join(ROOT, "node_modules/.bin/wasm-opt"), ["-Oz", "--debuginfo", join(WORK, "messenger_bg.wasm"), "-o", named]);
  const csv = execFileSync("twiggy", ["top", "-n", "1000000", "--format", "csv", named], { maxBuffer: 64 << 20 }).toString();
  const bytes = new Map();
  for (const line of csv.split("\n").slice(1)) {
    const match = /^("(?:[^"]|"")*"|[^,]*),(\d+),/.exec(line);
    if (!match) continue;
    const name = match[1].replace(/^"|"$/g, "").replace(/""/g, '"');
    if (/"(function|data|local|global) names" subsection|custom section/.test(name)) continue;
    const crate = crateOf(name);
    bytes.set(crate, (bytes.get(crate) ?? 0) + Number(match[2]));
  }
  const wasm = fileSize(join(DIST, "messenger_bg.wasm"));
  const counted = [...bytes.values()].reduce((a, b) => a + b, 0);
  const ratio = wasm.gzip / counted;
  const rows = GROUPS.map(([label, crates]) => {
    const raw = crates.reduce((sum, crate) => sum + (bytes.get(crate) ?? 0), 0);
    for (const crate of crates) bytes.delete(crate);
    return { label, raw, gzip: Math.round(raw * ratio) };
  });
  const rest = [...bytes.values()].reduce((a, b) => a + b, 0);
  rows.push({ label: "data (strings: messages, names) and the rest", raw: rest, gzip: Math.round(rest * ratio) });

  // messenger.js: the glue against the loader, as esbuild put them in.
  const meta = JSON.parse(readFileSync(join(ROOT, "target/bundle-meta.json"), "utf8"));
  const inputs = Object.values(meta.outputs)[0].inputs;
  const glue = Object.entries(inputs).filter(([path]) => path.includes("target/bindgen")).reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  const loader = Object.entries(inputs).filter(([path]) => path.startsWith("www/sdk")).reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  const js = fileSize(join(DIST, "messenger.js"));
  const jsRatio = js.gzip / (glue + loader);
  return {
    wasm: rows,
    js: [
      { label: "wasm-bindgen's glue (messenger.js)", raw: glue, gzip: Math.round(glue * jsRatio) },
      { label: "the loader, queue and facade (www/sdk/)", raw: loader, gzip: Math.round(loader * jsRatio) },
    ],
  };
}
