// The admin token of the messaging emulator's pages (/admin and /agent). `npm start` prints it,
// and links to these pages with it in the URL fragment (`#token=...`): a fragment never reaches
// a server or its log. The page moves it into sessionStorage (this tab only) and out of the
// address bar. Without one, the page's token form asks for it.

const KEY = "messenger-emulator:admin-token";

/** The admin token, from the fragment (kept) or from this tab's sessionStorage; null if none. */
export function adminToken() {
  const match = /^#token=([^&]+)$/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(KEY, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(KEY);
}

/** An answer other than 2xx: `status` and the server's `error` text. */
export class AdminError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Calls an admin route with the token: `json` (a value to send as JSON) or `text` (a raw body).
 * Resolves with the JSON answer (null for 204); rejects with an AdminError. A 401 forgets the
 * token and shows the token form again.
 */
export async function adminFetch(path, { method = "GET", json, text } = {}) {
  const headers = { authorization: `Bearer ${adminToken() ?? ""}` };
  let body;
  if (json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(json);
  } else if (text !== undefined) {
    headers["content-type"] = "text/plain";
    body = text;
  }
  const answer = await fetch(path, { method, headers, body, cache: "no-store" });
  const data = answer.status === 204 ? null : await answer.json().catch(() => null);
  if (answer.status === 401) {
    sessionStorage.removeItem(KEY);
    showTokenForm("That admin token was refused: paste the one `npm start` printed.");
  }
  if (!answer.ok) throw new AdminError(answer.status, data?.error ?? `${path} answered ${answer.status}`);
  return data;
}

let onToken = () => {};

/** Shows the token form with `why`; the page's content waits behind it. */
function showTokenForm(why) {
  document.getElementById("token-card").hidden = false;
  document.getElementById("token-why").textContent = why;
  document.getElementById("emulator-content").hidden = true;
}

/**
 * Starts the page: `start()` runs once a token is known (at once if the fragment or this tab
 * has one; else after the form is submitted).
 */
export function withAdminToken(start) {
  onToken = start;
  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("token-input");
    const token = input.value.trim();
    if (!token) return;
    sessionStorage.setItem(KEY, token);
    input.value = "";
    document.getElementById("token-card").hidden = true;
    document.getElementById("emulator-content").hidden = false;
    onToken();
  });
  if (adminToken()) {
    document.getElementById("emulator-content").hidden = false;
    onToken();
  } else {
    showTokenForm("This page needs the admin token that `npm start` printed (the line `admin token: …`).");
  }
}
