// Compiled by `npm test` (tsc --noEmit) against www/sdk/messenger.d.ts: the typings accept the
// API as SPEC.md describes it and refuse what it does not allow.
import messenger, { on, getToken, type AuthState, type LoginFailedError } from "../../www/sdk/messenger.js";

async function demo(): Promise<void> {
  const state: AuthState = await messenger.init({ authEndpoint: "/auth/jwt", storage: "local", timeoutMs: 5000 });
  state.user?.claims["x"];
  const off: () => void = on("tokenExpiring", (d) => { const n: number = d.expiresAt; void n; });
  off();
  messenger.on("loginFailed", (e) => { const r: LoginFailedError["reason"] = e.reason; void r; });
  messenger.on("loggedOut", (d) => d.anonymousId.toUpperCase());
  window.messenger.loginUser((cb) => cb("jwt"), (err) => err?.reason);
  globalThis.messenger.logoutUser();
  window.addEventListener("messenger:ready", (ev) => ev.detail.status);
  const t: string | null = await getToken();
  void t;
  // @ts-expect-error unknown event
  messenger.on("nope", () => {});
  // @ts-expect-error bad option value
  messenger.init({ storage: "disk" });
  // @ts-expect-error unknown option
  messenger.init({ bogus: 1 });
}
void demo;
