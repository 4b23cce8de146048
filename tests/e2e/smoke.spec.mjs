// The script tag in a real page: window.messenger appears, `ready` fires anonymous, and nothing
// goes wrong on the page: no uncaught error, no unhandled rejection, no console error at all.
import { test, expect, recordSdkEvents, waitForSdkEvent, sdkPage } from "./helpers.mjs";

test("the script tag defines window.messenger and fires ready as anonymous", async ({ page, pageErrors }) => {
  const authRequests = [];
  page.on("request", (request) => new URL(request.url()).pathname.startsWith("/auth/") && authRequests.push(request.url()));
  await recordSdkEvents(page);
  await page.goto(sdkPage({ "data-auth-endpoint": "/auth/jwt" }));

  const ready = await waitForSdkEvent(page, "ready");
  expect(ready.status).toBe("anonymous");
  expect(ready.authenticationStatus).toBe(false);
  expect(ready.user).toBeNull();
  expect(typeof ready.anonymousId).toBe("string");

  const api = await page.evaluate(() => Object.keys(window.messenger).sort());
  expect(api).toEqual(["getAuthState", "getToken", "init", "loginUser", "logoutUser", "off", "on", "startEngagement"]);
  expect(await page.evaluate(() => window.messenger.getAuthState().status)).toBe("anonymous");
  expect(authRequests).toEqual([]); // a visitor who does nothing causes no request
  // Stricter than the fixture: not even a failed request (a visitor who does nothing sends none).
  expect(pageErrors.all()).toEqual([]);
});
