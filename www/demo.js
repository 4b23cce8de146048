// The demo page: a site login (cookie), the SDK's loginUser/logoutUser, a pasted-token login,
// the live getAuthState() and every SDK event. `messenger` is the stub until the SDK loads:
// calls made early are queued and replayed. A JWT is never shown.

const EVENTS = ["ready", "authStateChanged", "tokenExpiring", "tokenRefreshed", "tokenExpired", "loginFailed", "loggedOut"];
const $ = (id) => document.getElementById(id);

/** Anything shaped like a JWT becomes "[jwt]" before it is displayed. */
const redact = (value) =>
  JSON.stringify(value, (key, v) => (typeof v === "string" && /^[\w-]+\.[\w-]+\.[\w-]*$/.test(v) && v.length > 40 ? "[jwt]" : v), 2);

function log(name, detail) {
  const item = document.createElement("li");
  const time = document.createElement("span");
  time.className = "time";
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

function renderState() {
  const state = messenger.getAuthState();
  const status = $("state-status");
  status.textContent = state ? state.status : "loading…";
  status.className = state ? `status-${state.status}` : "";
  const user = state && state.user;
  $("state-user").textContent = user
    ? `${user.name ?? "?"} <${user.email ?? "no email"}>${user.emailVerified ? " ✓" : ""} (externalId ${user.externalId ?? "–"})`
    : "–";
  $("state-anonymous").textContent = state ? state.anonymousId + (state.previousAnonymousId ? ` (was ${state.previousAnonymousId})` : "") : "–";
  const left = state && state.expiresAt ? Math.round(state.expiresAt - Date.now() / 1000) : null;
  $("state-expiry").textContent = left === null ? "–" : left > 0 ? `${Math.floor(left / 60)} min ${left % 60} s` : "expired";
}

function showResult(text) {
  $("action-result").textContent = text;
}

/** Posts a form to the site; resolves with the answer's JSON, or throws its error. */
async function post(path, body) {
  const answer = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(json.error || `HTTP ${answer.status}`);
  return json;
}

const loginCallback = (error) => log("loginCallback", error ?? null);

for (const name of EVENTS) {
  messenger.on(name, (detail) => {
    log(name, detail);
    renderState();
  });
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = Object.fromEntries(new FormData(event.target));
  try {
    await post("/login", fields);
    showResult(`logged in at the site as ${fields.username}`);
    await messenger.loginUser(undefined, loginCallback); // the authentication endpoint
  } catch (error) {
    showResult(`site login failed: ${error.message}`);
  }
  renderState();
});

$("logout").addEventListener("click", async () => {
  await messenger.logoutUser();
  await post("/logout", {}).catch((error) => showResult(`site logout failed: ${error.message}`));
  renderState();
});

$("token-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = event.target.elements.jwt;
  await messenger.loginUser((callback) => callback(field.value.trim()), loginCallback);
  renderState();
});

$("fill-token").addEventListener("click", async () => {
  const user = $("login-form").elements.username.value || "ada";
  const answer = await fetch(`/test/jwt/ok?user=${encodeURIComponent(user)}`);
  $("token-form").elements.jwt.value = (await answer.json()).loginUserIdJwt;
  showResult(`filled a 10-minute test token for ${user}`);
});

$("start-engagement").addEventListener("click", async () => {
  const state = await messenger.startEngagement();
  showResult(`startEngagement() → ${state.status}`);
});

$("get-token").addEventListener("click", async () => {
  try {
    const token = await messenger.getToken();
    showResult(token ? `getToken() → a token of ${token.length} characters (not shown)` : "getToken() → null");
  } catch (error) {
    showResult(`getToken() failed: ${error.message}`);
  }
});

$("clear-log").addEventListener("click", () => $("log").replaceChildren());

renderState();
setInterval(renderState, 1000); // the expiry countdown
