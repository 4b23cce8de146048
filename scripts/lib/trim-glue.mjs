// Trims wasm-bindgen's web glue down to what the SDK uses, on acorn's syntax tree. The glue's
// generic init (its `default` export and `initSync`: deprecated-parameter warnings, a fetch of
// its own, the non-streaming fallback for a wrong MIME type, synchronous instantiation) gives way
// to www/sdk/load.js, which calls `__wbg_get_imports()` and `__wbg_finalize_init()` itself. Also
// dropped: the exported classes' FinalizationRegistry with `free()` (the SDK's one instance lives
// as long as the page, and only the facade holds it), `Symbol.dispose`, and the fallbacks for
// browsers without TextEncoder.encodeInto or FinalizationRegistry (every browser that runs the
// wasm's features has both). Each import that catches what its browser call throws,
// `function() { return handleError(function (a, b) {...}, arguments); }`, is written
// `__wbg_catching(function (a, b) {...})` instead, and each closure invoker that only forwards
// its arguments to a wasm export is replaced by that export: the same calls, in fewer bytes.
//
// Every piece removed or kept is looked for by its exact shape, and a glue of another shape
// (a new wasm-bindgen) fails the build, naming what it did not find.
import { parse } from "acorn";
import { stripExports } from "./js-source.mjs";

/** The glue's init and what only it uses, replaced by load.js. */
const REPLACED = ["__wbg_init", "__wbg_init_once", "__wbg_init_promise", "__wbg_load", "initSync"];

/** What load.js calls: name → number of parameters. */
const KEPT = { __wbg_get_imports: 0, __wbg_finalize_init: 2 };

const fail = (what) => {
  throw new Error(`the wasm-bindgen glue has changed shape: ${what} (see scripts/lib/trim-glue.mjs)`);
};

/** Every node of an acorn tree. */
function* nodes(node) {
  yield node;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === "string") yield* nodes(child);
    } else if (value && typeof value.type === "string") {
      yield* nodes(value);
    }
  }
}

