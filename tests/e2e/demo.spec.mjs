// The `npm start` demo page works under its CSP and never shows a JWT.
import { test, expect } from "./helpers.mjs";

const JWT_SHAPE = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

test("the demo logs in through the site, shows the state, and logs out", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("#state-status")).toHaveText("anonymous");

  await page.fill("input[name=name]", "Ada Lovelace");
  await page.click("#login-form button[type=submit]");
  await expect(page.locator("#state-status")).toHaveText("authenticated");
  await expect(page.locator("#state-user")).toContainText("Ada Lovelace");
  await expect(page.locator("#state-expiry")).toContainText("min");
  await page.click("#get-token");
  await expect(page.locator("#action-result")).toContainText("not shown");

  await page.click("#logout");
  await expect(page.locator("#state-status")).toHaveText("anonymous");
  await expect(page.locator("#log")).toContainText("loggedOut");
  expect(await page.locator("body").innerText()).not.toMatch(JWT_SHAPE);
});

test("the demo logs in with a pasted token and reports a bad one", async ({ page }) => {
  await page.goto("/");
  await page.click("#fill-token");
  await expect(page.locator("#action-result")).toContainText("filled");
  await page.click("#token-form button[type=submit]");
  await expect(page.locator("#state-status")).toHaveText("authenticated");

  await page.fill("input[name=jwt]", "not-a-token");
  await page.click("#token-form button[type=submit]");
  await expect(page.locator("#log")).toContainText("invalid_jwt");
  expect(await page.locator("body").innerText()).not.toMatch(JWT_SHAPE);
});
