// The `npm start` demo, driven as a person would, on the server `npm start` runs: the Rust demo
// server (server/), target/debug/messenger-demo-server, on a free port with a fresh data folder.
// Every test also fails on a page error, a console error (a CSP violation is one) or a JWT in a
// URL or console line (the fixtures of helpers.mjs).
import { test, expect, JWT_SHAPE, startDemoServer } from "./helpers.mjs";

let server;

test.beforeAll(async () => {
  test.setTimeout(300_000); // a first build of the server takes a minute or more
  server = await startDemoServer();
});

test.afterAll(async () => {
  await server?.stop();
});

/** The page's parts, by what a person sees. */
function demo(page) {
  return {
    status: page.locator("#state-status"),
    user: page.locator("#state-user"),
    expiry: page.locator("#state-expiry"),
    badge: page.locator("#site-badge"),
    log: page.locator("#log"),
    async logIn({ username = "ada", email = "ada@example.test", name = "Ada Lovelace", lifetime } = {}) {
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Name", { exact: true }).fill(name);
      if (lifetime) await page.getByLabel("Token lifetime").selectOption({ label: lifetime });
      await page.getByRole("button", { name: "Log in" }).click();
    },
    logOut: () => page.getByRole("button", { name: "Log out" }).click(),
  };
}

/** Counts the page's requests to `path` from now on. */
function countRequests(page, path) {
  const counter = { count: 0 };
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === path) counter.count += 1;
  });
  return counter;
}

test("log in at the site, the widget follows; it survives a reload; log out", async ({ page }, testInfo) => {
  const site = demo(page);
  await page.goto(server.url);
  await expect(site.status).toHaveText("anonymous");
  await expect(site.badge).toHaveText("Not signed in");

  await site.logIn();
  await expect(site.status).toHaveText("authenticated");
  await expect(site.user).toContainText("Ada Lovelace <ada@example.test>");
  await expect(site.user).toContainText("externalId ada");
  await expect(site.expiry).toHaveText(/^(10:00|9:[0-5]\d)$/);
  await expect(site.badge).toHaveText("Signed in as Ada Lovelace");
  await expect(site.log).toContainText("loginCallback");
  await expect(site.log).toContainText('"status": "authenticated"');

  const screenshot = testInfo.outputPath("demo-authenticated.png");
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach("demo-authenticated", { path: screenshot, contentType: "image/png" });

  // A reload shows the stored session at once; the SDK revalidates it with one request and the
  // page adds none.
  const tokenRequests = countRequests(page, "/auth/jwt");
  await page.reload();
  await expect(site.status).toHaveText("authenticated");
  await expect(site.badge).toHaveText("Signed in as Ada Lovelace");
  await page.waitForLoadState("networkidle");
  expect(tokenRequests.count).toBe(1);

  await page.getByRole("button", { name: "getToken()" }).click();
  await expect(page.locator("#action-result")).toContainText("never shown");
  expect(await page.locator("body").innerText()).not.toMatch(JWT_SHAPE);

  await site.logOut();
  await expect(site.status).toHaveText("anonymous");
  await expect(site.log).toContainText("loggedOut");
  await expect(site.badge).toHaveText("Not signed in");
  await page.reload();
  await expect(site.status).toHaveText("anonymous");
  await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();
});

