// SPEC.md "Single flight" (across tabs), "Logout" and "User switch" between tabs: two pages of ONE
// browser context (same origin, so one BroadcastChannel `messenger-auth` and one Web Lock
// `messenger-auth:token`). The second page comes from the `newTab` fixture, so it is checked for
// page errors and token leaks like the first.
import {
  test,
  expect,
  openSdkPage,
  reloadSdkPage,
  eventLines,
  eventDetails,
  sdkEvents,
  waitForSdkEvent,
  storageContents,
  storageKeysContaining,
  recordStorageAtEvents,
  storageAtEvents,
  holdRequests,
  tokenLock,
  scenarioPath,
  requestCount,
  messagingJwt,
  decodePayload,
} from "./helpers.mjs";

/** Tab A logs in through a jwtCallback answering `jwt`; tab B adopts it: both authenticated. */
async function logInBothTabs(tabA, tabB, jwt) {
  const state = await tabA.evaluate((token) => kit.login(kit.answer(token)), jwt);
  expect(state.status).toBe("authenticated");
  const adopted = await waitForSdkEvent(tabB, "authStateChanged");
  expect(adopted).toMatchObject({ status: "authenticated", user: { externalId: decodePayload(jwt).external_id } });
  return { state, adopted };
}

for (const storage of ["session", "local", "memory"]) {
  test(`logout in tab A reaches tab B (storage "${storage}"): B anonymous with A's new anonymousId and loggedOut within one second of page time`, async ({ page, newTab, tokenLeaks }) => {
    const jwt = messagingJwt({ username: `ada-x1-${storage}` });
    tokenLeaks.watch(jwt);
    // The pages' clocks stand still: whatever B needs to learn of the logout (a message, or timers
    // of at most one second, run below) can take no more than one second of page time.
    await page.clock.install();
    await page.clock.pauseAt(Date.now() + 1000);
    const tabB = await newTab();
    const params = { "data-storage": storage };
    await openSdkPage(page, params);
    await openSdkPage(tabB, params);
    await logInBothTabs(page, tabB, jwt);
    expect(await eventLines(tabB)).toEqual(["ready", "authStateChanged authenticated"]); // adopted: no request of its own
    const written = { session: ["session.messenger-auth"], local: ["local.messenger-auth"], memory: [] }[storage];
    expect(await storageKeysContaining(tabB, jwt)).toEqual(written);

    const loggedOutAt = await page.evaluate(() => Date.now());
    await page.evaluate(() => messenger.logoutUser());
    await page.clock.runFor(1000);
    const loggedOutB = await waitForSdkEvent(tabB, "loggedOut");

    const [loggedOutA] = await eventDetails(page, "loggedOut");
    expect(loggedOutB).toEqual({ anonymousId: loggedOutA.anonymousId });
    expect(await eventLines(tabB)).toEqual(["ready", "authStateChanged authenticated", "authStateChanged anonymous", "loggedOut"]);
    const eventsB = await sdkEvents(tabB);
    expect(eventsB.at(-1).at - loggedOutAt).toBeLessThanOrEqual(1000);
    expect(eventsB.at(-2).detail).toEqual({ status: "anonymous", authenticationStatus: false, user: null, expiresAt: null, anonymousId: loggedOutA.anonymousId });
    expect(await tabB.evaluate(() => messenger.getAuthState())).toMatchObject({ status: "anonymous", user: null, anonymousId: loggedOutA.anonymousId });
    expect(await tabB.evaluate(() => messenger.getToken())).toBeNull();
    for (const tab of [page, tabB]) {
      expect(await storageKeysContaining(tab, jwt)).toEqual([]);
      expect(JSON.stringify(await storageContents(tab))).not.toMatch(/eyJ/);
    }
    if (storage === "memory") {
      expect(await storageContents(page)).toEqual({ session: {}, local: {} });
      expect(await storageContents(tabB)).toEqual({ session: {}, local: {} });
    }
  });
}

