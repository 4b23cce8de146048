// JWTs for the demo site and the tests: ES256 as a contact-centre authentication endpoint signs
// them, HS256 as a messaging backend's key does, and raw ones with any header for bad-token tests.
// Keys are made in memory when this module loads: each process (server, Playwright worker) has
// its own, which is fine because the SDK decodes tokens and never checks a signature.
import crypto from "node:crypto";

const es256 = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const hs256Secret = crypto.randomBytes(32);

/** The default `kid` of HS256 tokens (profile `messaging` requires one). */
export const MESSAGING_KID = "messaging-key-1";

const base64url = (data) => Buffer.from(data).toString("base64url");
const encodePart = (part) => (typeof part === "string" ? part : base64url(JSON.stringify(part)));

/**
 * A token from parts as given: an object is JSON-encoded then base64url-encoded, a string is used
 * as it is (already encoded, or deliberately broken). `sig` is a string or bytes.
 */
export function rawJwt(header, payload, sig = "") {
  const signature = typeof sig === "string" ? sig : base64url(sig);
  return `${encodePart(header)}.${encodePart(payload)}.${signature}`;
}

/** HS256 with a `kid`; `header` adds to or overrides the header's fields. */
export function signHS256(payload, { kid = MESSAGING_KID, header = {} } = {}) {
  const signingInput = rawJwt({ alg: "HS256", typ: "JWT", kid, ...header }, payload, "").slice(0, -1);
  const sig = crypto.createHmac("sha256", hs256Secret).update(signingInput).digest();
  return `${signingInput}.${base64url(sig)}`;
}

/** ES256 (P-256, IEEE P1363 signature as JWS wants); `header` adds to or overrides its fields. */
export function signES256(payload, { header = {} } = {}) {
  const signingInput = rawJwt({ alg: "ES256", cty: "text/plain", typ: "JWT", ...header }, payload, "").slice(0, -1);
  const sig = crypto.sign("sha256", Buffer.from(signingInput), { key: es256.privateKey, dsaEncoding: "ieee-p1363" });
  return `${signingInput}.${base64url(sig)}`;
}

/** Checks an ES256 token of this process (for the server's own tests). */
export function verifyES256(token) {
  const [header, payload, sig] = token.split(".");
  return crypto.verify("sha256", Buffer.from(`${header}.${payload}`), { key: es256.publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(sig, "base64url"));
}

/** Decodes a token's payload, without checking anything. */
export function decodePayload(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The claims the demo site puts in a user's token. `user` is { username, email?, name? };
 * `ttl` in seconds (negative for an already expired token), `now` in seconds.
 */
export function userClaims(user, { ttl = 600, now = nowSeconds() } = {}) {
  return {
    exp: now + ttl,
    iat: now,
    email: user.email ?? `${user.username}@example.test`,
    name: user.name ?? user.username,
    external_id: user.username,
  };
}

/** The authentication endpoint's token for `user` (contact-centre profile: ES256 with exp). */
export function siteJwt(user, options) {
  return signES256(userClaims(user, options));
}

/** A messaging-profile token for `user` (HS256, kid, scope "user", verified email). */
export function messagingJwt(user, options) {
  return signHS256({ ...userClaims(user, options), scope: "user", email_verified: true });
}
