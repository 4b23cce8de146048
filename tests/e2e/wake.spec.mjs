// SPEC.md "On wake": when the page becomes visible again (visibilitychange), comes back online, or
// is restored from the back/forward cache (pageshow with persisted), a token that is no longer
// fresh is renewed at once; deadlines are checked against the wall clock, not trusted timers.
// A sleep is a jump of the fake clock with setSystemTime (Date.now() moves, no timer fires), then
// the wake event. A real back/forward-cache restore is in wake-bfcache.spec.mjs.
import {
  test,
  expect,
  eventLines,
  eventDetails,
  waitForSdkEvent,
  holdRequests,
  storageKeysContaining,
  dispatchWake,
  decodePayload,
  logInUnderClock,
  LOGIN_LINES,
} from "./helpers.mjs";

for (const [wake, source] of [
  ["visibilitychange", "endpoint"],
  ["online", "callback"],
  ["pageshow", "callback"],
]) {
  const what = { visibilitychange: "visibilitychange (visible)", online: "online (context offline, then online)", pageshow: "pageshow (a dispatched PageTransitionEvent, persisted)" }[wake];
  test(`${what} after a sleep past exp - leeway (${source}): renewed at once with ONE request, tokenExpiring then tokenRefreshed`, async ({ page, context, tokenLeaks }) => {
    const { startMs, first, second, requests } = await logInUnderClock(page, { source, username: `ada-w1-${wake}`, renewAfter: 560 });
    tokenLeaks.watch(first);
    tokenLeaks.watch(second);

    await page.clock.setSystemTime(startMs + 560_000); // asleep for 9 min 20 s: 40 s before exp
    if (wake === "online") {
      // A real one: the context goes offline and back, and the browser fires `online`.
      await context.setOffline(true);
      await context.setOffline(false);
    } else {
      await dispatchWake(page, wake);
    }
    const refreshed = await waitForSdkEvent(page, "tokenRefreshed");

    expect(await eventLines(page)).toEqual([...LOGIN_LINES, "tokenExpiring", "tokenRefreshed"]);
    expect(await eventDetails(page, "tokenExpiring")).toEqual([{ expiresAt: decodePayload(first).exp }]);
    expect(refreshed).toEqual({ expiresAt: decodePayload(second).exp });
    expect(await requests()).toBe(2);
    expect(await page.evaluate(() => messenger.getToken())).toBe(second);
    expect(await storageKeysContaining(page, first)).toEqual([]);
    expect(await storageKeysContaining(page, second)).toEqual(["session.messenger-auth"]);
  });
}

for (const source of ["callback", "endpoint"]) {
  test(`visibilitychange after a sleep past exp (${source}): tokenExpired at once, then renewed; getToken() never returns the expired token`, async ({ page, tokenLeaks }) => {
    const username = `bo-w2-${source}`;
    const { startMs, first, second, requests, endpoint } = await logInUnderClock(page, { source, username, renewAfter: 700, hold: true });
    tokenLeaks.watch(first);
    tokenLeaks.watch(second);
    const ready = (await eventDetails(page, "ready"))[0];
    // The renewal is held until getToken() has been called (the jwtCallback holds it; the
    // endpoint request is held by a route, then goes on to the server).
    const held = endpoint ? await holdRequests(page, (url) => url.pathname === endpoint) : null;
    const renewalSent = () => (held ? held.requests.length : page.evaluate(() => kit.held.length));

    await page.clock.setSystemTime(startMs + 700_000); // asleep for 11 min 40 s: past exp
    await dispatchWake(page, "visibilitychange");
    await waitForSdkEvent(page, "tokenExpired");
    await expect.poll(renewalSent).toBe(1);
    expect(await eventLines(page)).toEqual([...LOGIN_LINES, "tokenExpiring", "tokenExpired", "authStateChanged authenticating"]);
    expect(await eventDetails(page, "tokenExpired")).toEqual([{ expiresAt: decodePayload(first).exp }]);
    expect(await page.evaluate(() => messenger.getAuthState())).toMatchObject({ status: "authenticating", user: null, expiresAt: null });
    expect(await storageKeysContaining(page, first)).toEqual([]);

    await page.evaluate(() => {
      window.token = messenger.getToken(); // waits for the renewal: the expired token is no answer
    });
    if (held) held.release();
    else await page.evaluate((token) => kit.held[0](token), second);
    const token = await page.evaluate(() => window.token);
    expect(token).toBe(second);
    expect(await eventLines(page)).toEqual([...LOGIN_LINES, "tokenExpiring", "tokenExpired", "authStateChanged authenticating", "authStateChanged authenticated"]);
    const authenticated = (await eventDetails(page, "authStateChanged")).at(-1);
    expect(authenticated).toMatchObject({ status: "authenticated", user: { externalId: username }, expiresAt: decodePayload(second).exp, previousAnonymousId: ready.anonymousId });
    expect(await requests()).toBe(2);
    expect(await storageKeysContaining(page, second)).toEqual(["session.messenger-auth"]);
  });
}

test("wake events while the token is still fresh, or while anonymous, cause no request and no event", async ({ page, context, tokenLeaks }) => {
  const { first, requests } = await logInUnderClock(page, { source: "endpoint", username: "di-w4", renewAfter: 0 });
  tokenLeaks.watch(first);
  for (const wake of ["visibilitychange", "online", "pageshow"]) await dispatchWake(page, wake);
  await context.setOffline(true);
  await context.setOffline(false);
  expect(await page.evaluate(() => messenger.getToken())).toBe(first); // a round trip through the SDK after the wakes
  expect(await requests()).toBe(1);
  expect(await eventLines(page)).toEqual(LOGIN_LINES);

  // After a logout (anonymous, with an endpoint configured), waking asks nothing either.
  await page.evaluate(() => messenger.logoutUser());
  await page.clock.setSystemTime(Date.now() + 3_600_000);
  for (const wake of ["visibilitychange", "online", "pageshow"]) await dispatchWake(page, wake);
  expect(await page.evaluate(() => messenger.getAuthState().status)).toBe("anonymous");
  expect(await requests()).toBe(1);
  expect(await eventLines(page)).toEqual([...LOGIN_LINES, "authStateChanged anonymous", "loggedOut"]);
});
