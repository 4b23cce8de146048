// Source-level checks and rewrites that the assembly needs, on acorn's syntax tree.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "acorn";

const parseAs = (code, sourceType) => parse(code, { ecmaVersion: "latest", sourceType });

/**
 * Removes the `export` syntax from an ES module, keeping every declaration, so that it can be
 * concatenated with other code. Returns the code and a map from exported name to local name.
 */
export function stripExports(code) {
  const exported = new Map();
  let out = "";
  let pos = 0;
  const cut = (node, keep = "") => {
    out += code.slice(pos, node.start) + keep;
    pos = node.end;
  };
  for (const node of parseAs(code, "module").body) {
    if (node.type === "ImportDeclaration" || node.type === "ExportAllDeclaration" || node.source) {
      // wasm-bindgen emits these for JS snippets, which the classic script could not load either.
      throw new Error(`the glue imports other modules (${code.slice(node.start, node.end)}): not supported`);
    }
    if (node.type === "ExportNamedDeclaration" && node.declaration) {
      for (const name of declaredNames(node.declaration)) exported.set(name, name);
      cut(node, code.slice(node.declaration.start, node.declaration.end));
    } else if (node.type === "ExportNamedDeclaration") {
      for (const s of node.specifiers) exported.set(s.exported.name ?? s.exported.value, s.local.name);
      cut(node);
    } else if (node.type === "ExportDefaultDeclaration") {
      const id = node.declaration.id;
      if (!id) throw new Error("the glue has an anonymous default export: not supported");
      exported.set("default", id.name);
      cut(node, code.slice(node.declaration.start, node.declaration.end));
    }
  }
  return { code: out + code.slice(pos), exported };
}

/**
 * Replaces each `import { name } from './snippets/...'` of wasm-bindgen's glue at `gluePath` (the
 * JavaScript that `#[wasm_bindgen(module = "/www/sdk/x.js")]` bindings call) with that snippet's
 * code, its exports stripped, so that the glue and its snippets are one script. Only named
 * imports under their own names; anything else fails the build.
 */
export function inlineSnippets(code, gluePath) {
  let out = "";
  let pos = 0;
  for (const node of parseAs(code, "module").body) {
    if (node.type !== "ImportDeclaration") continue;
    const source = node.source.value;
    if (!source.startsWith("./snippets/")) throw new Error(`the glue imports ${source}: only snippets are supported`);
    const { code: snippet, exported } = stripExports(readFileSync(join(dirname(gluePath), source), "utf8"));
    for (const s of node.specifiers) {
      const name = s.imported?.name;
      if (s.type !== "ImportSpecifier" || s.local.name !== name || exported.get(name) !== name) {
        throw new Error(`the glue imports ${code.slice(s.start, s.end)} from ${source}, which does not export it under that name`);
      }
    }
    out += code.slice(pos, node.start) + snippet;
    pos = node.end;
  }
  return out + code.slice(pos);
}

function declaredNames(declaration) {
  if (declaration.type !== "VariableDeclaration") return [declaration.id.name];
  return declaration.declarations.map((d) => {
    if (d.id.type !== "Identifier") throw new Error("the glue exports a destructuring declaration: not supported");
    return d.id.name;
  });
}

/** Throws unless `code` parses as a classic script (no import/export, no duplicate names). */
export function assertScript(code, what) {
  try {
    parseAs(code, "script");
  } catch (error) {
    throw new Error(`${what} is not a valid classic script: ${error.message}`);
  }
}

/** Throws unless `code` parses as an ES module (this catches a name declared twice). */
export function assertModule(code, what) {
  try {
    parseAs(code, "module");
  } catch (error) {
    throw new Error(`${what} is not a valid ES module: ${error.message}`);
  }
}

/** Throws if `code` evaluates strings as code: the SDK's CSP allows only 'wasm-unsafe-eval'. */
export function assertNoEval(code, what) {
  const found = code.match(/\beval\s*\(|\bnew\s+Function\b|\bsetTimeout\s*\(\s*["'`]/);
  if (found) throw new Error(`${what} evaluates strings as code (${found[0]}): CSP forbids it`);
}
