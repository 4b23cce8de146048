// The reasons a jwtCallback or the page's own calls can cause: callback_error (threw, rejected,
// answered a non-string, no source at all), timeout of a jwtCallback that never answers, and
// superseded (a newer loginUser or a logoutUser while a login is pending: the late answer is
// discarded and never brings a session back).
import {
  test,
  expect,
  openSdkPage,
  expectFailedLogin,
  loginFailedError,
  eventLines,
  eventDetails,
  storageKeysContaining,
  waitForHeld,
  scenarioPath,
  requestCount,
  messagingJwt,
} from "./helpers.mjs";

/**
 * A superseded loginUser() still resolves with an AuthState (SPEC.md: it never rejects); which
 * status it carries at that moment is not specified.
 */
function expectAnAuthState(state) {
  expect(["anonymous", "authenticating", "authenticated"]).toContain(state.status);
  expect(typeof state.anonymousId).toBe("string");
}

test("callback_error/threw: the jwtCallback throws; nothing reaches the page as an uncaught error", async ({ page }) => {
  await openSdkPage(page);
  await page.evaluate(() =>
    kit.login(() => {
      kit.jwtCalls += 1;
      throw new Error("the site's backend is down");
    }),
  );
  await expectFailedLogin(page, { reason: "callback_error", detail: "threw" });
  expect(await page.evaluate(() => kit.jwtCalls)).toBe(1);
});

test("callback_error/threw: an async jwtCallback whose promise rejects", async ({ page }) => {
  await openSdkPage(page);
  await page.evaluate(() =>
    kit.login(async () => {
      kit.jwtCalls += 1;
      throw new Error("fetch failed");
    }),
  );
  await expectFailedLogin(page, { reason: "callback_error", detail: "threw" });
  expect(await page.evaluate(() => kit.jwtCalls)).toBe(1);
});

test("callback_error/not_a_string: the jwtCallback answers a number", async ({ page }) => {
  await openSdkPage(page);
  await page.evaluate(() => kit.login(kit.answer(42)));
  const error = await expectFailedLogin(page, { reason: "callback_error", detail: "not_a_string" });
  expect(error.message).toContain("number");
  expect(await page.evaluate(() => kit.jwtCalls)).toBe(1);
});

test("callback_error/missing_callback: loginUser() with neither a jwtCallback nor an authEndpoint", async ({ page }) => {
  await openSdkPage(page);
  const state = await page.evaluate(() => kit.login());
  expect(state.status).toBe("anonymous");
  const expected = loginFailedError({ reason: "callback_error", detail: "missing_callback" });
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([expected]);
  expect(await eventDetails(page, "loginFailed")).toEqual([expected]);
  expect(await eventLines(page)).toEqual(["ready", "loginFailed callback_error/missing_callback"]); // never authenticating
});

test("timeout: a jwtCallback that never answers (timeoutMs 300) is called 3 times, and late answers are ignored", async ({ page, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "ada-c5" });
  tokenLeaks.watch(jwt);
  await openSdkPage(page, { "data-timeout-ms": "300" });
  await page.evaluate(() => kit.login(kit.hold()));
  const error = await expectFailedLogin(page, { reason: "timeout" });
  expect(error.message).toContain("300");
  expect(await page.evaluate(() => kit.jwtCalls)).toBe(3);

  const linesBefore = await eventLines(page);
  await page.evaluate((token) => kit.held.forEach((callback) => callback(token)), jwt);
  expect(await page.evaluate(() => messenger.getAuthState().status)).toBe("anonymous");
  expect(await eventLines(page)).toEqual(linesBefore);
  expect(await storageKeysContaining(page, jwt)).toEqual([]);
});

