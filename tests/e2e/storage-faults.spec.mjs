// SPEC.md "Storage": storage that throws (blocked, sandboxed, quota) falls back to memory
// silently; tampered or unreadable stored state is ignored, never trusted. The faults are made
// before the SDK loads (addInitScript) or written into the `messenger-auth` key before load.
import {
  test,
  expect,
  openSdkPage,
  reloadSdkPage,
  recordSdkEvents,
  installKit,
  eventLines,
  waitForSdkEvent,
  storageContents,
  storageKeysContaining,
  scenarioPath,
  requestCount,
  messagingJwt,
  signHS256,
  rawJwt,
  userClaims,
  decodePayload,
  decodeHeader,
  sdkPage,
  LOGIN_LINES,
} from "./helpers.mjs";

const LOGIN = LOGIN_LINES;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Makes `window.<name>` (sessionStorage or localStorage) throw a SecurityError, as a sandboxed
 * frame or blocked cookies do; the real one stays reachable for the test as `window.__real_<name>`.
 */
async function blockStorage(page, name) {
  await page.addInitScript((storageName) => {
    const real = window[storageName];
    Object.defineProperty(window, `__real_${storageName}`, { value: real });
    Object.defineProperty(window, storageName, {
      configurable: true,
      get() {
        throw new DOMException(`Access to '${storageName}' is denied for this document.`, "SecurityError");
      },
    });
  }, name);
}

/** Every key and value of the real web storages behind a blocked one. */
const realStorageContents = (page) =>
  page.evaluate(() => {
    const dump = (storage) => Object.fromEntries(Array.from({ length: storage.length }, (_, i) => storage.key(i)).map((key) => [key, storage.getItem(key)]));
    return { session: dump(window.__real_sessionStorage ?? sessionStorage), local: dump(window.__real_localStorage ?? localStorage) };
  });

for (const [storage, name] of [
  ["session", "sessionStorage"],
  ["local", "localStorage"],
]) {
  test(`storage "${storage}" blocked (the ${name} getter throws): login, getToken and logout work from memory, silently`, async ({ page, tokenLeaks }) => {
    const jwt = messagingJwt({ username: `ada-s1-${storage}` });
    tokenLeaks.watch(jwt);
    await blockStorage(page, name);
    const ready = await openSdkPage(page, { "data-storage": storage });
    expect(ready).toMatchObject({ status: "anonymous", anonymousId: expect.stringMatching(UUID) });
    expect(await page.evaluate((n) => { try { return window[n], "readable"; } catch (error) { return error.name; } }, name)).toBe("SecurityError");

    const state = await page.evaluate((token) => kit.login(kit.answer(token)), jwt);
    expect(state).toMatchObject({ status: "authenticated", user: { externalId: `ada-s1-${storage}` } });
    expect(await eventLines(page)).toEqual(LOGIN);
    expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null]);
    expect(await page.evaluate(() => messenger.getToken())).toBe(jwt);
    expect(await page.evaluate(() => kit.jwtCalls)).toBe(1); // held in memory: not asked again
    expect(await realStorageContents(page)).toEqual({ session: {}, local: {} }); // written nowhere

    await page.evaluate(() => messenger.logoutUser());
    expect(await eventLines(page)).toEqual([...LOGIN, "authStateChanged anonymous", "loggedOut"]);
    expect(await page.evaluate(() => messenger.getToken())).toBeNull();
    expect(await realStorageContents(page)).toEqual({ session: {}, local: {} });
  });
}

