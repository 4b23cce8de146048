// The messaging emulator's admin page and admin routes, in Chromium against the real demo
// server: the admin token (401 without it), a key's secret shown once, the 11th key refused, a
// deleted key's tokens refused (checked with "check a token").
import { test, expect, startDemoServer } from "./helpers.mjs";
import crypto from "node:crypto";

let server;

test.beforeAll(async () => {
  test.setTimeout(300_000); // a first build of the server takes a minute or more
  server = await startDemoServer();
});

test.afterAll(async () => {
  await server?.stop();
});

const ADMIN_ROUTES = [
  ["POST", "/admin/keys", { name: "k" }],
  ["GET", "/admin/keys"],
  ["DELETE", "/admin/keys/app_000000000000000000000000"],
  ["PUT", "/admin/settings", { emailIdentities: "verified_only" }],
  ["GET", "/admin/settings"],
  ["PUT", "/admin/contact-center-key", "-----BEGIN PUBLIC KEY-----"],
  ["POST", "/admin/check-token", { jwt: "x" }],
  ["GET", "/agent/users"],
];

/** The admin page, with the admin token given in the fragment as `npm start` prints it. */
async function openAdmin(page) {
  await page.goto(`${server.url}/admin#token=${server.adminToken}`);
  await expect(page.locator("#keys-count")).toHaveText(/of 10$/);
}

/** An HS256 messaging token signed with a key's secret (node:crypto, not the code under test). */
function hs256(kid, secret, claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part({ alg: "HS256", typ: "JWT", kid })}.${part(claims)}`;
  return `${input}.${crypto.createHmac("sha256", secret).update(input).digest("base64url")}`;
}

test("admin routes answer 401 without the admin token, and the pages ask for it", async ({ page, request }) => {
  for (const [method, path, data] of ADMIN_ROUTES) {
    for (const headers of [{}, { authorization: "Bearer not-the-token" }, { authorization: `Basic ${server.adminToken}` }]) {
      const answer = await request.fetch(`${server.url}${path}`, { method, headers, data });
      expect(answer.status(), `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
      expect((await answer.json()).error).toContain("admin token required");
    }
  }
  // The page without a token shows the form, not the content; a wrong token is refused.
  for (const path of ["/admin", "/agent"]) {
    await page.goto(`${server.url}${path}`);
    await expect(page.getByRole("textbox", { name: "Admin token" })).toBeVisible();
    await expect(page.locator("#emulator-content")).toBeHidden();
  }
  await page.getByRole("textbox", { name: "Admin token" }).fill("wrong");
  await page.getByRole("button", { name: "Use it" }).click();
  await expect(page.locator("#token-why")).toContainText("refused");
  await page.getByRole("textbox", { name: "Admin token" }).fill(server.adminToken);
  await page.getByRole("button", { name: "Use it" }).click();
  await expect(page.locator("#users-title")).toBeVisible();
  await expect(page.locator("#users-error")).toHaveText("");
});

test("a new key's secret is shown once, with a copy button; afterwards only 6 characters", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await openAdmin(page);
  await expect(page).toHaveURL(`${server.url}/admin`); // the token left the address bar
  await page.getByLabel("Key name").fill("Staging backend");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.locator("#new-key")).toBeVisible();
  const secret = (await page.locator("#new-key-secret").textContent()).trim();
  const kid = (await page.locator("#new-key-kid").textContent()).trim();
  expect(secret).toMatch(/^[\w-]{43}$/);
  expect(kid).toMatch(/^app_[0-9a-f]{24}$/);
  await expect(page.getByText("it is shown only once")).toBeVisible();

  await page.getByRole("button", { name: "Copy secret" }).click();
  await expect(page.locator("#keys-message")).toHaveText("Secret copied.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const row = page.locator(`tr[data-kid="${kid}"]`);
  await expect(row).toContainText("Staging backend");
  await expect(row).toContainText(`${secret.slice(0, 6)}…`);
  await expect(row).not.toContainText(secret.slice(0, 7));

  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.locator("#new-key")).toBeHidden();
  await page.reload();
  await expect(page.locator(`tr[data-kid="${kid}"]`)).toBeVisible();
  expect(await page.content()).not.toContain(secret.slice(0, 7));
  // The token stayed in this tab's sessionStorage: the reload needed no fragment.
  await expect(page.locator("#token-card")).toBeHidden();
});

