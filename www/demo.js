// The demo site's page script, shared by index.html (token source: the authentication endpoint)
// and callback.html (token source: a page callback); <body data-token-source> says which.
//
// It does what a site does: log in and out at the site (a session cookie), tell the SDK when
// its user has logged in or out, and, on every page load, make the SDK agree with the site.
// It also shows the SDK's state and every SDK event. A JWT is never shown or logged.
//
// `messenger` is the pre-load stub until the SDK has loaded: calls made before are queued and
// replayed in order.

const SOURCE = document.body.dataset.tokenSource; // "endpoint" | "callback"
const EVENTS = ["ready", "authStateChanged", "tokenExpiring", "tokenRefreshed", "tokenExpired", "loginFailed", "loggedOut"];
const $ = (id) => document.getElementById(id);

// ---- Telling the SDK: the two token sources ----

/**
 * The page callback: whenever the SDK needs a token, ask the site's backend for one (the
 * session cookie goes along) and hand it over. A rejected promise tells the SDK it failed.
 */
async function jwtFromSite(callback) {
  const answer = await fetch("/auth/messaging-jwt", { cache: "no-store" });
  if (!answer.ok) throw new Error(`/auth/messaging-jwt answered ${answer.status}`);
  callback((await answer.json()).jwt);
}

/** Reports each loginUser() outcome: null on success, else a LoginFailedError. */
const loginCallback = (error) => addLog("loginCallback", error ?? null, "page");

/** The site's user has logged in: start the SDK's login from the configured token source. */
function startSdkLogin() {
  addLog(SOURCE === "callback" ? "loginUser(jwtFromSite)" : "loginUser()", undefined, "page");
  return SOURCE === "callback"
    ? messenger.loginUser(jwtFromSite, loginCallback) // page callback
    : messenger.loginUser(undefined, loginCallback); // data-auth-endpoint="/auth/jwt"
}

// ---- The site's own login ----

/** Calls the site's backend; resolves with the JSON answer or throws its error message. */
async function site(method, path, body) {
  const init = body ? { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : { method };
  const answer = await fetch(path, { ...init, cache: "no-store" });
  const json = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(json.error || `${path} answered ${answer.status}`);
  return json;
}

/** Shows who is logged in at the site (`me` is the answer of /me, /login or /logout). */
function showSite(me) {
  const user = me && me.user;
  $("login-form").hidden = !!user;
  $("account").hidden = !user;
  $("site-badge").textContent = user ? `Signed in as ${user.name || user.username}` : "Not signed in";
  if (user) {
    $("account-name").textContent = user.name ? `${user.name} (${user.username})` : user.username;
    $("account-ttl").textContent = me.tokenTtl % 60 ? `${me.tokenTtl} seconds` : `${me.tokenTtl / 60} minutes`;
  }
}

const refreshSite = () => site("GET", "/me").then(showSite, (error) => say("site-message", error.message));

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  say("site-message", "");
  try {
    const me = await site("POST", "/login", Object.fromEntries(new FormData(event.target)));
    showSite(me);
    await startSdkLogin();
  } catch (error) {
    say("site-message", `Login failed: ${error.message}`);
  }
});

$("logout").addEventListener("click", async () => {
  say("site-message", "");
  // The site first, so that other tabs, told by the SDK, already find the site logged out.
  await site("POST", "/logout").then(showSite, (error) => say("site-message", `Logout failed: ${error.message}`));
  addLog("logoutUser()", undefined, "page");
  await messenger.logoutUser();
});

// ---- On every page load: make the SDK agree with the site ----

async function onLoad() {
  const [state, me] = await Promise.all([messenger.init(), site("GET", "/me").catch(() => ({ user: null }))]);
  showSite(me);
  if (me.user) {
    // Page callback: the SDK cannot keep a function across a reload, so the page logs in again
    // on each load (one request; a restored token is shown meanwhile). Endpoint: the SDK
    // revalidates a restored session by itself, so only an anonymous SDK needs telling (a new
    // tab, say).
    if (SOURCE === "callback" || state.status === "anonymous") await startSdkLogin();
  } else if (state.status !== "anonymous") {
    addLog("logoutUser()", undefined, "page"); // the site's session is gone (a server restart)
    await messenger.logoutUser();
  }
}

// ---- The widget's side: state, actions, events ----

function renderState() {
  const state = messenger.getAuthState(); // null from the stub, before the SDK has loaded
  const status = $("state-status");
  status.textContent = state ? state.status : "loading…";
  status.dataset.status = state ? state.status : "";
  const user = state && state.user;
  $("state-user").textContent = user
    ? `${user.name ?? "?"} <${user.email ?? "no email"}>${user.emailVerified ? " (verified)" : ""} · externalId ${user.externalId ?? "–"}`
    : "–";
  const left = state && state.expiresAt ? Math.round(state.expiresAt - Date.now() / 1000) : null;
  $("state-expiry").textContent = left === null ? "–" : left > 0 ? formatSeconds(left) : "expired";
  $("state-anonymous").textContent = state ? state.anonymousId + (state.previousAnonymousId ? ` (was ${state.previousAnonymousId})` : "") : "–";
}

$("start-engagement").addEventListener("click", async () => {
  const state = await messenger.startEngagement();
  say("action-result", `startEngagement() → ${state.status}`);
});

$("get-token").addEventListener("click", async () => {
  const token = await messenger.getToken();
  say("action-result", token ? `getToken() → a JWT of ${token.length} characters (never shown)` : "getToken() → null");
});

$("clear-log").addEventListener("click", () => $("log").replaceChildren());

for (const name of EVENTS) {
  messenger.on(name, (detail) => {
    addLog(name, detail, "event");
    renderState();
    // Another tab logged in or out: the site's session changed there too (one cookie).
    if (name === "authStateChanged" || name === "loggedOut") refreshSite();
  });
}

// ---- Small helpers ----

/** Anything shaped like a JWT becomes "[jwt]" before it is shown (the SDK never sends one). */
const redact = (value) => JSON.stringify(value, (key, v) => (typeof v === "string" && /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(v) ? "[jwt]" : v), 2);

/** Adds a line to the log: an SDK event, or (kind "page") what the page did. */
function addLog(name, detail, kind) {
  const item = document.createElement("li");
  item.className = kind;
  const time = document.createElement("time");
  time.textContent = new Date().toLocaleTimeString();
  const label = document.createElement("span");
  label.className = "name";
  label.textContent = name;
  item.append(time, label);
  if (detail !== undefined) {
    const pre = document.createElement("pre");
    pre.textContent = redact(detail);
    item.append(pre);
  }
  $("log").prepend(item);
}

function say(id, text) {
  $(id).textContent = text;
}

/** 90 -> "1:30", 600 -> "10:00". */
function formatSeconds(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

renderState();
setInterval(renderState, 1000); // the expiry countdown
onLoad().catch((error) => say("site-message", error.message)); // the SDK failed to load, say
