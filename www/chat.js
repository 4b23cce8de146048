// The support widget's chat box, on the messaging emulator (same origin, /messaging/*).
// Shared by index.html and callback.html (a module: its names stay out of demo.js's scope);
// <body data-token-source> says which token source the page's SDK uses.
//
// It does what a messaging widget does with the SDK:
// - authenticated: each request carries a messaging token (`Authorization: Bearer`), verified
//   by the messaging service on every call;
// - otherwise: the SDK's `anonymousId` (`X-Anonymous-Id`), the visitor's own anonymous user;
// - on the change to authenticated: `POST /messaging/login` with the token and the
//   `previousAnonymousId`, which merges the anonymous conversation into the user's;
// - after logout: the SDK's new `anonymousId`, a new anonymous user who no longer sees the
//   user's conversation.
// If the messaging service refuses the login (`email_conflict`, say), the visitor stays an
// anonymous visitor and goes on chatting, and the box says why. No token is ever shown.

const CHAT_SOURCE = document.body.dataset.tokenSource; // "endpoint" | "callback"
const chatEl = (id) => document.getElementById(id);

/** The SDK user the messaging service refused, and why: `{ externalId, reason }`, or null. */
let refused = null;
/**
 * The anonymousId last seen while the visitor was anonymous: the one to merge at login when
 * the SDK's change to authenticated carries no previousAnonymousId.
 */
let anonymousBefore = null;

/**
 * A messaging token for the current SDK user, or null (anonymous, refused, or none to be had).
 * The callback page's SDK holds the messaging (HS256) token itself. The endpoint page's SDK
 * holds the contact-centre (ES256) token of /auth/jwt, which the messaging channel refuses
 * (`unsupported_alg`): there the widget asks the site's backend for the messaging token of the
 * same session (/auth/messaging-jwt), once the SDK says the visitor is authenticated.
 */
async function messagingToken() {
  const state = messenger.getAuthState();
  if (!state || state.status !== "authenticated") return null;
  if (refused && refused.externalId === state.user?.externalId) return null;
  const token = await messenger.getToken(); // a fresh token, or null
  if (!token || CHAT_SOURCE === "callback") return token;
  const answer = await fetch("/auth/messaging-jwt", { cache: "no-store" });
  return answer.ok ? (await answer.json()).jwt : null;
}

/** The request headers that say who is chatting, and whether that is an authenticated user. */
async function credentials() {
  const token = await messagingToken();
  if (token) return { authenticated: true, headers: { authorization: `Bearer ${token}` } };
  return { authenticated: false, headers: { "x-anonymous-id": messenger.getAuthState().anonymousId } };
}

/**
 * Calls the messaging service as the current visitor. A token refused on the way (a 401 with
 * a reason) marks this SDK user as refused, and the call is made again as the anonymous visitor.
 */
async function messaging(method, path, body) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const who = await credentials();
    const init = { method, headers: { ...who.headers }, cache: "no-store" };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const answer = await fetch(path, init);
    const json = answer.status === 204 ? null : await answer.json().catch(() => null);
    if (answer.ok) return json;
    if (answer.status === 401 && who.authenticated && json?.error) {
      refuse(json.error);
      continue;
    }
    throw new Error(json?.error || `${path} answered ${answer.status}`);
  }
  throw new Error(`${path}: refused`);
}

function refuse(reason) {
  refused = { externalId: messenger.getAuthState().user?.externalId, reason };
  note(`The messaging service refused this login (${reason}): you are chatting as an anonymous visitor.`);
}

/** The SDK's user has just become authenticated: log in to messaging, merging the visitor. */
async function logInToMessaging(state) {
  refused = null;
  const anonymousId = state.previousAnonymousId ?? anonymousBefore;
  anonymousBefore = null;
  const jwt = await messagingToken();
  if (!jwt) return;
  const answer = await fetch("/messaging/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(anonymousId ? { jwt, anonymousId } : { jwt }),
    cache: "no-store",
  });
  const json = await answer.json().catch(() => ({}));
  if (answer.ok) {
    const merged = json.merged ? ` · ${json.merged} earlier message${json.merged === 1 ? "" : "s"} merged` : "";
    note(`Logged in to messaging as ${json.externalId}${merged}.`);
  } else if (answer.status === 401 && json.error) {
    refuse(json.error);
  } else {
    note(`Messaging login failed: ${json.error || answer.status}`);
  }
}

// ---- The box ----

async function refresh() {
  try {
    const conversation = await messaging("GET", "/messaging/conversation");
    showWho();
    renderMessages(conversation.messages);
  } catch (error) {
    note(`Chat: ${error.message}`);
  }
}

function showWho() {
  const state = messenger.getAuthState();
  if (state?.status === "anonymous") anonymousBefore = state.anonymousId;
  const authenticated = state?.status === "authenticated" && !refused;
  chatEl("chat-who").textContent = authenticated
    ? `Chatting as ${state.user.name ?? state.user.externalId} ✓ (external ID ${state.user.externalId})`
    : `Chatting as an anonymous visitor (${state ? state.anonymousId : "…"})`;
  chatEl("chat-who").dataset.authenticated = String(authenticated);
  chatEl("chat-email").hidden = authenticated; // the bot asks unauthenticated visitors only
}

function renderMessages(messages) {
  const items = messages.map((message) => {
    const item = document.createElement("li");
    item.dataset.authenticated = String(message.authenticated);
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = message.text;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = `${message.authenticated ? "✓ " : ""}${new Date(message.at).toLocaleTimeString()}`;
    meta.title = message.authenticated ? "sent while authenticated" : "sent as an anonymous visitor";
    item.append(text, meta);
    return item;
  });
  chatEl("chat-messages").replaceChildren(...items);
  chatEl("chat-empty").hidden = messages.length > 0;
}

function note(text) {
  chatEl("chat-note").textContent = text;
}

chatEl("chat-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = chatEl("chat-text");
  const text = input.value;
  if (!text.trim()) return;
  try {
    await messaging("POST", "/messaging/messages", { text });
    input.value = "";
  } catch (error) {
    note(`Not sent: ${error.message}`);
  }
  await refresh();
});

chatEl("chat-email").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = chatEl("chat-email-address");
  try {
    const answer = await fetch("/messaging/email", {
      method: "POST",
      headers: { "content-type": "application/json", "x-anonymous-id": messenger.getAuthState().anonymousId },
      body: JSON.stringify({ email: input.value }),
      cache: "no-store",
    });
    if (!answer.ok) throw new Error((await answer.json().catch(() => ({}))).error || answer.status);
    input.value = "";
    note("The bot noted your address.");
  } catch (error) {
    note(`The bot could not take it: ${error.message}`);
  }
  await refresh();
});

messenger.on("authStateChanged", async (state) => {
  try {
    if (state.status === "authenticated") await logInToMessaging(state);
    if (state.status === "anonymous") refused = null;
  } catch (error) {
    note(`Messaging login failed: ${error.message}`);
  }
  if (state.status !== "authenticating") await refresh();
});

messenger.on("loggedOut", () => {
  note("Logged out: a new anonymous visitor.");
  refresh();
});

messenger.init().then(refresh, () => note("The SDK did not load: the chat needs it."));
