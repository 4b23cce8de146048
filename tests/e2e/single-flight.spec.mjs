// SPEC.md "Single flight": however many callers need a token at once, at most one request (one
// endpoint GET or one jwtCallback call) is in flight per page, and all callers get its result.
import { test, expect, openSdkPage, eventLines, waitForHeld, scenarioPath, requestCount, messagingJwt, decodePayload } from "./helpers.mjs";

test("20 concurrent getToken() calls make exactly one endpoint request and all get the same token", async ({ page, tokenLeaks }) => {
  const endpoint = scenarioPath("ok");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=ada-s1` });

  const tokens = await page.evaluate(() => Promise.all(Array.from({ length: 20 }, () => messenger.getToken())));
  tokenLeaks.watch(tokens[0]);
  expect(tokens).toHaveLength(20);
  expect(typeof tokens[0]).toBe("string");
  expect(new Set(tokens).size).toBe(1);
  expect(decodePayload(tokens[0]).external_id).toBe("ada-s1");
  expect(await requestCount(page.request, endpoint)).toBe(1);
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
});

test("getToken() and startEngagement() callers arriving while a slow request is in flight share it", async ({ page, tokenLeaks }) => {
  const endpoint = scenarioPath("slow");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?user=bo-s2&delay=300` });

  const { tokens, states } = await page.evaluate(async () => {
    const tokens = Array.from({ length: 10 }, () => messenger.getToken());
    await new Promise((resolve) => setTimeout(resolve, 50)); // the request is on its way now
    const states = Array.from({ length: 10 }, () => messenger.startEngagement());
    tokens.push(...Array.from({ length: 10 }, () => messenger.getToken()));
    return { tokens: await Promise.all(tokens), states: JSON.parse(JSON.stringify(await Promise.all(states))) };
  });
  tokenLeaks.watch(tokens[0]);
  expect(new Set(tokens).size).toBe(1);
  expect(decodePayload(tokens[0]).external_id).toBe("bo-s2");
  expect(states.map((state) => `${state.status} ${state.user.externalId}`)).toEqual(Array(10).fill("authenticated bo-s2"));
  expect(await requestCount(page.request, endpoint)).toBe(1);
});

test("callers waiting on a pending jwtCallback share its one call", async ({ page, tokenLeaks }) => {
  const jwt = messagingJwt({ username: "cy-s3" });
  tokenLeaks.watch(jwt);
  await openSdkPage(page);

  await page.evaluate(() => {
    window.login = kit.login(kit.hold());
    window.waiting = Array.from({ length: 20 }, () => messenger.getToken());
    window.engagement = messenger.startEngagement();
  });
  await waitForHeld(page);
  const tokens = await page.evaluate(async (token) => {
    kit.held[0](token);
    await Promise.all([window.login, window.engagement]);
    return Promise.all(window.waiting);
  }, jwt);
  expect(tokens).toEqual(Array(20).fill(jwt));
  expect(await page.evaluate(() => ({ jwtCalls: kit.jwtCalls, loginCallbacks: kit.loginCallbacks }))).toEqual({ jwtCalls: 1, loginCallbacks: [null] });
});