test("two tabs that need a token together make ONE endpoint request: B waits for A's lock, then adopts A's token", async ({ page, newTab, tokenLeaks }) => {
  const endpoint = scenarioPath("ok");
  const params = { "data-auth-endpoint": `${endpoint}?user=bo-x2` };
  const tabB = await newTab();
  await openSdkPage(page, params);
  await openSdkPage(tabB, params);
  const heldA = await holdRequests(page, (url) => url.pathname === endpoint);
  const heldB = await holdRequests(tabB, (url) => url.pathname === endpoint);

  await page.evaluate(() => {
    window.tokens = Promise.all([messenger.getToken(), messenger.getToken()]);
  });
  await expect.poll(() => heldA.requests.length).toBe(1); // A holds the lock and asks
  await tabB.evaluate(() => {
    window.tokens = Promise.all([messenger.getToken(), messenger.getToken()]);
  });
  await expect.poll(() => tokenLock(tabB)).toEqual({ held: 1, pending: 1 }); // B queues behind A
  expect(heldB.requests).toEqual([]);

  heldA.release();
  heldB.release();
  const [tokensA, tokensB] = await Promise.all([page.evaluate(() => window.tokens), tabB.evaluate(() => window.tokens)]);
  tokenLeaks.watch(tokensA[0]);
  expect(decodePayload(tokensA[0]).external_id).toBe("bo-x2");
  expect([...tokensA, ...tokensB]).toEqual(Array(4).fill(tokensA[0]));
  expect(heldB.requests).toEqual([]);
  expect(await requestCount(page.request, endpoint)).toBe(1);
  for (const tab of [page, tabB]) {
    expect(await eventLines(tab)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
  }
  await expect.poll(() => tokenLock(page)).toEqual({ held: 0, pending: 0 }); // handed back after the hand-over
});

test("two tabs calling getToken() at the same moment: one request, the same token in both", async ({ page, newTab, tokenLeaks }) => {
  const endpoint = scenarioPath("ok");
  const params = { "data-auth-endpoint": `${endpoint}?user=cy-x3` };
  const tabB = await newTab();
  await openSdkPage(page, params);
  await openSdkPage(tabB, params);

  const [a, b] = await Promise.all([page.evaluate(() => messenger.getToken()), tabB.evaluate(() => messenger.getToken())]);
  tokenLeaks.watch(a);
  expect(decodePayload(a).external_id).toBe("cy-x3");
  expect(b).toBe(a);
  expect(await requestCount(page.request, endpoint)).toBe(1);
});

test('check-lock-recheck: a tab without BroadcastChannel (storage "local") re-reads storage once it holds the lock and asks nothing', async ({ page, newTab, tokenLeaks }) => {
  const endpoint = scenarioPath("ok");
  const params = { "data-auth-endpoint": `${endpoint}?user=di-x4`, "data-storage": "local" };
  const tabB = await newTab();
  await tabB.addInitScript(() => {
    delete window.BroadcastChannel; // this tab hears nothing from the others
  });
  await openSdkPage(page, params);
  await openSdkPage(tabB, params);
  expect(await tabB.evaluate(() => typeof BroadcastChannel)).toBe("undefined");
  const heldA = await holdRequests(page, (url) => url.pathname === endpoint);

  await page.evaluate(() => {
    window.token = messenger.getToken();
  });
  await expect.poll(() => heldA.requests.length).toBe(1);
  await tabB.evaluate(() => {
    window.token = messenger.getToken();
  });
  await expect.poll(() => tokenLock(tabB)).toEqual({ held: 1, pending: 1 });
  heldA.release();
  const [a, b] = await Promise.all([page.evaluate(() => window.token), tabB.evaluate(() => window.token)]);
  tokenLeaks.watch(a);
  expect(decodePayload(a).external_id).toBe("di-x4");
  expect(b).toBe(a); // read from localStorage after the lock, not asked again
  expect(await requestCount(page.request, endpoint)).toBe(1);
  expect(await eventLines(tabB)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
});

test("login adoption: tab A logs in through its jwtCallback; tab B becomes authenticated with no request and no jwtCallback call", async ({ page, newTab, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "eve-x5", name: "Eve" });
  tokenLeaks.watch(jwt);
  const endpointB = scenarioPath("ok"); // B could ask its endpoint; it must not need to
  const tabB = await newTab();
  await openSdkPage(page);
  const readyB = await openSdkPage(tabB, { "data-auth-endpoint": `${endpointB}?user=eve-x5` });

  const { state, adopted } = await logInBothTabs(page, tabB, jwt);
  expect(adopted).toEqual({ ...state, anonymousId: readyB.anonymousId, previousAnonymousId: readyB.anonymousId });
  expect(await eventLines(tabB)).toEqual(["ready", "authStateChanged authenticated"]);
  expect(await tabB.evaluate(() => messenger.getToken())).toBe(jwt); // fresh: handed out, not asked
  expect(await tabB.evaluate(() => messenger.startEngagement().then((s) => s.status))).toBe("authenticated");
  expect(await tabB.evaluate(() => kit.jwtCalls)).toBe(0);
  expect(await page.evaluate(() => kit.jwtCalls)).toBe(1);
  expect(await requestCount(page.request, endpointB)).toBe(0);
  expect(await storageKeysContaining(tabB, jwt)).toEqual(["session.messenger-auth"]); // B's own tab storage
});

test("a renewal in tab A reaches tab B as tokenRefreshed (same user, later exp): B's jwtCallback is not called", async ({ page, newTab, tokenLeaks }) => {
  const first = messagingJwt({ username: "fay-x6" }, { ttl: 600 });
  const later = messagingJwt({ username: "fay-x6" }, { ttl: 900 });
  tokenLeaks.watch(first);
  tokenLeaks.watch(later);
  const tabB = await newTab();
  await openSdkPage(page);
  await openSdkPage(tabB);
  await tabB.evaluate((token) => kit.login(kit.answer(token)), first); // B's own login
  await waitForSdkEvent(page, "authStateChanged"); // A adopts it
  expect(await tabB.evaluate(() => kit.jwtCalls)).toBe(1);

  await page.evaluate((token) => kit.login(kit.answer(token)), later);
  const refreshed = await waitForSdkEvent(tabB, "tokenRefreshed");
  expect(refreshed).toEqual({ expiresAt: decodePayload(later).exp });
  expect(await eventLines(tabB)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated", "tokenRefreshed"]);
  expect(await tabB.evaluate(() => messenger.getToken())).toBe(later);
  expect(await tabB.evaluate(() => kit.jwtCalls)).toBe(1);

  // An older token from another tab is no news: B keeps the later one.
  await page.evaluate((token) => kit.login(kit.answer(token)), first);
  expect(await tabB.evaluate(() => messenger.getToken())).toBe(later);
  expect(await eventLines(tabB)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated", "tokenRefreshed"]);
});

for (const storage of ["session", "local"]) {
  test(`user switch across tabs (storage "${storage}"): A logs in u2 while both are u1; B's storage holds nothing of u1 when B announces u2`, async ({ page, newTab, tokenLeaks }) => {
    const u1 = messagingJwt({ username: `u1-x7-${storage}` });
    const u2 = messagingJwt({ username: `u2-x7-${storage}` });
    tokenLeaks.watch(u1);
    tokenLeaks.watch(u2);
    const tabB = await newTab();
    await recordStorageAtEvents(tabB);
    await openSdkPage(page, { "data-storage": storage });
    await openSdkPage(tabB, { "data-storage": storage });
    const { adopted } = await logInBothTabs(page, tabB, u1);
    expect(await storageKeysContaining(tabB, u1)).toEqual([`${storage}.messenger-auth`]);

    await page.evaluate((token) => kit.login(kit.answer(token)), u2);
    await tabB.waitForFunction(() => window.__sdkEvents.filter((e) => e.name === "authStateChanged").length === 2);

    expect(await eventLines(tabB)).toEqual(["ready", "authStateChanged authenticated", "authStateChanged authenticated"]);
    const switched = (await eventDetails(tabB, "authStateChanged"))[1];
    expect(switched).toMatchObject({ status: "authenticated", user: { externalId: `u2-x7-${storage}` } });
    expect(switched).not.toHaveProperty("previousAnonymousId"); // another person: nothing to merge
    expect(switched.anonymousId).not.toBe(adopted.anonymousId); // u1's anonymous id went with u1
    const [atSwitch] = (await storageAtEvents(tabB)).filter((e) => e.name === "authStateChanged").slice(1);
    expect(atSwitch.storage).not.toContain(u1);
    expect(atSwitch.storage).not.toContain(adopted.anonymousId);
    expect(await storageKeysContaining(tabB, u1)).toEqual([]);
    expect(await storageKeysContaining(page, u1)).toEqual([]);
    expect(await tabB.evaluate(() => messenger.getToken())).toBe(u2);
    expect(await tabB.evaluate(() => kit.jwtCalls)).toBe(0);
  });
}

test("malformed or unusable messages on the channel are ignored: no event, no state change", async ({ page, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "gus-x8" }, { ttl: 600 });
  const later = messagingJwt({ username: "gus-x8" }, { ttl: 900 });
  const latest = messagingJwt({ username: "gus-x8" }, { ttl: 1200 }); // only in malformed messages
  const expired = messagingJwt({ username: "mallory" }, { ttl: -60 });
  const withinLeeway = messagingJwt({ username: "mallory" }, { ttl: 30 });
  const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"external_id":"mallory"}').toString("base64url")}.`;
  [jwt, later, latest, expired, withinLeeway, unsigned].forEach((token) => tokenLeaks.watch(token));
  const ready = await openSdkPage(page);
  await page.evaluate((token) => kit.login(kit.answer(token)), jwt);
  const before = await eventLines(page);

  await page.evaluate(
    (tokens) => {
      const channel = new BroadcastChannel("messenger-auth"); // another object of this page: the SDK's hears it
      for (const message of [
        "loggedOut",
        null,
        42,
        { type: "loggedOut" },
        { type: "loggedOut", anonymousId: "visitor-42" },
        { type: "loggedOut", anonymousId: 7 },
        { type: "tokenIssued", jwt: "not-a-jwt", source: "callback" },
        { type: "tokenIssued", jwt: tokens.unsigned, source: "callback" },
        { type: "tokenIssued", jwt: tokens.expired, source: "endpoint" },
        { type: "tokenIssued", jwt: tokens.withinLeeway, source: "endpoint" },
        { type: "tokenIssued", jwt: tokens.latest, source: "evil" },
        { type: "tokenIssued", jwt: tokens.latest },
        { type: "tokenIssued", jwt: 42, source: "callback" },
        { type: "somethingElse", jwt: tokens.latest, source: "callback" },
        // Last, a sound one: one receiver gets messages in order, so once it shows (as
        // tokenRefreshed), every message above has been handled.
        { type: "tokenIssued", jwt: tokens.later, source: "callback" },
      ]) {
        channel.postMessage(message);
      }
      channel.close();
    },
    { later, latest, expired, withinLeeway, unsigned },
  );
  await waitForSdkEvent(page, "tokenRefreshed");
  expect(await eventLines(page)).toEqual([...before, "tokenRefreshed"]);
  expect(await page.evaluate(() => messenger.getAuthState())).toMatchObject({
    status: "authenticated",
    user: { externalId: "gus-x8" },
    expiresAt: decodePayload(later).exp,
    anonymousId: ready.anonymousId,
  });
  expect(await page.evaluate(() => messenger.getToken())).toBe(later);
  for (const token of [latest, expired, withinLeeway, unsigned]) expect(await storageKeysContaining(page, token)).toEqual([]);
});

test("nothing but the restore happens before ready: the channel and the wake listeners come right after it", async ({ page }) => {
  // Issue 5: a page's start-up pays only for restoring. Counted by wrapping the constructors and
  // addEventListener before the SDK loads; read in a `ready` listener and once it has run.
  await page.addInitScript(() => {
    const seen = (window.__seen = { channels: 0, wakeListeners: 0, atReady: null });
    const Channel = window.BroadcastChannel;
    window.BroadcastChannel = function (...args) {
      seen.channels++;
      return new Channel(...args);
    };
    window.BroadcastChannel.prototype = Channel.prototype;
    const add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type, ...rest) {
      if (["online", "pageshow", "visibilitychange"].includes(type)) seen.wakeListeners++;
      return add.call(this, type, ...rest);
    };
    addEventListener("messenger:ready", () => {
      window.__seen.atReady = { channels: window.__seen.channels, wakeListeners: window.__seen.wakeListeners };
    });
  });
  await openSdkPage(page);
  const seen = await page.evaluate(() => window.__seen);
  expect(seen.atReady).toEqual({ channels: 0, wakeListeners: 0 });
  expect(seen).toMatchObject({ channels: 1, wakeListeners: 3 });
});

