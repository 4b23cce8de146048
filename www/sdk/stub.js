// The inline stub pages paste before the SDK's script tag (stub.html is this file, minified by
// scripts/make-stub.mjs). Until the SDK has loaded, window.messenger queues every call in
// messenger.q as [methodName, argsArray, resolve], exactly as queue.js does, and the SDK replays
// them in order. It does nothing when window.messenger already exists.
((w) => {
  if (w.messenger) return;
  const q = [];
  const m = (w.messenger = {
    q,
    getAuthState: () => null,
    on: (...a) => (q.push(["on", a]), () => w.messenger.off(a[0], a[1])),
    off: (...a) => {
      q.push(["off", a]);
    },
  });
  for (const n of ["init", "loginUser", "logoutUser", "startEngagement", "getToken"]) {
    m[n] = (...a) => new Promise((r) => q.push([n, a, r]));
  }
})(window);
