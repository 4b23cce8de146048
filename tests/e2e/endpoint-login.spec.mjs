// The authentication-endpoint flow (SPEC.md "Two ways to get the token", 2): the site's cookie
// login (POST /login), then messenger.loginUser() asks GET authEndpoint with that cookie and gets
// an ES256 token (or HS256 + kid from /auth/messaging-jwt) signed by the test server.
import { test, expect, openSdkPage, eventLines, eventDetails, storageContents, decodeHeader, decodePayload, scenarioPath, requestCount } from "./helpers.mjs";

/** Records the page's requests to `path` (method and Accept header), in order. */
function watchRequests(page, path) {
  const seen = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === path) seen.push({ method: request.method(), accept: request.headers().accept });
  });
  return seen;
}

/** The site's own login form, posted by the browser context: sets the HttpOnly `sid` cookie. */
async function logInAtSite(page, fields) {
  const answer = await page.request.post("/login", { data: fields });
  expect(answer.status()).toBe(200);
}

test("a visitor not logged in at the site: 401 gives unauthenticated to loginCallback only, state anonymous, one request", async ({ page }) => {
  const requests = watchRequests(page, "/auth/jwt");
  const ready = await openSdkPage(page, { "data-auth-endpoint": "/auth/jwt" });

  const state = await page.evaluate(() => kit.login());
  expect(state).toMatchObject({ status: "anonymous", authenticationStatus: false, user: null, anonymousId: ready.anonymousId });
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([
    { type: "LoginFailedError", reason: "unauthenticated", status: 401, message: expect.any(String) },
  ]);
  // No loginFailed: a visitor who is not logged in is just anonymous.
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged anonymous"]);
  expect(requests).toEqual([{ method: "GET", accept: "application/json" }]); // never retried
  expect(await page.evaluate(() => messenger.getAuthState().status)).toBe("anonymous");
});

test("after POST /login, loginUser() authenticates with the ES256 token's user", async ({ page, tokenLeaks }) => {
  const requests = watchRequests(page, "/auth/jwt");
  const ready = await openSdkPage(page, { "data-auth-endpoint": "/auth/jwt" });
  expect(requests).toEqual([]); // nothing asked before loginUser()
  await logInAtSite(page, { username: "ada-e1", name: "Ada Lovelace", email: "ada@example.test" });

  const state = await page.evaluate(() => kit.login());
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null]);
  expect(state).toMatchObject({
    status: "authenticated",
    authenticationStatus: true,
    user: { externalId: "ada-e1", name: "Ada Lovelace", email: "ada@example.test", emailVerified: false },
    anonymousId: ready.anonymousId,
    previousAnonymousId: ready.anonymousId,
  });
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
  expect((await eventDetails(page, "authStateChanged"))[1]).toEqual(state);
  expect(requests).toEqual([{ method: "GET", accept: "application/json" }]);

  const jwt = await page.evaluate(() => messenger.getToken());
  tokenLeaks.watch(jwt);
  expect(decodeHeader(jwt).alg).toBe("ES256");
  const claims = decodePayload(jwt);
  expect(state.user.claims).toEqual(claims);
  expect(state.expiresAt).toBe(claims.exp);
  expect(requests).toHaveLength(1); // the fresh token was handed out, not asked again
  expect((await storageContents(page)).session["messenger-auth"]).toContain(jwt);
});

test("the messaging endpoint's HS256 token with kid passes tokenProfile messaging", async ({ page, tokenLeaks }) => {
  await openSdkPage(page, { "data-auth-endpoint": "/auth/messaging-jwt", "data-token-profile": "messaging" });
  await logInAtSite(page, { username: "bo-e2", email: "bo@example.test" });

  const state = await page.evaluate(() => kit.login());
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "bo-e2", email: "bo@example.test", emailVerified: true } });
  const jwt = await page.evaluate(() => messenger.getToken());
  tokenLeaks.watch(jwt);
  expect(decodeHeader(jwt)).toMatchObject({ alg: "HS256", kid: "messaging-key-1" });
  expect(state.user.claims.scope).toBe("user");
});

for (const scenario of ["ok-token-key", "ok-jwt-key"]) {
  test(`the token is also accepted under the key of scenario ${scenario}`, async ({ page }) => {
    const endpoint = scenarioPath(scenario);
    await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=cy-${scenario}` });
    const state = await page.evaluate(() => kit.login());
    expect(state).toMatchObject({ status: "authenticated", user: { externalId: `cy-${scenario}` } });
    expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null]);
    expect(await requestCount(page.request, endpoint)).toBe(1);
  });
}

test("startEngagement() with an endpoint and no loginUser(): one request, authenticated", async ({ page }) => {
  const endpoint = scenarioPath("ok");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=di-e5` });
  const state = await page.evaluate(async () => JSON.parse(JSON.stringify(await messenger.startEngagement())));
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "di-e5" } });
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
  expect(await requestCount(page.request, endpoint)).toBe(1);
});