test("storage full (Storage.prototype.setItem throws QuotaExceededError): the session lives in memory; nothing stale is left in storage", async ({ page, tokenLeaks }) => {
  const first = messagingJwt({ username: "bo-s2" }, { ttl: 600 });
  const second = messagingJwt({ username: "bo-s2" }, { ttl: 900 });
  tokenLeaks.watch(first);
  tokenLeaks.watch(second);
  await openSdkPage(page);
  await page.evaluate((token) => kit.login(kit.answer(token)), first);
  expect(await storageKeysContaining(page, first)).toEqual(["session.messenger-auth"]); // written while there was room

  // Now the storage is full: every write fails.
  await page.evaluate(() => {
    Storage.prototype.setItem = function setItem() {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  const state = await page.evaluate((token) => kit.login(kit.answer(token)), second);
  expect(state).toMatchObject({ status: "authenticated", expiresAt: decodePayload(second).exp });
  expect(await eventLines(page)).toEqual([...LOGIN, "tokenRefreshed"]);
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null, null]);
  expect(await page.evaluate(() => messenger.getToken())).toBe(second);
  // The failed write did not leave the previous token behind, and the new one is in memory only.
  expect(await storageKeysContaining(page, first)).toEqual([]);
  expect(await storageKeysContaining(page, second)).toEqual([]);

  await page.evaluate(() => messenger.logoutUser());
  expect(await eventLines(page)).toEqual([...LOGIN, "tokenRefreshed", "authStateChanged anonymous", "loggedOut"]);
  expect(JSON.stringify(await storageContents(page))).not.toMatch(/eyJ/);
});

test("storage full from the start: a login through the endpoint works, and a reload starts afresh (nothing was kept)", async ({ page, tokenLeaks }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = function setItem() {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  const endpoint = scenarioPath("ok");
  const ready = await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=cy-s3` });
  const state = await page.evaluate(() => kit.login());
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "cy-s3" } });
  const jwt = await page.evaluate(() => messenger.getToken());
  tokenLeaks.watch(jwt);
  expect(await requestCount(page.request, endpoint)).toBe(1);
  expect(await storageContents(page)).toEqual({ session: {}, local: {} });

  const afterReload = await reloadSdkPage(page);
  expect(afterReload).toMatchObject({ status: "anonymous", user: null });
  expect(afterReload.anonymousId).not.toBe(ready.anonymousId); // nothing survived: a new visitor id
  expect(await eventLines(page)).toEqual(["ready"]);
  expect(await requestCount(page.request, endpoint)).toBe(1); // nothing to revalidate
});

// ---- Tampered stored state: written into the `messenger-auth` key before the SDK loads ----

const ANON_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
const record = (fields) => JSON.stringify({ v: 1, anonymous_id: ANON_ID, jwt: null, source: null, ...fields });

/**
 * Writes `text` as the stored record of this tab (sessionStorage), from the page open now (a page
 * of the same origin without the SDK the first time; the SDK writes nothing when its page goes),
 * then opens an SDK page and returns its `ready` detail. Events and the kit are recorded from the
 * first call on (recordSdkEvents and installKit are set up once).
 */
async function openWithStoredRecord(page, text, params = {}) {
  if (!page.__kitInstalled) {
    await recordSdkEvents(page);
    await installKit(page);
    page.__kitInstalled = true;
    await page.goto("/test/login-page");
  }
  await page.evaluate((value) => sessionStorage.setItem("messenger-auth", value), text);
  await page.goto(sdkPage(params));
  return waitForSdkEvent(page, "ready");
}

/** Tokens a page could not have got from a source: each breaks a check in its own way. */
function tamperedTokens() {
  const claims = { ...userClaims({ username: "eve-s4" }), scope: "user", email_verified: true };
  const valid = signHS256(claims);
  const [header, , signature] = valid.split(".");
  return {
    valid,
    cases: [
      ["not a JWT", "garbage.garbage"],
      ["alg rewritten to none, signature dropped", rawJwt({ alg: "none", typ: "JWT" }, claims, "")],
      ["exp pushed out in milliseconds", `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: Date.now() + 86_400_000 })).toString("base64url")}.${signature}`],
      ["payload cut short", `${header}.${valid.split(".")[1].slice(0, 20)}.${signature}`],
      ["already expired", signHS256({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })],
    ],
  };
}

test("tampered records are ignored: garbage, other shapes, another version, an anonymous id of another shape", async ({ page, tokenLeaks }) => {
  const { valid } = tamperedTokens();
  tokenLeaks.watch(valid);
  const cases = [
    ["garbage", "{this is not json"],
    ["JSON null", "null"],
    ["an array", JSON.stringify([ANON_ID, valid])],
    ["another version", record({ v: 2, jwt: valid, source: "callback" })],
    ["anonymous id of another shape", record({ anonymous_id: "visitor-42", jwt: valid, source: "callback" })],
    ["anonymous id with markup", record({ anonymous_id: "<img src=x onerror=alert(1)>", jwt: valid, source: "callback" })],
    ["upper-case anonymous id", record({ anonymous_id: ANON_ID.toUpperCase(), jwt: valid, source: "callback" })],
    ["unknown source", record({ jwt: valid, source: "evil" })],
    ["jwt not a string", record({ jwt: 42, source: "callback" })],
  ];
  for (const [what, text] of cases) {
    const ready = await openWithStoredRecord(page, text);
    // Nothing of the record is used: anonymous, with a fresh anonymous id of the SDK's own.
    expect(ready, what).toMatchObject({ status: "anonymous", user: null, expiresAt: null });
    expect(ready.anonymousId, what).toMatch(UUID);
    expect(ready.anonymousId, what).not.toBe(ANON_ID);
    expect(await eventLines(page), what).toEqual(["ready"]);
    expect(await page.evaluate(() => messenger.getToken()), what).toBeNull();
    expect(await storageKeysContaining(page, valid), what).toEqual([]); // not kept, not written back
  }
});

test("a record whose token was tampered with is not restored: the anonymous id is kept, the token is dropped", async ({ page, tokenLeaks }) => {
  const { cases } = tamperedTokens();
  for (const [what, jwt] of cases) {
    tokenLeaks.watch(jwt);
    const ready = await openWithStoredRecord(page, record({ jwt, source: "callback" }));
    expect(ready, what).toEqual({ status: "anonymous", authenticationStatus: false, user: null, expiresAt: null, anonymousId: ANON_ID });
    expect(await eventLines(page), what).toEqual(["ready"]);
    expect(await page.evaluate(() => messenger.getToken()), what).toBeNull();
    expect(await storageKeysContaining(page, jwt), what).toEqual([]);
  }
});

test("after tampered state, a login works and writes a sound record", async ({ page, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "fay-s5" });
  tokenLeaks.watch(jwt);
  await openWithStoredRecord(page, "{garbage");
  const state = await page.evaluate((token) => kit.login(kit.answer(token)), jwt);
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "fay-s5" } });
  const stored = JSON.parse((await storageContents(page)).session["messenger-auth"]);
  expect(stored).toMatchObject({ anonymous_id: state.anonymousId, jwt });

  const ready = await reloadSdkPage(page); // and that record restores
  expect(ready).toMatchObject({ status: "authenticated", user: { externalId: "fay-s5" }, anonymousId: state.anonymousId });
});

test("a stored token whose payload was edited (another user) cannot be told apart by the SDK; the endpoint's revalidation replaces it at once", async ({ page, tokenLeaks }) => {
  // The SDK cannot check signatures (SPEC.md), so what it can do is not trust the edit for long:
  // with an endpoint and revalidateOnLoad, the endpoint names the real user and the SDK switches.
  const { valid } = tamperedTokens();
  const [header, payload, signature] = valid.split(".");
  const edited = `${header}.${Buffer.from(JSON.stringify({ ...decodePayload(valid), external_id: "mallory", email: "mallory@example.test" })).toString("base64url")}.${signature}`;
  tokenLeaks.watch(edited);
  expect(decodeHeader(edited).alg).toBe("HS256");
  const endpoint = scenarioPath("ok");
  await openWithStoredRecord(page, record({ jwt: edited, source: "endpoint" }), { "data-auth-endpoint": `${endpoint}?user=gus-s6` });
  const switched = await waitForSdkEvent(page, "authStateChanged");
  expect(switched).toMatchObject({ status: "authenticated", user: { externalId: "gus-s6" } });
  expect(switched.anonymousId).not.toBe(ANON_ID); // the edited record's visitor is not carried over
  expect(await requestCount(page.request, endpoint)).toBe(1);
  const jwt = await page.evaluate(() => messenger.getToken());
  tokenLeaks.watch(jwt);
  expect(decodePayload(jwt).external_id).toBe("gus-s6");
  expect(await storageKeysContaining(page, edited)).toEqual([]);
  expect(payload).not.toBe(edited.split(".")[1]);
});
