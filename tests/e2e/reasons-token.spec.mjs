// The token checks (SPEC.md "Checks on the token"): invalid_jwt with the rule in `detail`, and
// expired, for tokens a jwtCallback answers and (the same tokens) an authentication endpoint
// answers. Each is refused with its loginCallback error and one loginFailed event, and never
// asked again (no retry, no loop).
import {
  test,
  expect,
  openSdkPage,
  expectFailedLogin,
  loginFailedError,
  eventLines,
  eventDetails,
  signHS256,
  signES256,
  rawJwt,
  userClaims,
  nowSeconds,
  cannedEndpoint,
  tokenAnswer,
  requestCount,
} from "./helpers.mjs";

/** Claims of a valid messaging-profile token for `username`. */
const claims = (username, extra = {}) => ({ ...userClaims({ username }), scope: "user", email_verified: true, ...extra });

/** Claims without the named ones. */
const without = (object, ...names) => Object.fromEntries(Object.entries(object).filter(([name]) => !names.includes(name)));

test("invalid_jwt/malformed: a jwtCallback answering something that is not a JWT", async ({ page }) => {
  await openSdkPage(page);
  await page.evaluate(() => kit.login(kit.answer("this-is-not-a-jwt")));
  await expectFailedLogin(page, { reason: "invalid_jwt", detail: "malformed" });
  expect(await page.evaluate(() => kit.jwtCalls)).toBe(1); // not retried
});

test("invalid_jwt/malformed: an endpoint answering something that is not a JWT, one request", async ({ page }) => {
  const endpoint = await cannedEndpoint(page.request, [tokenAnswer("this-is-not-a-jwt")]);
  await openSdkPage(page, { "data-auth-endpoint": endpoint });
  await page.evaluate(() => kit.login());
  await expectFailedLogin(page, { reason: "invalid_jwt", detail: "malformed" });
  expect(await requestCount(page.request, endpoint)).toBe(1); // not retried
});

/**
 * Logs in once per token on one page (profile `profile`) and checks that each was refused with
 * its detail: loginCallback and loginFailed, the source asked once per login, and the state back
 * to anonymous each time. `source` "callback": a jwtCallback answers each token; "endpoint": an
 * endpoint answers them in turn (canned), one request per login.
 */
async function expectRefusals(page, tokenLeaks, profile, cases, source = "callback") {
  const params = profile ? { "data-token-profile": profile } : {};
  const endpoint = source === "endpoint" ? await cannedEndpoint(page.request, cases.map(([, jwt]) => tokenAnswer(jwt))) : null;
  await openSdkPage(page, endpoint ? { ...params, "data-auth-endpoint": endpoint } : params);
  for (const [, jwt] of cases) {
    tokenLeaks.watch(jwt);
    const login = endpoint ? page.evaluate(() => kit.login()) : page.evaluate((token) => kit.login(kit.answer(token)), jwt);
    expect((await login).status).toBe("anonymous");
  }
  const expected = cases.map(([detail]) => loginFailedError({ reason: "invalid_jwt", detail }));
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual(expected);
  expect(await eventDetails(page, "loginFailed")).toEqual(expected);
  if (endpoint) expect(await requestCount(page.request, endpoint)).toBe(cases.length);
  else expect(await page.evaluate(() => kit.jwtCalls)).toBe(cases.length);
  const perLogin = (detail) => ["authStateChanged authenticating", `loginFailed invalid_jwt/${detail}`, "authStateChanged anonymous"];
  expect(await eventLines(page)).toEqual(["ready", ...cases.flatMap(([detail]) => perLogin(detail))]);
}