test("the 11th key is refused until one is deleted", async ({ page, request }) => {
  await openAdmin(page);
  const admin = { authorization: `Bearer ${server.adminToken}` };
  const existing = await (await request.get(`${server.url}/admin/keys`, { headers: admin })).json();
  // Fill up to 10 through the API, then ask for one more in the page.
  for (let n = existing.length; n < 10; n += 1) {
    expect((await request.post(`${server.url}/admin/keys`, { headers: admin, data: { name: `filler ${n}` } })).status()).toBe(201);
  }
  await page.reload();
  await expect(page.locator("#keys-count")).toHaveText("10 of 10");
  await page.getByLabel("Key name").fill("one too many");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.locator("#keys-message")).toContainText("key_limit");
  await expect(page.locator("#new-key")).toBeHidden();
  await expect(page.locator("#keys tr")).toHaveCount(10);

  // Deleting one makes room (the fillers go, the demo site's own key stays).
  for (const name of ["filler 9", "filler 8", "filler 7", "filler 6", "filler 5", "filler 4", "filler 3", "filler 2", "filler 1"]) {
    const button = page.getByRole("button", { name: `Delete key ${name}` });
    if (await button.count()) {
      await button.click();
      await expect(page.getByRole("button", { name: `Delete key ${name}` })).toHaveCount(0);
    }
  }
  await page.getByLabel("Key name").fill("room again");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.locator("#new-key")).toBeVisible();
});

test("a deleted key's tokens are refused: check a token says unknown_kid", async ({ page }) => {
  await openAdmin(page);
  await page.getByLabel("Key name").fill("soon deleted");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.locator("#new-key")).toBeVisible();
  const kid = (await page.locator("#new-key-kid").textContent()).trim();
  const secret = (await page.locator("#new-key-secret").textContent()).trim();
  await page.getByRole("button", { name: "Done" }).click();
  const token = hs256(kid, secret, { scope: "user", external_id: "checked-user", exp: Math.floor(Date.now() / 1000) + 600 });

  const check = async () => {
    await page.getByLabel("Token (JWT)").fill(token);
    await page.getByRole("button", { name: "Check token" }).click();
  };
  await check();
  await expect(page.locator("#check-verdict")).toHaveText("valid");
  await expect(page.locator("#check-result")).toContainText('"external_id": "checked-user"');
  await expect(page.locator("#check-result")).toContainText('"match": "new"');

  await page.getByRole("button", { name: "Delete key soon deleted" }).click();
  await expect(page.locator(`tr[data-kid="${kid}"]`)).toHaveCount(0);
  await check();
  await expect(page.locator("#check-verdict")).toHaveText("refused: unknown_kid");
  // The page never prints the token it was given anywhere but the field.
  await page.getByLabel("Token (JWT)").fill("");
  expect(await page.locator("body").innerText()).not.toContain(token.split(".")[2]);
});

test("the email setting is saved", async ({ page, request }) => {
  await openAdmin(page);
  await page.getByLabel(/Verified and unverified/).check();
  await page.getByRole("button", { name: "Save setting" }).click();
  await expect(page.locator("#settings-message")).toHaveText("Saved: verified_and_unverified.");
  const settings = await (await request.get(`${server.url}/admin/settings`, { headers: { authorization: `Bearer ${server.adminToken}` } })).json();
  expect(settings.emailIdentities).toBe("verified_and_unverified");
  await page.getByLabel(/Verified only/).check();
  await page.getByRole("button", { name: "Save setting" }).click();
  await expect(page.locator("#settings-message")).toHaveText("Saved: verified_only.");
});
