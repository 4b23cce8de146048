// SPEC.md "Logout": logoutUser() discards the token, purges what the SDK stored, issues a new
// anonymousId and emits loggedOut; no stored value anywhere (either web storage, any key) still
// holds the JWT, whatever the storage option.
import {
  test,
  expect,
  openSdkPage,
  reloadSdkPage,
  eventLines,
  eventDetails,
  storageContents,
  storageKeysContaining,
  messagingJwt,
  siteJwt,
  signHS256,
  scenarioPath,
} from "./helpers.mjs";

/** Logs in with `jwt` through a jwtCallback and checks it worked. */
async function logIn(page, jwt) {
  const state = await page.evaluate((token) => kit.login(kit.answer(token)), jwt);
  expect(state.status).toBe("authenticated");
  return state;
}

/** logoutUser(), then what it resolved with and the events it caused. */
async function logOut(page) {
  const before = (await eventLines(page)).length;
  const resolved = await page.evaluate(async () => (await messenger.logoutUser()) ?? "undefined");
  return { resolved, events: (await eventLines(page)).slice(before) };
}

for (const storage of ["session", "local"]) {
  test(`logoutUser() with storage "${storage}": the JWT is in no stored value, new anonymousId, loggedOut`, async ({ page, tokenLeaks }) => {
    const jwt = messagingJwt({ username: `ada-l-${storage}` });
    tokenLeaks.watch(jwt);
    const ready = await openSdkPage(page, { "data-storage": storage });
    await logIn(page, jwt);
    const written = storage === "session" ? "session.messenger-auth" : "local.messenger-auth";
    expect(await storageKeysContaining(page, jwt)).toEqual([written]); // only the storage chosen

    const { resolved, events } = await logOut(page);
    expect(resolved).toBe("undefined");
    expect(events).toEqual(["authStateChanged anonymous", "loggedOut"]);
    const [loggedOut] = await eventDetails(page, "loggedOut");
    const anonymous = (await eventDetails(page, "authStateChanged")).at(-1);
    expect(loggedOut).toEqual({ anonymousId: expect.any(String) });
    expect(loggedOut.anonymousId).not.toBe(ready.anonymousId);
    expect(anonymous).toEqual({ status: "anonymous", authenticationStatus: false, user: null, expiresAt: null, anonymousId: loggedOut.anonymousId });

    const stored = await storageContents(page);
    expect(await storageKeysContaining(page, jwt)).toEqual([]);
    expect(JSON.stringify(stored)).not.toMatch(/eyJ/); // no token of any kind, nor a piece of one
    expect(await page.evaluate(() => messenger.getToken())).toBeNull();
    expect(await page.evaluate(() => messenger.getAuthState())).toMatchObject({ status: "anonymous", user: null, anonymousId: loggedOut.anonymousId });

    // And a reload finds nothing to restore.
    const afterReload = await reloadSdkPage(page);
    expect(afterReload).toMatchObject({ status: "anonymous", user: null });
  });
}

test("logoutUser() after an endpoint login purges the token too", async ({ page, tokenLeaks }) => {
  const endpoint = scenarioPath("ok");
  const ready = await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=bo-l2` });
  expect((await page.evaluate(() => kit.login())).status).toBe("authenticated");
  const jwt = await page.evaluate(() => messenger.getToken());
  tokenLeaks.watch(jwt);

  const { events } = await logOut(page);
  expect(events).toEqual(["authStateChanged anonymous", "loggedOut"]);
  expect((await eventDetails(page, "loggedOut"))[0].anonymousId).not.toBe(ready.anonymousId);
  expect(await storageKeysContaining(page, jwt)).toEqual([]);
});

test('storage "memory": the token is never written, and logout leaves nothing', async ({ page, tokenLeaks }) => {
  const jwt = siteJwt({ username: "cy-l3" });
  tokenLeaks.watch(jwt);
  await openSdkPage(page, { "data-storage": "memory" });
  await logIn(page, jwt);
  expect(await storageKeysContaining(page, jwt)).toEqual([]);
  expect(await page.evaluate(() => messenger.getToken())).toBe(jwt);

  const { events } = await logOut(page);
  expect(events).toEqual(["authStateChanged anonymous", "loggedOut"]);
  expect(await storageKeysContaining(page, jwt)).toEqual([]);
});

test("logoutUser() while anonymous still issues a new anonymousId and loggedOut, without authStateChanged", async ({ page }) => {
  const ready = await openSdkPage(page);
  const { events } = await logOut(page);
  expect(events).toEqual(["loggedOut"]);
  const [loggedOut] = await eventDetails(page, "loggedOut");
  expect(loggedOut.anonymousId).not.toBe(ready.anonymousId);
  expect(await page.evaluate(() => messenger.getAuthState().anonymousId)).toBe(loggedOut.anonymousId);
});

test('a token without exp is never written to localStorage (storage "local" keeps it in memory)', async ({ page, tokenLeaks }) => {
  const jwt = signHS256({ external_id: "di-l5", name: "Di" }); // no exp: fresh for the life of the page
  tokenLeaks.watch(jwt);
  await openSdkPage(page, { "data-storage": "local" });
  const state = await logIn(page, jwt);
  expect(state.expiresAt).toBeNull();
  expect(await page.evaluate(() => messenger.getToken())).toBe(jwt);
  expect(await storageKeysContaining(page, jwt)).toEqual([]);
});
