// npm run bench (after setup and build): the SDK against its budgets (size, start-up, requests), in
// headless Debian Chromium, and a soak. Prints one table, then a summary as its last line; exits
// 1 when a budget is missed. Not part of npm test: times vary from run to run
// (scripts/check-size.mjs is the deterministic part; tests/e2e/soak.spec.mjs a bounded soak).
//
//   node scripts/bench/index.mjs [--only sizes,dependencies,startup,requests,memory,soak]
//
// BENCH_LOADS sets the page loads per start-up figure (at least 20); BENCH_SOAK_CYCLES and
// BENCH_SOAK_RELOADS the soak's totals (defaults 10,000 and 1,000; the warm-up is 100 and 10).
import { launchBrowser, startServerProcess } from "./lib.mjs";
import { measureOurs, measurePeers, BYTES_BUDGET, BYTES_AIM } from "./sizes.mjs";
import { measureDependencies } from "./dependencies.mjs";
import { measureStartup } from "./startup.mjs";
import { measureRequests } from "./requests.mjs";
import { measureMemory } from "./memory.mjs";
import { measureSoak, checks as soakChecks, jsHeapLimit, SLACK, CYCLES, RELOADS } from "./soak.mjs";

const SECTIONS = ["sizes", "dependencies", "startup", "requests", "memory", "soak"];
/** Start-up against oidc-client-ts's getUser(), same run: parity is the goal, this the guard. */
const MAX_STARTUP_RATIO = 1.5;
const only = parseOnly(process.argv.slice(2));
const runs = (section) => only.includes(section);

const loads = Math.max(20, Number(process.env.BENCH_LOADS) || 21); // odd: the median is a real load
const cyclePlan = { warm: CYCLES.warm, total: Math.max(CYCLES.warm + 1, Number(process.env.BENCH_SOAK_CYCLES) || CYCLES.total) };
const reloadPlan = { warm: RELOADS.warm, total: Math.max(RELOADS.warm + 1, Number(process.env.BENCH_SOAK_RELOADS) || RELOADS.total) };
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`; // the issue's KB: 1000 bytes
const ms = (value) => value.toFixed(1);
const count = (n) => n.toLocaleString("en-US"); // 10,000
const signed = (n) => `${n >= 0 ? "+" : ""}${n}`;

const server = await startServerProcess();
const browser = await launchBrowser();
let ours, peers, dependencies, startup, requests, memory, soak;
try {
  if (runs("sizes") || runs("startup")) ours = measureOurs(); // start-up checks what the page fetched against it
  if (runs("sizes")) peers = measurePeers();
  if (runs("dependencies")) dependencies = measureDependencies();
  if (runs("startup")) startup = await measureStartup(browser, server.url, { loads });
  if (runs("requests")) requests = await measureRequests(browser, server.url);
  if (runs("memory")) memory = await measureMemory(browser, server.url);
  if (runs("soak")) soak = await measureSoak(browser, server.url, { cycles: cyclePlan, reloads: reloadPlan });
} finally {
  await browser.close();
  await server.close();
}

const misses = [];
const check = (ok, miss) => {
  if (!ok) misses.push(miss);
  return ok ? "ok" : "FAIL";
};
const rows = [];
const section = (title, ...columns) => rows.push([], [title, ...columns]);
const row = (...cells) => rows.push(["  " + cells[0], ...cells.slice(1)]);

const summary = [];
if (peers) {
  section("size (gzip -9 -n)", "raw", "gzip", "");
  for (const file of ours.files) row(file.name, file.raw, file.gzip, file.note ? `not counted: ${file.note}` : "counted");
  const sizeOk = check(ours.total.gzip <= BYTES_BUDGET, `size: ${ours.total.gzip} bytes gzip, budget ${BYTES_BUDGET}`);
  row("total downloaded", ours.total.raw, ours.total.gzip, `${kb(ours.total.gzip)}; budget ${kb(BYTES_BUDGET)}, aim ${kb(BYTES_AIM)}: ${sizeOk}`);
  for (const peer of peers) row(peer.name, peer.raw, peer.gzip, `${kb(peer.gzip)}; ${peer.file}`);
  summary.push(`total ${ours.total.gzip} bytes gzip (${kb(ours.total.gzip)})`);
}

if (dependencies) {
  section("what each dependency costs (twiggy; LTO inlines, so a floor)", "raw", "gzip", "");
  for (const d of dependencies.wasm) row(`wasm: ${d.label}`, d.raw, d.gzip, "");
  for (const d of dependencies.js) row(`js: ${d.label}`, d.raw, d.gzip, "");
}

if (startup) {
  const uncounted = startup.probe.fetched.filter((name) => !ours.counted.includes(name));
  check(uncounted.length === 0, `size: the page also downloads ${uncounted.join(", ")}, which the total does not count`);
  section(`start-up (median of ${loads} reloads, ms from navigation start)`, "ms", "ratio", "");
  const readyOk = check(startup.ratios.ready <= MAX_STARTUP_RATIO, `start-up: ready takes ${startup.ratios.ready.toFixed(2)}x oidc-client-ts's getUser()`);
  const authOk = check(startup.ratios.authenticated <= MAX_STARTUP_RATIO, `start-up: authenticated takes ${startup.ratios.authenticated.toFixed(2)}x oidc-client-ts's getUser()`);
  const guard = `guard <= ${MAX_STARTUP_RATIO.toFixed(2)} (parity the goal)`;
  row("ours: ready, nothing stored, 1st reload", ms(startup.ready), startup.ratios.ready.toFixed(2), `${guard}: ${readyOk}`);
  row("ours: authenticated, token stored, 2nd reload", ms(startup.authenticated), startup.ratios.authenticated.toFixed(2), `${guard}: ${authOk}`);
  row("oidc-client-ts: getUser(), 1st reload", ms(startup.oidc.ready), "1.00", "the reference for ready");
  row("oidc-client-ts: getUser(), 2nd reload", ms(startup.oidc.authenticated), "1.00", "the reference for authenticated");
  const plainRatio = (value, reference) => (value / reference).toFixed(2);
  row("ours without the wasm preload: ready", ms(startup.plain.ready), plainRatio(startup.plain.ready, startup.oidc.ready), "not budgeted: a page that skips the preload line");
  row("ours without the wasm preload: authenticated", ms(startup.plain.authenticated), plainRatio(startup.plain.authenticated, startup.oidc.authenticated), "not budgeted");
  const streamOk = check(startup.probe.streaming, `start-up: the wasm is not compiled while streaming (${startup.probe.wasmCalls.join(", ") || "no WebAssembly call seen"})`);
  row("wasm via instantiateStreaming", "", "", `${startup.probe.wasmCalls.join(", ")}: ${streamOk}`);
  // Twice would mean the preload was not the response the SDK used (e.g. no `crossorigin`).
  const wasmFetches = startup.probe.fetched.filter((name) => name.endsWith(".wasm")).length;
  const onceOk = check(wasmFetches === 1, `start-up: the page fetched the wasm ${wasmFetches} times`);
  row("files the page fetched", "", "", `${startup.probe.fetched.join(", ")}: wasm once: ${onceOk}`);
  summary.push(`startup ratio ${Math.max(startup.ratios.ready, startup.ratios.authenticated).toFixed(2)}`);
}

