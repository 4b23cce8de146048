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
  requestCount,
  messagingJwt,
  siteJwt,
  cannedEndpoint,
  tokenAnswer,
  releaseCanned,
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

test("callback_error/not_a_string: undefined, null, a boolean, an object and a function are each refused, once", async ({ page }) => {
  await openSdkPage(page);
  const answers = ["undefined", "null", "true", "({ jwt: 'a.b.c' })", "(() => 'a.b.c')"];
  for (const answer of answers) {
    expect((await page.evaluate((code) => kit.login(kit.answer(new Function(`return ${code}`)())), answer)).status).toBe("anonymous");
  }
  const expected = answers.map(() => loginFailedError({ reason: "callback_error", detail: "not_a_string" }));
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual(expected);
  expect(await eventDetails(page, "loginFailed")).toEqual(expected);
  const messages = (await page.evaluate(() => kit.loginCallbacks)).map((error) => error.message);
  ["undefined", "null", "boolean", "object", "function"].forEach((type, i) => expect(messages[i]).toContain(type));
  expect(await page.evaluate(() => kit.jwtCalls)).toBe(answers.length); // never asked again
  const perLogin = ["authStateChanged authenticating", "loginFailed callback_error/not_a_string", "authStateChanged anonymous"];
  expect(await eventLines(page)).toEqual(["ready", ...answers.flatMap(() => perLogin)]);
});

test("a jwtCallback that answers twice: the first answer counts; a second one, at once or later, is discarded", async ({ page, tokenLeaks }) => {
  const first = messagingJwt({ username: "gus-c10" });
  const second = messagingJwt({ username: "hal-c10-other" });
  const third = messagingJwt({ username: "ivy-c10-other" });
  [first, second, third].forEach((jwt) => tokenLeaks.watch(jwt));
  await openSdkPage(page);

  const state = await page.evaluate(
    ([a, b]) =>
      kit.login((callback) => {
        kit.jwtCalls += 1;
        kit.held.push(callback);
        callback(a);
        callback(b); // at once
      }),
    [first, second],
  );
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "gus-c10" } });
  await page.evaluate((c) => kit.held[0](c), third); // and once more, later
  expect(await page.evaluate(() => messenger.getAuthState().user.externalId)).toBe("gus-c10");
  expect(await page.evaluate(() => messenger.getToken())).toBe(first);
  expect(await page.evaluate(() => ({ jwtCalls: kit.jwtCalls, loginCallbacks: kit.loginCallbacks }))).toEqual({ jwtCalls: 1, loginCallbacks: [null] });
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
  expect(await storageKeysContaining(page, first)).toEqual(["session.messenger-auth"]);
  expect(await storageKeysContaining(page, second)).toEqual([]);
  expect(await storageKeysContaining(page, third)).toEqual([]);
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
  // The first request waits at the server (counted there) until released, after the second login.
  const stale = siteJwt({ username: "eve-c8-stale" });
  const jwt = siteJwt({ username: "eve-c8" });
  tokenLeaks.watch(stale);
  tokenLeaks.watch(jwt);
  const endpoint = await cannedEndpoint(page.request, [{ held: true, json: { loginUserIdJwt: stale } }, tokenAnswer(jwt)]);
  await openSdkPage(page, { "data-auth-endpoint": endpoint });
  await page.evaluate(() => {
    window.firstLogin = kit.login();
  });
  await expect.poll(() => requestCount(page.request, endpoint)).toBe(1); // the first is at the server
  const second = await page.evaluate(() => kit.login());
  const first = await page.evaluate(() => window.firstLogin);
  expectAnAuthState(first); // resolved, not rejected
  expect(second).toMatchObject({ status: "authenticated", user: { externalId: "eve-c8" } });
  await releaseCanned(page.request, endpoint); // the first request's answer, late
  expect(await page.evaluate(() => messenger.getToken())).toBe(jwt);
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([loginFailedError({ reason: "superseded" }), null]);
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
  expect(await requestCount(page.request, endpoint)).toBe(2);
  expect(await storageKeysContaining(page, stale)).toEqual([]);
});

test("superseded with an endpoint: logoutUser() while the request is pending; its answer is discarded", async ({ page, tokenLeaks }) => {
  // The request waits at the server (counted there) until released, after the logout.
  const jwt = siteJwt({ username: "fay-c9" });
  tokenLeaks.watch(jwt);
  const endpoint = await cannedEndpoint(page.request, [{ held: true, json: { loginUserIdJwt: jwt } }]);
  await openSdkPage(page, { "data-auth-endpoint": endpoint });
  await page.evaluate(() => {
    window.login = kit.login();
  });
  await expect.poll(() => requestCount(page.request, endpoint)).toBe(1); // the request reached the server
  await page.evaluate(() => messenger.logoutUser());
  expect(await page.evaluate(() => window.login)).toMatchObject({ status: "anonymous" });

  await releaseCanned(page.request, endpoint); // the server answers now, after the logout
  expect(await page.evaluate(() => messenger.getAuthState())).toMatchObject({ status: "anonymous", user: null });
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([loginFailedError({ reason: "superseded" })]);
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged anonymous", "loggedOut"]);
  expect(await requestCount(page.request, endpoint)).toBe(1);
  expect(await storageKeysContaining(page, jwt)).toEqual([]);
});
