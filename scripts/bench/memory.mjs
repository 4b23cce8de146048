// Memory: in one page, 10 login/logout cycles (a jwtCallback answering at once), then up to
// 1,000 in all; after each, the wasm memory, the JS heap, the event listeners and the live
// timers (lib.mjs's snapshot).
import { openReadyPage, countLiveTimers, snapshot } from "./lib.mjs";
import { messagingJwt } from "../../tests/server/tokens.mjs";

export async function measureMemory(browser, baseUrl) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(countLiveTimers);
    await openReadyPage(page, `${baseUrl}test/page?stub=0`);
    const cdp = await context.newCDPSession(page);
    const jwt = messagingJwt({ username: "bench-memory" }, { ttl: 3600 });
    const failed10 = await cycles(page, jwt, 10);
    const after10 = await snapshot(page, cdp);
    const failed = failed10 + (await cycles(page, jwt, 990));
    const after1000 = await snapshot(page, cdp);
    return { after10, after1000, failed };
  } finally {
    await context.close();
  }
}

/** `n` logins and logouts; returns how many logins did not end authenticated. */
function cycles(page, jwt, n) {
  return page.evaluate(
    async ([jwt, n]) => {
      let failed = 0;
      for (let i = 0; i < n; i++) {
        const state = await messenger.loginUser((callback) => callback(jwt));
        if (state.status !== "authenticated") failed++;
        await messenger.logoutUser();
      }
      return failed;
    },
    [jwt, n],
  );
}