if (requests) {
  section("requests to the endpoint", "count", "budget", "");
  for (const r of requests) {
    const ok = check(r.ok, `requests: ${r.name}: ${r.requests} (budget ${r.budget})${r.error ? `; ${r.error}` : ""}`);
    row(r.name, r.requests, r.budget, r.error ? `${ok}: ${r.error}` : ok);
  }
  summary.push(`requests ${requests.every((r) => r.ok) ? "ok" : "FAIL"}`);
}

if (memory) {
  section("memory, login/logout cycles", "10", "1,000", "");
  const { after10: a, after1000: b } = memory;
  const memoryFlat = ["wasmBytes", "listeners", "timers"].every((key) => a[key] === b[key]) ? "flat" : "GROWS";
  const same = (key, what) => check(a[key] === b[key], `memory: ${what} ${a[key]} after 10 cycles, ${b[key]} after 1,000`);
  row("wasm memory bytes", a.wasmBytes, b.wasmBytes, `${a.wasmMemories} memory; same: ${same("wasmBytes", "wasm memory bytes")}`);
  row("event listeners", a.listeners, b.listeners, `same: ${same("listeners", "event listeners")}`);
  row("live timers", a.timers, b.timers, `same: ${same("timers", "live timers")}`);
  row("JS heap used bytes", a.jsHeap, b.jsHeap, `${signed(b.jsHeap - a.jsHeap)} (reported, no budget)`);
  check(memory.failed === 0, `memory: ${memory.failed} of the 1,000 logins did not end authenticated`);
  summary.push(`memory ${memoryFlat}`);
}