/** The names a top-level statement declares. */
function declared(statement) {
  if (statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") return [statement.id.name];
  if (statement.type === "VariableDeclaration") return statement.declarations.map((d) => d.id.name);
  return [];
}

const isMember = (node, object, property) =>
  node?.type === "MemberExpression" && !node.computed && node.object.type === "Identifier" && node.object.name === object && node.property.name === property;

/**
 * `code` is the web target's messenger.js. Returns the trimmed glue (a classic script's body: no
 * import or export) and the names of the exported classes.
 */
export function trimGlue(code) {
  const { code: withExports, exported } = stripExports(code);
  const stripped = inlineInvokers(withExports);
  const classes = [...exported].filter(([name]) => name !== "default" && name !== "initSync");
  if (exported.get("default") !== "__wbg_init" || exported.get("initSync") !== "initSync") fail("its exports are not `__wbg_init as default` and `initSync`");
  if (classes.some(([name, local]) => name !== local)) fail("a class is exported under another name");
  const body = parse(stripped, { ecmaVersion: "latest", sourceType: "module" }).body;

  const cuts = []; // [start, end, replacement] edits of `stripped`
  const removedNames = new Set();
  const byName = new Map();
  for (const statement of body) for (const name of declared(statement)) byName.set(name, statement);

  for (const name of REPLACED) {
    const statement = byName.get(name);
    if (!statement) fail(`no top-level ${name}`);
    if (declared(statement).length !== 1) fail(`${name} is declared together with other names`);
    cuts.push([statement.start, statement.end]);
    removedNames.add(name);
  }
  for (const [name, params] of Object.entries(KEPT)) {
    const statement = byName.get(name);
    if (statement?.type !== "FunctionDeclaration" || statement.params.length !== params) fail(`no function ${name} of ${params} parameters`);
  }

  // `if (!('encodeInto' in cachedTextEncoder)) { ...polyfill }`
  const polyfills = body.filter(
    (s) => s.type === "IfStatement" && s.test.type === "UnaryExpression" && s.test.operator === "!" && s.test.argument.type === "BinaryExpression" && s.test.argument.operator === "in" && s.test.argument.left.value === "encodeInto",
  );
  if (polyfills.length !== 1) fail("no single encodeInto polyfill");
  cuts.push([polyfills[0].start, polyfills[0].end]);

  // The imports that catch: `function() { return handleError(function (...) {...}, arguments); }`
  if (byName.has("__wbg_catching")) fail("it declares __wbg_catching itself");
  const handleError = byName.get("handleError");
  if (handleError?.type !== "FunctionDeclaration" || handleError.params.length !== 2) fail("no function handleError(f, args)");
  const imports = byName.get("__wbg_get_imports").body.body[0];
  const importObject = imports?.type === "VariableDeclaration" && imports.declarations[0].init;
  if (importObject?.type !== "ObjectExpression") fail("__wbg_get_imports does not begin by declaring its imports object");
  let catching = 0;
  for (const property of importObject.properties) {
    const value = property.value;
    const statement = value?.type === "FunctionExpression" && value.params.length === 0 && value.body.body.length === 1 && value.body.body[0];
    const call = statement?.type === "ReturnStatement" && statement.argument;
    if (call?.type !== "CallExpression" || call.callee.name !== "handleError") continue;
    const [inner, args] = call.arguments;
    if (call.arguments.length !== 2 || inner.type !== "FunctionExpression" || args.name !== "arguments") fail("an import calls handleError otherwise than with (function, arguments)");
    cuts.push([value.start, value.end, `__wbg_catching(${stripped.slice(inner.start, inner.end)})`]);
    catching++;
  }
  if (catching === 0) fail("no import calls handleError(function, arguments)");

  // `(typeof FinalizationRegistry === 'undefined') ? { register() {}, ... } : new FinalizationRegistry(...)`
  let registries = 0;
  for (const statement of body) {
    const init = statement.type === "VariableDeclaration" && statement.declarations.length === 1 && statement.declarations[0].init;
    const test = init?.type === "ConditionalExpression" && init.test;
    if (!(test?.type === "BinaryExpression" && test.left.operator === "typeof" && test.left.argument.name === "FinalizationRegistry")) continue;
    if (test.operator !== "===" || test.right.value !== "undefined" || init.alternate.type !== "NewExpression" || init.alternate.callee.name !== "FinalizationRegistry") {
      fail("a FinalizationRegistry fallback of another shape");
    }
    if (statement.declarations[0].id.name.endsWith("Finalization")) continue; // removed with its class below
    cuts.push([init.start, init.end, stripped.slice(init.alternate.start, init.alternate.end)]);
    registries++;
  }
  if (registries === 0) fail("no FinalizationRegistry for the closures");

  for (const [name] of classes) {
    const registry = `${name}Finalization`;
    const classNode = byName.get(name);
    if (classNode?.type !== "ClassDeclaration") fail(`no class ${name}`);
    // `const MessengerFinalization = (typeof FinalizationRegistry === 'undefined') ? ... : new FinalizationRegistry(...)`
    const registryNode = byName.get(registry);
    if (registryNode?.type !== "VariableDeclaration" || registryNode.declarations.length !== 1 || !/FinalizationRegistry/.test(stripped.slice(registryNode.start, registryNode.end))) {
      fail(`no const ${registry} = ... FinalizationRegistry`);
    }
    cuts.push([registryNode.start, registryNode.end]);
    removedNames.add(registry);
    // The methods that only serve it: free() and __destroy_into_raw().
    const methods = classNode.body.body;
    for (const method of ["free", "__destroy_into_raw"]) {
      const found = methods.filter((m) => m.type === "MethodDefinition" && m.key.name === method);
      if (found.length !== 1) fail(`class ${name} has no single ${method}()`);
      cuts.push([found[0].start, found[0].end]);
    }
    // `MessengerFinalization.register(this, this.__wbg_ptr, this);` in the constructor
    const constructor = methods.find((m) => m.kind === "constructor");
    const registers = (constructor?.value.body.body ?? []).filter(
      (s) => s.type === "ExpressionStatement" && s.expression.type === "CallExpression" && isMember(s.expression.callee, registry, "register"),
    );
    if (registers.length !== 1) fail(`the constructor of ${name} does not call ${registry}.register once`);
    cuts.push([registers[0].start, registers[0].end]);
    // `if (Symbol.dispose) Messenger.prototype[Symbol.dispose] = Messenger.prototype.free;`
    const disposes = body.filter((s) => s.type === "IfStatement" && isMember(s.test, "Symbol", "dispose") && stripped.slice(s.start, s.end).includes(`${name}.prototype`));
    if (disposes.length !== 1) fail(`no single Symbol.dispose line for ${name}`);
    cuts.push([disposes[0].start, disposes[0].end]);
  }

  cuts.sort((a, b) => b[0] - a[0]);
  cuts.forEach(([start, end], i) => i > 0 && end > cuts[i - 1][0] && fail("two edits overlap"));
  let trimmed = stripped;
  for (const [start, end, text = ""] of cuts) trimmed = trimmed.slice(0, start) + text + trimmed.slice(end);
  trimmed += "\nfunction __wbg_catching(f) {\n    return function () {\n        return handleError(f, arguments);\n    };\n}\n";

  // Nothing left may use what was removed (a new use would be a ReferenceError at run time).
  const tree = parse(`(function () {\n${trimmed}\n})();`, { ecmaVersion: "latest", sourceType: "script" });
  for (const node of nodes(tree)) {
    if (node.type === "Identifier" && removedNames.has(node.name)) fail(`${node.name} is still used after it was removed`);
    if (node.type === "Identifier" && (node.name === "free" || node.name === "__destroy_into_raw")) fail(`${node.name} is still used after it was removed`);
  }
  return { code: trimmed, classes: classes.map(([name]) => name) };
}

const INVOKER = /^wasm_bindgen__convert__closures_____invoke__/;

/**
 * `function wasm_bindgen__convert__closures_____invoke__h..(a, b, c) { wasm.k(a, b, c); }` (or
 * `const ret = wasm.k(a, b, c); return ret;`) only forwards: every use of it becomes `wasm.k`,
 * which gets the same arguments (a wasm export ignores `this`, and missing arguments are
 * undefined either way).
 */
function inlineInvokers(code) {
  const tree = parse(code, { ecmaVersion: "latest", sourceType: "module" });
  const exportOf = new Map(); // invoker name -> wasm export it forwards to
  const edits = [];
  for (const statement of tree.body) {
    if (statement.type !== "FunctionDeclaration" || !INVOKER.test(statement.id.name)) continue;
    const [first, second, ...rest] = statement.body.body;
    const call =
      first?.type === "ExpressionStatement" && !second ? first.expression
      : first?.type === "VariableDeclaration" && first.declarations.length === 1 && second?.type === "ReturnStatement" && second.argument?.name === first.declarations[0].id.name && rest.length === 0 ? first.declarations[0].init
      : null;
    const forwards =
      call?.type === "CallExpression" && isMember(call.callee, "wasm", call.callee.property?.name) &&
      call.arguments.length === statement.params.length &&
      call.arguments.every((arg, i) => arg.type === "Identifier" && arg.name === statement.params[i].name);
    if (!forwards) fail(`${statement.id.name} does more than forward its arguments to a wasm export`);
    exportOf.set(statement.id.name, call.callee.property.name);
    edits.push([statement.start, statement.end, ""]);
  }
  for (const node of nodes(tree)) {
    if (node.type === "Identifier" && exportOf.has(node.name) && !edits.some(([start, end]) => node.start >= start && node.end <= end)) {
      edits.push([node.start, node.end, `wasm.${exportOf.get(node.name)}`]);
    }
  }
  edits.sort((a, b) => b[0] - a[0]);
  for (const [start, end, text] of edits) code = code.slice(0, start) + text + code.slice(end);
  return code;
}
