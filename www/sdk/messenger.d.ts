// Type declarations for messenger-auth: the API of SPEC.md. Copied to dist/messenger.d.ts.
// The script tag defines the `messenger` global; dist/messenger.mjs exports the same object as
// its default export, and each function as a named export.

/** Options of `init()`; on the script tag, each is a `data-` attribute (`data-auth-endpoint`...). */
export interface MessengerOptions {
  /** URL of the site's authentication endpoint (`data-auth-endpoint`). No default. */
  authEndpoint?: string;
  /** Where the SDK keeps its state (`data-storage`). Default `"session"`. */
  storage?: "session" | "local" | "memory";
  /** Which claim rules a token must follow (`data-token-profile`). Default `"any"`. */
  tokenProfile?: "any" | "messaging" | "contact-center";
  /** Seconds before `exp` at which a token stops being fresh (`data-refresh-leeway-seconds`). Default 60. */
  refreshLeewaySeconds?: number;
  /** Time limit of an endpoint request or a jwtCallback, in ms (`data-timeout-ms`). Default 10000. */
  timeoutMs?: number;
  /** Revalidate a restored session with one request on page load (`data-revalidate-on-load`). Default true. */
  revalidateOnLoad?: boolean;
}

export type AuthStatus = "anonymous" | "authenticating" | "authenticated";

/** Who the token names. */
export interface User {
  /** `external_id` (an integer claim is read as its decimal string). */
  externalId: string | null;
  name: string | null;
  email: string | null;
  /** True only when the token's `email_verified` is the boolean `true`. */
  emailVerified: boolean;
  /** Every payload claim, for flows and agents. */
  claims: Record<string, unknown>;
}

export interface AuthState {
  status: AuthStatus;
  /** True exactly when `status` is `"authenticated"`. */
  authenticationStatus: boolean;
  user: User | null;
  /** The token's `exp`, seconds since the epoch. */
  expiresAt: number | null;
  /** This visitor's id before login; new after every logout. */
  anonymousId: string;
  /** On the change to authenticated: the anonymous visitor to merge. */
  previousAnonymousId?: string;
}

export type Reason =
  | "invalid_jwt"
  | "expired"
  | "unauthenticated"
  | "http_error"
  | "network"
  | "timeout"
  | "bad_response"
  | "callback_error"
  | "superseded";

/** The `detail` of an `invalid_jwt` failure: the rule the token broke. */
export type InvalidJwtDetail =
  | "malformed"
  | "unsupported_alg"
  | "missing_kid"
  | "missing_external_id"
  | "external_id_too_long"
  | "invalid_scope"
  | "invalid_claim"
  | "missing_exp"
  | "missing_identity";

/** Given to `loginCallback` and in `loginFailed` events. Never contains the token. */
export interface LoginFailedError {
  type: "LoginFailedError";
  reason: Reason;
  /** Which rule or case; always present for `invalid_jwt`. */
  detail?: InvalidJwtDetail | (string & {});
  /** The HTTP status of the endpoint's answer, where there was one. */
  status?: number;
  message: string;
}

/** The detail of each event; window events are `messenger:<name>` CustomEvents with the same detail. */
export interface MessengerEventMap {
  /** The SDK has loaded and restored its state. */
  ready: AuthState;
  /** Status or user changed. */
  authStateChanged: AuthState;
  /** A token stopped being fresh; a renewal starts. */
  tokenExpiring: { expiresAt: number };
  /** A renewal of the same user's token succeeded (`expiresAt` null for a token without `exp`). */
  tokenRefreshed: { expiresAt: number | null };
  /** `exp` passed without a new token. */
  tokenExpired: { expiresAt: number };
  /** A request for a token failed (not for a 401/403, which is just `anonymous`). */
  loginFailed: LoginFailedError;
  /** After `logoutUser()` here or in another tab. */
  loggedOut: { anonymousId: string };
}

export type MessengerEventName = keyof MessengerEventMap;

/** Asked for a token whenever the SDK needs one; answer with `callback(jwt)`. */
export type JwtCallback = (callback: (jwt: string) => void) => void;

/** Called once per `loginUser()` call: `null` on success, else why it failed. */
export type LoginCallback = (error: LoginFailedError | null) => void;

/** Removes the handler that `on()` added. */
export type Unsubscribe = () => void;

export interface Messenger {
  /** Sets the options, once (the script tag's data- attributes count as the first call). */
  init(options?: MessengerOptions): Promise<AuthState>;
  /** Logs the user in with the page's jwtCallback, or with the authentication endpoint when none. */
  loginUser(jwtCallback?: JwtCallback | null, loginCallback?: LoginCallback | null): Promise<AuthState>;
  logoutUser(): Promise<void>;
  /** The widget opens a conversation: a fresh token is used, or one is requested. */
  startEngagement(): Promise<AuthState>;
  /** A fresh token, requesting one if needed; null when anonymous. */
  getToken(): Promise<string | null>;
  /** The state now; null only from the pre-load stub, before the SDK has loaded. */
  getAuthState(): AuthState | null;
  on(event: "ready", handler: (detail: AuthState) => void): Unsubscribe;
  on(event: "authStateChanged", handler: (detail: AuthState) => void): Unsubscribe;
  on(event: "tokenExpiring", handler: (detail: { expiresAt: number }) => void): Unsubscribe;
  on(event: "tokenRefreshed", handler: (detail: { expiresAt: number | null }) => void): Unsubscribe;
  on(event: "tokenExpired", handler: (detail: { expiresAt: number }) => void): Unsubscribe;
  on(event: "loginFailed", handler: (detail: LoginFailedError) => void): Unsubscribe;
  on(event: "loggedOut", handler: (detail: { anonymousId: string }) => void): Unsubscribe;
  off<K extends MessengerEventName>(event: K, handler: (detail: MessengerEventMap[K]) => void): void;
}

declare global {
  /** Defined by the SDK's script tag (or, before it loads, by the inline stub). */
  var messenger: Messenger;
  interface Window {
    messenger: Messenger;
  }
  interface WindowEventMap {
    "messenger:ready": CustomEvent<MessengerEventMap["ready"]>;
    "messenger:authStateChanged": CustomEvent<MessengerEventMap["authStateChanged"]>;
    "messenger:tokenExpiring": CustomEvent<MessengerEventMap["tokenExpiring"]>;
    "messenger:tokenRefreshed": CustomEvent<MessengerEventMap["tokenRefreshed"]>;
    "messenger:tokenExpired": CustomEvent<MessengerEventMap["tokenExpired"]>;
    "messenger:loginFailed": CustomEvent<MessengerEventMap["loginFailed"]>;
    "messenger:loggedOut": CustomEvent<MessengerEventMap["loggedOut"]>;
  }
}

/** The ES module entry's API object (dist/messenger.mjs). */
declare const messenger: Messenger;
export default messenger;
export declare const init: Messenger["init"];
export declare const loginUser: Messenger["loginUser"];
export declare const logoutUser: Messenger["logoutUser"];
export declare const startEngagement: Messenger["startEngagement"];
export declare const getToken: Messenger["getToken"];
export declare const getAuthState: Messenger["getAuthState"];
export declare const on: Messenger["on"];
export declare const off: Messenger["off"];
