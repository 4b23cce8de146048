// Gives the wasm's imports and exports short names, in the .wasm and in the glues that use them.
// wasm-bindgen names them like `__wbg_addEventListener_f2d27251d333a631`: about a hundred names
// whose hashes gzip cannot compress, paid twice (in the .wasm and in the JavaScript).
//
// Usage: node short-names.mjs <wasm> <glue.js>...   (rewrites every file in place)
//
// Only property names are renamed (`wasm.x`, `{ x: ... }`); a name that the glue also spells as
// a string anywhere else (`wasm["x"]`), or as a shorthand property, keeps its name everywhere.
// The import module's name is renamed only where it is the key of the imports object.
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "acorn";

/** The wasm-bindgen names worth renaming (and safe to find in the glue: no plain words). */
const GENERATED = /^(__wbg_|__wbindgen_|__externref_|wasm_bindgen__|messenger_)/;

const [wasmPath, ...gluePaths] = process.argv.slice(2);
if (!wasmPath || gluePaths.length === 0) throw new Error("usage: short-names.mjs <wasm> <glue.js>...");

// --- the wasm binary: sections, and the names in the import and export sections ---

function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const nameBytes = (name) => [...u32(encoder.encode(name).length), ...encoder.encode(name)];

function readName(bytes, at) {
  const [length, start] = readU32(bytes, at);
  return [decoder.decode(bytes.subarray(start, start + length)), start + length];
}

/** Skips an import's description (function, table, memory, global or tag). */
function skipImportDesc(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = readU32(bytes, p);
    if (flags & 1) [, p] = readU32(bytes, p);
    return p;
  };
  switch (kind) {
    case 0x00: // function: type index
    case 0x04: // tag: attribute, type index
      if (kind === 0x04) at++;
      return readU32(bytes, at)[1];
    case 0x01: // table: reference type, limits
      return limits(at + 1);
    case 0x02: // memory: limits
      return limits(at);
    case 0x03: // global: value type, mutability
      return at + 2;
    default:
      throw new Error(`short-names: unknown import kind ${kind}`);
  }
}

function sections(bytes) {
  const list = [];
  let at = 8; // magic and version
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = readU32(bytes, at + 1);
    list.push({ id, start, end: start + size, whole: bytes.subarray(at, start + size) });
    at = start + size;
  }
  return list;
}

function readImports(bytes, section) {
  let [count, at] = readU32(bytes, section.start);
  const imports = [];
  while (count--) {
    const [module, afterModule] = readName(bytes, at);
    const [name, afterName] = readName(bytes, afterModule);
    const end = skipImportDesc(bytes, afterName);
    imports.push({ module, name, desc: bytes.subarray(afterName, end) });
    at = end;
  }
  return imports;
}

function readExports(bytes, section) {
  let [count, at] = readU32(bytes, section.start);
  const exports = [];
  while (count--) {
    const [name, afterName] = readName(bytes, at);
    const end = readU32(bytes, afterName + 1)[1];
    exports.push({ name, desc: bytes.subarray(afterName, end) });
    at = end;
  }
  return exports;
}

function section(id, entries) {
  const body = [...u32(entries.length), ...entries.flat()];
  return [id, ...u32(body.length), ...body];
}

// --- the glues: where each generated name occurs, and whether all of them are property names ---

/** Every node of an acorn tree with its parent. */
function* walk(node, parent = null) {
  yield [node, parent];
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === "string") yield* walk(child, node);
    } else if (value && typeof value.type === "string") {
      yield* walk(value, node);
    }
  }
}

const isPropertyName = (node, parent) =>
  (parent.type === "MemberExpression" && parent.property === node && !parent.computed) ||
  (parent.type === "Property" && parent.key === node && !parent.computed && !parent.shorthand);

