// The demo's chat box on the messaging emulator, in Chromium against the real demo server:
// anonymous messages, a login that merges them (check marks in /agent), the same external_id
// in a second browser context, logout, and an email conflict that keeps the visitor anonymous.
// Every test also fails on a page error, a console error or a JWT in a URL or console line.
import { test, expect, startDemoServer, collectPageErrors, collectTokenLeaks, JWT_SHAPE } from "./helpers.mjs";
import crypto from "node:crypto";

let server;

test.beforeAll(async () => {
  test.setTimeout(300_000); // a first build of the server takes a minute or more
  server = await startDemoServer();
});

test.afterAll(async () => {
  await server?.stop();
});

/** A username no other test uses (the server is shared by this file's tests). */
const uniqueName = (base) => `${base}-${crypto.randomUUID().slice(0, 8)}`;

/** The visitor's page: the site's login and the chat box. */
function visitor(page) {
  const chat = {
    who: page.locator("#chat-who"),
    messages: page.locator("#chat-messages li"),
    note: page.locator("#chat-note"),
    status: page.locator("#state-status"),
    async send(text) {
      const before = await chat.messages.count();
      await page.getByLabel("Message").fill(text);
      await page.getByRole("button", { name: "Send" }).click();
      await expect(chat.messages).toHaveCount(before + 1);
      await expect(chat.messages.last()).toContainText(text);
    },
    async logIn(username, { email = `${username}@example.test`, verified = false } = {}) {
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Name", { exact: true }).fill(`User ${username}`);
      await page.getByLabel("The site has verified this address").setChecked(verified);
      await page.getByRole("button", { name: "Log in" }).click();
      await expect(chat.status).toHaveText("authenticated");
    },
    logOut: () => page.getByRole("button", { name: "Log out" }).click(),
  };
  return chat;
}

/** The agents' view, opened with the admin token in the fragment (as `npm start` prints it). */
async function agentView(context) {
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${server.url}/agent#token=${server.adminToken}`);
  await expect(page.locator("#users-title")).toBeVisible();
  return {
    page,
    errors,
    user: (externalId) => page.locator(`article.user[data-external-id="${externalId}"]`),
    /** The anonymous user whose conversation holds `text`. */
    anonymousWith: (text) => page.locator('article.user[data-authenticated="false"]').filter({ hasText: text }),
  };
}

/** Check marks of a card's messages, in order: true for ✓ (sent while authenticated). */
async function marks(card) {
  return card.locator("ol.messages li").evaluateAll((items) => items.map((item) => item.dataset.authenticated === "true"));
}

test("anonymous messages, then a login merges them; the agents see the check marks", async ({ page, context }) => {
  const username = uniqueName("ada");
  const chat = visitor(page);
  await page.goto(server.url);
  await expect(chat.who).toContainText("anonymous visitor");
  const anonymousId = await page.evaluate(() => messenger.getAuthState().anonymousId);
  await expect(chat.who).toContainText(anonymousId);
  await chat.send(`${username}: where is my order?`);
  await chat.send(`${username}: it was due Monday`);

  const agents = await agentView(context);
  const anonymous = agents.anonymousWith(`${username}: where is my order?`);
  await expect(anonymous).toHaveCount(1);
  await expect(anonymous.locator(".check-mark")).toHaveCount(0);
  expect(await marks(anonymous)).toEqual([false, false]);

  await page.bringToFront();
  await chat.logIn(username);
  await expect(chat.who).toContainText(`external ID ${username}`);
  await expect(chat.note).toContainText("2 earlier messages merged");
  await expect(chat.messages).toHaveCount(2); // the merged conversation, now the user's
  await chat.send(`${username}: signed in now`);
  await expect(chat.messages.last().locator(".meta")).toContainText("✓");

  // The agents' view follows by itself (it polls): one authenticated user with the external ID,
  // the anonymous record gone, the merged messages in order, ✓ on the one sent authenticated.
  const user = agents.user(username);
  await expect(user.locator(".check-mark")).toHaveCount(1);
  await expect(user.locator(".external-id")).toHaveText(`external ID ${username}`);
  await expect(user.locator("ol.messages li")).toHaveCount(3);
  await expect(user.locator("ol.messages li .text")).toHaveText([
    `${username}: where is my order?`,
    `${username}: it was due Monday`,
    `${username}: signed in now`,
  ]);
  expect(await marks(user)).toEqual([false, false, true]);
  await expect(agents.anonymousWith(`${username}: where is my order?`)).toHaveCount(0);
  // The address was not verified by the site: no identity is shown.
  await expect(user.locator("ul.emails")).toHaveCount(0);
  expect(agents.errors.unexpected()).toEqual([]);
  expect(await agents.page.locator("body").innerText()).not.toMatch(JWT_SHAPE);
  expect(await page.locator("body").innerText()).not.toMatch(JWT_SHAPE);
});

