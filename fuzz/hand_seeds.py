#!/usr/bin/env python3
"""Writes the hand-made fuzz seeds, fuzz/seeds/<target>/hand-*: valid tokens of each profile and
SPEC.md's edge cases (alg none, exp 1e300, exp -1, exp in milliseconds, __proto__ keys, deep
nesting, invalid UTF-8, 10,000 claims), in each target's input format (see fuzz/checks.rs).
The other seeds are what `cargo fuzz cmin` kept of the fuzzer's corpus. Rerun after a change:
    python3 fuzz/hand_seeds.py
"""
import base64
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
EXP = 1795222800  # 2026-11-21T01:00:00Z
ID = "0f8fad5b-d9cb-469f-a165-70867728950e"

HS = b'{"alg":"HS256","typ":"JWT","kid":"k1"}'
ES = b'{"alg":"ES256","kid":"k2"}'
MESSAGING = b'{"external_id":"u-1","scope":"user","name":"Ada","email":"ada@example.com","email_verified":true,"exp":%d}' % EXP

# (name, header bytes, payload bytes, signature bytes or None for "sig")
TOKENS = [
    ("messaging", HS, MESSAGING, None),
    ("contact-center", ES, b'{"sub":"s-1","exp":%d,"iat":%d}' % (EXP, EXP - 3600), None),
    ("any-no-exp", b'{"alg":"HS256"}', b'{"email":"a@example.com"}', None),
    ("external-id-int", HS, b'{"external_id":12345,"scope":"user","exp":1.7952228e9}', None),
    ("alg-none", b'{"alg":"none"}', b'{"sub":"s"}', b""),
    ("exp-1e300", HS, b'{"external_id":"u","scope":"user","exp":1e300}', None),
    ("exp-minus-1", HS, b'{"external_id":"u","scope":"user","exp":-1}', None),
    ("exp-zero", HS, b'{"external_id":"u","scope":"user","exp":0}', None),
    ("exp-1e11", HS, b'{"external_id":"u","scope":"user","exp":1e11}', None),
    ("nbf-null", HS, b'{"external_id":"u","scope":"user","nbf":null}', None),
    ("exp-ms", HS, b'{"external_id":"u","scope":"user","exp":%d000}' % EXP, None),
    ("proto", b'{"alg":"HS256","kid":"k","__proto__":{"alg":"none"}}',
     b'{"__proto__":{"admin":true},"constructor":{"prototype":{}},"external_id":"u","scope":"user"}', None),
    ("dup-keys", HS, b'{"external_id":"u","scope":"admin","scope":"user","exp":5,"exp":%d}' % EXP, None),
    ("external-id-256", HS, b'{"external_id":"%s","scope":"user"}' % (b"x" * 256), None),
    ("invalid-utf8", HS, b'{"external_id":"\xff\xfe","scope":"user"}', None),
    ("surrogate", HS, b'{"external_id":"\\ud800","scope":"user"}', None),
    ("not-object", HS, b'["external_id"]', None),
]


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def write(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    with open(os.path.join(ROOT, target, "hand-" + name), "wb") as f:
        f.write(data)


def jwt(header, payload, signature):
    return b".".join([b64(header), b64(payload), b64(b"sig" if signature is None else signature)])


for name, header, payload, signature in TOKENS:
    write("token", name, jwt(header, payload, signature))
    parts = [header, payload] + ([] if signature is None else [signature])
    write("token_parts", name, b"\0".join(parts))

# token: what only the text form can say.
write("token", "padded-whitespace", b" \t" + b".".join(base64.urlsafe_b64encode(p) for p in [HS, MESSAGING, b"sig"]) + b"\n")
write("token", "over-padded", jwt(HS, MESSAGING, None).replace(b".", b"==.", 1))
write("token", "four-parts", jwt(HS, MESSAGING, None) + b".x")
write("token", "bad-base64", b"eyJ.+/+/.sig")
write("token", "empty", b"")

# token_parts: big inputs.
write("token_parts", "10000-claims", HS + b"\0{" + b",".join(
    b'"c%d":%d' % (i, i) for i in range(10000)) + b',"external_id":"u","scope":"user"}')
write("token_parts", "deep-nesting", HS + b'\0{"external_id":"u","scope":"user","deep":'
      + b"[" * 20000 + b"]" * 20000 + b"}")


def answer(status, body, redirected=False):
    return struct.pack("<HB", status, 1 if redirected else 0) + body


TOKEN = jwt(HS, MESSAGING, None)
for name, data in [
    ("200-login-user-id-jwt", answer(200, b'{"loginUserIdJwt":"%s"}' % TOKEN)),
    ("200-token", answer(200, b'{"token":"%s"}' % TOKEN)),
    ("200-jwt-and-wrong-type", answer(200, b'{"loginUserIdJwt":5,"jwt":"%s"}' % TOKEN)),
    ("204-empty", answer(204, b"")),
    ("200-whitespace", answer(200, b" \n\t")),
    ("200-html-redirected", answer(200, b"<html>login</html>", True)),
    ("200-array", answer(200, b'["a.b.c"]')),
    ("200-no-token", answer(200, b'{"__proto__":{"token":"a.b.c"}}')),
    ("200-dup-keys", answer(200, b'{"token":"a.b.c","token":null}')),
    ("401", answer(401, b'{"token":"a.b.c"}')),
    ("403", answer(403, b"")),
    ("500", answer(500, b'{"token":"a.b.c"}')),
    ("429", answer(429, b"")),
    ("302", answer(302, b"")),
    ("0-opaque", answer(0, b"")),
    ("200-invalid-utf8", answer(200, b'{"token":"\xff"}')),
]:
    write("answer", name, data)

for name, data in [
    ("full", b'{"v":1,"anonymous_id":"%s","jwt":"%s","source":"endpoint"}' % (ID.encode(), TOKEN)),
    ("bare", b'{"v":1,"anonymous_id":"%s"}' % ID.encode()),
    ("nulls", b'{"v":1,"anonymous_id":"%s","jwt":null,"source":null}' % ID.encode()),
    ("v2", b'{"v":2,"anonymous_id":"%s"}' % ID.encode()),
    ("v-float", b'{"v":1.0,"anonymous_id":"%s"}' % ID.encode()),
    ("bad-id", b'{"v":1,"anonymous_id":"<img src=x>"}'),
    ("upper-id", b'{"v":1,"anonymous_id":"%s"}' % ID.upper().encode()),
    ("bad-source", b'{"v":1,"anonymous_id":"%s","source":"evil"}' % ID.encode()),
    ("jwt-number", b'{"v":1,"anonymous_id":"%s","jwt":5}' % ID.encode()),
    ("proto", b'{"__proto__":{"v":1},"v":1,"anonymous_id":"%s"}' % ID.encode()),
    ("dup-keys", b'{"v":1,"anonymous_id":"x","anonymous_id":"%s","v":1}' % ID.encode()),
    ("deep-nesting", b'{"v":1,"anonymous_id":"%s","x":' % ID.encode() + b"[" * 20000 + b"]" * 20000 + b"}"),
]:
    write("record", name, data)