/** Occurrences of `names` in `code`: { name → [{start, end, quoted}] }, and the unsafe ones. */
function occurrences(code, names, moduleName) {
  const found = new Map();
  const unsafe = new Set();
  const add = (name, node, quoted) => {
    if (!found.has(name)) found.set(name, []);
    found.get(name).push({ start: node.start, end: node.end, quoted });
  };
  const tree = parse(code, { ecmaVersion: "latest", sourceType: /^\s*export\b/m.test(code) ? "module" : "script" });
  for (const [node, parent] of walk(tree)) {
    if (node.type === "Identifier" && names.has(node.name)) {
      // Other identifiers are the glue's own variables and functions (wasm-bindgen names some
      // wrappers after the export they call): they keep their name, and terser mangles them.
      if (parent && isPropertyName(node, parent)) add(node.name, node, false);
      else if (parent?.type === "Property" && parent.shorthand) unsafe.add(node.name);
    } else if (node.type === "Literal" && typeof node.value === "string") {
      const name = node.value;
      if (!names.has(name) && name !== moduleName) continue;
      if (parent?.type === "Property" && parent.key === node) add(name, node, true);
      else unsafe.add(name);
    }
  }
  return { found, unsafe };
}

// --- short names: a, b, ..., Z, aa, ab, ... ---

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
function shortName(index) {
  let name = "";
  do {
    name = LETTERS[index % LETTERS.length] + name;
    index = Math.floor(index / LETTERS.length) - 1;
  } while (index >= 0);
  return name;
}

// --- putting it together ---

const bytes = readFileSync(wasmPath);
const all = sections(bytes);
const importSection = all.find((s) => s.id === 2);
const exportSection = all.find((s) => s.id === 7);
const imports = importSection ? readImports(bytes, importSection) : [];
const exports = exportSection ? readExports(bytes, exportSection) : [];

const modules = new Set(imports.map((i) => i.module));
if (modules.size > 1) throw new Error(`short-names: imports from several modules (${[...modules]}): not supported`);
const [moduleName] = modules;

const candidates = new Set([...imports, ...exports].map((x) => x.name).filter((n) => GENERATED.test(n)));
const glues = gluePaths.map((path) => ({ path, code: readFileSync(path, "utf8") }));
const unsafe = new Set();
for (const glue of glues) {
  glue.occurrences = occurrences(glue.code, candidates, moduleName);
  for (const name of glue.occurrences.unsafe) unsafe.add(name);
}

// Imports and exports are separate namespaces in the glue (the imports object, `wasm.`), but a
// name that is both would be ambiguous in the glue: keep such names.
const importNames = new Set(imports.map((i) => i.name));
const renames = new Map();
let nextImport = 0;
let nextExport = 0;
for (const { name } of imports) {
  if (candidates.has(name) && !unsafe.has(name) && !renames.has(name)) renames.set(name, shortName(nextImport++));
}
const taken = new Set(exports.map((e) => e.name));
for (const { name } of exports) {
  if (!candidates.has(name) || unsafe.has(name) || importNames.has(name)) continue;
  let short;
  do short = shortName(nextExport++);
  while (taken.has(short)); // e.g. an export really called `a`
  renames.set(name, short);
}
const newModule = moduleName !== undefined && !unsafe.has(moduleName) ? "a" : moduleName;

const rebuilt = all.map((s) => {
  if (s === importSection) {
    return section(2, imports.map((i) => [...nameBytes(newModule), ...nameBytes(renames.get(i.name) ?? i.name), ...i.desc]));
  }
  if (s === exportSection) {
    return section(7, exports.map((e) => [...nameBytes(renames.get(e.name) ?? e.name), ...e.desc]));
  }
  return [...s.whole];
});
const out = Uint8Array.from([...bytes.subarray(0, 8), ...rebuilt.flat()]);
new WebAssembly.Module(out); // throws if the rewrite broke the module
writeFileSync(wasmPath, out);

for (const glue of glues) {
  const edits = [];
  for (const [name, places] of glue.occurrences.found) {
    const to = name === moduleName ? newModule : renames.get(name);
    if (to === undefined) continue;
    for (const place of places) edits.push({ ...place, text: place.quoted ? JSON.stringify(to) : to });
  }
  edits.sort((a, b) => b.start - a.start);
  let code = glue.code;
  for (const edit of edits) code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
  writeFileSync(glue.path, code);
}

const saved = bytes.length - out.length;
console.log(`short-names: ${renames.size} names shortened (${unsafe.size} kept), wasm ${saved} bytes smaller`);