/** The refusals of profile "any", each [detail, token]. */
function anyProfileCases() {
  const good = claims("ada-t1");
  return [
    ["malformed", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln"], // payload is not JSON
    ["unsupported_alg", rawJwt({ alg: "none", typ: "JWT" }, good, "c2ln")],
    ["unsupported_alg", signHS256(good, { header: { alg: "HS512" } })],
    ["invalid_claim", signHS256({ ...good, exp: Date.now() + 600_000 })], // milliseconds
    ["invalid_claim", signHS256({ ...good, email_verified: "true" })],
    ["invalid_claim", signHS256({ ...good, external_id: { id: 1 } })],
    ["invalid_claim", signHS256({ ...good, iat: 0 })],
    ["invalid_claim", signHS256({ ...good, nbf: "now" })],
    ["invalid_scope", signHS256({ ...good, scope: "agent" })],
    ["external_id_too_long", signHS256({ ...good, external_id: "x".repeat(256) })],
    ["missing_identity", signHS256(without(good, "external_id", "email"))],
  ];
}

/** The refusals of profile "messaging". */
function messagingProfileCases() {
  const good = claims("bo-t2");
  return [
    ["missing_kid", signHS256(good, { header: { kid: undefined } })],
    ["missing_external_id", signHS256({ ...without(good, "external_id"), sub: "bo-t2" })],
    ["invalid_scope", signHS256(without(good, "scope"))],
    ["unsupported_alg", signES256(good)],
  ];
}

/** The refusals of profile "contact-center". */
function contactCenterProfileCases() {
  const good = userClaims({ username: "cy-t3" });
  return [
    ["missing_exp", signES256(without(good, "exp"))],
    ["unsupported_alg", signHS256(good)],
  ];
}

for (const source of ["callback", "endpoint"]) {
  const by = source === "callback" ? "" : " (through the endpoint)";
  test(`invalid_jwt in profile "any": each rule is named in detail${by}`, async ({ page, tokenLeaks }) => {
    await expectRefusals(page, tokenLeaks, null, anyProfileCases(), source);
  });

  test(`invalid_jwt in profile "messaging": kid, external_id and scope are required, HS256 only${by}`, async ({ page, tokenLeaks }) => {
    await expectRefusals(page, tokenLeaks, "messaging", messagingProfileCases(), source);
  });

  test(`invalid_jwt in profile "contact-center": exp is required, ES256 only${by}`, async ({ page, tokenLeaks }) => {
    await expectRefusals(page, tokenLeaks, "contact-center", contactCenterProfileCases(), source);
  });
}

test("a valid token still passes on a page that refused others (the checks keep no state)", async ({ page, tokenLeaks }) => {
  const jwt = signHS256(claims("di-t4"));
  tokenLeaks.watch(jwt);
  await openSdkPage(page);
  await page.evaluate(() => kit.login(kit.answer("a.b.c")));
  const state = await page.evaluate((token) => kit.login(kit.answer(token)), jwt);
  expect(state).toMatchObject({ status: "authenticated", user: { externalId: "di-t4" } });
  expect(await page.evaluate(() => kit.loginCallbacks.map((error) => error && error.detail))).toEqual(["malformed", null]);
});

for (const [what, offset] of [
  ["already expired", -30],
  ["within the leeway", 30],
]) {
  test(`expired: a token ${what} is refused, and the jwtCallback is not asked again`, async ({ page, tokenLeaks }) => {
    await page.clock.install(); // time flows; moved on below to let any loop show itself
    const jwt = signHS256(claims("eve-t5", { exp: nowSeconds() + offset }));
    tokenLeaks.watch(jwt);
    await openSdkPage(page); // refreshLeewaySeconds 60 (the default)
    await page.evaluate((token) => kit.login(kit.answer(token)), jwt);
    await expectFailedLogin(page, { reason: "expired" });

    await page.clock.fastForward("10:00"); // past every deadline the refused token could have set
    expect(await page.evaluate(() => kit.jwtCalls)).toBe(1);
    expect(await eventLines(page)).toEqual(["ready", "authStateChanged authenticating", "loginFailed expired", "authStateChanged anonymous"]);
  });
}
