// SPEC.md "When the token is requested", on page load: a stored session is restored at once
// (`ready` is already authenticated, before any network answer) and revalidated in the background
// with one request (`revalidateOnLoad`); a 401 then logs out, another user is a switch, a network
// failure keeps the cached token. In page-callback mode the page's loginUser() is the revalidation.
import {
  test,
  expect,
  openSdkPage,
  reloadSdkPage,
  eventLines,
  eventDetails,
  waitForSdkEvent,
  storageKeysContaining,
  holdRequests,
  waitForHeld,
  scenarioPath,
  requestCount,
  messagingJwt,
  decodePayload,
  sdkPage,
} from "./helpers.mjs";

/** Logs in through the page's endpoint; returns the token (watched for leaks). */
async function logInThroughEndpoint(page, tokenLeaks, user) {
  const state = await page.evaluate(() => kit.login());
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: user } });
  const jwt = await page.evaluate(() => messenger.getToken());
  tokenLeaks.watch(jwt);
  return { state, jwt };
}

async function logInAtSite(page, username) {
  expect((await page.request.post("/login", { data: { username } })).status()).toBe(200);
}

test("a reload restores authenticated before the revalidation answers, with exactly one revalidation request", async ({ page, tokenLeaks }) => {
  const endpoint = scenarioPath("ok");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=ada-r1` });
  const { state: before, jwt } = await logInThroughEndpoint(page, tokenLeaks, "ada-r1");
  expect(await requestCount(page.request, endpoint)).toBe(1);

  const revalidation = await holdRequests(page, (url) => url.pathname === endpoint);
  const ready = await reloadSdkPage(page);
  // The state came from storage: the revalidation is held, unanswered.
  expect(ready).toEqual({
    status: "authenticated",
    authenticationStatus: true,
    user: before.user,
    expiresAt: before.expiresAt,
    anonymousId: before.anonymousId,
  });
  // The revalidation goes out once this tab holds the cross-tab lock: soon after ready.
  await expect.poll(() => revalidation.requests.length).toBe(1);
  expect(await page.evaluate(() => messenger.getToken())).toBe(jwt); // fresh: usable at once
  expect(await eventLines(page)).toEqual(["ready"]); // no authStateChanged for a restore

  revalidation.release();
  const refreshed = await waitForSdkEvent(page, "tokenRefreshed");
  expect(refreshed.expiresAt).toBeGreaterThanOrEqual(before.expiresAt);
  expect(await eventLines(page)).toEqual(["ready", "tokenRefreshed"]); // same user: no change
  expect(revalidation.requests).toHaveLength(1);
  expect(await requestCount(page.request, endpoint)).toBe(2); // the login, and one revalidation
  const newJwt = await page.evaluate(() => messenger.getToken());
  tokenLeaks.watch(newJwt);
  expect(decodePayload(newJwt).external_id).toBe("ada-r1");
});

test('with data-revalidate-on-load="false" a reload restores the session and sends no request', async ({ page, tokenLeaks }) => {
  const endpoint = scenarioPath("ok");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=bo-r2`, "data-revalidate-on-load": "false" });
  const { state: before, jwt } = await logInThroughEndpoint(page, tokenLeaks, "bo-r2");
  const sent = [];
  page.on("request", (request) => new URL(request.url()).pathname === endpoint && sent.push(request.url()));

  const ready = await reloadSdkPage(page);
  expect(ready).toMatchObject({ status: "authenticated", user: before.user, anonymousId: before.anonymousId });
  expect(await page.evaluate(() => messenger.getToken())).toBe(jwt);
  await page.waitForTimeout(500); // room for a request that should not come
  expect(sent).toEqual([]);
  expect(await requestCount(page.request, endpoint)).toBe(1); // the login only
  expect(await eventLines(page)).toEqual(["ready"]);
});

test("a revalidation answered 401 (logged out at the site) logs the visitor out as logoutUser() would", async ({ page, tokenLeaks }) => {
  await openSdkPage(page, { "data-auth-endpoint": "/auth/jwt" });
  await logInAtSite(page, "cy-r3");
  const { state: before, jwt } = await logInThroughEndpoint(page, tokenLeaks, "cy-r3");
  expect((await page.request.post("/logout")).status()).toBe(200);

  const ready = await reloadSdkPage(page);
  expect(ready).toMatchObject({ status: "authenticated", user: { externalId: "cy-r3" } });
  const loggedOut = await waitForSdkEvent(page, "loggedOut");
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged anonymous", "loggedOut"]);
  const [anonymous] = await eventDetails(page, "authStateChanged");
  expect(anonymous).toMatchObject({ status: "anonymous", user: null, expiresAt: null });
  expect(loggedOut.anonymousId).not.toBe(before.anonymousId);
  expect(anonymous.anonymousId).toBe(loggedOut.anonymousId);
  expect(await storageKeysContaining(page, jwt)).toEqual([]);
  expect(await page.evaluate(() => messenger.getAuthState().status)).toBe("anonymous");
});

