// tests/server/tokens.mjs: the JWTs the server and the specs make.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rawJwt, signHS256, signES256, verifyES256, decodePayload, userClaims, MESSAGING_KID } from "../server/tokens.mjs";

const header = (token) => JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString());

test("ES256 tokens verify, with a P-256 signature of 64 bytes (IEEE P1363)", () => {
  const token = signES256({ sub: "a" });
  assert.deepEqual(header(token), { alg: "ES256", cty: "text/plain", typ: "JWT" });
  assert.equal(Buffer.from(token.split(".")[2], "base64url").length, 64);
  assert.ok(verifyES256(token));
  const [h, p, sig] = token.split(".");
  const tampered = `${h}.${p}.${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
  assert.ok(!verifyES256(tampered));
});

test("HS256 tokens carry a kid; header fields can be overridden", () => {
  assert.equal(header(signHS256({})).kid, MESSAGING_KID);
  assert.equal(header(signHS256({}, { kid: "k2" })).kid, "k2");
  assert.equal(header(signES256({}, { header: { alg: "none" } })).alg, "none");
});

test("rawJwt encodes objects and keeps strings as they are", () => {
  assert.equal(rawJwt("a", "b", "c"), "a.b.c");
  const token = rawJwt({ alg: "none" }, { x: 1 });
  assert.deepEqual(decodePayload(token), { x: 1 });
  assert.ok(token.endsWith("."));
});

test("userClaims: exp = now + ttl, defaults for email and name", () => {
  assert.deepEqual(userClaims({ username: "u" }, { ttl: 10, now: 1000 }), { exp: 1010, iat: 1000, email: "u@example.test", name: "u", external_id: "u" });
});
