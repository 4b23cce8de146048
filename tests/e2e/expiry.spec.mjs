// SPEC.md "Before expiry": a token is fresh until exp - refreshLeewaySeconds; then the SDK emits
// tokenExpiring and renews (tokenRefreshed); at exp with no new token, tokenExpired and the state
// becomes anonymous. "No loops": a token with no fresh time left is refused with `expired`, once.
// Time is Playwright's fake clock (page.clock.install() before goto), moved with fastForward;
// tokens are signed here against that clock, for the jwtCallback or a canned endpoint.
import {
  test,
  expect,
  openSdkPage,
  eventLines,
  eventDetails,
  waitForSdkEvent,
  storageKeysContaining,
  cannedEndpoint,
  tokenAnswer,
  requestCount,
  loginFailedError,
  messagingJwt,
  siteJwt,
  decodePayload,
  LOGIN_LINES,
} from "./helpers.mjs";

const LOGIN = LOGIN_LINES;

/** Installs the fake clock at the real time now (a whole second); returns that time in seconds. */
async function installClock(page) {
  const now = Math.floor(Date.now() / 1000);
  await page.clock.install({ time: now * 1000 });
  return now;
}

/** Two tokens of one user: the first lives 10 minutes from `now`, the second 20. */
function twoTokens(sign, username, now) {
  return [sign({ username }, { now, ttl: 600 }), sign({ username }, { now, ttl: 1200 })];
}

for (const source of ["callback", "endpoint"]) {
  test(`${source}: at exp - leeway the SDK emits tokenExpiring, renews once, then tokenRefreshed; storage holds only the new token`, async ({ page, tokenLeaks }) => {
    const now = await installClock(page);
    const [first, second] = twoTokens(source === "callback" ? messagingJwt : siteJwt, `ada-e1-${source}`, now);
    tokenLeaks.watch(first);
    tokenLeaks.watch(second);
    let endpoint;
    if (source === "endpoint") {
      endpoint = await cannedEndpoint(page.request, [tokenAnswer(first), tokenAnswer(second)]);
      await openSdkPage(page, { "data-auth-endpoint": endpoint });
      await page.evaluate(() => kit.login());
    } else {
      await openSdkPage(page);
      await page.evaluate(([a, b]) => kit.login(kit.sequence(a, b)), [first, second]);
    }
    expect(await page.evaluate(() => messenger.getToken())).toBe(first);

    await page.clock.fastForward("08:50"); // still fresh (exp - 60 s is 09:00 after the clock's start)
    expect(await eventLines(page)).toEqual(LOGIN);
    await page.clock.fastForward("00:11"); // past exp - leeway
    const refreshed = await waitForSdkEvent(page, "tokenRefreshed");

    expect(await eventLines(page)).toEqual([...LOGIN, "tokenExpiring", "tokenRefreshed"]);
    expect(await eventDetails(page, "tokenExpiring")).toEqual([{ expiresAt: decodePayload(first).exp }]);
    expect(refreshed).toEqual({ expiresAt: decodePayload(second).exp });
    expect(await page.evaluate(() => messenger.getAuthState())).toMatchObject({ status: "authenticated", expiresAt: decodePayload(second).exp });
    expect(await page.evaluate(() => messenger.getToken())).toBe(second);
    expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null]); // a renewal is not a loginUser call
    if (source === "endpoint") expect(await requestCount(page.request, endpoint)).toBe(2);
    else expect(await page.evaluate(() => kit.jwtCalls)).toBe(2);
    expect(await storageKeysContaining(page, first)).toEqual([]);
    expect(await storageKeysContaining(page, second)).toEqual(["session.messenger-auth"]);
  });
}

/**
 * Logs in through a jwtCallback that answers `jwt` the first time and throws on every later
 * call (the site's backend went down), counting calls in kit.jwtCalls.
 */
async function logInThenThrow(page, jwt) {
  await page.evaluate(async (token) => {
    let calls = 0;
    await kit.login((callback) => {
      kit.jwtCalls += 1;
      if (calls++ > 0) throw new Error("the site's backend is down");
      callback(token);
    });
  }, jwt);
}