test("a revalidation that names another user switches user: purge, new anonymousId, then the new user", async ({ page, tokenLeaks }) => {
  await openSdkPage(page, { "data-auth-endpoint": "/auth/jwt" });
  await logInAtSite(page, "di-r4");
  const { state: before, jwt } = await logInThroughEndpoint(page, tokenLeaks, "di-r4");
  await logInAtSite(page, "eve-r4"); // another visitor logs in at the site in this browser
  await page.addInitScript(() => {
    // What storage held when the new user was announced (SPEC.md: purged before that).
    window.addEventListener("messenger:authStateChanged", () => (window.storedAtSwitch = JSON.stringify({ ...sessionStorage, ...localStorage })));
  });

  const ready = await reloadSdkPage(page);
  expect(ready).toMatchObject({ status: "authenticated", user: { externalId: "di-r4" } });
  const switched = await waitForSdkEvent(page, "authStateChanged");
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticated"]);
  expect(switched).toMatchObject({ status: "authenticated", user: { externalId: "eve-r4" } });
  expect(switched.anonymousId).not.toBe(before.anonymousId);
  expect(switched).not.toHaveProperty("previousAnonymousId"); // not a merge: another person
  expect(await page.evaluate(() => window.storedAtSwitch)).not.toContain(jwt);
  expect(await storageKeysContaining(page, jwt)).toEqual([]);
  const newJwt = await page.evaluate(() => messenger.getToken());
  tokenLeaks.watch(newJwt);
  expect(decodePayload(newJwt).external_id).toBe("eve-r4");
});

test("a revalidation that cannot reach the endpoint keeps the cached token (3 attempts, loginFailed network)", async ({ page, pageErrors, tokenLeaks }) => {
  pageErrors.allow(/Failed to load resource: net::ERR_FAILED/);
  const endpoint = scenarioPath("ok");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=fay-r5` });
  const { state: before, jwt } = await logInThroughEndpoint(page, tokenLeaks, "fay-r5");
  const attempts = [];
  await page.route((url) => url.pathname === endpoint, (route) => {
    attempts.push(route.request().url());
    return route.abort("failed");
  });

  const ready = await reloadSdkPage(page);
  expect(ready).toMatchObject({ status: "authenticated", user: before.user });
  const failure = await waitForSdkEvent(page, "loginFailed");
  expect(failure).toMatchObject({ type: "LoginFailedError", reason: "network" });
  expect(attempts).toHaveLength(3);
  expect(await eventLines(page)).toEqual(["ready", "loginFailed network"]);
  expect(await page.evaluate(() => messenger.getAuthState())).toMatchObject({ status: "authenticated", user: before.user });
  expect(await page.evaluate(() => messenger.getToken())).toBe(jwt);
});

test("a stored token that is no longer fresh is not restored; the endpoint is asked once at load", async ({ page, tokenLeaks }) => {
  const endpoint = scenarioPath("ok");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=gus-r6&ttl=600` });
  const { state: before } = await logInThroughEndpoint(page, tokenLeaks, "gus-r6");

  // The same tab, a page whose leeway (1 h) leaves the stored 10-minute token no fresh time.
  await page.goto(sdkPage({ "data-auth-endpoint": `${endpoint}?user=gus-r6&ttl=7200`, "data-refresh-leeway-seconds": "3600" }));
  const ready = await waitForSdkEvent(page, "ready");
  expect(ready).toMatchObject({ status: "authenticating", user: null, anonymousId: before.anonymousId });
  const restored = await waitForSdkEvent(page, "authStateChanged");
  expect(restored).toMatchObject({ status: "authenticated", user: { externalId: "gus-r6" }, previousAnonymousId: before.anonymousId });
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticated"]);
  expect(await requestCount(page.request, endpoint)).toBe(2); // the login, and the one at load
  tokenLeaks.watch(await page.evaluate(() => messenger.getToken()));
});

test("page-callback mode: the restored token serves, and the page's loginUser() is the one revalidation, without flicker", async ({ page, tokenLeaks }) => {
  const first = messagingJwt({ username: "hal-r7" }, { ttl: 600 });
  const second = messagingJwt({ username: "hal-r7" }, { ttl: 900 });
  tokenLeaks.watch(first);
  tokenLeaks.watch(second);
  await openSdkPage(page);
  const before = await page.evaluate((token) => kit.login(kit.answer(token)), first);

  const ready = await reloadSdkPage(page);
  expect(ready).toMatchObject({ status: "authenticated", user: before.user, expiresAt: before.expiresAt });
  expect(await page.evaluate(() => messenger.getToken())).toBe(first); // no jwtCallback to ask

  await page.evaluate(() => {
    window.pending = kit.login(kit.hold());
  });
  await waitForHeld(page);
  expect(await page.evaluate(() => messenger.getAuthState().status)).toBe("authenticated"); // still, while it runs
  const state = await page.evaluate(async (token) => {
    kit.held[0](token);
    return window.pending;
  }, second);
  expect(state).toMatchObject({ status: "authenticated", expiresAt: decodePayload(second).exp });
  expect(await eventLines(page)).toEqual(["ready", "tokenRefreshed"]);
  expect(await page.evaluate(() => ({ jwtCalls: kit.jwtCalls, loginCallbacks: kit.loginCallbacks }))).toEqual({ jwtCalls: 1, loginCallbacks: [null] });
  expect(await page.evaluate(() => messenger.getToken())).toBe(second);
});
