// SPEC.md "Embedding": under a Content-Security-Policy without 'unsafe-eval' (and no inline script
// but the stub, allowed by its hash), the SDK needs only 'wasm-unsafe-eval'. Every page the test
// server generates carries such a policy; this spec says so explicitly and watches for
// `securitypolicyviolation` while login, getToken, startEngagement and logout run through both
// token sources.
import { test, expect, openSdkPage, eventLines, messagingJwt, decodePayload, sdkPage } from "./helpers.mjs";

/** Records every CSP violation of the page, from its first script on, in window.__cspViolations. */
async function recordCspViolations(page) {
  await page.addInitScript(() => {
    const seen = [];
    Object.defineProperty(window, "__cspViolations", { value: seen });
    document.addEventListener("securitypolicyviolation", (event) =>
      seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample }),
    );
  });
}

test("under script-src 'self' 'wasm-unsafe-eval' + the stub's hash (no unsafe-eval, no unsafe-inline), login, getToken and logout work with no CSP violation", async ({ page, pageErrors, tokenLeaks }) => {
  await recordCspViolations(page);
  const pageResponse = page.waitForResponse((response) => new URL(response.url()).pathname === "/test/page");
  await openSdkPage(page, { "data-auth-endpoint": "/auth/jwt" });
  const csp = (await pageResponse).headers()["content-security-policy"];
  expect(csp).toMatch(/^script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'; object-src 'none'; base-uri 'none'$/);
  expect(csp).not.toMatch(/'unsafe-eval'|'unsafe-inline'|\*/);
  // The policy is in force: the page itself cannot eval (tried from a task of the page's own, as
  // code page.evaluate runs directly is exempt).
  pageErrors.allow(/Evaluating a string as JavaScript violates the following Content Security Policy directive|Refused to evaluate a string as JavaScript/);
  const evalResult = await page.evaluate(
    () =>
      new Promise((resolve) =>
        setTimeout(() => {
          try {
            resolve(typeof (0, eval)("1"));
          } catch (error) {
            resolve(error.name);
          }
        }, 0),
      ),
  );
  expect(evalResult).toBe("EvalError");
  const evalViolations = await page.evaluate(() => window.__cspViolations.splice(0)); // that one was ours
  expect(evalViolations.map((v) => v.directive)).toEqual(["script-src"]);

  // Page callback: login, getToken, startEngagement, logout.
  const jwt = messagingJwt({ username: "ada-p1" });
  tokenLeaks.watch(jwt);
  expect((await page.evaluate((token) => kit.login(kit.answer(token)), jwt)).status).toBe("authenticated");
  expect(await page.evaluate(() => messenger.getToken())).toBe(jwt);
  expect(await page.evaluate(() => messenger.startEngagement().then((s) => s.status))).toBe("authenticated");
  await page.evaluate(() => messenger.logoutUser());

  // Endpoint: the site's cookie login, then the same.
  expect((await page.request.post("/login", { data: { username: "bo-p1" } })).status()).toBe(200);
  expect((await page.evaluate(() => kit.login())).status).toBe("authenticated");
  const endpointJwt = await page.evaluate(() => messenger.getToken());
  tokenLeaks.watch(endpointJwt);
  expect(decodePayload(endpointJwt).external_id).toBe("bo-p1");
  await page.evaluate(() => messenger.logoutUser());

  expect(await eventLines(page)).toEqual([
    "ready",
    "authStateChanged authenticating",
    "authStateChanged authenticated",
    "authStateChanged anonymous",
    "loggedOut",
    "authStateChanged authenticating",
    "authStateChanged authenticated",
    "authStateChanged anonymous",
    "loggedOut",
  ]);
  expect(await page.evaluate(() => kit.loginCallbacks)).toEqual([null, null]);
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
});

test("the listener would see a violation: an inline script the policy does not allow is reported", async ({ page, pageErrors }) => {
  // The control for the test above: the same recorder, on the same kind of page, does catch one.
  pageErrors.allow(/Executing inline script violates the following Content Security Policy directive|Refused to execute inline script/);
  await recordCspViolations(page);
  await page.goto(sdkPage({ stub: "0" }));
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__inlineRan = true;";
    document.head.append(script);
  });
  await expect.poll(() => page.evaluate(() => window.__cspViolations.length)).toBe(1);
  expect(await page.evaluate(() => window.__cspViolations[0].directive)).toBe("script-src-elem");
  expect(await page.evaluate(() => window.__inlineRan ?? false)).toBe(false);
});