for (const source of ["callback", "endpoint"]) {
  test(`${source}: a renewal that fails keeps the session until exp, then tokenExpired and anonymous; the SDK asks nothing more by itself`, async ({ page, tokenLeaks }) => {
    const now = await installClock(page);
    const jwt = (source === "callback" ? messagingJwt : siteJwt)({ username: `cy-e2-${source}` }, { now, ttl: 600 });
    tokenLeaks.watch(jwt);
    let endpoint;
    let ready;
    if (source === "endpoint") {
      endpoint = await cannedEndpoint(page.request, [tokenAnswer(jwt), { status: 503, json: { error: "down" } }]);
      ready = await openSdkPage(page, { "data-auth-endpoint": endpoint });
      await page.evaluate(() => kit.login());
    } else {
      ready = await openSdkPage(page);
      await logInThenThrow(page, jwt);
    }
    const requests = () => (source === "endpoint" ? requestCount(page.request, endpoint) : page.evaluate(() => kit.jwtCalls));
    expect(await requests()).toBe(1);

    await page.clock.fastForward("09:01"); // past exp - leeway: the renewal starts, and fails
    const failure = await waitForSdkEvent(page, "loginFailed");
    const expected =
      source === "endpoint" ? loginFailedError({ reason: "http_error", status: 503 }) : loginFailedError({ reason: "callback_error", detail: "threw" });
    expect(failure).toEqual(expected);
    const renewal = source === "endpoint" ? 3 : 1; // 5xx is retried: 3 attempts; a throw is not
    expect(await requests()).toBe(1 + renewal);
    const failed = `loginFailed ${expected.reason}${expected.detail ? `/${expected.detail}` : ""}`;
    expect(await eventLines(page)).toEqual([...LOGIN, "tokenExpiring", failed]);
    // Until exp the session stands (no flicker).
    expect(await page.evaluate(() => messenger.getAuthState())).toMatchObject({ status: "authenticated", expiresAt: decodePayload(jwt).exp });
    let failures = [failed];
    if (source === "callback") {
      // README: getToken() asks again, and hands out only a fresh token: null, never the stale one.
      expect(await page.evaluate(() => messenger.getToken())).toBeNull();
      expect(await requests()).toBe(3);
      failures = [failed, failed];
      expect(await eventLines(page)).toEqual([...LOGIN, "tokenExpiring", ...failures]);
    }
    const asked = await requests();

    await page.clock.fastForward("01:00"); // past exp
    const expired = await waitForSdkEvent(page, "tokenExpired");
    expect(expired).toEqual({ expiresAt: decodePayload(jwt).exp });
    expect(await eventLines(page)).toEqual([...LOGIN, "tokenExpiring", ...failures, "tokenExpired", "authStateChanged anonymous"]);
    expect((await eventDetails(page, "authStateChanged")).at(-1)).toEqual({
      status: "anonymous",
      authenticationStatus: false,
      user: null,
      expiresAt: null,
      anonymousId: ready.anonymousId, // an expiry is not a logout: the visitor keeps its id
    });
    expect(await storageKeysContaining(page, jwt)).toEqual([]);
    expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null]);

    await page.clock.fastForward("30:00"); // no loop: nothing more is asked, nothing more happens
    expect(await requests()).toBe(asked);
    expect(await eventLines(page)).toEqual([...LOGIN, "tokenExpiring", ...failures, "tokenExpired", "authStateChanged anonymous"]);
  });
}

for (const source of ["callback", "endpoint"]) {
  test(`${source}: a renewal answered with the same token (now within the leeway) is refused as expired ONCE; no loop until and after exp`, async ({ page, tokenLeaks }) => {
    const now = await installClock(page);
    const jwt = (source === "callback" ? messagingJwt : siteJwt)({ username: `di-e3-${source}` }, { now, ttl: 600 });
    tokenLeaks.watch(jwt);
    let endpoint;
    if (source === "endpoint") {
      endpoint = await cannedEndpoint(page.request, [tokenAnswer(jwt)]); // always the same token
      await openSdkPage(page, { "data-auth-endpoint": endpoint });
      await page.evaluate(() => kit.login());
    } else {
      await openSdkPage(page);
      await page.evaluate((token) => kit.login(kit.answer(token)), jwt); // always the same token
    }
    const requests = () => (source === "endpoint" ? requestCount(page.request, endpoint) : page.evaluate(() => kit.jwtCalls));

    await page.clock.fastForward("09:01");
    expect(await waitForSdkEvent(page, "loginFailed")).toEqual(loginFailedError({ reason: "expired" }));
    expect(await requests()).toBe(2);
    await page.clock.fastForward("00:30"); // still before exp: a loop would show here
    expect(await requests()).toBe(2);
    expect(await eventLines(page)).toEqual([...LOGIN, "tokenExpiring", "loginFailed expired"]);

    await page.clock.fastForward("00:30"); // past exp
    await waitForSdkEvent(page, "tokenExpired");
    await page.clock.fastForward("30:00");
    expect(await requests()).toBe(2);
    expect(await eventLines(page)).toEqual([...LOGIN, "tokenExpiring", "loginFailed expired", "tokenExpired", "authStateChanged anonymous"]);
    expect(await storageKeysContaining(page, jwt)).toEqual([]);
  });
}