test("the same external_id in a second browser context sees the same conversation", async ({ page, browser }) => {
  const username = uniqueName("grace");
  const chat = visitor(page);
  await page.goto(`${server.url}/callback.html`); // the page-callback source: the SDK's own token
  await chat.logIn(username);
  await chat.send(`${username}: from the first browser`);

  const other = await browser.newContext();
  try {
    const second = await other.newPage();
    const errors = collectPageErrors(second);
    const leaks = collectTokenLeaks(second);
    const secondChat = visitor(second);
    await second.goto(server.url); // the endpoint source, in a browser with no session yet
    await expect(secondChat.who).toContainText("anonymous visitor");
    await secondChat.logIn(username);
    await expect(secondChat.messages).toHaveCount(1);
    await expect(secondChat.messages.first()).toContainText(`${username}: from the first browser`);
    await secondChat.send(`${username}: from the second browser`);

    // And back in the first browser, the reply is there on the next read.
    await page.reload();
    await expect(chat.messages).toHaveCount(2);
    await expect(chat.messages.last()).toContainText(`${username}: from the second browser`);
    expect(errors.unexpected()).toEqual([]);
    expect(leaks.found()).toEqual([]);
  } finally {
    await other.close();
  }
});

test("after logout the visitor is a new anonymous user without the user's messages", async ({ page, context }) => {
  const username = uniqueName("hopper");
  const chat = visitor(page);
  await page.goto(server.url);
  await chat.logIn(username);
  await chat.send(`${username}: private order details`);
  const before = await page.evaluate(() => messenger.getAuthState().anonymousId);

  await chat.logOut();
  await expect(chat.status).toHaveText("anonymous");
  const after = await page.evaluate(() => messenger.getAuthState().anonymousId);
  expect(after).not.toBe(before);
  await expect(chat.who).toContainText(after);
  await expect(chat.messages).toHaveCount(0);
  await expect(page.locator("#chat-empty")).toBeVisible();
  await chat.send(`${username}: hello again, logged out`);
  await expect(chat.messages).toHaveCount(1);

  const agents = await agentView(context);
  await expect(agents.user(username).locator("ol.messages li")).toHaveCount(1);
  const anonymous = agents.anonymousWith(`${username}: hello again, logged out`);
  await expect(anonymous).toHaveCount(1);
  await expect(anonymous).not.toContainText("private order details");
  expect(agents.errors.unexpected()).toEqual([]);
});

test("an email conflict keeps the visitor anonymous and chatting", async ({ page, context, request }) => {
  const username = uniqueName("ivy");
  const shared = `${uniqueName("shared")}@example.test`;
  // Another user of the site already holds the address, verified: signed by a test backend with
  // a key of its own (node:crypto's HMAC, not the code under test).
  const admin = { authorization: `Bearer ${server.adminToken}` };
  const key = await (await request.post(`${server.url}/admin/keys`, { headers: admin, data: { name: "test backend" } })).json();
  const other = hs256(key, { scope: "user", external_id: uniqueName("other"), email: shared, email_verified: true });
  expect((await request.post(`${server.url}/messaging/login`, { data: { jwt: other } })).status()).toBe(200);

  const chat = visitor(page);
  await page.goto(`${server.url}/callback.html`);
  await chat.send(`${username}: hi, before logging in`);
  await chat.logIn(username, { email: shared, verified: true });
  // The SDK is authenticated, but the messaging service refused the login.
  await expect(chat.note).toContainText("refused this login (email_conflict)");
  await expect(chat.who).toContainText("anonymous visitor");
  await expect(chat.messages).toHaveCount(1);
  await chat.send(`${username}: still chatting`);
  await expect(chat.messages.last().locator(".meta")).not.toContainText("✓");

  const agents = await agentView(context);
  const anonymous = agents.anonymousWith(`${username}: hi, before logging in`);
  await expect(anonymous.locator("ol.messages li")).toHaveCount(2);
  expect(await marks(anonymous)).toEqual([false, false]);
  await expect(agents.user(username)).toHaveCount(0);
  expect(agents.errors.unexpected()).toEqual([]);
});

/** An HS256 messaging token signed with an emulator key's secret (its text is the HMAC key). */
function hs256(key, claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part({ alg: "HS256", typ: "JWT", kid: key.kid })}.${part(claims)}`;
  const signature = crypto.createHmac("sha256", key.secret).update(input).digest("base64url");
  return `${input}.${signature}`;
}