test("superseded: a second loginUser while the first is pending; the first's late answer is discarded", async ({ page, tokenLeaks }) => {
  const first = messagingJwt({ username: "bo-c6-first" });
  const second = messagingJwt({ username: "cy-c6-second" });
  tokenLeaks.watch(first);
  tokenLeaks.watch(second);
  await openSdkPage(page);

  await page.evaluate(() => {
    window.firstLogin = kit.login(kit.hold());
  });
  await waitForHeld(page); // the first login is with the page now
  const secondState = await page.evaluate((token) => kit.login(kit.answer(token)), second);
  expect(secondState).toMatchObject({ status: "authenticated", user: { externalId: "cy-c6-second" } });
  expectAnAuthState(await page.evaluate(() => window.firstLogin)); // it resolves too, never rejects
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([loginFailedError({ reason: "superseded" }), null]);

  await page.evaluate((token) => kit.held[0](token), first); // the first login's answer, late
  expect(await page.evaluate(() => messenger.getAuthState().user.externalId)).toBe("cy-c6-second");
  expect(await page.evaluate(() => messenger.getToken())).toBe(second);
  // No loginFailed for superseded, and nothing after the second login.
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
  expect(await storageKeysContaining(page, first)).toEqual([]);
});

test("superseded: logoutUser() while a login is pending; the late answer cannot bring the session back", async ({ page, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "di-c7" });
  tokenLeaks.watch(jwt);
  const ready = await openSdkPage(page);

  await page.evaluate(() => {
    window.login = kit.login(kit.hold());
  });
  await waitForHeld(page); // the login is with the page now
  await page.evaluate(() => messenger.logoutUser());
  expect(await page.evaluate(() => window.login)).toMatchObject({ status: "anonymous" });
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([loginFailedError({ reason: "superseded" })]);
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged anonymous", "loggedOut"]);
  const [loggedOut] = await eventDetails(page, "loggedOut");
  expect(loggedOut.anonymousId).not.toBe(ready.anonymousId);

  await page.evaluate((token) => kit.held[0](token), jwt); // the answer arrives after the logout
  expect(await page.evaluate(() => messenger.getAuthState())).toMatchObject({ status: "anonymous", user: null, anonymousId: loggedOut.anonymousId });
  expect(await page.evaluate(() => messenger.getToken())).toBeNull();
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged anonymous", "loggedOut"]);
  expect(await storageKeysContaining(page, jwt)).toEqual([]);
});

test("superseded with an endpoint: a second loginUser() asks again; the first gets superseded", async ({ page, tokenLeaks }) => {
  const endpoint = scenarioPath("slow");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?delay=300&user=eve-c8` });
  await page.evaluate(() => {
    window.firstLogin = kit.login();
  });
  await expect.poll(() => requestCount(page.request, endpoint)).toBe(1); // the first is at the server
  const second = await page.evaluate(() => kit.login());
  const first = await page.evaluate(() => window.firstLogin);
  tokenLeaks.watch(await page.evaluate(() => messenger.getToken()));
  expectAnAuthState(first); // resolved, not rejected
  expect(second).toMatchObject({ status: "authenticated", user: { externalId: "eve-c8" } });
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([loginFailedError({ reason: "superseded" }), null]);
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
  expect(await requestCount(page.request, endpoint)).toBe(2);
});

test("superseded with an endpoint: logoutUser() while the request is pending; its answer is discarded", async ({ page }) => {
  const endpoint = scenarioPath("slow");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?delay=300&user=fay-c9` });
  await page.evaluate(() => {
    window.login = kit.login();
  });
  await expect.poll(() => requestCount(page.request, endpoint)).toBe(1); // the request reached the server
  await page.evaluate(() => messenger.logoutUser());
  expect(await page.evaluate(() => window.login)).toMatchObject({ status: "anonymous" });

  await page.waitForTimeout(600); // past the moment the server answers
  expect(await page.evaluate(() => messenger.getAuthState().status)).toBe("anonymous");
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([loginFailedError({ reason: "superseded" })]);
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged anonymous", "loggedOut"]);
  expect(await requestCount(page.request, endpoint)).toBe(1);
});
