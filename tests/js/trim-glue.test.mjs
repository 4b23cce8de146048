// scripts/lib/trim-glue.mjs: what it removes from wasm-bindgen's web glue, what it keeps, and
// that a glue of another shape fails the build instead of being trimmed wrongly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { trimGlue } from "../../scripts/lib/trim-glue.mjs";

/** The shape of wasm-bindgen 0.2.130's web glue, its bodies cut short. */
const GLUE = `
export class Messenger {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        MessengerFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.a(ptr, 0);
    }
    getToken() {
        const ret = wasm.c(this.__wbg_ptr);
        return ret;
    }
    constructor(attributes) {
        const ret = wasm.g(attributes);
        this.__wbg_ptr = ret;
        MessengerFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
}
if (Symbol.dispose) Messenger.prototype[Symbol.dispose] = Messenger.prototype.free;
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        b: function(arg0, arg1) { return makeClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h1); },
        c: function() { return handleError(function (arg0, arg1) {
            arg0.postMessage(arg1);
        }, arguments); },
        d: function() { return handleError(function (arg0) {
            return wasm_bindgen__convert__closures_____invoke__h2(arg0, 1);
        }, arguments); },
    };
    return { __proto__: null, "a": import0 };
}
function wasm_bindgen__convert__closures_____invoke__h1(arg0, arg1, arg2) {
    wasm.k(arg0, arg1, arg2);
}
function wasm_bindgen__convert__closures_____invoke__h2(arg0, arg1) {
    const ret = wasm.m(arg0, arg1);
    return ret;
}
const MessengerFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.a(ptr, 1));
const CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(state => wasm.y(state.a, state.b));
function handleError(f, args) {
    try {
        return f.apply(this, args);
    } catch (e) {
        wasm.v(e);
    }
}
function makeClosure(a, b, f) { const real = () => f(a, b); CLOSURE_DTORS.register(real, { a, b }); return real; }
const cachedTextEncoder = new TextEncoder();
if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) { return { read: 0, written: 0 }; };
}
let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
    wasm.z();
    return wasm;
}
async function __wbg_load(module, imports) {
    return await WebAssembly.instantiateStreaming(module, imports);
}
function initSync(module) {
    const instance = new WebAssembly.Instance(module, __wbg_get_imports());
    return __wbg_finalize_init(instance, module);
}
let __wbg_init_promise;
async function __wbg_init(module_or_path) {
    if (__wbg_init_promise === undefined) __wbg_init_promise = __wbg_init_once(module_or_path);
    return __wbg_init_promise;
}
async function __wbg_init_once(module_or_path) {
    if (module_or_path === undefined) module_or_path = new URL('messenger_bg.wasm', import.meta.url);
    const { instance, module } = await __wbg_load(await fetch(module_or_path), __wbg_get_imports());
    return __wbg_finalize_init(instance, module);
}
export { initSync, __wbg_init as default };
`;

test("trimGlue keeps the imports, finalize_init and the class, and drops the generic init", () => {
  const { code, classes } = trimGlue(GLUE);
  assert.deepEqual(classes, ["Messenger"]);
  for (const kept of ["function __wbg_get_imports()", "function __wbg_finalize_init(instance, module)", "class Messenger", "getToken()", "CLOSURE_DTORS.register", "const cachedTextEncoder"]) {
    assert.ok(code.includes(kept), `keeps ${kept}`);
  }
  for (const gone of ["__wbg_init", "initSync", "__wbg_load", "import.meta", "MessengerFinalization", "free()", "__destroy_into_raw", "Symbol.dispose", "'encodeInto' in", "export {", "export class"]) {
    assert.ok(!code.includes(gone), `drops ${gone}`);
  }
  // Each catching import is the same call, written shorter; the closures' registry stays, without its fallback.
  assert.match(code, /c: __wbg_catching\(function \(arg0, arg1\) \{\s*arg0\.postMessage\(arg1\);\s*\}\),/);
  assert.match(code, /function __wbg_catching\(f\) \{\s*return function \(\) \{\s*return handleError\(f, arguments\);/);
  assert.match(code, /const CLOSURE_DTORS = new FinalizationRegistry\(state => wasm\.y\(state\.a, state\.b\)\);/);
  assert.ok(!code.includes("typeof FinalizationRegistry"));
  // Invokers that only forward are replaced by the export they call, also inside a catching import.
  assert.ok(code.includes("makeClosure(arg0, arg1, wasm.k)"));
  assert.match(code, /d: __wbg_catching\(function \(arg0\) \{\s*return wasm\.m\(arg0, 1\);/);
  assert.ok(!code.includes("invoke__"));
  // The constructor still sets the pointer, without registering it.
  assert.match(code, /constructor\(attributes\) \{\s*const ret = wasm\.g\(attributes\);\s*this\.__wbg_ptr = ret;\s*return this;/);
});

test("trimGlue fails, naming what changed, on a glue of another shape", () => {
  const cases = [
    [GLUE.replaceAll("__wbg_finalize_init", "__wbg_finish_init"), /no function __wbg_finalize_init of 2 parameters/],
    [GLUE.replace("function __wbg_get_imports()", "function __wbg_get_imports(memory)"), /no function __wbg_get_imports of 0 parameters/],
    [GLUE.replace(/if \(!\('encodeInto'[^]*?\n\}\n/, ""), /no single encodeInto polyfill/],
    [GLUE.replace("MessengerFinalization.register(this, this.__wbg_ptr, this);", ""), /does not call MessengerFinalization\.register once/],
    [GLUE.replace("if (Symbol.dispose)", "if (Symbol.asyncDispose)"), /no single Symbol\.dispose line/],
    [GLUE.replace("async function __wbg_load", "async function __wbg_fetch"), /no top-level __wbg_load/],
    [GLUE.replace("export { initSync, __wbg_init as default };", "export { initSync, __wbg_init_once as default };"), /exports are not/],
    [GLUE.replace("}, arguments); },", "}, [...arguments]); },"), /an import calls handleError otherwise/],
    [GLUE.replace("function handleError(f, args)", "function handleError(f)"), /no function handleError\(f, args\)/],
    [GLUE.replace("const CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')", "const CLOSURE_DTORS = (typeof FinalizationRegistry !== 'function')"), /FinalizationRegistry fallback of another shape/],
    [GLUE.replace("wasm.k(arg0, arg1, arg2);", "wasm.k(arg0, arg2, arg1);"), /invoke__h1 does more than forward its arguments/],
    [GLUE.replace("    return ret;\n}\nconst MessengerFinalization", "    return ret + 1;\n}\nconst MessengerFinalization"), /invoke__h2 does more than forward its arguments/],
    // Something kept that calls what is removed would fail at run time: refused at build time.
    [GLUE.replace("wasm.z();", "wasm.z(); initSync;"), /initSync is still used after it was removed/],
  ];
  for (const [glue, error] of cases) assert.throws(() => trimGlue(glue), error);
});
