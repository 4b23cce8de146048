// SPEC.md "Embedding": with the inline stub (www/sdk/stub.html, pasted by /test/page), a page calls
// messenger.on(...), loginUser(...) and getToken() before the script has loaded; once it has,
// the calls are replayed in order and their promises resolve. (loader.spec.mjs checks the queue's
// format; this is the page's story.)
import { test, expect, recordSdkEvents, installKit, waitForSdkEvent, holdRequests, sdkPage, messagingJwt, scenarioPath, requestCount } from "./helpers.mjs";

/** Opens a stub page whose messenger.js is held until `release()`. */
async function openWithScriptHeld(page, params = {}) {
  await recordSdkEvents(page);
  await installKit(page);
  const script = await holdRequests(page, "**/messenger/messenger.js");
  // An async script that has not arrived holds the load event, not DOMContentLoaded.
  await page.goto(sdkPage(params), { waitUntil: "domcontentloaded" });
  expect(await page.evaluate(() => Array.isArray(window.messenger.q))).toBe(true); // the stub
  return script;
}

/** Whether a page-side promise has settled (checked after pending tasks have run). */
const settled = (page, name) => page.evaluate((n) => Promise.race([window[n].then(() => true), new Promise((r) => setTimeout(() => r(false), 0))]), name);

test("on(), loginUser(cb) and getToken() called before the script loads are replayed in order and resolve", async ({ page, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "ada-q1" });
  tokenLeaks.watch(jwt);
  const script = await openWithScriptHeld(page);

  await page.evaluate((token) => {
    window.seen = [];
    messenger.on("authStateChanged", (state) => seen.push(`authStateChanged ${state.status}`));
    window.login = messenger.loginUser(
      (callback) => {
        seen.push("jwtCallback");
        callback(token);
      },
      (error) => seen.push(`loginCallback ${JSON.stringify(error)}`),
    );
    window.token = messenger.getToken();
    window.login.then((state) => seen.push(`loginUser resolved ${state.status}`));
    window.token.then(() => seen.push("getToken resolved"));
  }, jwt);
  expect(await page.evaluate(() => [messenger.getAuthState(), window.seen])).toEqual([null, []]);
  expect(await settled(page, "login")).toBe(false);
  expect(await settled(page, "token")).toBe(false);

  script.release();
  const [state, token] = await page.evaluate(async () => [JSON.parse(JSON.stringify(await window.login)), await window.token]);
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "ada-q1" } });
  expect(token).toBe(jwt);
  expect(await page.evaluate(() => window.seen)).toEqual([
    "authStateChanged authenticating",
    "jwtCallback",
    "authStateChanged authenticated",
    "loginCallback null",
    "loginUser resolved authenticated",
    "getToken resolved",
  ]);
  const ready = await waitForSdkEvent(page, "ready");
  expect(ready.status).toBe("anonymous"); // the SDK started, then replayed the login
  expect(await page.evaluate(() => messenger.getAuthState().status)).toBe("authenticated");
});

test("endpoint flow through the stub: queued loginUser() and getToken() share one request", async ({ page, tokenLeaks }) => {
  const endpoint = scenarioPath("ok");
  const script = await openWithScriptHeld(page, { "data-auth-endpoint": `${endpoint}?user=bo-q2` });
  await page.evaluate(() => {
    window.login = kit.login();
    window.token = messenger.getToken();
  });
  expect(await requestCount(page.request, endpoint)).toBe(0);

  script.release();
  const [state, token] = await page.evaluate(async () => [await window.login, await window.token]);
  tokenLeaks.watch(token);
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "bo-q2" } });
  expect(typeof token).toBe("string");
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null]);
  expect(await requestCount(page.request, endpoint)).toBe(1);
});

test("an unsubscribe function the stub handed out before load works after it", async ({ page, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "cy-q3" });
  tokenLeaks.watch(jwt);
  const script = await openWithScriptHeld(page);
  await page.evaluate(() => {
    window.seen = [];
    window.unsubscribe = messenger.on("authStateChanged", (state) => seen.push(state.status));
  });
  script.release();
  await waitForSdkEvent(page, "ready");

  await page.evaluate(() => window.unsubscribe());
  await page.evaluate((token) => kit.login(kit.answer(token)), jwt);
  expect(await page.evaluate(() => window.seen)).toEqual([]);
});