test("nothing but the restore happens before ready on a reload with a stored session either: the record's write and the revalidation's lock come after it", async ({ page, tokenLeaks }) => {
  // Each is a call into the browser that `ready` need not wait for. Counted as above.
  const endpoint = scenarioPath("ok");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=ida-x8` });
  expect(await page.evaluate(() => kit.login())).toMatchObject({ status: "authenticated" });
  tokenLeaks.watch(await page.evaluate(() => messenger.getToken()));
  await page.addInitScript(() => {
    const seen = (window.__seen = { writes: 0, locks: 0, atReady: null });
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, ...rest) {
      if (key === "messenger-auth") seen.writes++;
      return setItem.call(this, key, ...rest);
    };
    if (navigator.locks) {
      const request = navigator.locks.request;
      navigator.locks.request = function (...args) {
        seen.locks++;
        return request.apply(this, args);
      };
    }
    addEventListener("messenger:ready", () => {
      window.__seen.atReady = { writes: window.__seen.writes, locks: window.__seen.locks };
    });
  });
  const ready = await reloadSdkPage(page);
  expect(ready.status).toBe("authenticated");
  const seen = await page.evaluate(() => window.__seen);
  expect(seen.atReady).toEqual({ writes: 0, locks: 0 });
  expect(seen.writes).toBeGreaterThanOrEqual(1); // at once after ready, and again once revalidated
  await expect.poll(() => page.evaluate(() => window.__seen.locks)).toBeGreaterThanOrEqual(1); // the revalidation
});

test("a ready handler that logs out at once: the other tab still hears of it (the message opens the channel)", async ({ page, newTab, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "rae-x9" });
  tokenLeaks.watch(jwt);
  const tabB = await newTab();
  await openSdkPage(page);
  await openSdkPage(tabB);
  await logInBothTabs(page, tabB, jwt);
  // A reload of A whose `ready` handler calls logoutUser() before the SDK opened its channel.
  await page.addInitScript(() => addEventListener("messenger:ready", () => messenger.logoutUser(), { once: true }));
  await page.reload();
  await waitForSdkEvent(page, "loggedOut");
  await waitForSdkEvent(tabB, "loggedOut");
  expect(await tabB.evaluate(() => messenger.getAuthState().status)).toBe("anonymous");
});
