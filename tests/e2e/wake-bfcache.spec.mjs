// SPEC.md "On wake", the third way: a page restored from the back/forward cache (pageshow with
// persisted true) renews a token that stopped being fresh while it was away. A REAL restore:
// Playwright starts Chromium with --disable-back-forward-cache, so this file's browser is started
// without that switch (its own worker), and the page is served cacheable (cache=1), since
// `Cache-Control: no-store` keeps a page out of the cache. (wake.spec.mjs dispatches the others.)
import { test, expect, eventLines, eventDetails, waitForSdkEvent, storageKeysContaining, decodePayload, logInUnderClock, LOGIN_LINES } from "./helpers.mjs";

test.use({
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    ignoreDefaultArgs: ["--disable-back-forward-cache"],
    args: ["--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  },
});

test("pageshow (persisted) after a sleep past exp - leeway: renewed at once with ONE request, tokenExpiring then tokenRefreshed", async ({ page, tokenLeaks }) => {
  await page.addInitScript(() => {
    window.__pageshows = [];
    window.addEventListener("pageshow", (event) => window.__pageshows.push(event.persisted));
    // Chromium also fires visibilitychange (hidden, then visible) around a restore; stopped here
    // before it reaches the document's listeners, so that pageshow is the only wake the SDK gets.
    window.addEventListener("visibilitychange", (event) => event.stopImmediatePropagation(), true);
  });
  const { startMs, first, second, requests } = await logInUnderClock(page, { source: "endpoint", username: "cy-w3", renewAfter: 560, params: { cache: "1" } });
  tokenLeaks.watch(first);
  tokenLeaks.watch(second);

  await page.clock.setSystemTime(startMs + 560_000); // then away, and back 9 min 20 s later
  await page.goto("/test/login-page");
  await page.goBack({ waitUntil: "commit" }); // a restored page fires no load event
  const refreshed = await waitForSdkEvent(page, "tokenRefreshed");

  expect(await page.evaluate(() => window.__pageshows)).toEqual([false, true]); // the same document, restored
  expect(await eventLines(page)).toEqual([...LOGIN_LINES, "tokenExpiring", "tokenRefreshed"]);
  expect(await eventDetails(page, "tokenExpiring")).toEqual([{ expiresAt: decodePayload(first).exp }]);
  expect(refreshed).toEqual({ expiresAt: decodePayload(second).exp });
  expect(await requests()).toBe(2);
  expect(await page.evaluate(() => messenger.getToken())).toBe(second);
  expect(await storageKeysContaining(page, first)).toEqual([]);
});
