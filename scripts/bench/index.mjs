// npm run bench (after setup and build): the SDK against the budgets of its size issue, in
// headless Debian Chromium. Prints one table, then a summary as its last line; exits 1 when a
// budget is missed. Not part of npm test: times vary from run to run (scripts/check-size.mjs is
// the deterministic part). BENCH_LOADS sets the page loads per start-up figure (at least 20).
import { startServer } from "../../tests/server/server.mjs";
import { launchBrowser } from "./lib.mjs";
import { measureOurs, measurePeers, BYTES_BUDGET, BYTES_AIM } from "./sizes.mjs";
import { measureStartup } from "./startup.mjs";
import { measureRequests } from "./requests.mjs";
import { measureMemory } from "./memory.mjs";

const loads = Math.max(20, Number(process.env.BENCH_LOADS) || 21); // odd: the median is a real load
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`; // the issue's KB: 1000 bytes
const ms = (value) => value.toFixed(1);

const server = await startServer({ port: 0 });
const browser = await launchBrowser();
let ours, peers, startup, requests, memory;
try {
  ours = measureOurs();
  peers = measurePeers();
  startup = await measureStartup(browser, server.url, { loads });
  requests = await measureRequests(browser, server.url);
  memory = await measureMemory(browser, server.url);
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

section("size (gzip -9 -n)", "raw", "gzip", "");
for (const file of ours.files) row(file.name, file.raw, file.gzip, file.note ? `not counted: ${file.note}` : "counted");
const sizeOk = check(ours.total.gzip <= BYTES_BUDGET, `size: ${ours.total.gzip} bytes gzip, budget ${BYTES_BUDGET}`);
row("total downloaded", ours.total.raw, ours.total.gzip, `${kb(ours.total.gzip)}; budget ${kb(BYTES_BUDGET)}, aim ${kb(BYTES_AIM)}: ${sizeOk}`);
for (const peer of peers) row(peer.name, peer.raw, peer.gzip, `${kb(peer.gzip)}; ${peer.file}`);
const uncounted = startup.probe.fetched.filter((name) => !ours.counted.includes(name));
check(uncounted.length === 0, `size: the page also downloads ${uncounted.join(", ")}, which the total does not count`);

section(`start-up (median of ${loads} reloads, ms from navigation start)`, "ms", "ratio", "");
const readyOk = check(startup.ratios.ready <= 1, `start-up: ready takes ${startup.ratios.ready.toFixed(2)}x oidc-client-ts's getUser()`);
const authOk = check(startup.ratios.authenticated <= 1, `start-up: authenticated takes ${startup.ratios.authenticated.toFixed(2)}x oidc-client-ts's getUser()`);
row("ours: ready, nothing stored, 1st reload", ms(startup.ready), startup.ratios.ready.toFixed(2), `budget <= 1.00: ${readyOk}`);
row("ours: authenticated, token stored, 2nd reload", ms(startup.authenticated), startup.ratios.authenticated.toFixed(2), `budget <= 1.00: ${authOk}`);
row("oidc-client-ts: getUser(), 1st reload", ms(startup.oidc.ready), "1.00", "the reference for ready");
row("oidc-client-ts: getUser(), 2nd reload", ms(startup.oidc.authenticated), "1.00", "the reference for authenticated");
const streamOk = check(startup.probe.streaming, `start-up: the wasm is not compiled while streaming (${startup.probe.wasmCalls.join(", ") || "no WebAssembly call seen"})`);
row("wasm via instantiateStreaming", "", "", `${startup.probe.wasmCalls.join(", ")}: ${streamOk}`);
row("files the page fetched", "", "", startup.probe.fetched.join(", "));

section("requests to the endpoint", "count", "budget", "");
for (const r of requests) {
  const ok = check(r.ok, `requests: ${r.name}: ${r.requests} (budget ${r.budget})${r.error ? `; ${r.error}` : ""}`);
  row(r.name, r.requests, r.budget, r.error ? `${ok}: ${r.error}` : ok);
}

section("memory, login/logout cycles", "10", "1,000", "");
const { after10: a, after1000: b } = memory;
const memoryFlat = ["wasmBytes", "listeners", "timers"].every((key) => a[key] === b[key]) ? "flat" : "GROWS";
const same = (key, what) => check(a[key] === b[key], `memory: ${what} ${a[key]} after 10 cycles, ${b[key]} after 1,000`);
row("wasm memory bytes", a.wasmBytes, b.wasmBytes, `${a.wasmMemories} memory; same: ${same("wasmBytes", "wasm memory bytes")}`);
row("event listeners", a.listeners, b.listeners, `same: ${same("listeners", "event listeners")}`);
row("live timers", a.timers, b.timers, `same: ${same("timers", "live timers")}`);
row("JS heap used bytes", a.jsHeap, b.jsHeap, `${b.jsHeap - a.jsHeap >= 0 ? "+" : ""}${b.jsHeap - a.jsHeap} (reported, no budget)`);
check(memory.failed === 0, `memory: ${memory.failed} of the 1,000 logins did not end authenticated`);

printTable(rows);
if (misses.length) console.log(["", "budgets missed:", ...misses.map((miss) => `  ${miss}`)].join("\n"));
const requestsOk = requests.every((r) => r.ok) ? "ok" : "FAIL";
const ratio = Math.max(startup.ratios.ready, startup.ratios.authenticated).toFixed(2);
console.log(`\nbench: total ${ours.total.gzip} bytes gzip (${kb(ours.total.gzip)}) · startup ratio ${ratio} · requests ${requestsOk} · memory ${memoryFlat}`);
process.exitCode = misses.length ? 1 : 0;

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
