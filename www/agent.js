// The agents' view of the messaging emulator: every user with its check mark, external ID,
// emails and conversation, polled from GET /agent/users every second (no websocket: a demo's
// list is small, and a poll needs nothing but fetch).
import { adminFetch, withAdminToken } from "/admin-token.js";

const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);
let shown = ""; // the last answer rendered: the page is redrawn only when it changes
let timer = null;

async function poll() {
  clearTimeout(timer);
  try {
    const users = await adminFetch("/agent/users");
    $("users-error").textContent = "";
    const text = JSON.stringify(users);
    if (text !== shown) {
      shown = text;
      render(users);
    }
  } catch (error) {
    $("users-error").textContent = `GET /agent/users: ${error.message}`;
    if (error.status === 401) return; // the token form is back; polling resumes with a token
  }
  timer = setTimeout(poll, POLL_MS);
}

/** The time of a user's latest message, or 0. */
const lastActivity = (user) => user.messages.reduce((latest, message) => Math.max(latest, message.at), 0);

function render(users) {
  const sorted = [...users].sort((a, b) => lastActivity(b) - lastActivity(a));
  $("users-count").textContent = `${users.length} user${users.length === 1 ? "" : "s"}`;
  $("users").replaceChildren(...sorted.map(userCard));
}

function userCard(user) {
  const card = element("article", "card user");
  card.dataset.userId = user.userId;
  card.dataset.authenticated = String(user.authenticated);
  if (user.externalId !== null) card.dataset.externalId = user.externalId;

  const title = element("h3");
  if (user.authenticated) {
    const check = element("span", "check-mark", "✓");
    check.setAttribute("role", "img");
    check.setAttribute("aria-label", "authenticated");
    title.append(check);
  }
  title.append(element("span", "name", user.name ?? (user.authenticated ? user.externalId : "Anonymous visitor")));
  if (user.externalId !== null) title.append(element("span", "external-id", `external ID ${user.externalId}`));
  card.append(title, element("div", "user-id", user.userId));

  const emails = element("ul", "emails");
  for (const email of user.emails) {
    const item = element("li", "email", email.address);
    item.dataset.verified = String(email.verified);
    item.append(element("span", `tag${email.verified ? " verified" : ""}`, email.verified ? "verified" : "unverified"));
    emails.append(item);
  }
  if (user.emails.length) card.append(emails);

  const messages = element("ol", "messages");
  messages.setAttribute("aria-label", "Conversation");
  for (const message of user.messages) {
    const item = element("li");
    item.dataset.authenticated = String(message.authenticated);
    item.append(element("span", "text", message.text));
    const meta = element("span", "meta", `${message.authenticated ? "✓ " : ""}${new Date(message.at).toLocaleTimeString()}`);
    meta.title = message.authenticated ? "sent while authenticated" : "sent as an anonymous visitor";
    item.append(meta);
    messages.append(item);
  }
  card.append(user.messages.length ? messages : element("p", "message", "No messages."));
  return card;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

withAdminToken(() => {
  shown = "";
  poll();
});