test("the page-callback source logs in with the HS256 messaging token", async ({ page }) => {
  const site = demo(page);
  await page.goto(`${server.url}/`);
  await page.getByRole("link", { name: "Page callback" }).click();
  await expect(page).toHaveURL(/\/callback\.html$/);
  await expect(page.getByRole("link", { name: "Page callback" })).toHaveAttribute("aria-current", "page");
  await expect(site.status).toHaveText("anonymous");

  const messagingRequests = countRequests(page, "/auth/messaging-jwt");
  await site.logIn({ username: "grace", email: "grace@example.test", name: "Grace Hopper" });
  await expect(site.status).toHaveText("authenticated");
  await expect(site.log).toContainText("loginUser(jwtFromSite)");
  const claims = await page.evaluate(() => messenger.getAuthState().user.claims);
  expect(claims).toMatchObject({ scope: "user", external_id: "grace", email_verified: false });
  expect(messagingRequests.count).toBe(1);

  // Pages call loginUser(jwtCallback) on each load while their user is logged in: one request.
  await page.reload();
  await expect(site.status).toHaveText("authenticated");
  await page.waitForLoadState("networkidle");
  expect(messagingRequests.count).toBe(2);
  expect(await page.locator("body").innerText()).not.toMatch(JWT_SHAPE);

  await site.logOut();
  await expect(site.status).toHaveText("anonymous");
});

test("a 90-second token shows its lifetime; a short server lifetime is renewed in time", async ({ page }) => {
  const site = demo(page);
  await page.goto(server.url);
  await site.logIn({ lifetime: "90 seconds: watch the renewal" });
  await expect(site.status).toHaveText("authenticated");
  await expect(page.locator("#account-ttl")).toHaveText("90 seconds");
  await expect(site.expiry).toHaveText(/^1:[0-3]\d$/);

  // A server signing 62-second tokens: fresh for 2 seconds (the SDK renews 60 s before exp).
  const shortLived = await startDemoServer(["--token-ttl", "62"]);
  try {
    await page.goto(shortLived.url);
    await site.logIn();
    await expect(site.status).toHaveText("authenticated");
    await expect(site.log).toContainText("tokenExpiring", { timeout: 10_000 });
    await expect(site.log).toContainText("tokenRefreshed", { timeout: 10_000 });
    await expect(site.status).toHaveText("authenticated");
    await expect(site.log).not.toContainText("tokenExpired");
  } finally {
    await shortLived.stop();
  }
});

test("a second tab follows the login and the logout", async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await first.goto(server.url);
  await second.goto(server.url);
  await expect(demo(second).status).toHaveText("anonymous");

  await demo(first).logIn();
  await expect(demo(first).status).toHaveText("authenticated");
  await expect(demo(second).status).toHaveText("authenticated"); // the SDK tells its other tabs
  await expect(demo(second).badge).toHaveText("Signed in as Ada Lovelace");

  // A tab opened now starts from the site's session (per-tab storage is empty there).
  const third = await context.newPage();
  await third.goto(server.url);
  await expect(demo(third).status).toHaveText("authenticated");

  await demo(second).logOut();
  for (const page of [first, second, third]) {
    await expect(demo(page).status).toHaveText("anonymous", { timeout: 2_000 });
    await expect(demo(page).badge).toHaveText("Not signed in");
  }
});

test("the pre-load stub page queues calls and the SDK replays them", async ({ page }) => {
  await page.goto(`${server.url}/preload.html`);
  const calls = page.locator("#calls li");
  await expect(calls).toHaveCount(4);
  await expect(calls.first()).toContainText("queued: waiting for the SDK");
  await expect(page.locator("#sdk-state")).toHaveText("The stub: 4 calls in messenger.q; getAuthState() is null.");

  await page.getByRole("button", { name: "Load messenger.js now" }).click();
  await expect(page.locator("#sdk-state")).toContainText("The SDK has loaded");
  await expect(calls.nth(0)).toContainText("handler called: ready");
  await expect(calls.nth(2)).toContainText("resolved: anonymous"); // not logged in at the site
  await expect(calls.nth(3)).toContainText("resolved: null");

  // Logged in at the site, the same queued calls get a token from /auth/jwt.
  await page.request.post(`${server.url}/login`, { data: { username: "ada" } });
  await page.reload();
  await page.getByRole("button", { name: "Load messenger.js now" }).click();
  await expect(calls.nth(2)).toContainText("resolved: authenticated");
  await expect(calls.nth(3)).toContainText(/resolved: a JWT of \d+ characters \(never shown\)/);
  await expect(calls.nth(1)).toContainText("authenticating → authenticated");
});
