// Checks on the wasm between the build's steps. Each command fails loudly (exit 1) on a mismatch.
//   optimized A B        B (wasm-opt's output) exports what A does and imports nothing A does not
//                        (dropping an unused import is fine: the glue still provides it)
//   opt-flags FILE       prints wasm-opt's --enable-* flags for the features FILE was built with
import { readFileSync } from "node:fs";

const compile = (path) => new WebAssembly.Module(readFileSync(path));

function fail(message) {
  console.error(`wasm-check: ${message}`);
  process.exit(1);
}

function compareInterfaces(a, b, { importsMayShrink }) {
  const [ma, mb] = [compile(a), compile(b)];
  const list = (m) => ({
    imports: WebAssembly.Module.imports(m).map((i) => `${i.kind} ${i.module}.${i.name}`).sort(),
    exports: WebAssembly.Module.exports(m).map((e) => `${e.kind} ${e.name}`).sort(),
  });
  const [la, lb] = [list(ma), list(mb)];
  for (const side of ["imports", "exports"]) {
    const onlyA = la[side].filter((x) => !lb[side].includes(x));
    const onlyB = lb[side].filter((x) => !la[side].includes(x));
    if (side === "imports" && importsMayShrink) onlyA.length = 0;
    if (onlyA.length || onlyB.length) {
      fail(`${a} and ${b} differ in ${side}: only in the first: ${onlyA.join(", ") || "-"}; only in the second: ${onlyB.join(", ") || "-"}`);
    }
  }
}

// The flags the brief pins, whatever the section says (harmless when unused)...
const BASE = ["bulk-memory", "nontrapping-float-to-int", "sign-ext", "mutable-globals", "reference-types", "multivalue"];
// ...and the name wasm-opt uses for each feature rustc records in `target_features`.
const OPT_NAME = {
  "bulk-memory": "bulk-memory",
  "bulk-memory-opt": "bulk-memory-opt",
  "call-indirect-overlong": "call-indirect-overlong",
  multivalue: "multivalue",
  "mutable-globals": "mutable-globals",
  "nontrapping-fptoint": "nontrapping-float-to-int",
  "reference-types": "reference-types",
  "sign-ext": "sign-ext",
};

/** The `target_features` custom section: a count, then (prefix byte, name) entries. */
function targetFeatures(path) {
  const [section] = WebAssembly.Module.customSections(compile(path), "target_features");
  if (!section) fail(`${path} has no target_features section (was it stripped?)`);
  const bytes = new Uint8Array(section);
  const names = [];
  let at = 1;
  for (let i = 0; i < bytes[0]; i++) {
    const used = bytes[at] === 0x2b; // '+': used; '-': must not be used
    const length = bytes[at + 1];
    const name = Buffer.from(bytes.subarray(at + 2, at + 2 + length)).toString();
    if (used) names.push(name);
    at += 2 + length;
  }
  return names;
}

function optFlags(path) {
  const unknown = targetFeatures(path).filter((f) => !(f in OPT_NAME));
  if (unknown.length) fail(`${path} uses features this build does not know for wasm-opt: ${unknown.join(", ")}`);
  const features = new Set([...BASE, ...targetFeatures(path).map((f) => OPT_NAME[f])]);
  console.log([...features].map((f) => `--enable-${f}`).join(" "));
}

const [command, ...args] = process.argv.slice(2);
if (command === "optimized" && args.length === 2) compareInterfaces(...args, { importsMayShrink: true });
else if (command === "opt-flags" && args.length === 1) optFlags(...args);
else fail("usage: wasm-check.mjs optimized A B | opt-flags FILE");
