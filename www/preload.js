// The pre-load stub page: calls the API through the stub at once, shows the queued calls, and
// loads the SDK when asked, to show each queued call being replayed and resolving.

const $ = (id) => document.getElementById(id);

/** One line per queued call; `settle(text)` fills in its outcome once the SDK has run it. */
function showCall(code) {
  const item = document.createElement("li");
  const call = document.createElement("code");
  call.textContent = code;
  const outcome = document.createElement("span");
  outcome.className = "outcome";
  outcome.textContent = "queued: waiting for the SDK";
  item.append(call, outcome);
  $("calls").append(item);
  return (text) => {
    outcome.textContent = text;
    item.classList.add("done");
  };
}

const readyCall = showCall('messenger.on("ready", handler)');
const changeCall = showCall('messenger.on("authStateChanged", handler)');
const changes = [];
messenger.on("ready", (state) => {
  readyCall(`handler called: ready, status ${state.status}`);
  if (!changes.length) changeCall("registered (no change so far)");
  showSdkState();
});
messenger.on("authStateChanged", (state) => {
  changes.push(state.status);
  changeCall(`handler called: ${changes.join(" → ")}`);
});

const engagementCall = showCall("messenger.startEngagement()");
messenger.startEngagement().then((state) => {
  engagementCall(`resolved: ${state.status}`);
  showSdkState();
});

const tokenCall = showCall("messenger.getToken()");
messenger.getToken().then((token) => tokenCall(token ? `resolved: a JWT of ${token.length} characters (never shown)` : "resolved: null"));

/** What window.messenger is now. */
function showSdkState() {
  const queued = Array.isArray(window.messenger.q) ? window.messenger.q.length : null;
  $("sdk-state").textContent =
    queued === null
      ? `The SDK has loaded: window.messenger is the SDK; getAuthState().status is "${messenger.getAuthState().status}".`
      : `The stub: ${queued} calls in messenger.q; getAuthState() is ${JSON.stringify(messenger.getAuthState())}.`;
}

$("load-sdk").addEventListener("click", () => {
  $("load-sdk").disabled = true;
  const script = document.createElement("script");
  script.src = "/messenger/messenger.js";
  script.dataset.authEndpoint = "/auth/jwt";
  script.async = true;
  document.head.append(script);
});

showSdkState();
