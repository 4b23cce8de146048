// The reasons an authentication endpoint can cause (SPEC.md Reason; README "Reasons"), each with
// its loginCallback error and loginFailed event, and the number of requests the server got:
// unauthenticated, http_error, network, timeout, bad_response, and invalid_jwt / expired for a
// token the endpoint answered.
import { test, expect, openSdkPage, expectFailedLogin, scenarioPath, requestCount, closedPortUrl, eventLines } from "./helpers.mjs";

/** Opens a page whose authEndpoint is a fresh path of `scenario`, logs in, returns that path. */
async function loginAgainst(page, scenario, { query = "", ...params } = {}) {
  const endpoint = scenarioPath(scenario);
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}${query}`, ...params });
  const state = await page.evaluate(() => kit.login());
  expect(state.status).toBe("anonymous"); // loginUser resolves, never rejects
  return endpoint;
}

for (const status of [401, 403]) {
  test(`unauthenticated: ${status} goes to loginCallback only (no loginFailed), one request`, async ({ page }) => {
    const endpoint = await loginAgainst(page, String(status));
    await expectFailedLogin(page, { reason: "unauthenticated", status }, { event: false });
    expect(await requestCount(page.request, endpoint)).toBe(1);
  });
}

for (const [status, requests] of [
  [404, 1],
  [429, 1],
  [500, 3],
  [503, 3],
]) {
  test(`http_error: ${status} is reported with its status after ${requests} request(s)`, async ({ page }) => {
    const endpoint = await loginAgainst(page, String(status));
    const error = await expectFailedLogin(page, { reason: "http_error", status });
    expect(error.message).toContain(String(status));
    expect(await requestCount(page.request, endpoint)).toBe(requests);
  });
}

test("a 500 then a token: the retry succeeds, no loginFailed", async ({ page, tokenLeaks }) => {
  const endpoint = scenarioPath("flaky");
  await openSdkPage(page, { "data-auth-endpoint": `${endpoint}?fail=1&status=500&user=ada-f1` });
  const state = await page.evaluate(() => kit.login());
  tokenLeaks.watch(await page.evaluate(() => messenger.getToken()));
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "ada-f1" } });
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null]);
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "authStateChanged authenticated"]);
  expect(await requestCount(page.request, endpoint)).toBe(2);
});

test("network: an endpoint where nothing listens is tried 3 times, then reported", async ({ page, pageErrors }) => {
  pageErrors.allow(/Failed to load resource: net::ERR_CONNECTION_REFUSED/);
  const endpoint = await closedPortUrl("/auth/jwt");
  const attempts = [];
  page.on("request", (request) => request.url() === endpoint && attempts.push(request.method()));
  await openSdkPage(page, { "data-auth-endpoint": endpoint });
  await page.evaluate(() => kit.login());
  await expectFailedLogin(page, { reason: "network" });
  expect(attempts).toEqual(["GET", "GET", "GET"]);
});

test("timeout: an endpoint that hangs, with timeoutMs 300, is tried 3 times, then reported", async ({ page }) => {
  const endpoint = await loginAgainst(page, "hang", { "data-timeout-ms": "300" });
  const error = await expectFailedLogin(page, { reason: "timeout" });
  expect(error.message).toContain("300");
  expect(await requestCount(page.request, endpoint)).toBe(3);
});

for (const [scenario, detail, status, what] of [
  ["html", "not_json", 200, "200 with an HTML page"],
  ["bad-json", "not_json", 200, "200 with broken JSON"],
  ["nokey", "missing_token", 200, "200 with {}"],
  ["204", "empty", 204, "204 with no body"],
]) {
  test(`bad_response/${detail}: ${what}, one request`, async ({ page }) => {
    const endpoint = await loginAgainst(page, scenario);
    await expectFailedLogin(page, { reason: "bad_response", detail, status });
    expect(await requestCount(page.request, endpoint)).toBe(1);
  });
}

test("bad_response/not_json: a 301 to an HTML login page, with a message that names the redirect", async ({ page }) => {
  const endpoint = await loginAgainst(page, "301");
  const error = await expectFailedLogin(page, { reason: "bad_response", detail: "not_json", status: 200 });
  expect(error.message).toMatch(/redirect/i);
  expect(await requestCount(page.request, endpoint)).toBe(1);
});

test("invalid_jwt/unsupported_alg: the endpoint answers an alg-none token, one request", async ({ page }) => {
  const endpoint = await loginAgainst(page, "alg-none");
  await expectFailedLogin(page, { reason: "invalid_jwt", detail: "unsupported_alg" });
  expect(await requestCount(page.request, endpoint)).toBe(1);
});

test("expired: a token whose exp is within the leeway is refused after ONE request, and no loop follows", async ({ page }) => {
  await page.clock.install(); // time flows; it is moved on below to let any loop show itself
  const endpoint = await loginAgainst(page, "ok", { query: "?ttl=30" }); // leeway 60 s
  await expectFailedLogin(page, { reason: "expired" });
  expect(await requestCount(page.request, endpoint)).toBe(1);

  await page.clock.fastForward("10:00"); // past every deadline the refused token could have set
  await page.waitForTimeout(1500); // and longer than the whole retry schedule, in real time
  expect(await requestCount(page.request, endpoint)).toBe(1);
  expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "loginFailed expired", "authStateChanged anonymous"]);
});
