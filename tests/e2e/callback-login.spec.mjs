// The page-callback flow (SPEC.md "Two ways to get the token", 1): messenger.loginUser(jwtCallback,
// loginCallback) with tokens signed for real (HS256 with kid, ES256), no endpoint at all.
import {
  test,
  expect,
  openSdkPage,
  eventLines,
  eventDetails,
  storageContents,
  waitForHeld,
  messagingJwt,
  siteJwt,
  decodePayload,
} from "./helpers.mjs";

test("loginUser(cb => cb(jwt)) authenticates: events, user, previousAnonymousId, loginCallback(null), getToken, storage", async ({ page, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "ada-1", name: "Ada Lovelace", email: "ada@example.test" });
  tokenLeaks.watch(jwt);
  const claims = decodePayload(jwt);
  const ready = await openSdkPage(page);
  expect(ready).toMatchObject({ status: "anonymous", authenticationStatus: false, user: null, expiresAt: null });

  const result = await page.evaluate((token) => kit.login(kit.answer(token)), jwt);

  // A callback that answers at once: authenticating, then authenticated, in that order.
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
  const [authenticating, authenticated] = await eventDetails(page, "authStateChanged");
  expect(authenticating).toMatchObject({ status: "authenticating", authenticationStatus: false, user: null, anonymousId: ready.anonymousId });
  expect(authenticating).not.toHaveProperty("previousAnonymousId");
  expect(authenticated).toEqual({
    status: "authenticated",
    authenticationStatus: true,
    user: { externalId: "ada-1", name: "Ada Lovelace", email: "ada@example.test", emailVerified: true, claims },
    expiresAt: claims.exp,
    anonymousId: ready.anonymousId,
    previousAnonymousId: ready.anonymousId,
  });
  // The loginUser promise resolves with the same state; the loginCallback got null, once.
  expect(result).toEqual(authenticated);
  expect(await page.evaluate(() => ({ loginCallbacks: kit.loginCallbacks, jwtCalls: kit.jwtCalls }))).toEqual({ loginCallbacks: [null], jwtCalls: 1 });

  // The token is fresh: getToken() hands it out without asking the page again.
  expect(await page.evaluate(() => messenger.getToken())).toBe(jwt);
  expect(await page.evaluate(() => kit.jwtCalls)).toBe(1);
  const state = await page.evaluate(() => messenger.getAuthState());
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "ada-1" }, expiresAt: claims.exp, anonymousId: ready.anonymousId });
  expect(state).not.toHaveProperty("previousAnonymousId"); // only on the change itself

  // storage "session" (the default): the one record, in sessionStorage only.
  const stored = await storageContents(page);
  expect(Object.keys(stored.session)).toEqual(["messenger-auth"]);
  expect(stored.session["messenger-auth"]).toContain(jwt);
  expect(stored.local).toEqual({});
});

test("an ES256 token without email_verified: the email is not verified, every claim is given", async ({ page, tokenLeaks }) => {
  const jwt = siteJwt({ username: "bo-2", email: "bo@example.test" });
  tokenLeaks.watch(jwt);
  await openSdkPage(page);

  const state = await page.evaluate((token) => kit.login(kit.answer(token)), jwt);
  expect(state.status).toBe("authenticated");
  expect(state.user).toEqual({ externalId: "bo-2", name: "bo-2", email: "bo@example.test", emailVerified: false, claims: decodePayload(jwt) });
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null]);
});

test("a jwtCallback that answers later: authenticating until it does, then authenticated", async ({ page, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "cy-3" });
  tokenLeaks.watch(jwt);
  await openSdkPage(page);

  await page.evaluate(() => {
    window.pending = kit.login(kit.hold());
  });
  await waitForHeld(page);
  expect(await page.evaluate(() => messenger.getAuthState().status)).toBe("authenticating");
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating"]);
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([]);

  const state = await page.evaluate(async (token) => {
    kit.held[0](token);
    return window.pending;
  }, jwt);
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "cy-3" } });
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null]);
});

test("a second loginUser for the same user while authenticated is a tokenRefreshed, not a change", async ({ page, tokenLeaks }) => {
  const first = messagingJwt({ username: "di-4" }, { ttl: 600 });
  const second = messagingJwt({ username: "di-4" }, { ttl: 900 });
  tokenLeaks.watch(first);
  tokenLeaks.watch(second);
  await openSdkPage(page);
  await page.evaluate((token) => kit.login(kit.answer(token)), first);

  const state = await page.evaluate((token) => kit.login(kit.answer(token)), second);
  expect(state).toMatchObject({ status: "authenticated", expiresAt: decodePayload(second).exp });
  expect(state).not.toHaveProperty("previousAnonymousId");
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated", "tokenRefreshed"]);
  expect(await eventDetails(page, "tokenRefreshed")).toEqual([{ expiresAt: decodePayload(second).exp }]);
  expect(await page.evaluate(() => messenger.getToken())).toBe(second);
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null, null]);
});