if (soak) {
  const { cycles, reloads } = soak;
  const cyclesOk = soakSection("soak, login/renewal/logout cycles in one page", "cycle", cycles, cyclePlan, {
    wasmBytes: "wasm memory bytes",
    jsHeap: "JS heap used bytes (after GC)",
    listeners: "event listeners",
    timers: "live timers",
    documents: "documents in the renderer",
    blinkHeap: "Blink heap used bytes",
    failed: "cycles failed",
  });
  const perCycle = ["tokenExpiring", "tokenRefreshed", "loggedOut"].every((name) => cycles.counts[name] === cyclePlan.total);
  const refreshOk = check(perCycle, `soak: ${cycles.counts.tokenRefreshed} tokenRefreshed, ${cycles.counts.tokenExpiring} tokenExpiring, ${cycles.counts.loggedOut} loggedOut in ${count(cyclePlan.total)} cycles`);
  row("tokenExpiring, tokenRefreshed, loggedOut", "", [cycles.counts.tokenExpiring, cycles.counts.tokenRefreshed, cycles.counts.loggedOut].map(count).join(", "), `one each per cycle: ${refreshOk}`);
  const unexpected = cycles.counts.loginFailed + cycles.counts.tokenExpired;
  const quietOk = check(unexpected === 0, `soak: ${cycles.counts.loginFailed} loginFailed and ${cycles.counts.tokenExpired} tokenExpired in the cycles`);
  row("loginFailed, tokenExpired", "", `${cycles.counts.loginFailed}, ${cycles.counts.tokenExpired}`, `none: ${quietOk}`);
  const seesOk = check(cycles.timersLoggedIn > 0, "soak: no live timer counted while logged in: the timer count does not see the SDK's timers");
  row("live timers while logged in, cycle 1", "", cycles.timersLoggedIn, `at least the renewal's: ${seesOk}`);
  row("time", "", `${(cycles.ms / 1000).toFixed(1)} s`, "");
  const reloadsOk = soakSection("soak, reloads of a page with a stored session", "reload", reloads, reloadPlan, {
    wasmBytes: "wasm memory bytes (this document)",
    jsHeap: "JS heap used bytes (renderer, after GC)",
    listeners: "event listeners (this document)",
    timers: "live timers (this document)",
    documents: "documents in the renderer",
    blinkHeap: "Blink heap used bytes (renderer)",
    failed: "reloads not authenticated",
  });
  row("time", "", `${(reloads.ms / 1000).toFixed(1)} s`, "");
  summary.push(`soak ${cyclesOk && reloadsOk && refreshOk === "ok" && quietOk === "ok" && seesOk === "ok" ? "pass" : "FAIL"}`);
}

printTable(rows);
if (misses.length) console.log(["", "budgets missed:", ...misses.map((miss) => `  ${miss}`)].join("\n"));
console.log(`\nbench: ${summary.join(" · ")}`);
process.exitCode = misses.length ? 1 : 0;

/**
 * The rows of one soak (`labels` names them), its figures after the warm-up against those at
 * the end, checked with soak.mjs's `checks`; true when all are flat and nothing failed.
 */
function soakSection(title, unit, result, { warm, total }, labels) {
  const { warm: a, end: b } = result;
  const flat = soakChecks(a, b);
  const ok = (key, pass) => check(pass, `soak: ${labels[key]}: ${a[key]} after ${unit} ${count(warm)}, ${b[key]} after ${count(total)}`);
  section(title, count(warm), count(total), "");
  row(labels.wasmBytes, a.wasmBytes, b.wasmBytes, `${b.wasmMemories} memory; same: ${ok("wasmBytes", flat.wasmBytes)}`);
  const growth = b.jsHeap - a.jsHeap;
  const percent = `${signed(Number(((growth / a.jsHeap) * 100).toFixed(1)))}%`;
  row(labels.jsHeap, a.jsHeap, b.jsHeap, `${signed(growth)} (${percent}); at most ${jsHeapLimit(a.jsHeap)} (+10% or +1 MB): ${ok("jsHeap", flat.jsHeap)}`);
  row(labels.listeners, a.listeners, b.listeners, `same: ${ok("listeners", flat.listeners)}`);
  row(labels.timers, a.timers, b.timers, `at most +${SLACK.timers}: ${ok("timers", flat.timers)}`);
  row(labels.documents, a.documents, b.documents, `same: ${ok("documents", flat.documents)}`);
  row(labels.blinkHeap, a.blinkHeap, b.blinkHeap, `${signed(b.blinkHeap - a.blinkHeap)} (reported, no budget)`);
  const failedOk = check(result.failed === 0, `soak: ${result.failed} of ${count(total)} ${unit}s failed: ${result.failures.join("; ")}`);
  row(labels.failed, a.failed, b.failed, result.failed ? `${failedOk}: ${result.failures.join("; ")}` : `none: ${failedOk}`);
  return Object.values(flat).every(Boolean) && result.failed === 0;
}

/** `--only a,b` (or `--only a --only b`): the sections to run; all of them without it. */
function parseOnly(args) {
  const chosen = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = arg === "--only" ? args[++i] : arg.startsWith("--only=") ? arg.slice("--only=".length) : undefined;
    if (value === undefined) throw new Error(`bench: unknown argument ${arg} (use --only ${SECTIONS.join(",")})`);
    for (const name of value.split(",").filter(Boolean)) {
      if (!SECTIONS.includes(name)) throw new Error(`bench: no section ${name} (sections: ${SECTIONS.join(", ")})`);
      chosen.push(name);
    }
  }
  return chosen.length ? chosen : SECTIONS;
}

/** Rows of cells: the first column and the last left-aligned, the others right-aligned. */
function printTable(table) {
  const widths = [];
  for (const cells of table) cells.forEach((cell, i) => (widths[i] = Math.max(widths[i] || 0, String(cell).length)));
  for (const cells of table) {
    const last = cells.length - 1;
    const text = cells.map((cell, i) => (i === 0 || i === last ? String(cell).padEnd(i === last ? 0 : widths[i]) : String(cell).padStart(widths[i])));
    console.log(text.join("  ").trimEnd());
  }
}
