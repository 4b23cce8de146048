// The soak of `npm run bench`, bounded (issue 6, part 3): 300 cycles of loginUser, a renewal and
// logoutUser in one page, and 30 reloads of a page with a stored session. Between a snapshot
// after the warm-up and the end, nothing the SDK holds grows: the wasm memory, the event
// listeners, the live timers and the documents stay the same, the JS heap stays within the
// bench's slack (10 % or 1 MB), and no cycle or reload failed. The cycles, reloads, snapshots
// and slack are scripts/bench/soak.mjs's, as in the bench (10,000 cycles, 1,000 reloads).
import { test, expect } from "./helpers.mjs";
import { soakCycles, soakReloads, jsHeapLimit } from "../../scripts/bench/soak.mjs";

/** The figures that must not change at all from the warm-up to the end. */
const exact = ({ wasmMemories, wasmBytes, listeners, timers, documents }) => ({ wasmMemories, wasmBytes, listeners, timers, documents });

function expectFlat({ warm, end }) {
  expect(exact(end), "wasm memory, listeners, timers, documents: at the end against after the warm-up").toEqual(exact(warm));
  expect(end.jsHeap, `JS heap used: ${warm.jsHeap} bytes after the warm-up`).toBeLessThanOrEqual(jsHeapLimit(warm.jsHeap));
}

test("300 cycles of loginUser, renewal and logoutUser in one page: wasm memory, JS heap, listeners and timers stay flat", async ({ page }) => {
  const total = 300;
  const result = await soakCycles(page, { warm: 50, total, user: "soak-spec-cycles" });

  expect(result.failures).toEqual([]);
  expect(result.failed).toBe(0);
  // Every cycle: authenticating, authenticated, a renewal (tokenExpiring, tokenRefreshed), then
  // anonymous and loggedOut; nothing else.
  expect(result.counts).toEqual({
    ready: 1,
    authStateChanged: 3 * total,
    tokenExpiring: total,
    tokenRefreshed: total,
    tokenExpired: 0,
    loginFailed: 0,
    loggedOut: total,
  });
  expect(result.timersLoggedIn, "live timers while logged in: the count sees the SDK's renewal timer").toBeGreaterThan(0);
  expectFlat(result);
});

test("30 reloads of a page with a stored session: each restores authenticated and revalidates; nothing grows", async ({ page }) => {
  const result = await soakReloads(page, { warm: 5, total: 30, user: "soak-spec-reloads" });

  expect(result.failures).toEqual([]);
  expect(result.failed).toBe(0);
  expectFlat(result);
});
